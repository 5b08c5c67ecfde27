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

  const key = (year: number) => `${stack.runtime.config.redis.prefix}:ref:${year}`;
  const withoutRedis = () => ({ ...stack.commands, redis: undefined });
  const sorted = (numbers: number[]) => [...numbers].sort((a, b) => a - b);
  const run = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

  it('stay unique and gapless with Redis down, under concurrency', async () => {
    const year = 2031;
    const first = await Promise.all(run(0, 5).map(() => nextRefNumber(stack.commands, year)));
    expect(sorted(first)).toEqual(run(1, 5));
    const down = await Promise.all(run(0, 8).map(() => nextRefNumber(withoutRedis(), year)));
    expect(sorted(down)).toEqual(run(6, 8));
  });

  it('skip what was handed out while Redis was down, once it is back (flapping)', async () => {
    const year = 2032;
    const numbers: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      numbers.push(await nextRefNumber(i % 3 === 1 ? withoutRedis() : stack.commands, year));
    }
    expect(numbers).toEqual(run(1, 9));
  });

  it('are not reused when Redis is restored from an old snapshot', async () => {
    const year = 2033;
    for (let i = 0; i < 40; i += 1) await nextRefNumber(stack.commands, year);
    await stack.runtime.redis.set(key(year), '3');
    const after = await Promise.all(run(0, 6).map(() => nextRefNumber(stack.commands, year)));
    expect(sorted(after)).toEqual(run(41, 6));
    // Redis was raised to the number found, so the next one needs no search.
    expect(Number(await stack.runtime.redis.get(key(year)))).toBeGreaterThanOrEqual(46);
    expect(await nextRefNumber(stack.commands, year)).toBe(47);
  });

  it('continue after references stored before claims existed', async () => {
    const year = 2034;
    const now = Date.now();
    await stack.runtime.connection.collection('tickets').insertMany(
      run(1, 7).map((seq) => ({
        ref: `Q-${year}-${String(seq).padStart(6, '0')}`,
        createdAt: new Date(now + seq),
      })),
    );
    expect(await nextRefNumber(withoutRedis(), year)).toBe(8);
    expect(await nextRefNumber(stack.commands, year)).toBe(9);
  });
});
