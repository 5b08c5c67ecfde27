import { registerModels } from '@quipu/db';
import { useHarness } from '@quipu/test/harness';
import { startStack } from '@quipu/test/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDelivery } from './queue-delivery.ts';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;

beforeAll(async () => {
  stack = await startStack(harness, { workers: ['notify', 'maintenance'] });
});
afterAll(async () => {
  await stack.smtp.setDown(false);
});

describe('e-mail queued by a worker other than notify', () => {
  it('waits out an SMTP outage in the notify worker and is sent once, with its unsubscribe link', async () => {
    const to = 'suscriptora.calidad@example.pe';
    const unsubscribeUrl = 'http://localhost:3000/suscripciones-calidad/token-de-prueba/baja';
    const delivery = {
      id: 'quality-qr-test-validity-failing:sub-1',
      to,
      recipientKind: 'subscriber',
      language: 'es' as const,
      notification: {
        kind: 'quality_event' as const,
        data: {
          dataset: { title: 'Donaciones COVID-19', url: 'http://localhost:3000/datasets/donaciones' },
          resource: { name: 'donaciones.csv' },
          check: 'validez (Table Schema)',
          state: 'failing',
          reportUrl: 'http://localhost:3000/informes/qr-test',
          checkedAt: new Date(),
        },
      } as never,
      unsubscribeUrl,
    };
    await stack.smtp.setDown(true);
    expect(await queueDelivery(stack.runtime, delivery)).toBe('queued');
    const record = async () =>
      (await registerModels(stack.runtime.connection)
        .Notification.findById(delivery.id)
        .lean()) as unknown as {
        state: string;
        attempts?: number;
        outbox: unknown[];
      } | null;
    // The send failed and is retried; the notification stays pending, its job relayed.
    await expect.poll(async () => (await record())?.attempts ?? 0).toBeGreaterThan(0);
    expect((await record())?.state).toBe('pending');
    expect((await record())?.outbox).toEqual([]);
    expect(stack.smtp.messages.filter((m) => m.to.includes(to))).toHaveLength(0);

    await stack.smtp.setDown(false);
    const sent = await stack.smtp.waitFor((m) => m.to.includes(to), 30_000);
    expect(sent.text).toContain(unsubscribeUrl);
    await expect.poll(async () => (await record())?.state).toBe('sent');
    // Queued again (a retried quality run): recorded already, nothing more is sent.
    expect(await queueDelivery(stack.runtime, delivery)).toBe('exists');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stack.smtp.messages.filter((m) => m.to.includes(to))).toHaveLength(1);
  });
});
