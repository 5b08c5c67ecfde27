import { chooseAssignee, route } from '@quipu/core/routing';
import { statusesIn, type TicketKind } from '@quipu/core/tickets';
import type { OrganisationRecord, TeamRecord } from '@quipu/db';
import type { CommandContext } from './context.ts';

export interface RoutingOutcome {
  organisation: OrganisationRecord;
  team: TeamRecord | null;
  assigneeId: string | null;
  ruleId: string;
  reason: string;
  assignmentReason: string | null;
}

/**
 * Decides organisation, team and officer for a new (or re-routed) ticket: the routing rules
 * of config/routing.json, then the team's assignment strategy. A rule may name another
 * organisation's team (e.g. the national licence office); the ticket then moves there.
 */
export async function routeTicket(
  ctx: CommandContext,
  ticket: {
    kind: TicketKind;
    category?: string | null;
    organisation: OrganisationRecord;
    datasetTags?: string[];
    resourceFormat?: string | null;
  },
): Promise<RoutingOutcome> {
  const { directory } = ctx;
  const ancestors = await Promise.all(
    (ticket.organisation.ancestorIds ?? []).map((id) =>
      directory.findOrganisation({ kind: 'everything' }, String(id)),
    ),
  );
  const ancestorKeys = ancestors.flatMap((a) => (a ? [a.slug, String(a._id)] : []));
  const teamCache = new Map<string, TeamRecord | null>();
  const organisationCache = new Map<string, OrganisationRecord | null>();
  const resolveOrganisation = async (key: string | undefined) => {
    if (!key) return ticket.organisation;
    if (!organisationCache.has(key))
      organisationCache.set(key, await directory.findOrganisation({ kind: 'everything' }, key));
    return organisationCache.get(key) ?? null;
  };
  const findTeam = async (
    organisation: OrganisationRecord | null,
    slug: string | undefined,
    id: string | undefined,
  ) => {
    if (!organisation) return null;
    const key = `${organisation._id}:${slug ?? id}`;
    if (!teamCache.has(key)) {
      const team = id
        ? await directory.findTeam({ kind: 'everything' }, id)
        : slug
          ? await directory.findTeamBySlug(String(organisation._id), slug)
          : null;
      teamCache.set(key, team && String(team.organisationId) === String(organisation._id) ? team : null);
    }
    return teamCache.get(key) ?? null;
  };
  // Preload every team the rules could name, so that `teamExists` can answer synchronously.
  const candidates = [
    ...ctx.domain.routing.rules.map((r) => r.target),
    ...Object.values(ctx.domain.routing.fallback.byOrganisation ?? {}),
    ctx.domain.routing.fallback.default,
  ];
  const exists = new Set<string>();
  for (const target of candidates) {
    const organisation = await resolveOrganisation(target.organisation);
    if (await findTeam(organisation, target.teamSlug, target.teamId))
      exists.add(`${target.organisation ?? ''}|${target.teamSlug ?? target.teamId}`);
  }
  const decision = route(
    ctx.domain.routing,
    {
      kind: ticket.kind,
      category: ticket.category ?? null,
      organisationId: String(ticket.organisation._id),
      organisationSlug: ticket.organisation.slug,
      datasetTags: ticket.datasetTags ?? null,
      resourceFormat: ticket.resourceFormat ?? null,
    },
    {
      organisationAncestors: ancestorKeys,
      teamExists: (target) => exists.has(`${target.organisation ?? ''}|${target.teamSlug ?? target.teamId}`),
    },
  );
  const organisation = (await resolveOrganisation(decision.organisation ?? undefined)) ?? ticket.organisation;
  const team = await findTeam(organisation, decision.teamSlug ?? undefined, decision.teamId ?? undefined);
  let assigneeId: string | null = null;
  let assignmentReason: string | null = null;
  if (team && team.strategy !== 'manual') {
    const members = await directory.findUsers((team.memberIds ?? []).map(String));
    const byId = new Map(members.map((m) => [String(m._id), m]));
    const ordered = (team.memberIds ?? []).map(String).filter((id) => byId.get(id)?.active !== false);
    const openCounts = team.strategy === 'least_loaded' ? await openCountsByAssignee(ctx, ordered) : {};
    const choice = chooseAssignee({
      strategy: team.strategy as 'round_robin' | 'least_loaded',
      members: ordered.map((id) => ({ id, away: byId.get(id)?.away === true })),
      lastAssignedId: team.lastAssignedId ? String(team.lastAssignedId) : null,
      defaultCap: team.capPerOfficer ?? null,
      openCounts,
    } as Parameters<typeof chooseAssignee>[0]);
    assigneeId = choice.officerId;
    assignmentReason = choice.reason;
    if (assigneeId) await directory.recordAssignment(String(team._id), assigneeId);
  }
  return {
    organisation,
    team,
    assigneeId,
    ruleId: decision.ruleId,
    reason: decision.reason,
    assignmentReason,
  };
}

/** Open tickets per officer ($match + $group/$sum, within FerretDB's aggregation subset). */
async function openCountsByAssignee(
  ctx: CommandContext,
  officerIds: string[],
): Promise<Record<string, number>> {
  const open = [
    ...new Set([
      ...statusesIn('complaint', 'open'),
      ...statusesIn('data_request', 'open'),
      ...statusesIn('quality_issue', 'open'),
    ]),
  ];
  const rows = await ctx.models.Ticket.aggregate<{ _id: unknown; n: number }>([
    {
      $match: {
        assigneeId: { $in: officerIds.map((id) => new ctx.models.Ticket.base.Types.ObjectId(id)) },
        status: { $in: open },
      },
    },
    { $group: { _id: '$assigneeId', n: { $sum: 1 } } },
  ]);
  return Object.fromEntries(rows.map((r) => [String(r._id), r.n]));
}
