// Whether a ticket must change team after an edit (category, organisation, dataset link).
// A change that routes to the same team moves nothing; a team a person chose by hand is
// kept unless the ticket left the organisation; finished tickets stay where they are.
import type { TicketStatus } from '../tickets/model.ts';
import { isTerminalStatus } from '../tickets/state-machine.ts';
import type { RoutableTicket, RouteContext, RouteResult, RoutingConfig } from './rules.ts';
import { route, sameTeam } from './rules.ts';

export interface RerouteRequest {
  before: RoutableTicket;
  after: RoutableTicket;
  status: TicketStatus;
  /** A person (not routing) chose the current team. */
  teamSetManually?: boolean;
  /** Context for `after` (ancestors of its organisation, team existence). */
  context?: RouteContext;
  /** Context for `before` when its organisation differs; defaults to `context`. */
  previousContext?: RouteContext;
}

export const REROUTE_REASONS = [
  'finished',
  'organisation_changed',
  'nothing_relevant_changed',
  'same_route',
  'manual_assignment',
  'route_changed',
] as const;
export type RerouteReason = (typeof REROUTE_REASONS)[number];

export interface RerouteDecision {
  reroute: boolean;
  reason: RerouteReason;
  /** Where the ticket goes now; null when nothing is to move. */
  route: RouteResult | null;
}

function sameList(a: readonly string[] | null | undefined, b: readonly string[] | null | undefined): boolean {
  const x = [...(a ?? [])].sort();
  const y = [...(b ?? [])].sort();
  return x.length === y.length && x.every((value, i) => value === y[i]);
}

export function shouldReroute(config: RoutingConfig, request: RerouteRequest): RerouteDecision {
  const { before, after } = request;
  if (isTerminalStatus(after.kind, request.status))
    return { reroute: false, reason: 'finished', route: null };
  const next = route(config, after, request.context);
  // The team belongs to the old organisation: routing again is the only way forward.
  if (before.organisationId !== after.organisationId) {
    return { reroute: true, reason: 'organisation_changed', route: next };
  }
  const relevantChange =
    before.kind !== after.kind ||
    (before.category ?? null) !== (after.category ?? null) ||
    (before.resourceFormat ?? null) !== (after.resourceFormat ?? null) ||
    !sameList(before.datasetTags, after.datasetTags);
  if (!relevantChange) return { reroute: false, reason: 'nothing_relevant_changed', route: null };
  const previous = route(config, before, request.previousContext ?? request.context);
  if (sameTeam(previous, next)) return { reroute: false, reason: 'same_route', route: null };
  if (request.teamSetManually === true) return { reroute: false, reason: 'manual_assignment', route: null };
  return { reroute: true, reason: 'route_changed', route: next };
}
