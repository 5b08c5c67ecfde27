// Choosing the officer inside a team. Each team picks a strategy; all of them skip
// officers marked away and, when a cap applies, officers already holding that many open
// tickets. Deterministic: the same inputs always give the same officer, so tests and
// retried jobs agree (the caller persists `lastAssignedId` for the rotation).

export const ASSIGNMENT_STRATEGIES = ['manual', 'round_robin', 'least_loaded'] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

export interface TeamMember {
  id: string;
  away?: boolean;
  /** This officer's own cap on open tickets; overrides the team's `defaultCap`. */
  cap?: number | null;
}

interface Rotation {
  /** Team members in the team's order. */
  members: readonly TeamMember[];
  /** The officer who got the previous ticket; the rotation continues after them. */
  lastAssignedId?: string | null;
  /** Open tickets per officer id (missing: none). Needed for caps. */
  openCounts?: Readonly<Record<string, number>>;
  /** Cap for members without their own; null or absent: no cap. */
  defaultCap?: number | null;
}

export type AssignmentRequest =
  | { strategy: 'manual' }
  | ({ strategy: 'round_robin' } & Rotation)
  // Ties on load are broken by the rotation order after `lastAssignedId`, so equal loads
  // still take turns.
  | ({ strategy: 'least_loaded'; openCounts: Readonly<Record<string, number>> } & Rotation);

export const ASSIGNMENT_OUTCOMES = ['chosen', 'manual', 'no_members', 'all_away', 'all_at_capacity'] as const;
export type AssignmentOutcome = (typeof ASSIGNMENT_OUTCOMES)[number];

export interface AssignmentDecision {
  officerId: string | null;
  outcome: AssignmentOutcome;
  /** Human-readable, for the audit trail. */
  reason: string;
  /** Open tickets of the chosen officer (least loaded only). */
  load?: number;
  skipped: { id: string; why: 'away' | 'at_capacity' }[];
}

function capOf(member: TeamMember, defaultCap: number | null | undefined): number | null {
  const cap = member.cap ?? defaultCap ?? null;
  return cap !== null && Number.isFinite(cap) ? cap : null;
}

/** Members in rotation order: those after the last assignee first, then the rest. */
function rotate(members: readonly TeamMember[], lastAssignedId: string | null | undefined): TeamMember[] {
  const index = lastAssignedId == null ? -1 : members.findIndex((m) => m.id === lastAssignedId);
  return [...members.slice(index + 1), ...members.slice(0, index + 1)];
}

export function chooseAssignee(request: AssignmentRequest): AssignmentDecision {
  if (request.strategy === 'manual') {
    return { officerId: null, outcome: 'manual', reason: 'the team assigns by hand', skipped: [] };
  }
  const { members, openCounts = {}, defaultCap } = request;
  if (members.length === 0) {
    return { officerId: null, outcome: 'no_members', reason: 'the team has no members', skipped: [] };
  }
  const skipped: AssignmentDecision['skipped'] = [];
  const candidates: { member: TeamMember; load: number }[] = [];
  for (const member of rotate(members, request.lastAssignedId)) {
    const load = openCounts[member.id] ?? 0;
    const cap = capOf(member, defaultCap);
    if (member.away === true) skipped.push({ id: member.id, why: 'away' });
    else if (cap !== null && load >= cap) skipped.push({ id: member.id, why: 'at_capacity' });
    else candidates.push({ member, load });
  }
  if (candidates.length === 0) {
    const allAway = skipped.every((s) => s.why === 'away');
    return {
      officerId: null,
      outcome: allAway ? 'all_away' : 'all_at_capacity',
      reason: allAway ? 'every member is away' : 'every available member is at capacity',
      skipped,
    };
  }
  if (request.strategy === 'round_robin') {
    const chosen = candidates[0]!;
    return { officerId: chosen.member.id, outcome: 'chosen', reason: 'next in rotation', skipped };
  }
  let best = candidates[0]!;
  for (const candidate of candidates) if (candidate.load < best.load) best = candidate;
  return {
    officerId: best.member.id,
    outcome: 'chosen',
    reason: `least loaded (${best.load} open)`,
    load: best.load,
    skipped,
  };
}
