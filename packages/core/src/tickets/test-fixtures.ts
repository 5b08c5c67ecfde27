// Builders shared by the tickets and routing tests (not exported from the package index).
import type { Actor, TicketSnapshot } from './events.ts';
import type { TransitionInput } from './fields.ts';
import type { Role, TicketKind, TicketStatus } from './model.ts';

export const NOW = new Date('2026-11-27T12:00:00.000Z');
export const ORG = 'org-minsa';
export const OTHER_ORG = 'org-mef';
export const PARENT_ORG = 'org-gob';

export function ticketOf(
  kind: TicketKind,
  status: TicketStatus,
  overrides: Partial<TicketSnapshot> = {},
): TicketSnapshot {
  return {
    id: 't-1',
    ref: 'Q-2026-000123',
    kind,
    status,
    category: null,
    organisationId: ORG,
    organisationAncestorIds: [PARENT_ORG],
    teamId: 'team-datos',
    assigneeId: 'officer-1',
    firstResponseAt: null,
    ...overrides,
  };
}

/** An actor holding `role`, in the ticket's organisation unless told otherwise. */
export function actorAs(role: Role, organisationIds: readonly string[] = [ORG]): Actor {
  if (role === 'reporter') return { id: 'reporter-1', roles: [], organisationIds: [], isReporter: true };
  if (role === 'system') return { id: null, roles: ['system'], organisationIds: [] };
  return { id: `${role}-1`, roles: [role], organisationIds, teamIds: ['team-datos'] };
}

export const VALID_INPUT: Required<TransitionInput> = {
  reason: 'Explicación del cambio',
  duplicateOf: 'Q-2026-000001',
  expectedDate: '2026-12-31',
  datasetId: 'ds-presupuesto-2026',
  message: '¿Qué archivo del conjunto presenta el error?',
  resolution: 'Corregimos el enlace de descarga.',
};
