import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../test-database.ts';
import { webhookRepository } from './webhooks.ts';

// The real shared MongoDB (or FerretDB) of the test run, in a database of this file's own.
const db = useTestDatabase();
let webhooks: ReturnType<typeof webhookRepository>;

beforeAll(() => {
  webhooks = webhookRepository(db.models);
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
