import { useHarness } from '@quipu/test/harness';
import { seedDirectory, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;

beforeAll(async () => {
  stack = await startStack(harness, { workers: false });
  await seedDirectory(stack.commands);
});

describe('GET /api/v1/catalog/search', () => {
  it('finds datasets by title or tag, case-insensitively, with their resources', async () => {
    const response = await fetch(`${stack.url}/api/v1/catalog/search?q=FALLECIDOS`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      items: Array<{ slug: string; resources: Array<{ id: string; format: string }> }>;
    };
    expect(body.items.map((d) => d.slug)).toEqual(['fallecidos-covid']);
    expect(body.items[0]!.resources).toEqual([{ id: 'r1', name: 'fallecidos.csv', format: 'CSV' }]);
    const byTag = (await (await fetch(`${stack.url}/api/v1/catalog/search?q=covid-19`)).json()) as {
      items: unknown[];
    };
    expect(byTag.items).toHaveLength(1);
  });

  it('treats regex characters as text and validates the query', async () => {
    expect(
      ((await (await fetch(`${stack.url}/api/v1/catalog/search?q=.*`)).json()) as { items: unknown[] }).items,
    ).toEqual([]);
    expect((await fetch(`${stack.url}/api/v1/catalog/search?q=a`)).status).toBe(400);
    expect((await fetch(`${stack.url}/api/v1/catalog/search`)).status).toBe(400);
  });
});
