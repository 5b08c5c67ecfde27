import { OPEN_STATUSES } from '@quipu/core/tickets';
import { localToUtc, zoneOffsetMs } from '@quipu/core/time';
import { type Models, type Scope, ticketScopeFilter, toObjectId } from '@quipu/db';

/**
 * Read-only figures for the dashboard and the transparency page, kept to what FerretDB runs:
 * counts, `$match` + `$group` with `$sum`, and medians from a sorted query with `skip`.
 * (A repository of its own because @quipu/db has none for reports yet; the lead may move it there.)
 */
const DAY_MS = 86_400_000;

function and(...parts: Record<string, unknown>[]): Record<string, unknown> {
  const kept = parts.filter((p) => Object.keys(p).length);
  return kept.length === 0 ? {} : kept.length === 1 ? kept[0]! : { $and: kept };
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

export function figuresRepository(models: Models) {
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

  async function groupBy(match: Record<string, unknown>, field: string): Promise<Map<string, number>> {
    const rows = await Ticket.aggregate<{ _id: unknown; n: number }>([
      { $match: match },
      { $group: { _id: `$${field}`, n: { $sum: 1 } } },
    ]);
    return new Map(
      rows.filter((r) => r._id !== null && r._id !== undefined).map((r) => [String(r._id), r.n]),
    );
  }

  return {
    /**
     * Service levels over tickets created in [from, to): compliance per target (achieved ÷
     * decided), median and p90 of stored times, reopen rate, reporter satisfaction.
     */
    async serviceLevels(scope: Scope, from: Date, to: Date) {
      const base = and(ticketScopeFilter(scope), { createdAt: { $gte: from, $lt: to } });
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
    async byOfficer(scope: Scope, from: Date, to: Date) {
      const base = and(ticketScopeFilter(scope), { createdAt: { $gte: from, $lt: to } });
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

    /** Data demand: the most supported open dataset requests, the input for deciding what to open next. */
    async topRequests(scope: Scope, limit = 10) {
      return (await Ticket.find(
        and(ticketScopeFilter(scope), { kind: 'data_request', status: { $in: OPEN_STATUSES } }),
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

    async weekly(scope: Scope, starts: Date[], now: Date): Promise<WeekRow[]> {
      const base = ticketScopeFilter(scope);
      return await Promise.all(
        starts.map(async (from, i) => {
          const to = starts[i + 1] ?? now;
          const [received, resolved] = await Promise.all([
            count(and(base, { createdAt: { $gte: from, $lt: to } })),
            count(and(base, { resolvedAt: { $gte: from, $lt: to } })),
          ]);
          return { weekStart: from, received, resolved };
        }),
      );
    },

    async backlogByAge(scope: Scope, now: Date): Promise<AgeRow[]> {
      const base = and(ticketScopeFilter(scope), { status: { $in: OPEN_STATUSES } });
      const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
      const buckets: Array<[AgeRow['bucket'], Record<string, unknown>]> = [
        ['0-7', { createdAt: { $gt: ago(7) } }],
        ['7-30', { createdAt: { $lte: ago(7), $gt: ago(30) } }],
        ['30-90', { createdAt: { $lte: ago(30), $gt: ago(90) } }],
        ['90+', { createdAt: { $lte: ago(90) } }],
      ];
      return await Promise.all(
        buckets.map(async ([bucket, range]) => ({ bucket, open: await count(and(base, range)) })),
      );
    },

    async slaBreaches(scope: Scope) {
      const base = ticketScopeFilter(scope);
      const [any, firstResponse, resolution, openBreached] = await Promise.all([
        count(and(base, { 'sla.breached': true })),
        count(and(base, { 'sla.firstResponseBreached': true })),
        count(and(base, { 'sla.resolutionBreached': true })),
        count(and(base, { 'sla.breached': true, status: { $in: OPEN_STATUSES } })),
      ]);
      return { any, firstResponse, resolution, openBreached };
    },

    async byOrganisation(scope: Scope): Promise<OrganisationRow[]> {
      const base = ticketScopeFilter(scope);
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
      const [received, resolved] = await Promise.all([
        groupByOrganisation(base),
        groupByOrganisation(and(base, { firstResolvedAt: { $exists: true } })),
      ]);
      return await Promise.all(
        [...received.entries()].map(async ([organisationId, n]) => {
          const own = and(base, { organisationId: toObjectId(organisationId) });
          const [firstResponse, resolution] = await Promise.all([
            median(own, 'sla.firstResponseMs', minSample),
            median(own, 'sla.resolutionMs', minSample),
          ]);
          return {
            organisationId,
            received: n,
            resolved: resolved.get(organisationId) ?? 0,
            firstResponse,
            resolution,
          };
        }),
      );
    },
  };
}
