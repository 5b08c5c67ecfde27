import { useHarness } from '@quipu/test/harness';
import { seedDirectory, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCountsOf, rebuildAssignmentLoads, redisLoadCounter } from './assignment-loads.ts';
import { updateTeam } from './directory.ts';
import { openTicket } from './intake.ts';
import { staffPrincipal } from './principal.ts';
import { assignTicket } from './tickets/assign.ts';
import { transitionTicket } from './tickets/transition.ts';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;
let serial = 0;

beforeAll(async () => {
  stack = await startStack(harness, { workers: false });
  directory = await seedDirectory(stack.commands);
  await rebuildAssignmentLoads(stack.commands);
});

async function file() {
  serial += 1;
  const { ticket } = await openTicket(stack.commands, {
    kind: 'complaint',
    category: 'wrong_data',
    title: `Valores imposibles ${serial}`,
    description: 'La columna EDAD tiene valores negativos.',
    dataset: directory.dataset.slug,
    reporter: { email: `r${serial}@example.pe`, language: 'es' },
    consent: true,
  });
  return ticket;
}

const a = () => String(directory.officerA._id);
const b = () => String(directory.officerB._id);
const members = () => (directory.team.memberIds ?? []).map(String);
const byMember = (counts: Record<string, number>) =>
  Object.fromEntries(members().map((id) => [id, counts[id] ?? 0]));
const loadsKey = () => `${stack.runtime.config.redis.prefix}:loads`;
/** The counts as stored in Redis (what least-loaded assignment reads while they are whole). */
async function loads(): Promise<Record<string, number>> {
  const values = await stack.runtime.redis.hmget(loadsKey(), ...members());
  const stored = byMember(Object.fromEntries(members().map((id, i) => [id, Number(values[i] ?? 0)])));
  expect(await openCountsOf(stack.commands, members())).toEqual(stored);
  return stored;
}
/** What the loads must be: a recount from the tickets themselves. */
async function recount(): Promise<Record<string, number>> {
  const tickets = await stack.runtime.connection
    .collection('tickets')
    .find({}, { projection: { assigneeId: 1, status: 1 } })
    .toArray();
  const counts: Record<string, number> = {};
  for (const t of tickets) {
    if (t.assigneeId && ['new', 'triaged', 'in_progress', 'waiting_reporter'].includes(t.status)) {
      counts[String(t.assigneeId)] = (counts[String(t.assigneeId)] ?? 0) + 1;
    }
  }
  return byMember(counts);
}

describe('assignment state', () => {
  it('continues the round-robin rotation from the last officer assigned, without reading the tickets', async () => {
    const members = (directory.team.memberIds ?? []).map(String);
    expect(members.length).toBeGreaterThan(1);
    const assignees: string[] = [];
    for (let i = 0; i <= members.length; i += 1) assignees.push(String((await file()).assigneeId));
    // Each one the next member after the previous, wrapping round.
    for (let i = 1; i < assignees.length; i += 1) {
      expect(assignees[i]).toBe(members[(members.indexOf(assignees[i - 1]!) + 1) % members.length]);
    }
    expect(assignees.at(-1)).toBe(assignees[0]);
    expect(await stack.commands.assignment.lastAssigneeOfTeam(String(directory.team._id))).toBe(
      assignees.at(-1),
    );
  });

  it('keeps each officer’s open count with every intake, reassignment, closing and reopening', async () => {
    expect(await loads()).toEqual(await recount());
    const ticket = await file();
    const owner = String(ticket.assigneeId);
    const other = owner === a() ? b() : a();
    const before = await loads();
    const lead = await staffPrincipal(stack.commands, directory.lead);

    await assignTicket(stack.commands, lead, { ticket: ticket.ref, assigneeId: other });
    const moved = await loads();
    expect(moved[owner]).toBe(before[owner]! - 1);
    expect(moved[other]).toBe(before[other]! + 1);

    await transitionTicket(stack.commands, lead, { ticket: ticket.ref, action: 'triage' });
    expect(await loads()).toEqual(moved);
    await transitionTicket(stack.commands, lead, {
      ticket: ticket.ref,
      action: 'reject',
      input: { reason: 'No corresponde a este organismo.' },
    });
    expect((await loads())[other]).toBe(moved[other]! - 1);
    await transitionTicket(stack.commands, lead, {
      ticket: ticket.ref,
      action: 'reopen',
      input: { reason: 'Sí corresponde.' },
    });
    expect(await loads()).toEqual(moved);
    expect(await loads()).toEqual(await recount());
  });

  it('gives least-loaded teams the officer with fewest open tickets', async () => {
    await updateTeam(stack.commands, { kind: 'everything' }, String(directory.team._id), {
      strategy: 'least_loaded',
    });
    const start = await loads();
    const fewest = Math.min(...members().map((id) => start[id]!));
    const assignee = String((await file()).assigneeId);
    expect(start[assignee]).toBe(fewest);
    await updateTeam(stack.commands, { kind: 'everything' }, String(directory.team._id), {
      strategy: 'round_robin',
    });
  });

  it('are recounted from the tickets by the rebuild, after a crash left them off', async () => {
    await stack.runtime.redis.hincrby(loadsKey(), a(), 7);
    await stack.runtime.connection.collection('tickets').updateMany({}, { $unset: { loadOf: 1 } });
    expect(await loads()).not.toEqual(await recount());
    const result = await rebuildAssignmentLoads(stack.commands);
    expect(result.fixed).toBeGreaterThan(0);
    expect(await loads()).toEqual(await recount());
    // And the counts keep moving from there.
    const ticket = await file();
    const owner = String(ticket.assigneeId);
    expect((await loads())[owner]).toBe((await recount())[owner]);
  });

  it('are counted from the tickets, and rebuilt, when Redis lost them or missed a move', async () => {
    await stack.runtime.redis.del(loadsKey(), `${loadsKey()}:built`);
    expect(byMember(await openCountsOf(stack.commands, members()))).toEqual(await recount());
    await expect.poll(() => stack.runtime.redis.exists(`${loadsKey()}:built`)).toBe(1);
    expect(await loads()).toEqual(await recount());

    // A move while Redis is unreachable marks the counts stale until the next rebuild.
    const offline = redisLoadCounter(
      undefined,
      stack.runtime.config.redis.prefix,
      stack.commands.assignment,
      () => new Date(),
    );
    await offline.move(null, a());
    expect(await stack.commands.assignment.loadsDirtyAt()).not.toBeNull();
    const fromTickets = byMember(await openCountsOf(stack.commands, members()));
    expect(fromTickets).toEqual(await recount());
    await expect
      .poll(async () => byMember(await openCountsOf(stack.commands, members())))
      .toEqual(await recount());
  });
});
