import { isOpenStatus, type TicketKind, type TicketStatus } from '@quipu/core/tickets';

/**
 * What one ticket adds to the published figures, as a few facts kept on the ticket
 * (`figure_facts`, encoded) so that every write can move the rollups by the difference between the
 * facts it counted and the facts it has now: a replay finds nothing to move (ARCHITECTURE.md,
 * "figures from rollups"). The rollups live where increments are atomic (Redis: FerretDB's `$inc`
 * loses increments under concurrency) and are rebuilt from the tickets, which stay the truth.
 *
 * Days are calendar days in the portal's zone, as the dashboard's date range is. Durations are
 * counted in whole minutes (a histogram that gives medians and p90 exact to the minute).
 */
export interface FigureFacts {
  /** Local day received (YYYY-MM-DD) and the instant, for the age of open breaches. */
  day: string;
  createdMs: number;
  organisationId: string;
  teamId: string;
  assigneeId: string;
  kind: string;
  category: string;
  visibility: string;
  open: boolean;
  resolved: boolean;
  /** Local day of `resolvedAt` (the weekly "resolved" column), or ''. */
  resolvedDay: string;
  firstResponse: '' | 'met' | 'breached';
  resolution: '' | 'met' | 'breached';
  breached: boolean;
  reopened: boolean;
  satisfaction: '' | 'yes' | 'other';
  firstResponseMin: number | null;
  resolutionMin: number | null;
  fulfilled: boolean;
  supporters: number;
  /** Breached targets and when (ms): the closed-breach list reads them by breach date. */
  breaches: Array<[string, number]>;
}

/** The key of a missing team, assignee or category in tallies. */
export const NONE = '-';

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The calendar day of an instant in a zone, YYYY-MM-DD. */
export function localDay(at: Date | number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format.format(at);
}

const idOf = (value: unknown) => (value ? String(value) : NONE);
// Field names of the rollup hashes are `|`-separated; a category is a free slug.
const token = (value: unknown) => (typeof value === 'string' && value ? value.replace(/[|\s]/g, '_') : NONE);
const minutes = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value / 60_000) : null;
const dateMs = (value: unknown) => {
  if (value === null || value === undefined) return null;
  const ms = new Date(value as string | number | Date).getTime();
  return Number.isNaN(ms) ? null : ms;
};

interface TicketLike {
  createdAt?: unknown;
  organisationId?: unknown;
  teamId?: unknown;
  assigneeId?: unknown;
  kind?: unknown;
  category?: unknown;
  status?: unknown;
  visibility?: unknown;
  firstResolvedAt?: unknown;
  resolvedAt?: unknown;
  reopenCount?: unknown;
  satisfaction?: { answer?: unknown } | null;
  fulfilledByDatasetId?: unknown;
  supportersCount?: unknown;
  sla?: {
    firstResponseAt?: unknown;
    firstResponseBreached?: unknown;
    resolutionBreached?: unknown;
    breached?: unknown;
    firstResponseMs?: unknown;
    resolutionMs?: unknown;
    targets?: Array<{ target?: unknown; breachedAt?: unknown }> | null;
  } | null;
}

/** The facts a ticket counts for, or null for a document that cannot count (no date, no owner). */
export function figureFacts(ticket: TicketLike, timeZone: string): FigureFacts | null {
  const createdMs = dateMs(ticket.createdAt);
  if (createdMs === null || !ticket.organisationId || typeof ticket.kind !== 'string') return null;
  const sla = ticket.sla ?? {};
  const resolvedMs = dateMs(ticket.resolvedAt);
  const resolved = Boolean(ticket.firstResolvedAt);
  const answer = ticket.satisfaction?.answer;
  return {
    day: localDay(createdMs, timeZone),
    createdMs,
    organisationId: String(ticket.organisationId),
    teamId: idOf(ticket.teamId),
    assigneeId: idOf(ticket.assigneeId),
    kind: ticket.kind,
    category: token(ticket.category),
    visibility: token(ticket.visibility),
    open:
      typeof ticket.status === 'string' &&
      isOpenStatus(ticket.kind as TicketKind, ticket.status as TicketStatus),
    resolved,
    resolvedDay: resolvedMs === null ? '' : localDay(resolvedMs, timeZone),
    firstResponse: sla.firstResponseBreached === true ? 'breached' : sla.firstResponseAt ? 'met' : '',
    resolution: sla.resolutionBreached === true ? 'breached' : resolved ? 'met' : '',
    breached: sla.breached === true,
    reopened: typeof ticket.reopenCount === 'number' && ticket.reopenCount > 0,
    satisfaction: answer === undefined || answer === null ? '' : answer === 'yes' ? 'yes' : 'other',
    firstResponseMin: minutes(sla.firstResponseMs),
    resolutionMin: minutes(sla.resolutionMs),
    fulfilled: Boolean(ticket.fulfilledByDatasetId),
    supporters: typeof ticket.supportersCount === 'number' ? ticket.supportersCount : 0,
    breaches: (sla.targets ?? []).flatMap((t) => {
      const at = dateMs(t.breachedAt);
      return at === null || typeof t.target !== 'string' ? [] : [[t.target, at] as [string, number]];
    }),
  };
}

const FACT_KEYS = [
  'day',
  'createdMs',
  'organisationId',
  'teamId',
  'assigneeId',
  'kind',
  'category',
  'visibility',
  'open',
  'resolved',
  'resolvedDay',
  'firstResponse',
  'resolution',
  'breached',
  'reopened',
  'satisfaction',
  'firstResponseMin',
  'resolutionMin',
  'fulfilled',
  'supporters',
  'breaches',
] as const satisfies ReadonlyArray<keyof FigureFacts>;

/** The facts as stored on the ticket: a string, so that a write can be guarded by equality. */
export function encodeFacts(facts: FigureFacts | null): string | null {
  return facts ? JSON.stringify(FACT_KEYS.map((k) => facts[k])) : null;
}

export function decodeFacts(encoded: unknown): FigureFacts | null {
  if (typeof encoded !== 'string') return null;
  try {
    const values = JSON.parse(encoded) as unknown[];
    if (!Array.isArray(values) || values.length !== FACT_KEYS.length) return null;
    return Object.fromEntries(FACT_KEYS.map((k, i) => [k, values[i]])) as unknown as FigureFacts;
  } catch {
    return null;
  }
}

/**
 * One counter a ticket adds to: `hash` names the rollup (per institution: `m:YYYY-MM` for daily
 * counts by month, `all` for all-time counts, `open` for open tickets by day received) and
 * `field` the counter in it; or, for the lists the dashboard shows, a member of a sorted set.
 */
export type Tally =
  | { kind: 'count'; organisationId: string; hash: string; field: string; n: number }
  | { kind: 'member'; organisationId: string; set: string; member: string; score: number };

/** The slice of a tally's field that views filter on: team|assignee|kind|category|visibility. */
const slice = (f: FigureFacts) => `${f.teamId}|${f.assigneeId}|${f.kind}|${f.category}|${f.visibility}`;

/** Every counter and list entry one ticket's facts contribute. */
export function tallies(facts: FigureFacts | null, ticketId: string): Tally[] {
  if (!facts) return [];
  const org = facts.organisationId;
  const out: Tally[] = [];
  const dims = slice(facts);
  const daily = (day: string, metric: string, n = 1) =>
    out.push({
      kind: 'count',
      organisationId: org,
      hash: `m:${day.slice(0, 7)}`,
      field: `${day.slice(8)}|${dims}|${metric}`,
      n,
    });
  const allTime = (metric: string, n = 1) =>
    out.push({ kind: 'count', organisationId: org, hash: 'all', field: `${dims}|${metric}`, n });
  const both = (metric: string, n = 1) => {
    daily(facts.day, metric, n);
    allTime(metric, n);
  };
  const member = (set: string, id: string, score: number) =>
    out.push({ kind: 'member', organisationId: org, set, member: `${id}|${dims}`, score });

  both('received');
  if (facts.open) {
    daily(facts.day, 'open');
    out.push({ kind: 'count', organisationId: org, hash: 'open', field: `${facts.day}|${dims}`, n: 1 });
  }
  if (facts.resolved) both('resolved');
  if (facts.resolvedDay) daily(facts.resolvedDay, 'resolvedOn');
  if (facts.firstResponse) both(`fr:${facts.firstResponse}`);
  if (facts.resolution) both(`res:${facts.resolution}`);
  if (facts.breached) {
    both('breached');
    if (facts.open) {
      both('breachedOpen');
      member('open-breached', ticketId, facts.createdMs);
    }
  }
  if (!facts.open) {
    for (const [target, at] of facts.breaches) member('closed-breached', `${ticketId}:${target}`, at);
  }
  if (facts.reopened) both('reopened');
  if (facts.satisfaction) {
    both('sat:any');
    if (facts.satisfaction === 'yes') both('sat:yes');
  }
  if (facts.firstResponseMin !== null) both(`frm:${facts.firstResponseMin}`);
  if (facts.resolutionMin !== null) both(`rsm:${facts.resolutionMin}`);
  if (facts.kind === 'data_request') {
    if (facts.fulfilled) allTime('fulfilled');
    if (facts.open) {
      allTime('openRequests');
      if (facts.supporters) allTime('supporters', facts.supporters);
      member('open-requests', ticketId, facts.supporters);
    }
  }
  return out;
}

const tallyKey = (t: Tally) =>
  t.kind === 'count'
    ? `c\u0000${t.organisationId}\u0000${t.hash}\u0000${t.field}`
    : `z\u0000${t.organisationId}\u0000${t.set}\u0000${t.member}`;

/**
 * What moves when a ticket's facts change from `before` to `after`: counters by their
 * difference (zero differences left out), list entries removed or (re)scored.
 */
export function tallyMove(
  ticketId: string,
  before: FigureFacts | null,
  after: FigureFacts | null,
): {
  counts: Array<Extract<Tally, { kind: 'count' }>>;
  removed: Array<Extract<Tally, { kind: 'member' }>>;
  added: Array<Extract<Tally, { kind: 'member' }>>;
} {
  const counts = new Map<string, Extract<Tally, { kind: 'count' }>>();
  const members = new Map<string, { tally: Extract<Tally, { kind: 'member' }>; side: number }>();
  for (const [sign, list] of [
    [-1, tallies(before, ticketId)],
    [1, tallies(after, ticketId)],
  ] as const) {
    for (const t of list) {
      const key = tallyKey(t);
      if (t.kind === 'count') {
        const seen = counts.get(key);
        counts.set(key, { ...t, n: (seen?.n ?? 0) + sign * t.n });
      } else {
        const seen = members.get(key);
        // Kept on both sides with the same score: nothing to do; a new score is an add.
        if (seen && sign === 1 && seen.tally.score === t.score) members.delete(key);
        else members.set(key, { tally: t, side: sign });
      }
    }
  }
  return {
    counts: [...counts.values()].filter((c) => c.n !== 0),
    removed: [...members.values()].filter((m) => m.side === -1).map((m) => m.tally),
    added: [...members.values()].filter((m) => m.side === 1).map((m) => m.tally),
  };
}

/**
 * What the tickets repository calls after every write of a ticket: settles its facts (one at a
 * time per ticket: commands/figures/rollups.ts).
 */
export interface FigureSettler {
  inserted(ticket: Record<string, unknown>): Promise<void>;
  settle(ticketId: string): Promise<void>;
}

/** Where the rollups move (commands/figures/rollups.ts); a move it cannot take marks them stale. */
export interface FigureCounter {
  move(ticketId: string, before: FigureFacts | null, after: FigureFacts | null): Promise<void>;
}
