import type { CommandContext } from '@quipu/commands';
import { EVERYTHING, type TicketRecord, type UserRecord } from '@quipu/db';

/** One person (or an organisation's contact address) an SLA e-mail goes to. */
export interface SlaRecipient {
  /** Stable key: the notification id is `<event id>:<key>`, so each person gets one e-mail per event. */
  key: string;
  to: string;
  name?: string | undefined;
  language: 'es' | 'en';
}

const lang = (value: unknown): 'es' | 'en' => (value === 'en' ? 'en' : 'es');

function people(users: readonly UserRecord[]): SlaRecipient[] {
  return users
    .filter((u) => u.active !== false && u.email)
    .map((u) => ({ key: `user-${u._id}`, to: u.email, name: u.name, language: lang(u.language) }));
}

async function teamLeads(ctx: CommandContext, ticket: TicketRecord): Promise<SlaRecipient[]> {
  const team = ticket.teamId ? await ctx.directory.findTeam(EVERYTHING, String(ticket.teamId)) : null;
  const leadIds = (team?.leadIds ?? []).map(String);
  if (leadIds.length) return people(await ctx.directory.findUsers(leadIds));
  return people(
    await ctx.directory.listUsers(EVERYTHING, {
      organisationId: String(ticket.organisationId),
      role: 'team_lead',
    }),
  );
}

/** Managers of the ticket's organisation, else of its nearest ancestor that has some. */
async function managers(ctx: CommandContext, ticket: TicketRecord): Promise<SlaRecipient[]> {
  const organisation = await ctx.directory.findOrganisation(EVERYTHING, String(ticket.organisationId));
  const chain = [String(ticket.organisationId), ...(organisation?.ancestorIds ?? []).map(String)];
  for (const organisationId of chain) {
    const found = people(await ctx.directory.listUsers(EVERYTHING, { organisationId, role: 'manager' }));
    if (found.length) return found;
  }
  return [];
}

/** The parent organisation's contact address and its managers. */
async function parentOrganisation(ctx: CommandContext, ticket: TicketRecord): Promise<SlaRecipient[]> {
  const organisation = await ctx.directory.findOrganisation(EVERYTHING, String(ticket.organisationId));
  const parentId = organisation?.parentId ? String(organisation.parentId) : null;
  if (!parentId) return [];
  const parent = await ctx.directory.findOrganisation(EVERYTHING, parentId);
  if (!parent) return [];
  const out: SlaRecipient[] = [];
  if (parent.contactEmail)
    out.push({ key: `org-${parentId}`, to: parent.contactEmail, name: parent.name, language: 'es' });
  out.push(
    ...people(await ctx.directory.listUsers(EVERYTHING, { organisationId: parentId, role: 'manager' })),
  );
  return out;
}

/**
 * Who an escalation audience is for a ticket: `assignee` (falling back to the team leads when
 * nobody is assigned, so a warning always reaches someone), `team_lead`, `manager` (nearest
 * organisation up the tree that has one), `parent_organisation` (contact address + managers).
 * Duplicated addresses are dropped.
 */
export async function recipientsOf(
  ctx: CommandContext,
  ticket: TicketRecord,
  audience: string,
): Promise<SlaRecipient[]> {
  let list: SlaRecipient[] = [];
  if (audience === 'assignee') {
    const assignee = ticket.assigneeId
      ? await ctx.directory.findUser(EVERYTHING, String(ticket.assigneeId))
      : null;
    list = assignee ? people([assignee]) : [];
    if (!list.length) list = await teamLeads(ctx, ticket);
  } else if (audience === 'team_lead') list = await teamLeads(ctx, ticket);
  else if (audience === 'manager') list = await managers(ctx, ticket);
  else if (audience === 'parent_organisation') list = await parentOrganisation(ctx, ticket);
  const seen = new Set<string>();
  return list.filter((r) => {
    const email = r.to.toLowerCase();
    if (seen.has(email)) return false;
    seen.add(email);
    return true;
  });
}
