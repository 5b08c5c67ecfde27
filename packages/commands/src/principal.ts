import type { Actor } from '@quipu/core/tickets';
import type { Scope } from '@quipu/db';
import type { CommandContext } from './context.ts';

/** A signed-in staff member, as commands see them. */
export interface StaffPrincipal {
  kind: 'staff';
  userId: string;
  name: string;
  email: string;
  roles: string[];
  organisationIds: string[];
  teamIds: string[];
  language: 'es' | 'en';
  /** What the repositories let this person see (admins: everything; managers: their subtree). */
  scope: Scope;
  actor: Actor;
}

/** The reporter of one ticket, proven by its tracking link. */
export interface ReporterPrincipal {
  kind: 'reporter';
  ticketId: string;
  actor: Actor;
}

export interface SystemPrincipal {
  kind: 'system';
  actor: Actor;
  scope: Scope;
}

export type Principal = StaffPrincipal | ReporterPrincipal | SystemPrincipal;

export const SYSTEM: SystemPrincipal = {
  kind: 'system',
  actor: { id: null, roles: ['system'], organisationIds: [] },
  scope: { kind: 'everything' },
};

export function reporterPrincipal(ticketId: string): ReporterPrincipal {
  return {
    kind: 'reporter',
    ticketId,
    actor: { id: null, roles: ['reporter'], organisationIds: [], isReporter: true },
  };
}

/** Builds the principal of a user record: scope and actor from roles, organisations and teams. */
export async function staffPrincipal(
  ctx: CommandContext,
  user: {
    _id: unknown;
    name: string;
    email: string;
    roles?: string[] | null;
    organisationIds?: unknown[] | null;
    language?: string | null;
  },
): Promise<StaffPrincipal> {
  const userId = String(user._id);
  const roles = [...(user.roles ?? [])];
  const organisationIds = (user.organisationIds ?? []).map(String);
  const teams = await ctx.directory.teamsOfUser(userId);
  const teamIds = teams.map((t) => String(t._id));
  let scope: Scope;
  if (roles.includes('admin')) scope = { kind: 'everything' };
  else if (roles.includes('manager'))
    scope = { kind: 'organisations', organisationIds: await ctx.directory.descendantIds(organisationIds) };
  else scope = { kind: 'organisations', organisationIds };
  return {
    kind: 'staff',
    userId,
    name: user.name,
    email: user.email,
    roles,
    organisationIds,
    teamIds,
    language: user.language === 'en' ? 'en' : 'es',
    scope,
    actor: { id: userId, roles: roles as Actor['roles'], organisationIds, teamIds },
  };
}
