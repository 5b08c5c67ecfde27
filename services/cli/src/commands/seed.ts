import type { QuipuRuntime } from '../runtime.ts';

/** Filled in with the tickets issue: organisations, officers, datasets and tickets. */
export async function seedDemo(
  _runtime: QuipuRuntime,
  _options: { onlyIfEmpty: boolean },
): Promise<Record<string, number> | null> {
  return null;
}

export async function seed(_config: unknown): Promise<number> {
  return 0;
}
