import { JOBS } from '@quipu/queue';
import { useHarness } from '@quipu/test/harness';
import { describe, expect, it } from 'vitest';
import { type Processor, schedule } from './processor.ts';
import { PROCESSOR_GROUPS, startWorkers } from './runner.ts';

const harness = useHarness();

describe('worker runner', () => {
  it('knows every processor group and refuses unknown ones', async () => {
    expect(PROCESSOR_GROUPS()).toEqual(expect.arrayContaining(['maintenance', 'notify', 'harvest']));
    const runtime = await harness.runtime();
    await expect(startWorkers(runtime, { only: ['nope'] })).rejects.toThrow(/unknown worker "nope"/);
  });

  it('hosts only the chosen groups, runs their declared jobs, declares their schedules, and closes after running jobs finish', async () => {
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
        jobs: [JOBS.outboxSweep],
        concurrency: 1,
        process: async (job) => {
          seen.push(job.name);
          if (job.name === JOBS.outboxSweep.name) await slow;
          return 'done';
        },
        schedules: () => [schedule(JOBS.retention, 'alpha-tick', { every: 3_600_000 }, {})],
      },
      {
        group: 'beta',
        queue: 'notify',
        jobs: [JOBS.notifyTicketEvent],
        concurrency: 1,
        process: async (job) => {
          seen.push(`beta:${job.name}`);
        },
      },
    ];
    const host = await startWorkers(runtime, { only: ['alpha'], processors });
    expect(host.groups).toEqual(['alpha']);
    const schedulers = await runtime.queues.get('maintenance').getJobSchedulers();
    expect(schedulers.find((s) => s.key === 'alpha-tick')).toMatchObject({
      every: 3_600_000,
      name: 'retention',
    });
    await JOBS.notifyTicketEvent.add(runtime.queues, { ticketId: 't', eventId: 'e' });
    // A job name the processor does not declare is skipped, not run.
    await JOBS.retention.add(runtime.queues, {}, { jobId: 'undeclared' });
    const maintenance = runtime.queues.get('maintenance');
    for (let i = 0; i < 100 && (await maintenance.getJobState('undeclared')) !== 'completed'; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await maintenance.getJob('undeclared'))?.returnvalue).toEqual({
      skipped: 'unknown job retention',
    });
    expect(seen).not.toContain('retention');
    await JOBS.outboxSweep.add(runtime.queues, {}, { jobId: 'sweep' });
    for (let i = 0; i < 100 && !seen.includes('outbox-sweep'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(seen).toContain('outbox-sweep');
    const closing = host.close();
    release();
    await closing;
    const job = await maintenance.getJob('sweep');
    expect(await job!.getState()).toBe('completed');
    expect(job!.returnvalue).toBe('done');
    expect(seen.some((s) => s.startsWith('beta:'))).toBe(false);
  });
});
