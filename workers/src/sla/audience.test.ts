import { createOrganisation, createUser } from '@quipu/commands';
import { useHarness } from '@quipu/test/harness';
import { seedDirectory, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { recipientsOf } from './audience.ts';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

beforeAll(async () => {
  stack = await startStack(harness, { workers: false });
  directory = await seedDirectory(stack.commands);
});

describe('who an SLA warning, breach or escalation step goes to', () => {
  it('escalation audiences: team leads of the team, managers up the tree, the parent organisation’s contact', async () => {
    const parent = await createOrganisation(stack.commands, {
      slug: 'pcm',
      name: 'Presidencia del Consejo de Ministros',
      contactEmail: 'transparencia@pcm.gob.pe',
    });
    const child = await createOrganisation(stack.commands, {
      slug: 'diris-norte',
      name: 'DIRIS Lima Norte',
      parent: 'pcm',
    });
    const parentManager = await createUser(stack.commands, {
      email: 'gerencia@pcm.gob.pe',
      name: 'Gerencia PCM',
      password: directory.password,
      roles: ['manager'],
      organisations: [String(parent._id)],
    });
    const ticket = { organisationId: child._id, teamId: undefined, assigneeId: undefined } as never;
    const emails = async (audience: string) =>
      (await recipientsOf(stack.commands, ticket, audience)).map((r) => r.to);
    expect(await emails('parent_organisation')).toEqual(['transparencia@pcm.gob.pe', parentManager.email]);
    // No manager in DIRIS Lima Norte: the nearest ancestor's managers.
    expect(await emails('manager')).toEqual([parentManager.email]);
    // Unassigned and no team: the warning goes to the organisation's team leads (none here).
    expect(await emails('assignee')).toEqual([]);
    const own = {
      organisationId: directory.organisation._id,
      teamId: directory.team._id,
      assigneeId: directory.officerB._id,
    } as never;
    expect((await recipientsOf(stack.commands, own, 'assignee')).map((r) => r.to)).toEqual([
      directory.officerB.email,
    ]);
    expect((await recipientsOf(stack.commands, own, 'team_lead')).map((r) => r.to)).toEqual([
      directory.lead.email,
    ]);
    expect((await recipientsOf(stack.commands, own, 'manager')).map((r) => r.to)).toEqual([
      directory.manager.email,
    ]);
  });
});
