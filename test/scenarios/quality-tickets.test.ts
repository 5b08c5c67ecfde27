import { syncQualityTicket } from '@quipu/commands';
import { registerModels, type TicketRecord } from '@quipu/db';
import { useHarness } from '@quipu/test/harness';
import { seedDirectory, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

beforeAll(async () => {
  stack = await startStack(harness, { workers: false });
  directory = await seedDirectory(stack.commands);
});

const props = (reportId: string, failing = true) => ({
  dataset: directory.dataset,
  resource: { _id: 'r1', name: 'fallecidos.csv', format: 'CSV' },
  family: 'validity' as const,
  failing,
  streak: failing ? 1 : 0,
  failuresBeforeTicket: 3,
  report: { id: reportId, summary: '2 errores de validación (type-error × 2).', errorCount: 2 },
});

describe('automatic quality tickets', () => {
  it('two workers failing the same check at once leave one ticket, routed and on its SLA clock', async () => {
    const outcomes = await Promise.all([
      syncQualityTicket(stack.commands, props('qr-a')),
      syncQualityTicket(stack.commands, props('qr-b')),
    ]);
    expect(outcomes.map((o) => o.action).sort()).toEqual(['opened', 'updated']);
    const tickets = (await registerModels(stack.runtime.connection)
      .Ticket.find({ kind: 'quality_issue' })
      .lean()) as unknown as TicketRecord[];
    expect(tickets).toHaveLength(1);
    const [ticket] = tickets;
    expect(ticket!.dedupeKey).toBe(`quality:${String(directory.dataset._id)}:r1:validity`);
    // MINSA's covid-19 datasets have no CDC team in this directory: the default triage team takes it.
    expect(String(ticket!.teamId)).toBe(String(directory.team._id));
    expect(ticket!.assigneeId).toBeTruthy();
    expect(ticket!.sla?.policyId).toBeTruthy();
    const failed = ticket!.events.filter((e) => e.type === 'quality_check_failed');
    expect(failed.map((e) => (e.fields as { reportId: string }).reportId).sort()).toEqual(['qr-a', 'qr-b']);

    // The same report again changes nothing; a pass resolves; the same pass again changes nothing.
    expect((await syncQualityTicket(stack.commands, props('qr-b'))).action).toBe('none');
    expect((await syncQualityTicket(stack.commands, props('qr-c', false))).action).toBe('resolved');
    expect((await syncQualityTicket(stack.commands, props('qr-c', false))).action).toBe('none');
    const regressed = await syncQualityTicket(stack.commands, props('qr-d'));
    expect(regressed.action).toBe('regressed');
    expect(regressed.ticket?.status).toBe('open');
  });
});
