import { useHarness } from '@quipu/test/harness';
import { describe, expect, it } from 'vitest';
import type { Processor } from './processor.ts';
import { PROCESSOR_GROUPS, startWorkers } from './runner.ts';

const harness = useHarness();

describe('worker runner', () => {
  it('knows every processor group and refuses unknown ones', async () => {
    expect(PROCESSOR_GROUPS()).toEqual(expect.arrayContaining(['maintenance', 'notify', 'harvest']));
    const runtime = await harness.runtime();
    await expect(startWorkers(runtime, { only: ['nope'] })).rejects.toThrow(/unknown worker "nope"/);
  });

  it('hosts only the chosen groups, runs their jobs, declares their schedules, and closes after running jobs finish', async () => {
    const runtime = await harness.runtime();
    const seen: string[] = [];
    let release: () => void = () => {};
    const slow = new Promise<void>((r) => {
      release = r;
    });
    const processors: Processor[] = [
      {
        group: 'alpha',
        queue: 'maintenance',
        concurrency: 1,
        process: async (job) => {
          seen.push(job.name);
          if (job.name === 'work') await slow;
          return 'done';
        },
        schedules: () => [{ id: 'alpha-tick', every: 3_600_000, name: 'tick', data: {} }],
      },
      {
        group: 'beta',
        queue: 'notify',
        concurrency: 1,
        process: async (job) => {
          seen.push(`beta:${job.name}`);
        },
      },
    ];
    const host = await startWorkers(runtime, { only: ['alpha'], processors });
    expect(host.groups).toEqual(['alpha']);
    const schedulers = await runtime.queues.get('maintenance').getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain('alpha-tick');
    await runtime.queues.get('notify').add('ignored', {});
    const job = await runtime.queues.get('maintenance').add('work', { task: 'outbox-sweep' });
    for (let i = 0; i < 100 && !seen.includes('work'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(seen).toContain('work');
    const closing = host.close();
    release();
    await closing;
    expect(await job.getState()).toBe('completed');
    expect(seen.some((s) => s.startsWith('beta:'))).toBe(false);
  });
});
