import { randomBytes } from 'node:crypto';
import type { AssignmentStrategy } from '@quipu/core/routing';
import { STAFF_ROLES } from '@quipu/core/tickets';
import { isDuplicateKeyError, isObjectId, type Scope } from '@quipu/db';
import type { CommandContext } from './context.ts';
import { CommandError } from './errors.ts';
import { type StaffPrincipal, staffPrincipal } from './principal.ts';
import { hashPassword, randomToken, sha256, verifyPassword } from './secrets.ts';

/** Passwords people choose: long beats clever (the CLI and the API ask for the same). */
export const MIN_PASSWORD_LENGTH = 12;

/** Slugs appear in URLs and routing rules: lower-case letters, digits and hyphens. */
export function isSlug(value: string): boolean {
  return /^[a-z0-9][a-z0-9-]{1,62}$/.test(value);
}

function checkSlug(slug: string) {
  if (!isSlug(slug))
    throw new CommandError('invalid_field', 'Slugs are lower-case letters, digits and -.', { field: 'slug' });
}

function checkRoles(roles: readonly string[]) {
  if (!roles.length || roles.some((r) => !(STAFF_ROLES as readonly string[]).includes(r))) {
    throw new CommandError('invalid_field', `Roles are ${STAFF_ROLES.join(', ')}.`, { field: 'roles' });
  }
}

function checkPassword(password: string) {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > 200)
    throw new CommandError('invalid_field', `Passwords have ${MIN_PASSWORD_LENGTH} to 200 characters.`, {
      field: 'password',
    });
}

export async function createOrganisation(
  ctx: CommandContext,
  props: {
    slug: string;
    name: string;
    parent?: string | undefined;
    calendarId?: string | undefined;
    contactEmail?: string | undefined;
  },
) {
  checkSlug(props.slug);
  let parentId: string | undefined;
  if (props.parent) {
    const parent = await ctx.directory.findOrganisation({ kind: 'everything' }, props.parent);
    if (!parent) throw new CommandError('invalid_field', 'No such parent organisation.', { field: 'parent' });
    parentId = String(parent._id);
  }
  if (props.calendarId && !ctx.domain.calendars.has(props.calendarId))
    throw new CommandError('invalid_field', 'No such calendar.', { field: 'calendarId' });
  try {
    return await ctx.directory.createOrganisation({
      slug: props.slug,
      name: props.name,
      ...(parentId ? { parentId } : {}),
      calendarId: props.calendarId ?? ctx.domain.defaultCalendarId,
      ...(props.contactEmail ? { contactEmail: props.contactEmail } : {}),
    });
  } catch (error) {
    if (isDuplicateKeyError(error))
      throw new CommandError('conflict', 'An organisation with this slug exists.', { field: 'slug' });
    throw error;
  }
}

export async function createTeam(
  ctx: CommandContext,
  props: {
    organisation: string;
    slug: string;
    name: string;
    leadIds?: string[] | undefined;
    memberIds?: string[] | undefined;
    strategy?: AssignmentStrategy | undefined;
    capPerOfficer?: number | undefined;
  },
) {
  checkSlug(props.slug);
  const organisation = await ctx.directory.findOrganisation({ kind: 'everything' }, props.organisation);
  if (!organisation)
    throw new CommandError('invalid_field', 'No such organisation.', { field: 'organisation' });
  const members = await teamMembers(
    ctx,
    String(organisation._id),
    props.memberIds ?? [],
    props.leadIds ?? [],
  );
  try {
    return await ctx.directory.createTeam({
      organisationId: String(organisation._id),
      slug: props.slug,
      name: props.name,
      leadIds: props.leadIds ?? [],
      memberIds: members,
      strategy: props.strategy ?? 'manual',
      ...(props.capPerOfficer ? { capPerOfficer: props.capPerOfficer } : {}),
    });
  } catch (error) {
    if (isDuplicateKeyError(error))
      throw new CommandError('conflict', 'This organisation already has a team with this slug.', {
        field: 'slug',
      });
    throw error;
  }
}

/** Leads are members too; everyone must exist and belong to the team's organisation. */
async function teamMembers(
  ctx: CommandContext,
  organisationId: string,
  memberIds: readonly string[],
  leadIds: readonly string[],
): Promise<string[]> {
  const members = [...new Set([...memberIds, ...leadIds])];
  const users = await ctx.directory.findUsers(members);
  if (users.length !== members.length)
    throw new CommandError('invalid_field', 'Unknown member.', { field: 'memberIds' });
  if (users.some((u) => !(u.organisationIds ?? []).map(String).includes(organisationId))) {
    throw new CommandError('invalid_field', 'Members must belong to the team’s organisation.', {
      field: 'memberIds',
    });
  }
  return members;
}

/** Changes a team in the scope (null when there is none); members follow createTeam's rules. */
export async function updateTeam(
  ctx: CommandContext,
  scope: Scope,
  id: string,
  props: {
    name?: string | undefined;
    leadIds?: string[] | undefined;
    memberIds?: string[] | undefined;
    strategy?: AssignmentStrategy | undefined;
    capPerOfficer?: number | undefined;
  },
) {
  const team = await ctx.directory.findTeam(scope, id);
  if (!team) return null;
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) if (value !== undefined) set[key] = value;
  if (props.leadIds || props.memberIds) {
    const leadIds = props.leadIds ?? (team.leadIds ?? []).map(String);
    set.leadIds = leadIds;
    set.memberIds = await teamMembers(
      ctx,
      String(team.organisationId),
      props.memberIds ?? (team.memberIds ?? []).map(String),
      leadIds,
    );
  }
  return await ctx.directory.updateTeam(scope, id, set);
}

export async function createUser(
  ctx: CommandContext,
  props: {
    email: string;
    name: string;
    password?: string | undefined;
    roles: string[];
    organisations: string[];
    language?: 'es' | 'en' | undefined;
  },
) {
  checkRoles(props.roles);
  if (props.password !== undefined) checkPassword(props.password);
  const organisationIds: string[] = [];
  for (const key of props.organisations) {
    const organisation = await ctx.directory.findOrganisation({ kind: 'everything' }, key);
    if (!organisation)
      throw new CommandError('invalid_field', `No such organisation: ${key}.`, { field: 'organisations' });
    organisationIds.push(String(organisation._id));
  }
  if (!props.roles.includes('admin') && organisationIds.length === 0) {
    throw new CommandError('invalid_field', 'Staff other than admins belong to an organisation.', {
      field: 'organisations',
    });
  }
  try {
    return await ctx.directory.createUser({
      email: props.email,
      name: props.name,
      ...(props.password ? { passwordHash: await hashPassword(props.password) } : {}),
      roles: props.roles,
      organisationIds,
      language: props.language ?? 'es',
    });
  } catch (error) {
    if (isDuplicateKeyError(error))
      throw new CommandError('conflict', 'A user with this e-mail exists.', { field: 'email' });
    throw error;
  }
}

/**
 * Sets a user's password and ends their sessions: whoever signed in with the old one (the reason
 * it is often changed) is signed out. `keepSessionId` (the cookie of the person changing it, when
 * that is the user themself) stays signed in.
 */
export async function setPassword(
  ctx: CommandContext,
  userId: string,
  password: string,
  options: { keepSessionId?: string | undefined } = {},
) {
  checkPassword(password);
  await ctx.directory.updateUser({ kind: 'everything' }, userId, {
    passwordHash: await hashPassword(password),
  });
  await ctx.directory.deleteUserSessions(
    userId,
    options.keepSessionId ? sha256(options.keepSessionId) : undefined,
  );
}

/** Changes a user in the scope (null when there is none), the password hashed apart from the rest. */
export async function updateUser(
  ctx: CommandContext,
  scope: Scope,
  id: string,
  props: {
    name?: string | undefined;
    roles?: string[] | undefined;
    away?: boolean | undefined;
    active?: boolean | undefined;
    language?: 'es' | 'en' | undefined;
    password?: string | undefined;
  },
  /** The caller's session cookie: kept when they change their own password. */
  options: { currentSessionId?: string | undefined } = {},
) {
  if (!isObjectId(id)) return null;
  const { password, ...rest } = props;
  if (rest.roles) checkRoles(rest.roles);
  if (password !== undefined) checkPassword(password);
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) set[key] = value;
  const updated = await ctx.directory.updateUser(scope, id, set);
  if (updated && password !== undefined)
    await setPassword(ctx, id, password, { keepSessionId: options.currentSessionId });
  return updated;
}

/** E-mail + password → a session (cookie value returned once; only its hash is stored). */
export async function login(ctx: CommandContext, props: { email: string; password: string }) {
  const user = await ctx.directory.findUserByEmail(props.email);
  const ok = await verifyPassword(props.password, user?.passwordHash);
  if (!user || !ok || user.active === false)
    throw new CommandError('invalid_credentials', 'Wrong e-mail or password.');
  const now = ctx.now();
  const sessionId = randomToken(32);
  const csrfToken = randomToken(24);
  await ctx.directory.createSession({
    idHash: sha256(sessionId),
    userId: String(user._id),
    csrfToken,
    expiresAt: new Date(now.getTime() + ctx.config.session.ttlHours * 3_600_000),
  });
  await ctx.directory.touchLogin(String(user._id), now);
  return { sessionId, csrfToken, principal: await staffPrincipal(ctx, user) };
}

export async function logout(ctx: CommandContext, sessionId: string) {
  await ctx.directory.deleteSession(sha256(sessionId));
}

/** Session cookie → principal (null when unknown, expired or the user was deactivated). */
export async function principalFromSession(
  ctx: CommandContext,
  sessionId: string,
): Promise<{ principal: StaffPrincipal; csrfToken: string } | null> {
  const session = await ctx.directory.findSession(sha256(sessionId), ctx.now());
  if (!session) return null;
  const user = await ctx.directory.findUser({ kind: 'everything' }, String(session.userId));
  if (!user || user.active === false) return null;
  return { principal: await staffPrincipal(ctx, user), csrfToken: session.csrfToken };
}

const TOKEN_PREFIX = 'quipu_';

/** Longest life a token may be given, in days (an expiry is optional). */
export const API_TOKEN_MAX_DAYS = 366;

/**
 * A bearer token for integrations, shown once; stored as sha256 (it is 256 random bits). With
 * `expiresInDays` it stops working that many days from now; without, it works until revoked.
 */
export async function createApiToken(
  ctx: CommandContext,
  principal: StaffPrincipal,
  name: string,
  options: { expiresInDays?: number | undefined } = {},
) {
  const days = options.expiresInDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > API_TOKEN_MAX_DAYS))
    throw new CommandError('invalid_expiry', `A token lasts 1 to ${API_TOKEN_MAX_DAYS} days.`, {
      field: 'expiresInDays',
    });
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record = await ctx.directory.createApiToken({
    userId: principal.userId,
    name,
    prefix: token.slice(0, 12),
    hash: sha256(token),
    ...(days !== undefined ? { expiresAt: new Date(ctx.now().getTime() + days * 86_400_000) } : {}),
  });
  return {
    token,
    id: String(record._id),
    name: record.name,
    prefix: record.prefix,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt ?? null,
  };
}

export async function principalFromApiToken(
  ctx: CommandContext,
  token: string,
): Promise<StaffPrincipal | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
  const record = await ctx.directory.findApiTokenByHash(sha256(token));
  if (!record) return null;
  if (record.expiresAt && record.expiresAt.getTime() <= ctx.now().getTime()) return null;
  const user = await ctx.directory.findUser({ kind: 'everything' }, String(record.userId));
  if (!user || user.active === false) return null;
  await ctx.directory.touchApiToken(String(record._id), ctx.now());
  return await staffPrincipal(ctx, user);
}
