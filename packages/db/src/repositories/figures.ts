import { OPEN_STATUSES } from '@quipu/core/tickets';
import { businessTimeBetween, type Calendar, localToUtc, zoneOffsetMs } from '@quipu/core/time';
import type { Models } from '../models/index.ts';
import { localDay } from './figure-tallies.ts';
import { type Scope, ticketScopeFilter, toObjectId } from './scope.ts';

/**
 * The figures recounted from the tickets: the oracle the rollups (commands/figures) are held to
 * by a test after a random history, and what `quipu figures:verify` compares them with. Its cost
 * grows with the tickets stored, so no page reads it. Kept to what FerretDB runs:
 * counts, `$match` + `$group` with one `$sum` accumulator, and medians from a sorted query with
 * `skip`. FerretDB v1.24 has no $lookup, $facet or $expr; a `$group` with two accumulators gets
 * 0 in all but the first (so each figure is its own `$group`); and a sort on a field inside an
 * array (the SLA targets) is ignored, so orders over targets are made in code.
 */
const DAY_MS = 86_400_000;

function and(...parts: Record<string, unknown>[]): Record<string, unknown> {
  const kept = parts.filter((p) => Object.keys(p).length);
  return kept.length === 0 ? {} : kept.length === 1 ? kept[0]! : { $and: kept };
}

/**
 * Whose figures: the viewer's scope (what they may see; always applied) and the slice of it
 * they chose on the page. The ids must have been checked against the scope by the caller; a
 * slice outside the scope simply matches nothing, since both filters apply.
 */
export interface View {
  scope: Scope;
  organisationId?: string | undefined;
  teamId?: string | undefined;
  assigneeId?: string | undefined;
}

export function viewFilter(view: View): Record<string, unknown> {
  return and(
    ticketScopeFilter(view.scope),
    view.organisationId ? { organisationId: toObjectId(view.organisationId) } : {},
    view.teamId ? { teamId: toObjectId(view.teamId) } : {},
    view.assigneeId ? { assigneeId: toObjectId(view.assigneeId) } : {},
  );
}

/** Mondays 00:00 in the portal's zone, oldest first: `count` weeks ending with the current one. */
export function weekStarts(now: Date, timeZone: string, count: number): Date[] {
  const localMs = now.getTime() + zoneOffsetMs(timeZone, now.getTime());
  const day = Math.floor(localMs / DAY_MS);
  const sinceMonday = (((day + 3) % 7) + 7) % 7; // epoch day 0 (1970-01-01) was a Thursday
  const monday = day - sinceMonday;
  return Array.from(
    { length: count },
    (_, i) => new Date(localToUtc(timeZone, (monday - (count - 1 - i) * 7) * DAY_MS)),
  );
}

export interface WeekRow {
  weekStart: Date;
  received: number;
  resolved: number;
}
export interface AgeRow {
  bucket: '0-7' | '7-30' | '30-90' | '90+';
  open: number;
}
export interface OrganisationRow {
  organisationId: string;
  received: number;
  open: number;
  resolved: number;
  breached: number;
}

/** The key of tickets without a team in the by-team figures. */
export const NO_TEAM = 'none';

export interface TeamCounts {
  /** A team id, or NO_TEAM. */
  teamId: string;
  received: number;
  open: number;
  resolved: number;
  breached: number;
}

export interface TeamRow extends TeamCounts {
  /** From the directory; null for NO_TEAM or a team the directory no longer has. */
  name: string | null;
  organisationId: string | null;
}

/**
 * The by-team table: every directory team the view covers, with zeros when nothing arrived in
 * the range (an idle team is news too), teams only the tickets still name, and "no team" last.
 * `teams` are the directory's teams of the viewer's scope (and of the chosen organisation).
 */
export function teamTable(
  teams: ReadonlyArray<{ _id: unknown; name: string; organisationId: unknown }>,
  counts: readonly TeamCounts[],
  view: View,
): TeamRow[] {
  const byId = new Map(counts.map((c) => [c.teamId, c]));
  const zero = (teamId: string) => ({ teamId, received: 0, open: 0, resolved: 0, breached: 0 });
  const listed = teams
    .filter((team) => !view.teamId || String(team._id) === view.teamId)
    .map((team) => ({
      ...(byId.get(String(team._id)) ?? zero(String(team._id))),
      name: team.name,
      organisationId: String(team.organisationId),
    }));
  const known = new Set(listed.map((row) => row.teamId));
  const unknown = counts
    .filter((c) => c.teamId !== NO_TEAM && !known.has(c.teamId))
    .map((c) => ({ ...c, name: null, organisationId: null }));
  const none = byId.get(NO_TEAM);
  return [
    ...[...listed, ...unknown].sort(
      (a, b) => b.received - a.received || (a.name ?? '').localeCompare(b.name ?? ''),
    ),
    ...(none ? [{ ...none, name: null, organisationId: null }] : []),
  ];
}

/** One breached SLA target of one ticket. */
export interface BreachRow {
  ref: string;
  title: string;
  status: string;
  open: boolean;
  organisationId: string;
  teamId: string | null;
  assigneeId: string | null;
  target: string;
  dueAt: Date;
  breachedAt: Date;
  /** When the target stopped running late (the late answer, the resolution); null while it still runs. */
  endedAt: Date | null;
  /** The calendar the ticket's SLA counts on (business time of the lateness). */
  calendarId: string | null;
}

export interface BreachList {
  rows: BreachRow[];
  /** Open tickets with a recorded breach, and closed ones breached in the range (tickets, not rows). */
  openTickets: number;
  closedTickets: number;
  /** Some rows were left out by the cap. */
  truncated: boolean;
}

export interface DemandRow {
  organisationId: string;
  requests: number;
  supporters: number;
}

export const BREACH_PROJECTION = {
  ref: 1,
  title: 1,
  status: 1,
  organisationId: 1,
  teamId: 1,
  assigneeId: 1,
  resolvedAt: 1,
  closedAt: 1,
  updatedAt: 1,
  'sla.targets': 1,
  'sla.firstResponseAt': 1,
  'sla.calendarId': 1,
};

export interface BreachDoc {
  ref: string;
  title: string;
  status: string;
  organisationId: unknown;
  teamId?: unknown;
  assigneeId?: unknown;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  updatedAt?: Date | null;
  sla?: {
    calendarId?: string | null;
    firstResponseAt?: Date | null;
    targets?: Array<{ target: string; dueAt?: Date | null; metAt?: Date | null; breachedAt?: Date | null }>;
  } | null;
}

export function breachRows(docs: readonly BreachDoc[], open: boolean): BreachRow[] {
  return docs.flatMap((doc) => {
    // A target stops running late when it is answered; a closed ticket stops all of them.
    const stoppedAt = open ? null : (doc.resolvedAt ?? doc.closedAt ?? doc.updatedAt ?? null);
    return (doc.sla?.targets ?? []).flatMap((t) => {
      if (!t.breachedAt) return [];
      const endedAt =
        t.metAt ?? (t.target === 'firstResponse' ? doc.sla?.firstResponseAt : null) ?? stoppedAt;
      return [
        {
          ref: doc.ref,
          title: doc.title,
          status: doc.status,
          open,
          organisationId: String(doc.organisationId),
          teamId: doc.teamId ? String(doc.teamId) : null,
          assigneeId: doc.assigneeId ? String(doc.assigneeId) : null,
          target: t.target,
          dueAt: new Date(t.dueAt ?? t.breachedAt),
          breachedAt: new Date(t.breachedAt),
          endedAt: endedAt ? new Date(endedAt) : null,
          calendarId: doc.sla?.calendarId ?? null,
        },
      ];
    });
  });
}

export const byDue = (a: BreachRow, b: BreachRow) =>
  a.dueAt.getTime() - b.dueAt.getTime() || a.ref.localeCompare(b.ref) || a.target.localeCompare(b.target);

/**
 * How late a breached target is (or was), in business ms of the ticket's calendar: from the due
 * date to the late answer, or to `now` while it still runs.
 */
export function lateByMs(row: BreachRow, calendar: Calendar, now: Date): number {
  return Math.max(0, businessTimeBetween(calendar, row.dueAt, row.endedAt ?? now));
}

export function figuresRecount(models: Models, timeZone = 'America/Lima') {
  const { Ticket } = models;
  const count = (filter: Record<string, unknown>) => Ticket.countDocuments(filter);

  async function groupByOrganisation(match: Record<string, unknown>): Promise<Map<string, number>> {
    const rows = await Ticket.aggregate<{ _id: unknown; n: number }>([
      { $match: match },
      { $group: { _id: '$organisationId', n: { $sum: 1 } } },
    ]);
    return new Map(rows.map((r) => [String(r._id), r.n]));
  }

  /** Median of a stored duration over the matching tickets (null below `minSample`). */
  async function median(match: Record<string, unknown>, field: string, minSample: number) {
    const filter = and(match, { [field]: { $exists: true, $type: 'number' } });
    const n = await count(filter);
    if (n < minSample || n === 0) return { n, median: null };
    const middle = await Ticket.find(filter, { [field]: 1 })
      .sort({ [field]: 1, _id: 1 })
      .skip(Math.floor((n - 1) / 2))
      .limit(n % 2 === 1 ? 1 : 2)
      .lean();
    const values = middle.map((doc) =>
      Number(field.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], doc)),
    );
    return { n, median: values.reduce((a, b) => a + b, 0) / values.length };
  }

  /** A percentile of a stored duration from a sorted, indexed query with skip ($group has no $min/$max here). */
  async function percentile(match: Record<string, unknown>, field: string, p: number) {
    const filter = and(match, { [field]: { $exists: true, $type: 'number' } });
    const n = await count(filter);
    if (n === 0) return { n, value: null };
    const rank = Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1));
    const [doc] = await Ticket.find(filter, { [field]: 1 })
      .sort({ [field]: 1, _id: 1 })
      .skip(rank)
      .limit(1)
      .lean();
    const value = Number(
      field.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], doc),
    );
    return { n, value };
  }

  /** Tickets per value of `field`; those without one are left out, or counted under `missingKey`. */
  async function groupBy(
    match: Record<string, unknown>,
    field: string,
    missingKey?: string,
  ): Promise<Map<string, number>> {
    const rows = await Ticket.aggregate<{ _id: unknown; n: number }>([
      { $match: match },
      { $group: { _id: `$${field}`, n: { $sum: 1 } } },
    ]);
    const counts = new Map<string, number>();
    for (const r of rows) {
      const key = r._id === null || r._id === undefined ? missingKey : String(r._id);
      if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + r.n);
    }
    return counts;
  }

  return {
    /**
     * Service levels over tickets created in [from, to): compliance per target (achieved ÷
     * decided), median and p90 of stored times, reopen rate, reporter satisfaction.
     */
    async serviceLevels(view: View, from: Date, to: Date) {
      const base = and(viewFilter(view), { createdAt: { $gte: from, $lt: to } });
      const [frMet, frBreached, resMet, resBreached, resolved, reopened, satisfied, answered] =
        await Promise.all([
          count(
            and(base, {
              'sla.firstResponseAt': { $exists: true },
              'sla.firstResponseBreached': { $ne: true },
            }),
          ),
          count(and(base, { 'sla.firstResponseBreached': true })),
          count(and(base, { firstResolvedAt: { $exists: true }, 'sla.resolutionBreached': { $ne: true } })),
          count(and(base, { 'sla.resolutionBreached': true })),
          count(and(base, { firstResolvedAt: { $exists: true } })),
          count(and(base, { reopenCount: { $gt: 0 } })),
          count(and(base, { 'satisfaction.answer': 'yes' })),
          count(and(base, { 'satisfaction.answer': { $exists: true } })),
        ]);
      const [frMedian, frP90, resMedian, resP90] = await Promise.all([
        percentile(base, 'sla.firstResponseMs', 0.5),
        percentile(base, 'sla.firstResponseMs', 0.9),
        percentile(base, 'sla.resolutionMs', 0.5),
        percentile(base, 'sla.resolutionMs', 0.9),
      ]);
      const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
      return {
        firstResponse: {
          compliance: ratio(frMet, frMet + frBreached),
          decided: frMet + frBreached,
          median: frMedian.value,
          p90: frP90.value,
        },
        resolution: {
          compliance: ratio(resMet, resMet + resBreached),
          decided: resMet + resBreached,
          median: resMedian.value,
          p90: resP90.value,
        },
        reopenRate: ratio(reopened, resolved),
        satisfaction: ratio(satisfied, answered),
        answered,
      };
    },

    /** Per officer: assigned, open, resolved and breached tickets created in [from, to). */
    async byOfficer(view: View, from: Date, to: Date) {
      const base = and(viewFilter(view), { createdAt: { $gte: from, $lt: to } });
      const [assigned, open, resolved, breached] = await Promise.all([
        groupBy(base, 'assigneeId'),
        groupBy(and(base, { status: { $in: OPEN_STATUSES } }), 'assigneeId'),
        groupBy(and(base, { firstResolvedAt: { $exists: true } }), 'assigneeId'),
        groupBy(and(base, { 'sla.breached': true }), 'assigneeId'),
      ]);
      return [...assigned.entries()]
        .map(([userId, n]) => ({
          userId,
          assigned: n,
          open: open.get(userId) ?? 0,
          resolved: resolved.get(userId) ?? 0,
          breached: breached.get(userId) ?? 0,
        }))
        .sort((a, b) => b.assigned - a.assigned);
    },

    /**
     * Per team, like byOfficer: received, open, resolved and breached tickets created in
     * [from, to); tickets without a team are counted under NO_TEAM. Same match as byOfficer
     * (served by { organisationId: 1, status: 1, createdAt: -1 } for staff scopes, and by
     * { teamId: 1, createdAt: -1 } when a team is chosen).
     */
    async byTeam(view: View, from: Date, to: Date): Promise<TeamCounts[]> {
      const base = and(viewFilter(view), { createdAt: { $gte: from, $lt: to } });
      const [received, open, resolved, breached] = await Promise.all([
        groupBy(base, 'teamId', NO_TEAM),
        groupBy(and(base, { status: { $in: OPEN_STATUSES } }), 'teamId', NO_TEAM),
        groupBy(and(base, { firstResolvedAt: { $exists: true } }), 'teamId', NO_TEAM),
        groupBy(and(base, { 'sla.breached': true }), 'teamId', NO_TEAM),
      ]);
      return [...received.entries()].map(([teamId, n]) => ({
        teamId,
        received: n,
        open: open.get(teamId) ?? 0,
        resolved: resolved.get(teamId) ?? 0,
        breached: breached.get(teamId) ?? 0,
      }));
    },

    /**
     * The breached SLA targets, one row per ticket and target: first every open ticket with a
     * recorded breach (whenever it happened: it still needs action), then closed tickets whose
     * breach falls in [from, to). Each group reads at most `cap` tickets, oldest first (FerretDB
     * cannot sort on the due dates inside `sla.targets`), and is then ordered by due date, oldest
     * first (for open ones: the most overdue); the totals say what the cap left out.
     * Indexes: the open group is served by { organisationId: 1, status: 1, createdAt: -1 } for
     * staff scopes; the closed group (a range on `sla.targets.breachedAt`) has no index of its own
     * and walks the scope's tickets — { 'sla.targets.breachedAt': 1 } would serve it.
     */
    async breaches(view: View, from: Date, to: Date, cap: number): Promise<BreachList> {
      const base = viewFilter(view);
      const openFilter = and(base, { 'sla.breached': true, status: { $in: OPEN_STATUSES } });
      const closedFilter = and(base, {
        status: { $nin: OPEN_STATUSES },
        'sla.targets.breachedAt': { $gte: from, $lt: to },
      });
      const read = async (filter: Record<string, unknown>) =>
        (await Ticket.find(filter, BREACH_PROJECTION)
          .sort({ createdAt: 1, _id: 1 })
          .limit(cap)
          .lean()) as unknown as BreachDoc[];
      const [openTickets, closedTickets, openDocs, closedDocs] = await Promise.all([
        count(openFilter),
        count(closedFilter),
        read(openFilter),
        read(closedFilter),
      ]);
      const inRange = (at: Date) => at.getTime() >= from.getTime() && at.getTime() < to.getTime();
      const rows = [
        ...breachRows(openDocs, true).sort(byDue),
        ...breachRows(closedDocs, false)
          .filter((r) => inRange(r.breachedAt))
          .sort(byDue),
      ];
      return {
        rows: rows.slice(0, cap),
        openTickets,
        closedTickets,
        truncated: rows.length > cap || openTickets > openDocs.length || closedTickets > closedDocs.length,
      };
    },

    /**
     * Data demand per institution: open dataset requests and the supporters they gathered. Two
     * `$group`s because FerretDB v1.24 fills only the first accumulator of a `$group`.
     */
    async demandByOrganisation(view: View): Promise<DemandRow[]> {
      const match = and(viewFilter(view), { kind: 'data_request', status: { $in: OPEN_STATUSES } });
      const [requests, supporters] = await Promise.all([
        groupByOrganisation(match),
        Ticket.aggregate<{ _id: unknown; n: number }>([
          { $match: match },
          { $group: { _id: '$organisationId', n: { $sum: '$supportersCount' } } },
        ]),
      ]);
      const supportersOf = new Map(supporters.map((r) => [String(r._id), r.n]));
      return [...requests.entries()]
        .map(([organisationId, n]) => ({
          organisationId,
          requests: n,
          supporters: supportersOf.get(organisationId) ?? 0,
        }))
        .sort((a, b) => b.supporters - a.supporters || b.requests - a.requests);
    },

    /** Data demand: the most supported open dataset requests, the input for deciding what to open next. */
    async topRequests(view: View, limit = 10) {
      return (await Ticket.find(
        and(viewFilter(view), { kind: 'data_request', status: { $in: OPEN_STATUSES } }),
        { ref: 1, title: 1, supportersCount: 1, organisationId: 1, status: 1 },
      )
        .sort({ supportersCount: -1, _id: 1 })
        .limit(limit)
        .lean()) as unknown as Array<{
        ref: string;
        title: string;
        supportersCount?: number;
        organisationId: unknown;
        status: string;
      }>;
    },

    /** Received and resolved per week, each week clipped to [from, to) (the first and last may be partial). */
    async weekly(view: View, starts: Date[], from: Date, to: Date): Promise<WeekRow[]> {
      const base = viewFilter(view);
      return await Promise.all(
        starts.map(async (weekStart, i) => {
          const start = new Date(Math.max(weekStart.getTime(), from.getTime()));
          const end = new Date(Math.min((starts[i + 1] ?? to).getTime(), to.getTime()));
          const [received, resolved] = await Promise.all([
            count(and(base, { createdAt: { $gte: start, $lt: end } })),
            count(and(base, { resolvedAt: { $gte: start, $lt: end } })),
          ]);
          return { weekStart, received, resolved };
        }),
      );
    },

    /** Open tickets by calendar days since received (today is day 0): 0–6, 7–29, 30–89, 90+. */
    async backlogByAge(view: View, now: Date): Promise<AgeRow[]> {
      const base = and(viewFilter(view), { status: { $in: OPEN_STATUSES } });
      const today = localDay(now, timeZone);
      // Midnight of the day `days - 1` before today: a ticket received since then is younger than `days`.
      const ago = (days: number) =>
        new Date(localToUtc(timeZone, Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY_MS));
      const buckets: Array<[AgeRow['bucket'], Record<string, unknown>]> = [
        ['0-7', { createdAt: { $gte: ago(7) } }],
        ['7-30', { createdAt: { $lt: ago(7), $gte: ago(30) } }],
        ['30-90', { createdAt: { $lt: ago(30), $gte: ago(90) } }],
        ['90+', { createdAt: { $lt: ago(90) } }],
      ];
      return await Promise.all(
        buckets.map(async ([bucket, range]) => ({ bucket, open: await count(and(base, range)) })),
      );
    },

    /** Breach counts over the tickets received in [from, to). */
    async slaBreaches(view: View, from: Date, to: Date) {
      const base = and(viewFilter(view), { createdAt: { $gte: from, $lt: to } });
      const [any, firstResponse, resolution, openBreached] = await Promise.all([
        count(and(base, { 'sla.breached': true })),
        count(and(base, { 'sla.firstResponseBreached': true })),
        count(and(base, { 'sla.resolutionBreached': true })),
        count(and(base, { 'sla.breached': true, status: { $in: OPEN_STATUSES } })),
      ]);
      return { any, firstResponse, resolution, openBreached };
    },

    /** Per institution, over the tickets received in [from, to). */
    async byOrganisation(view: View, from: Date, to: Date): Promise<OrganisationRow[]> {
      const base = and(viewFilter(view), { createdAt: { $gte: from, $lt: to } });
      const [received, open, resolved, breached] = await Promise.all([
        groupByOrganisation(base),
        groupByOrganisation(and(base, { status: { $in: OPEN_STATUSES } })),
        groupByOrganisation(and(base, { firstResolvedAt: { $exists: true } })),
        groupByOrganisation(and(base, { 'sla.breached': true })),
      ]);
      return [...received.entries()]
        .map(([organisationId, n]) => ({
          organisationId,
          received: n,
          open: open.get(organisationId) ?? 0,
          resolved: resolved.get(organisationId) ?? 0,
          breached: breached.get(organisationId) ?? 0,
        }))
        .sort((a, b) => b.received - a.received);
    },

    /**
     * Per institution, for the public: reuser tickets (complaints and data requests, not hidden
     * by moderation), how many were resolved, and medians of the stored SLA durations.
     */
    async transparency(minSample: number) {
      const base = { kind: { $in: ['complaint', 'data_request'] }, visibility: { $ne: 'hidden' } };
      const requests = and(base, { kind: 'data_request' });
      const [received, resolved, withinDeadline, pastDeadline, requested, fulfilled] = await Promise.all([
        groupByOrganisation(base),
        groupByOrganisation(and(base, { firstResolvedAt: { $exists: true } })),
        // The legal deadline is the resolution target of the ticket's policy (Ley 27806: 10
        // business days): decided when resolved in time, or once breached, resolved or not.
        groupByOrganisation(
          and(base, { firstResolvedAt: { $exists: true }, 'sla.resolutionBreached': { $ne: true } }),
        ),
        groupByOrganisation(and(base, { 'sla.resolutionBreached': true })),
        groupByOrganisation(requests),
        // Fulfilled: published with the dataset that answers it.
        groupByOrganisation(and(requests, { fulfilledByDatasetId: { $exists: true } })),
      ]);
      return await Promise.all(
        [...received.entries()].map(async ([organisationId, n]) => {
          const own = and(base, { organisationId: toObjectId(organisationId) });
          const [firstResponse, resolution] = await Promise.all([
            median(own, 'sla.firstResponseMs', minSample),
            median(own, 'sla.resolutionMs', minSample),
          ]);
          const inTime = withinDeadline.get(organisationId) ?? 0;
          const decided = inTime + (pastDeadline.get(organisationId) ?? 0);
          return {
            organisationId,
            received: n,
            resolved: resolved.get(organisationId) ?? 0,
            firstResponse,
            resolution,
            deadline: { decided, compliance: decided >= minSample && decided > 0 ? inTime / decided : null },
            dataRequests: requested.get(organisationId) ?? 0,
            dataRequestsFulfilled: fulfilled.get(organisationId) ?? 0,
          };
        }),
      );
    },
  };
}
