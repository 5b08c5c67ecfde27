import { useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { nextRefNumber } from './refs.ts';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

beforeAll(async () => {
  stack = await startStack(harness, {
    workers: false,
    config: { intake: { rateLimitPerMinute: 1000, flagsToHide: 3, spamWords: [] } },
  });
  directory = await seedDirectory(stack.commands);
});

describe('ticket references', () => {
  it('are unique and gapless under concurrent intake', async () => {
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        postJson(`${stack.url}/api/v1/complaints`, {
          category: 'other',
          title: `Consulta número ${i}`,
          description: 'Una consulta sobre el conjunto de datos.',
          dataset: directory.dataset.slug,
          reporter: { email: `c${i}@example.pe` },
          consent: true,
        }),
      ),
    );
    // Status and body together, so a refusal says why.
    const answers = await Promise.all(
      responses.map(async (r) => ({ status: r.status, body: await r.text() })),
    );
    expect(answers.filter((a) => a.status !== 201)).toEqual([]);
    const refs = answers.map((a) => (JSON.parse(a.body) as { ref: string }).ref);
    expect(new Set(refs).size).toBe(12);
    const numbers = refs.map((ref) => Number(ref.slice(-6))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('continue after the highest stored reference when Redis lost its counter', async () => {
    const year = Number(
      new Intl.DateTimeFormat('en', { timeZone: 'America/Lima', year: 'numeric' }).format(new Date()),
    );
    await stack.runtime.redis.del(`${stack.runtime.config.redis.prefix}:ref:${year}`);
    expect(await nextRefNumber(stack.commands, year)).toBe(13);
    expect(await nextRefNumber(stack.commands, year)).toBe(14);
  });
});
