import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, ensureIndexes } from '../connection.ts';
import { registerModels } from '../models/index.ts';
import { webhookRepository } from './sla-extras.ts';

// The real shared MongoDB (or FerretDB) of the test run, in a database of this file's own.
let connection: Connection;
let webhooks: ReturnType<typeof webhookRepository>;

beforeAll(async () => {
  const problems = inject('serverErrors');
  if (problems.length) throw new Error(problems.join('\n'));
  connection = await connectDatabase({
    url: inject('mongodbUrl'),
    dbName: `t_${randomBytes(4).toString('hex')}`,
    retries: 1,
  });
  const models = registerModels(connection);
  await ensureIndexes(connection);
  webhooks = webhookRepository(models);
});

afterAll(async () => {
  await connection?.dropDatabase().catch(() => {});
  await connection?.close();
});

describe('webhook deliveries', () => {
  it('keep the last 20 attempts, newest last, on every backend', async () => {
    const delivery = await webhooks.openDelivery({
      id: `wd-${randomBytes(6).toString('hex')}`,
      webhookId: new Types.ObjectId(),
      eventId: 'e-1',
      eventType: 'ticket.created',
    });
    for (let n = 1; n <= 25; n++)
      await webhooks.recordAttempt(
        delivery._id as unknown as string,
        { at: new Date(Date.UTC(2026, 10, 27, 0, n)), status: 500 + (n % 3), durationMs: n },
        n === 25 ? 'failed' : 'pending',
      );
    const [stored] = await webhooks.deliveries(String(delivery.webhookId));
    expect(stored?.attempts).toBe(25);
    expect(stored?.state).toBe('failed');
    const log = (stored as unknown as { log: Array<{ durationMs: number }> }).log;
    expect(log.map((entry) => entry.durationMs)).toEqual(Array.from({ length: 20 }, (_, i) => i + 6));
  });
});
