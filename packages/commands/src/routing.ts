import { type AssignmentOutcome, chooseAssignee, type RoutingExplanation, route } from '@quipu/core/routing';
import type { TicketKind } from '@quipu/core/tickets';
import type { OrganisationRecord, TeamRecord } from '@quipu/db';
import { Types } from 'mongoose';
import { openCountsOf } from './assignment-loads.ts';
import type { CommandContext } from './context.ts';
import { storedEvent } from './events.ts';
import { routingConfigOf } from './routing-admin.ts';

export interface RoutingOutcome {
  organisation: OrganisationRecord;
  team: TeamRecord | null;
  assigneeId: string | null;
  ruleId: string;
  reason: string;
  assignmentReason: string | null;
  explanation: RoutingExplanation;
  /** How the officer was chosen (null: the team has no assignment to make). */
  assignment: RoutedAssignment | null;
}

/** The assignment of a routing, as data (`dataset_officer`: the dataset's responsible officer). */
export interface RoutedAssignment {
  outcome: AssignmentOutcome | 'dataset_officer';
  strategy: string;
  load?: number;
}

/**
 * The fields of a `routed` event: the rule, and the explanation and assignment as data, which
 * pages put into words in the reader's language (the event's `reason` stays English, for the API).
 */
function routedFields(outcome: RoutingOutcome, extra: Record<string, unknown> = {}) {
  return {
    ruleId: outcome.ruleId,
    routing: outcome.explanation,
    ...(outcome.assignment ? { assignment: outcome.assignment } : {}),
    ...extra,
  };
}

/**
 * The `routed` event of an outcome: where the ticket went, the English `reason` (API, logs) and
 * the decision as data. `notify`: tell the new assignee (at intake the `created` event does).
 */
export function routedEvent(
  outcome: RoutingOutcome,
  props: { at: Date; reason: string; cause?: 'category_changed' | 'transferred'; notify?: boolean },
) {
  return storedEvent(
    {
      type: 'routed',
      actor: { id: null, role: 'system' },
      to: {
        organisationId: String(outcome.organisation._id),
        teamId: outcome.team ? String(outcome.team._id) : null,
        assigneeId: outcome.assigneeId,
      },
      reason: props.reason,
      fields: routedFields(outcome, props.cause ? { cause: props.cause } : {}),
      at: props.at,
    },
    { effects: props.notify && outcome.assigneeId ? ['notifyAssignee'] : [] },
  );
}

/** What a re-routing writes on the ticket: the rule, the team and the officer (or their absence). */
export function reroutedTicket(outcome: RoutingOutcome) {
  return {
    set: {
      routing: { ruleId: outcome.ruleId, reason: outcome.reason },
      ...(outcome.team ? { teamId: outcome.team._id } : {}),
      ...(outcome.assigneeId ? { assigneeId: new Types.ObjectId(outcome.assigneeId) } : {}),
    },
    unset: [...(outcome.team ? [] : ['teamId']), ...(outcome.assigneeId ? [] : ['assigneeId'])],
  };
}

/**
 * Decides organisation, team and officer for a new (or re-routed) ticket: the routing rules
 * of config/routing.json, then the team's assignment strategy. A rule may name another
 * organisation's team (e.g. the national licence office); the ticket then moves there.
 * Three queries whatever the number of rules: ancestors and target organisations, their teams.
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
  const routing = (await routingConfigOf(ctx)).config;
  const targets = [
    ...routing.rules.map((r) => r.target),
    ...Object.values(routing.fallback.byOrganisation ?? {}),
    routing.fallback.default,
  ];
  const keys = [
    ...new Set([
      ...(ticket.organisation.ancestorIds ?? []).map(String),
      ...targets.flatMap((t) => (t.organisation ? [t.organisation] : [])),
    ]),
  ];
  const organisations = await directory.findOrganisationsByKeys(keys);
  const byKey = new Map<string, OrganisationRecord>();
  for (const o of [ticket.organisation, ...organisations]) {
    byKey.set(String(o._id), o);
    byKey.set(o.slug, o);
  }
  const ancestors = (ticket.organisation.ancestorIds ?? [])
    .map((id) => byKey.get(String(id)))
    .filter((o): o is OrganisationRecord => Boolean(o));
  const teams = await directory.teamsOfOrganisations([
    ...new Set([...byKey.values()].map((o) => String(o._id))),
  ]);
  const organisationOf = (key: string | undefined) => (key ? (byKey.get(key) ?? null) : ticket.organisation);
  const teamFor = (target: {
    organisation?: string | undefined;
    teamSlug?: string | undefined;
    teamId?: string | undefined;
  }) => {
    const organisation = organisationOf(target.organisation);
    if (!organisation) return null;
    return (
      teams.find(
        (t) =>
          String(t.organisationId) === String(organisation._id) &&
          (target.teamId ? String(t._id) === target.teamId : t.slug === target.teamSlug),
      ) ?? null
    );
  };
  const decision = route(
    routing,
    {
      kind: ticket.kind,
      category: ticket.category ?? null,
      organisationId: String(ticket.organisation._id),
      organisationSlug: ticket.organisation.slug,
      datasetTags: ticket.datasetTags ?? null,
      resourceFormat: ticket.resourceFormat ?? null,
    },
    {
      organisationAncestors: ancestors.flatMap((a) => [a.slug, String(a._id)]),
      teamExists: (target) => teamFor(target) !== null,
    },
  );
  const organisation = organisationOf(decision.organisation ?? undefined) ?? ticket.organisation;
  const team = teamFor({
    organisation: decision.organisation ?? undefined,
    teamSlug: decision.teamSlug ?? undefined,
    teamId: decision.teamId ?? undefined,
  });
  let assigneeId: string | null = null;
  let assignmentReason: string | null = null;
  let assignment: RoutedAssignment | null = team ? { outcome: 'manual', strategy: 'manual' } : null;
  if (team && team.strategy !== 'manual') {
    const memberIds = (team.memberIds ?? []).map(String);
    // Three independent reads at once, none of the tickets (assignment-loads.ts).
    const [members, lastAssignedId, openCounts] = await Promise.all([
      directory.findUsers(memberIds),
      ctx.assignment.lastAssigneeOfTeam(String(team._id)),
      team.strategy === 'least_loaded' ? openCountsOf(ctx, memberIds) : Promise.resolve({}),
    ]);
    const byId = new Map(members.map((m) => [String(m._id), m]));
    const ordered = memberIds.filter((id) => byId.get(id)?.active !== false);
    const choice = chooseAssignee({
      strategy: team.strategy as 'round_robin' | 'least_loaded',
      members: ordered.map((id) => ({ id, away: byId.get(id)?.away === true })),
      lastAssignedId,
      defaultCap: team.capPerOfficer ?? null,
      openCounts,
    } as Parameters<typeof chooseAssignee>[0]);
    assigneeId = choice.officerId;
    assignmentReason = choice.reason;
    assignment = {
      outcome: choice.outcome,
      strategy: team.strategy,
      ...(choice.load !== undefined ? { load: choice.load } : {}),
    };
  }
  return {
    organisation,
    team,
    assigneeId,
    ruleId: decision.ruleId,
    reason: decision.reason,
    assignmentReason,
    explanation: decision.explanation,
    assignment,
  };
}

/**
 * After the routed ticket is stored: the team's rotation continues from its officer (kept in
 * the assignment state, so the next intake reads one document instead of the team's tickets).
 */
export async function recordRotation(
  ctx: CommandContext,
  routing: { team: { _id: unknown } | null; assigneeId: string | null; assignment: RoutedAssignment | null },
): Promise<void> {
  if (!routing.team || !routing.assigneeId || routing.assignment?.strategy === 'manual') return;
  await ctx.assignment.recordRotation(String(routing.team._id), routing.assigneeId);
}
