import { useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

// Monday 6 July 2026, 09:00 in Lima (UTC−5): an ordinary business week (no holiday until 23 July).
const MONDAY_9 = new Date('2026-07-06T14:00:00Z');

beforeAll(async () => {
  stack = await startStack(harness, { workers: false, now: MONDAY_9 });
  directory = await seedDirectory(stack.commands);
});

async function complaint(title: string) {
  const response = await postJson(`${stack.url}/api/v1/complaints`, {
    category: 'wrong_data',
    title,
    description: 'Cifras que no cuadran con el reporte oficial.',
    dataset: directory.dataset.slug,
    reporter: { email: 'p@example.pe' },
    consent: true,
  });
  return ((await response.json()) as { ref: string }).ref;
}

async function resolutionDue(ref: string) {
  const ticket = await stack.commands.tickets.findByRef({ kind: 'everything' }, ref);
  return { ticket: ticket!, due: ticket!.sla!.targets!.find((t) => t.target === 'resolution')!.dueAt! };
}

describe('a change of SLA policy mid-ticket', () => {
  it('keeps the business time already elapsed and counts the rest on the new policy', async () => {
    const ref = await complaint('Cifras que no cuadran');
    expect((await resolutionDue(ref)).ticket.sla!.policyId).toBe('complaint');

    // One business day later the ticket becomes urgent (policy complaint-urgent: 3 business days).
    stack.clock.set('2026-07-07T14:00:00Z');
    const lead = await signIn(stack.url, directory.lead.email, directory.password);
    expect(
      (await lead.request(`/api/v1/staff/tickets/${ref}`, { method: 'PATCH', body: { priority: 'urgent' } }))
        .status,
    ).toBe(200);
    const { ticket, due } = await resolutionDue(ref);
    expect(ticket.sla!.policyId).toBe('complaint-urgent');
    const change = ticket.events!.find((e) => e.type === 'sla_policy_changed') as unknown as {
      from: string;
      to: string;
    };
    expect(change).toMatchObject({ from: 'complaint', to: 'complaint-urgent' });
    // 3 business days from a Monday-morning receipt, Monday counting: Wednesday 8 July at closing
    // (17:30 Lima). Monday's time was spent under the old policy and is kept.
    expect(due.toISOString()).toBe('2026-07-08T22:30:00.000Z');
    // The first-response budget (4 business hours under the urgent policy) was already used up by
    // Monday's 9 hours: it falls due at the change itself — not on Monday at 13:00, as it would
    // if the ticket had always been urgent.
    const firstResponse = ticket.sla!.targets!.find((t) => t.target === 'firstResponse')!;
    expect(firstResponse.dueAt!.toISOString()).toBe('2026-07-07T14:00:00.000Z');

    // A ticket urgent from the start, received at the moment of the change, is due a day later.
    const fresh = await complaint('Urgente desde el inicio');
    await lead.request(`/api/v1/staff/tickets/${fresh}`, { method: 'PATCH', body: { priority: 'urgent' } });
    expect((await resolutionDue(fresh)).due.toISOString()).toBe('2026-07-09T22:30:00.000Z');

    // Recomputing again (another edit) does not record the change twice.
    await lead.request(`/api/v1/staff/tickets/${ref}`, { method: 'PATCH', body: { category: 'outdated' } });
    const again = await resolutionDue(ref);
    expect(again.ticket.events!.filter((e) => e.type === 'sla_policy_changed')).toHaveLength(1);
    expect(again.due.toISOString()).toBe('2026-07-08T22:30:00.000Z');
  });
});
