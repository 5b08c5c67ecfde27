import { outboxEntry, outboxStore, registerModels } from '@quipu/db';
import { startRedis } from '@quipu/embedded';
import { useHarness } from '@quipu/test/harness';
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { createRedis } from './connection.ts';
import { JOBS } from './jobs.ts';
import { createQueues } from './queues.ts';
import { relayOutbox } from './relay.ts';

const harness = useHarness();

async function ticketWithOutbox(
  runtime: Awaited<ReturnType<typeof harness.runtime>>,
  entries: ReturnType<typeof outboxEntry>[],
) {
  const { Ticket } = registerModels(runtime.connection);
  const id = new Types.ObjectId();
  await Ticket.collection.insertOne({
    _id: id,
    ref: `Q-2026-${id.toHexString().slice(-6)}`,
    kind: 'complaint',
    title: 't',
    status: 'new',
    organisationId: new Types.ObjectId(),
    dedupeKey: `manual:${id.toHexString()}`,
    events: [],
    outbox: entries,
  });
  return id.toHexString();
}

describe('outbox relay', () => {
  it('delivers each entry exactly once even when Redis is down at write time and returns later', async () => {
    const runtime = await harness.runtime();
    // A Redis of this test's own, so that it can be stopped and started again on the same port.
    const first = await startRedis();
    const port = Number(new URL(first.url).port);
    const redis = createRedis(first.url, 'producer');
    redis.on('error', () => {});
    await new Promise((r) => redis.once('ready', r));
    const queues = createQueues(redis, harness.prefix);
    const stores = [outboxStore(runtime.connection, 'tickets')];

    await first.stop();
    const now = new Date();
    const entries = [
      JOBS.notifyTicketEvent.entry({ ticketId: 'x', eventId: 'ev-1' }, { now }),
      JOBS.notifyTicketEvent.entry({ ticketId: 'x', eventId: 'ev-2' }, { now }),
    ];
    const documentId = await ticketWithOutbox(runtime, entries);

    const whileDown = await relayOutbox({ stores, queues });
    expect(whileDown.relayed).toBe(0);
    expect(whileDown.failed).toBeGreaterThan(0);
    const [pendingWhileDown] = await stores[0]!.pending(10, documentId);
    expect(pendingWhileDown?.entries.map((e) => e._id)).toEqual(entries.map((e) => e._id));

    const second = await startRedis({ port });
    await new Promise((r) => (redis.status === 'ready' ? r(null) : redis.once('ready', r)));
    // A relay that died after add() and before the pull: the job exists, the entry is still there.
    await JOBS.notifyTicketEvent.add(queues, { ticketId: 'x', eventId: 'ev-1' });

    const afterwards = await relayOutbox({ stores, queues });
    expect(afterwards).toEqual({ relayed: 2, failed: 0 });
    const again = await relayOutbox({ stores, queues });
    expect(again).toEqual({ relayed: 0, failed: 0 });

    const jobs = await queues.get('notify').getJobs(['waiting', 'delayed', 'active', 'completed']);
    expect(jobs.map((j) => j.id).sort()).toEqual(entries.map((e) => e._id).sort());
    expect(await stores[0]!.pending(10, documentId)).toEqual([]);

    await queues.close();
    redis.disconnect();
    await second.stop();
  });

  it('leaves entries naming an unknown queue in place and reports them', async () => {
    const runtime = await harness.runtime();
    const documentId = await ticketWithOutbox(runtime, [outboxEntry('nowhere', 'x', {})]);
    const errors: string[] = [];
    const result = await relayOutbox({
      stores: runtime.outboxStores,
      queues: runtime.queues,
      documentId,
      onError: (e) => errors.push(e.message),
    });
    expect(result).toEqual({ relayed: 0, failed: 1 });
    expect(errors[0]).toContain('unknown queue');
  });

  it('leaves entries naming a job the catalogue does not know in place and reports them', async () => {
    const runtime = await harness.runtime();
    const documentId = await ticketWithOutbox(runtime, [
      outboxEntry('notify', 'reporter_acknowledgement', {}),
    ]);
    const errors: string[] = [];
    const result = await relayOutbox({
      stores: runtime.outboxStores,
      queues: runtime.queues,
      documentId,
      onError: (e) => errors.push(e.message),
    });
    expect(result).toEqual({ relayed: 0, failed: 1 });
    expect(errors[0]).toContain('unknown job "reporter_acknowledgement"');
    expect(await runtime.queues.get('notify').getJobs(['waiting', 'delayed'])).toEqual([]);
  });

  it('schedules entries with runAt as delayed jobs', async () => {
    const runtime = await harness.runtime();
    const runAt = new Date(Date.now() + 60_000);
    const entry = JOBS.slaDeadline.entry(
      { ticketId: 't1', target: 'resolution', kind: 'breach', due: runAt.toISOString() },
      { now: new Date(), id: 'sla-t1-resolution-breach-1', runAt },
    );
    const documentId = await ticketWithOutbox(runtime, [entry]);
    await relayOutbox({ stores: runtime.outboxStores, queues: runtime.queues, documentId });
    const job = await runtime.queues.get('sla').getJob(entry._id);
    expect(job).toBeDefined();
    expect(await job!.getState()).toBe('delayed');
  });
});
