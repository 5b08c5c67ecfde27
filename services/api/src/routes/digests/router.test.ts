import { linkToken } from '@quipu/commands';
import { EVERYTHING } from '@quipu/db';
import { useHarness } from '@quipu/test/harness';
import { confirmReporter, postJson, seedDirectory, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
let token = '';
let ticketId = '';

beforeAll(async () => {
  stack = await startStack(harness, { workers: false });
  directory = await seedDirectory(stack.commands);
  const filed = await postJson(`${stack.url}/api/v1/complaints`, {
    category: 'wrong_data',
    title: 'Coordenadas invertidas en establecimientos',
    description: 'Las columnas de latitud y longitud están intercambiadas.',
    dataset: directory.dataset.slug,
    reporter: { email: 'vecina@example.pe', name: 'Vecina' },
    consent: true,
  });
  const { ref } = (await filed.json()) as { ref: string };
  expect((await confirmReporter(stack, ref)).status).toBe(200);
  expect(
    (await postJson(`${stack.url}/api/v1/tickets/${ref}/followers`, { email: 'seguidora@example.pe' }))
      .status,
  ).toBe(202);
  const ticket = (await stack.commands.tickets.findByRef(EVERYTHING, ref))!;
  ticketId = String(ticket._id);
  // The follower's e-mail link carries this token (notify derives it the same way).
  const subscription = (await stack.commands.models.Subscription.findOne({
    ticketId: ticket._id,
  }).lean()) as {
    _id: unknown;
  };
  token = linkToken(stack.runtime.config.session.secret, 'subscription', String(subscription._id));
});

describe('POST /api/v1/subscriptions/:token/digest', () => {
  it('switches a follower to one e-mail a day and back, from the link (no login)', async () => {
    const chosen = await postJson(`${stack.url}/api/v1/subscriptions/${token}/digest`, { digest: true });
    expect(chosen.status).toBe(200);
    expect(await chosen.json()).toEqual({ ticketId, digest: true });
    const stored = () => stack.commands.models.Subscription.findOne({ ticketId }).lean() as Promise<unknown>;
    expect(await stored()).toMatchObject({ digest: true });
    const back = await postJson(`${stack.url}/api/v1/subscriptions/${token}/digest`, { digest: false });
    expect(await back.json()).toEqual({ ticketId, digest: false });
    expect(await stored()).toMatchObject({ digest: false });
  });

  it('answers 400 for a bad body and 404 for an unknown link', async () => {
    expect(
      (await postJson(`${stack.url}/api/v1/subscriptions/${token}/digest`, { digest: 'yes' })).status,
    ).toBe(400);
    expect((await postJson(`${stack.url}/api/v1/subscriptions/${token}/digest`, {})).status).toBe(400);
    expect(
      (
        await postJson(`${stack.url}/api/v1/subscriptions/not-a-real-token-at-all-xx/digest`, {
          digest: true,
        })
      ).status,
    ).toBe(404);
  });
});
