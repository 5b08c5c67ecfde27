import {
  type AgeRow,
  BREACH_PROJECTION,
  type BreachDoc,
  type BreachList,
  breachRows,
  byDue,
  type DemandRow,
  localDay,
  NO_TEAM,
  NONE,
  type OrganisationRow,
  type TeamCounts,
  type View,
  type WeekRow,
} from '@quipu/db';
import type { Redis } from 'ioredis';
import type { CommandContext } from '../context.ts';
import { figureKeys, rebuildFigures } from './rollups.ts';

/**
 * The dashboard's and the transparency page's figures, read from the rollups only
 * (figures/rollups.ts): a few hash reads per institution and month shown, whatever the tickets
 * stored. The same definitions as the recount over the tickets (`figuresRecount` in @quipu/db),
 * which a test holds them to after a random history; durations are exact to the minute.
 */
export class FiguresUnavailableError extends Error {
  constructor() {
    super('the figures are unavailable while Redis is unreachable');
    this.name = 'FiguresUnavailableError';
  }
}

const DAY_MS = 86_400_000;

/** One counter of the rollups, with the slice it counts for. */
interface Cell {
  organisationId: string;
  /** YYYY-MM-DD for daily counters; '' for all-time ones. */
  day: string;
  teamId: string;
  assigneeId: string;
  kind: string;
  visibility: string;
  metric: string;
  n: number;
}

function parseSlice(parts: string[]) {
  const [teamId, assigneeId, kind, , visibility] = parts as [string, string, string, string, string];
  return { teamId, assigneeId, kind, visibility };
}

/** Whether a counter's slice is in the view (the scope and the chosen slice). */
function inView(view: View, slice: { teamId: string; assigneeId: string; visibility: string }): boolean {
  if (view.scope.kind === 'public' && slice.visibility !== 'public') return false;
  if (view.teamId && slice.teamId !== view.teamId) return false;
  if (view.assigneeId && slice.assigneeId !== view.assigneeId) return false;
  return true;
}

/** Months YYYY-MM from the one of `first` to the one of `last` (days YYYY-MM-DD). */
function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let [y, m] = first.slice(0, 7).split('-').map(Number) as [number, number];
  const end = last.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > end) break;
    months.push(month);
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return months;
}

/** The k-th smallest value (0-based) of a histogram minute → count, in ms. */
function nthOf(histogram: Map<number, number>, k: number): number {
  let seen = 0;
  for (const [minute, n] of [...histogram.entries()].sort((a, b) => a[0] - b[0])) {
    seen += n;
    if (k < seen) return minute * 60_000;
  }
  return Number.NaN;
}

function histogramOf(cells: readonly Cell[], prefix: string): { n: number; histogram: Map<number, number> } {
  const histogram = new Map<number, number>();
  let n = 0;
  for (const c of cells) {
    if (!c.metric.startsWith(prefix)) continue;
    const minute = Number(c.metric.slice(prefix.length));
    histogram.set(minute, (histogram.get(minute) ?? 0) + c.n);
    n += c.n;
  }
  return { n, histogram };
}

/** The percentile `p` as the recount takes it: the value of rank ⌈p·n⌉ − 1. */
function percentileOf(cells: readonly Cell[], prefix: string, p: number): number | null {
  const { n, histogram } = histogramOf(cells, prefix);
  if (n === 0) return null;
  return nthOf(histogram, Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1)));
}

/** The median (the mean of the two middle values when even), null below `minSample`. */
function medianOf(cells: readonly Cell[], prefix: string, minSample: number) {
  const { n, histogram } = histogramOf(cells, prefix);
  if (n < minSample || n === 0) return { n, median: null };
  const low = nthOf(histogram, Math.floor((n - 1) / 2));
  const high = n % 2 === 1 ? low : nthOf(histogram, Math.floor((n - 1) / 2) + 1);
  return { n, median: (low + high) / 2 };
}

const sum = (cells: readonly Cell[], metric: string) =>
  cells.reduce((total, c) => (c.metric === metric ? total + c.n : total), 0);

function groupSum(
  cells: readonly Cell[],
  metric: string,
  key: (c: Cell) => string | null,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of cells) {
    if (c.metric !== metric) continue;
    const k = key(c);
    if (k !== null) out.set(k, (out.get(k) ?? 0) + c.n);
  }
  return out;
}

/** Received, open, resolved and breached per key (the tables by officer, team and institution). */
function countsBy(cells: readonly Cell[], key: (c: Cell) => string | null) {
  const [received, open, resolved, breached] = ['received', 'open', 'resolved', 'breached'].map((metric) =>
    groupSum(cells, metric, key),
  ) as [Map<string, number>, Map<string, number>, Map<string, number>, Map<string, number>];
  return [...received.entries()].map(([k, n]) => ({
    key: k,
    received: n,
    open: open.get(k) ?? 0,
    resolved: resolved.get(k) ?? 0,
    breached: breached.get(k) ?? 0,
  }));
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

// One background rebuild at a time per Redis client (that is, per process).
const rebuilding = new WeakMap<Redis, Promise<unknown>>();

export function figuresReader(ctx: CommandContext) {
  const timeZone = ctx.config.portal.timeZone;
  const prefix = ctx.config.redis.prefix;
  const keys = figureKeys(prefix);

  function ready(): Redis {
    const redis = ctx.redis;
    if (redis?.status !== 'ready') throw new FiguresUnavailableError();
    return redis;
  }

  /** The institutions a view covers (those the rollups know, for everything and the public). */
  async function organisationsOf(view: View): Promise<string[]> {
    const redis = ready();
    const known = await redis.smembers(keys.orgs);
    const allowed = view.scope.kind === 'organisations' ? new Set(view.scope.organisationIds) : null;
    return known.filter(
      (org) => (!allowed || allowed.has(org)) && (!view.organisationId || org === view.organisationId),
    );
  }

  /** The rollup hashes named, read in one round trip, in order. */
  async function hashes(names: readonly string[]): Promise<Array<Record<string, string>>> {
    if (!names.length) return [];
    const pipeline = ready().pipeline();
    for (const name of names) pipeline.hgetall(name);
    return ((await pipeline.exec()) ?? []).map(([error, hash]) => {
      if (error) throw error;
      return hash as Record<string, string>;
    });
  }

  /** Daily counters of the days [from, to) (midnights in the portal's zone). */
  async function daily(view: View, from: Date, to: Date): Promise<Cell[]> {
    if (to.getTime() <= from.getTime()) return [];
    const first = localDay(from, timeZone);
    const last = localDay(to.getTime() - 1, timeZone);
    const orgs = await organisationsOf(view);
    const months = monthsBetween(first, last);
    const asked = orgs.flatMap((org) => months.map((month) => [org, month] as const));
    const read = await hashes(asked.map(([org, month]) => keys.hash(org, `m:${month}`)));
    const cells: Cell[] = [];
    read.forEach((hash, i) => {
      const [org, month] = asked[i]!;
      for (const [field, value] of Object.entries(hash)) {
        const parts = field.split('|');
        const day = `${month}-${parts[0]}`;
        if (day < first || day > last) continue;
        const slice = parseSlice(parts.slice(1, 6));
        if (!inView(view, slice)) continue;
        cells.push({
          organisationId: org,
          day,
          ...slice,
          metric: parts.slice(6).join('|'),
          n: Number(value),
        });
      }
    });
    return cells;
  }

  /** All-time counters. */
  async function allTime(view: View): Promise<Cell[]> {
    const orgs = await organisationsOf(view);
    const read = await hashes(orgs.map((org) => keys.hash(org, 'all')));
    const cells: Cell[] = [];
    read.forEach((hash, i) => {
      for (const [field, value] of Object.entries(hash)) {
        const parts = field.split('|');
        const slice = parseSlice(parts.slice(0, 5));
        if (!inView(view, slice)) continue;
        cells.push({
          organisationId: orgs[i]!,
          day: '',
          ...slice,
          metric: parts.slice(5).join('|'),
          n: Number(value),
        });
      }
    });
    return cells;
  }

  /** Members of a list of every institution in the view: [ticket id, score]. */
  async function listed(view: View, set: string, range?: [number, number]): Promise<Array<[string, number]>> {
    const redis = ready();
    const orgs = await organisationsOf(view);
    const pipeline = redis.pipeline();
    for (const org of orgs) {
      if (range) pipeline.zrangebyscore(keys.set(org, set), range[0], `(${range[1]}`, 'WITHSCORES');
      else pipeline.zrange(keys.set(org, set), 0, -1, 'WITHSCORES');
    }
    const results = orgs.length ? ((await pipeline.exec()) ?? []) : [];
    const out: Array<[string, number]> = [];
    for (const [error, flat] of results) {
      if (error) throw error;
      const values = flat as string[];
      for (let i = 0; i < values.length; i += 2) {
        const parts = values[i]!.split('|');
        if (!inView(view, parseSlice(parts.slice(1, 6)))) continue;
        out.push([parts[0]!, Number(values[i + 1])]);
      }
    }
    return out;
  }

  function byOrganisationOf(cells: readonly Cell[], metric: string) {
    return groupSum(cells, metric, (c) => c.organisationId);
  }

  return {
    /**
     * Whether the rollups are whole: built from the tickets and no move missed since. When not,
     * a rebuild starts in the background (once per process) and the figures shown may be off.
     */
    async freshness(): Promise<{ builtAt: Date | null; stale: boolean }> {
      const redis = ready();
      const [built, dirtyAt] = await Promise.all([redis.get(keys.built), ctx.figureRollups.dirtyAt()]);
      const builtAt = built ? new Date(Number(built)) : null;
      const stale = !builtAt || (dirtyAt !== null && dirtyAt.getTime() >= builtAt.getTime());
      if (stale && !rebuilding.has(redis)) {
        const run = rebuildFigures(ctx)
          .catch(() => {})
          .finally(() => rebuilding.delete(redis));
        rebuilding.set(redis, run);
      }
      return { builtAt, stale };
    },

    async serviceLevels(view: View, from: Date, to: Date) {
      const cells = await daily(view, from, to);
      const frMet = sum(cells, 'fr:met');
      const frBreached = sum(cells, 'fr:breached');
      const resMet = sum(cells, 'res:met');
      const resBreached = sum(cells, 'res:breached');
      const answered = sum(cells, 'sat:any');
      return {
        firstResponse: {
          compliance: ratio(frMet, frMet + frBreached),
          decided: frMet + frBreached,
          median: percentileOf(cells, 'frm:', 0.5),
          p90: percentileOf(cells, 'frm:', 0.9),
        },
        resolution: {
          compliance: ratio(resMet, resMet + resBreached),
          decided: resMet + resBreached,
          median: percentileOf(cells, 'rsm:', 0.5),
          p90: percentileOf(cells, 'rsm:', 0.9),
        },
        reopenRate: ratio(sum(cells, 'reopened'), sum(cells, 'resolved')),
        satisfaction: ratio(sum(cells, 'sat:yes'), answered),
        answered,
      };
    },

    async byOfficer(view: View, from: Date, to: Date) {
      const cells = await daily(view, from, to);
      return countsBy(cells, (c) => (c.assigneeId === NONE ? null : c.assigneeId))
        .map(({ key, received, ...rest }) => ({ userId: key, assigned: received, ...rest }))
        .sort((a, b) => b.assigned - a.assigned);
    },

    async byTeam(view: View, from: Date, to: Date): Promise<TeamCounts[]> {
      const cells = await daily(view, from, to);
      return countsBy(cells, (c) => (c.teamId === NONE ? NO_TEAM : c.teamId)).map(({ key, ...rest }) => ({
        teamId: key,
        ...rest,
      }));
    },

    /**
     * The breached SLA targets, as the recount lists them: every open ticket with a recorded
     * breach (oldest first), then closed tickets whose breach falls in [from, to) (earliest breach
     * first), each group capped at `cap` tickets, rows ordered by due date.
     */
    async breaches(view: View, from: Date, to: Date, cap: number): Promise<BreachList> {
      const [open, closed] = await Promise.all([
        listed(view, 'open-breached'),
        listed(view, 'closed-breached', [from.getTime(), to.getTime()]),
      ]);
      const openIds = open.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([id]) => id);
      const closedIds = [
        ...new Set(
          closed
            .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
            .map(([member]) => member.split(':')[0]!),
        ),
      ];
      const [openDocs, closedDocs] = await Promise.all([
        ctx.figureRollups.ticketsByIds(openIds.slice(0, cap), BREACH_PROJECTION),
        ctx.figureRollups.ticketsByIds(closedIds.slice(0, cap), BREACH_PROJECTION),
      ]);
      const inRange = (at: Date) => at.getTime() >= from.getTime() && at.getTime() < to.getTime();
      const rows = [
        ...breachRows(openDocs as unknown as BreachDoc[], true).sort(byDue),
        ...breachRows(closedDocs as unknown as BreachDoc[], false)
          .filter((r) => inRange(r.breachedAt))
          .sort(byDue),
      ];
      return {
        rows: rows.slice(0, cap),
        openTickets: openIds.length,
        closedTickets: closedIds.length,
        truncated: rows.length > cap || openIds.length > cap || closedIds.length > cap,
      };
    },

    async demandByOrganisation(view: View): Promise<DemandRow[]> {
      const cells = await allTime(view);
      const requests = byOrganisationOf(cells, 'openRequests');
      const supporters = byOrganisationOf(cells, 'supporters');
      return [...requests.entries()]
        .map(([organisationId, n]) => ({
          organisationId,
          requests: n,
          supporters: supporters.get(organisationId) ?? 0,
        }))
        .sort((a, b) => b.supporters - a.supporters || b.requests - a.requests);
    },

    async topRequests(view: View, limit = 10) {
      const members = await listed(view, 'open-requests');
      const ids = members
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, limit)
        .map(([id]) => id);
      return (await ctx.figureRollups.ticketsByIds(ids, {
        ref: 1,
        title: 1,
        supportersCount: 1,
        organisationId: 1,
        status: 1,
      })) as unknown as Array<{
        ref: string;
        title: string;
        supportersCount?: number;
        organisationId: unknown;
        status: string;
      }>;
    },

    async weekly(view: View, starts: Date[], from: Date, to: Date): Promise<WeekRow[]> {
      if (!starts.length) return [];
      const begin = new Date(Math.max(starts[0]!.getTime(), from.getTime()));
      const cells = await daily(view, begin, to);
      return starts.map((weekStart, i) => {
        const start = localDay(Math.max(weekStart.getTime(), from.getTime()), timeZone);
        const endMs = Math.min((starts[i + 1] ?? to).getTime(), to.getTime());
        const end = localDay(endMs - 1, timeZone);
        const within = (c: Cell) => c.day >= start && c.day <= end;
        const of = (metric: string) =>
          cells.reduce((n, c) => (c.metric === metric && within(c) ? n + c.n : n), 0);
        return { weekStart, received: of('received'), resolved: of('resolvedOn') };
      });
    },

    /** Open tickets by calendar days since received (today is day 0): 0–6, 7–29, 30–89, 90+. */
    async backlogByAge(view: View, now: Date): Promise<AgeRow[]> {
      const orgs = await organisationsOf(view);
      const read = await hashes(orgs.map((org) => keys.hash(org, 'open')));
      const today = Date.parse(`${localDay(now, timeZone)}T00:00:00Z`);
      const buckets: Record<AgeRow['bucket'], number> = { '0-7': 0, '7-30': 0, '30-90': 0, '90+': 0 };
      for (const hash of read) {
        for (const [field, value] of Object.entries(hash)) {
          const parts = field.split('|');
          if (!inView(view, parseSlice(parts.slice(1, 6)))) continue;
          const age = Math.round((today - Date.parse(`${parts[0]}T00:00:00Z`)) / DAY_MS);
          const bucket = age < 7 ? '0-7' : age < 30 ? '7-30' : age < 90 ? '30-90' : '90+';
          buckets[bucket] += Number(value);
        }
      }
      return (Object.keys(buckets) as AgeRow['bucket'][]).map((bucket) => ({
        bucket,
        open: buckets[bucket],
      }));
    },

    async slaBreaches(view: View, from: Date, to: Date) {
      const cells = await daily(view, from, to);
      return {
        any: sum(cells, 'breached'),
        firstResponse: sum(cells, 'fr:breached'),
        resolution: sum(cells, 'res:breached'),
        openBreached: sum(cells, 'breachedOpen'),
      };
    },

    async byOrganisation(view: View, from: Date, to: Date): Promise<OrganisationRow[]> {
      const cells = await daily(view, from, to);
      return countsBy(cells, (c) => c.organisationId)
        .map(({ key, ...rest }) => ({ organisationId: key, ...rest }))
        .sort((a, b) => b.received - a.received);
    },

    /** Per institution, for the public: reuser tickets not hidden by moderation, all time. */
    async transparency(minSample: number) {
      const cells = (await allTime({ scope: { kind: 'everything' } })).filter(
        (c) => (c.kind === 'complaint' || c.kind === 'data_request') && c.visibility !== 'hidden',
      );
      const byOrg = new Map<string, Cell[]>();
      for (const c of cells) {
        const own = byOrg.get(c.organisationId);
        if (own) own.push(c);
        else byOrg.set(c.organisationId, [c]);
      }
      return [...byOrg.entries()]
        .map(([organisationId, own]) => {
          const inTime = sum(own, 'res:met');
          const decided = inTime + sum(own, 'res:breached');
          const requests = own.filter((c) => c.kind === 'data_request');
          return {
            organisationId,
            received: sum(own, 'received'),
            resolved: sum(own, 'resolved'),
            firstResponse: medianOf(own, 'frm:', minSample),
            resolution: medianOf(own, 'rsm:', minSample),
            deadline: { decided, compliance: decided >= minSample && decided > 0 ? inTime / decided : null },
            dataRequests: sum(requests, 'received'),
            dataRequestsFulfilled: sum(requests, 'fulfilled'),
          };
        })
        .filter((row) => row.received > 0);
    },
  };
}

export type FiguresReader = ReturnType<typeof figuresReader>;
