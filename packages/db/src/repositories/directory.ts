import type { Types } from 'mongoose';
import type { ApiTokenDoc, OrganisationDoc, TeamDoc, UserDoc } from '../models/directory.ts';
import type { Models } from '../models/index.ts';
import { isObjectId, type Scope, scopeFilter, toObjectId } from './scope.ts';

type WithId<T> = T & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export type OrganisationRecord = WithId<OrganisationDoc>;
export type TeamRecord = WithId<TeamDoc>;
export type UserRecord = WithId<UserDoc>;
export type ApiTokenRecord = WithId<ApiTokenDoc>;

/** The directory is open to the public (names of institutions); staff see their organisations. */
function organisationFilter(scope: Scope, field = '_id'): Record<string, unknown> {
  return scopeFilter(scope, {}, field);
}

/** Organisations, teams, users, API tokens and sessions. Scoped reads for staff, open ones for admins. */
export function directoryRepository(models: Models) {
  const { Organisation, Team, User, ApiToken, Session } = models;
  return {
    // ---- organisations
    async createOrganisation(doc: {
      slug: string;
      name: string;
      parentId?: string;
      calendarId?: string;
      contactEmail?: string;
      externalIds?: string[];
    }) {
      let ancestorIds: Types.ObjectId[] = [];
      if (doc.parentId) {
        const parent = await Organisation.findById(toObjectId(doc.parentId)).lean();
        if (!parent) throw new Error('parent organisation not found');
        ancestorIds = [
          parent._id as Types.ObjectId,
          ...((parent.ancestorIds as Types.ObjectId[] | undefined) ?? []),
        ];
      }
      const created = await Organisation.create({
        ...doc,
        ...(doc.parentId ? { parentId: toObjectId(doc.parentId) } : {}),
        ancestorIds,
      });
      return created.toObject() as unknown as OrganisationRecord;
    },
    async updateOrganisation(id: string, set: { name?: string; calendarId?: string; contactEmail?: string }) {
      return (await Organisation.findOneAndUpdate(
        { _id: toObjectId(id) },
        { $set: set },
        { returnDocument: 'after' },
      ).lean()) as unknown as OrganisationRecord | null;
    },
    async findOrganisation(scope: Scope, idOrSlug: string) {
      const key = isObjectId(idOrSlug) ? { _id: toObjectId(idOrSlug) } : { slug: idOrSlug };
      // The scope under `$and`, not spread: its `_id: { $in }` and the lookup by `_id` must both hold.
      return (await Organisation.findOne({
        ...key,
        $and: [organisationFilter(scope)],
      }).lean()) as unknown as OrganisationRecord | null;
    },
    /** Organisations by ids or slugs, in one query (routing resolves many keys at once). */
    async findOrganisationsByKeys(keys: readonly string[]) {
      if (keys.length === 0) return [] as OrganisationRecord[];
      const ids = keys.filter(isObjectId).map(toObjectId);
      const slugs = keys.filter((k) => !isObjectId(k));
      return (await Organisation.find({
        $or: [{ _id: { $in: ids } }, { slug: { $in: slugs } }],
      }).lean()) as unknown as OrganisationRecord[];
    },
    async listOrganisations(scope: Scope) {
      return (await Organisation.find(organisationFilter(scope))
        .sort({ name: 1 })
        .lean()) as unknown as OrganisationRecord[];
    },
    /** An organisation and everything below it (managers' reach). */
    async descendantIds(organisationIds: readonly string[]): Promise<string[]> {
      const ids = organisationIds.filter(isObjectId).map(toObjectId);
      const below = await Organisation.find({ ancestorIds: { $in: ids } }, { _id: 1 }).lean();
      return [...new Set([...organisationIds, ...below.map((o) => String(o._id))])];
    },

    // ---- teams
    async createTeam(doc: {
      organisationId: string;
      slug: string;
      name: string;
      leadIds?: string[];
      memberIds?: string[];
      strategy?: string;
      capPerOfficer?: number;
      triage?: boolean;
    }) {
      const created = await Team.create({
        ...doc,
        organisationId: toObjectId(doc.organisationId),
        leadIds: (doc.leadIds ?? []).map(toObjectId),
        memberIds: (doc.memberIds ?? []).map(toObjectId),
      });
      return created.toObject() as unknown as TeamRecord;
    },
    async updateTeam(scope: Scope, id: string, set: Record<string, unknown>) {
      const converted = { ...set };
      for (const key of ['leadIds', 'memberIds'] as const) {
        if (Array.isArray(converted[key])) converted[key] = (converted[key] as string[]).map(toObjectId);
      }
      return (await Team.findOneAndUpdate(
        { ...organisationFilter(scope, 'organisationId'), _id: toObjectId(id) },
        { $set: converted },
        { returnDocument: 'after' },
      ).lean()) as unknown as TeamRecord | null;
    },
    async findTeam(scope: Scope, id: string) {
      if (!isObjectId(id)) return null;
      return (await Team.findOne({
        ...organisationFilter(scope, 'organisationId'),
        _id: toObjectId(id),
      }).lean()) as unknown as TeamRecord | null;
    },
    async findTeamBySlug(organisationId: string, slug: string) {
      return (await Team.findOne({
        organisationId: toObjectId(organisationId),
        slug,
      }).lean()) as unknown as TeamRecord | null;
    },
    async listTeams(scope: Scope, organisationId?: string) {
      const filter: Record<string, unknown> = { ...organisationFilter(scope, 'organisationId') };
      if (organisationId) filter.organisationId = toObjectId(organisationId);
      return (await Team.find(filter).sort({ name: 1 }).lean()) as unknown as TeamRecord[];
    },
    /** Every team of these organisations, in one query. */
    async teamsOfOrganisations(organisationIds: readonly string[]) {
      return (await Team.find({
        organisationId: { $in: organisationIds.filter(isObjectId).map(toObjectId) },
      }).lean()) as unknown as TeamRecord[];
    },
    async teamsOfUser(userId: string) {
      return (await Team.find({ memberIds: toObjectId(userId) }).lean()) as unknown as TeamRecord[];
    },

    // ---- users
    async createUser(doc: {
      email: string;
      name: string;
      passwordHash?: string;
      roles: string[];
      organisationIds: string[];
      language?: string;
    }) {
      const created = await User.create({
        ...doc,
        email: doc.email.toLowerCase(),
        organisationIds: doc.organisationIds.map(toObjectId),
      });
      return created.toObject() as unknown as UserRecord;
    },
    async updateUser(scope: Scope, id: string, set: Record<string, unknown>) {
      const converted = { ...set };
      if (Array.isArray(converted.organisationIds))
        converted.organisationIds = (converted.organisationIds as string[]).map(toObjectId);
      return (await User.findOneAndUpdate(
        { ...organisationFilter(scope, 'organisationIds'), _id: toObjectId(id) },
        { $set: converted },
        { returnDocument: 'after' },
      ).lean()) as unknown as UserRecord | null;
    },
    async findUserByEmail(email: string) {
      return (await User.findOne({ email: email.toLowerCase() }).lean()) as unknown as UserRecord | null;
    },
    async findUser(scope: Scope, id: string) {
      if (!isObjectId(id)) return null;
      return (await User.findOne({
        ...organisationFilter(scope, 'organisationIds'),
        _id: toObjectId(id),
      }).lean()) as unknown as UserRecord | null;
    },
    async findUsers(ids: readonly string[]) {
      return (await User.find({
        _id: { $in: ids.filter(isObjectId).map(toObjectId) },
      }).lean()) as unknown as UserRecord[];
    },
    async listUsers(scope: Scope, filter: { organisationId?: string; role?: string } = {}) {
      const query: Record<string, unknown> = { ...organisationFilter(scope, 'organisationIds') };
      if (filter.organisationId) query.organisationIds = toObjectId(filter.organisationId);
      if (filter.role) query.roles = filter.role;
      return (await User.find(query, { passwordHash: 0 })
        .sort({ name: 1 })
        .lean()) as unknown as UserRecord[];
    },
    async countUsers() {
      return await User.countDocuments({});
    },
    async touchLogin(id: string, at: Date) {
      await User.updateOne({ _id: toObjectId(id) }, { $set: { lastLoginAt: at } });
    },

    // ---- API tokens
    async createApiToken(doc: {
      userId: string;
      name: string;
      prefix: string;
      hash: string;
      expiresAt?: Date;
    }) {
      const created = await ApiToken.create({ ...doc, userId: toObjectId(doc.userId) });
      return created.toObject() as unknown as ApiTokenRecord;
    },
    async findApiTokenByHash(hash: string) {
      return (await ApiToken.findOne({
        hash,
        revokedAt: { $exists: false },
      }).lean()) as unknown as ApiTokenRecord | null;
    },
    async listApiTokens(userId: string) {
      return (await ApiToken.find({ userId: toObjectId(userId) }, { hash: 0 })
        .sort({ createdAt: -1 })
        .lean()) as unknown as ApiTokenRecord[];
    },
    async revokeApiToken(userId: string, id: string, at: Date) {
      if (!isObjectId(id)) return false;
      const result = await ApiToken.updateOne(
        { _id: toObjectId(id), userId: toObjectId(userId), revokedAt: { $exists: false } },
        { $set: { revokedAt: at } },
      );
      return result.modifiedCount === 1;
    },
    async touchApiToken(id: string, at: Date) {
      await ApiToken.updateOne({ _id: id }, { $set: { lastUsedAt: at } });
    },

    // ---- sessions
    async createSession(doc: { idHash: string; userId: string; csrfToken: string; expiresAt: Date }) {
      await Session.create({
        _id: doc.idHash,
        userId: toObjectId(doc.userId),
        csrfToken: doc.csrfToken,
        expiresAt: doc.expiresAt,
      });
    },
    async findSession(idHash: string, now: Date) {
      return (await Session.findOne({ _id: idHash, expiresAt: { $gt: now } }).lean()) as unknown as {
        _id: string;
        userId: Types.ObjectId;
        csrfToken: string;
        expiresAt: Date;
      } | null;
    },
    async deleteSession(idHash: string) {
      await Session.deleteOne({ _id: idHash });
    },
    /** Ends a user's sessions (password changed), all but `exceptIdHash` (the caller's own) when given. */
    async deleteUserSessions(userId: string, exceptIdHash?: string) {
      return (
        await Session.deleteMany({
          userId: toObjectId(userId),
          ...(exceptIdHash ? { _id: { $ne: exceptIdHash } } : {}),
        })
      ).deletedCount;
    },
    async deleteExpiredSessions(now: Date) {
      return (await Session.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
    },
  };
}

export type DirectoryRepository = ReturnType<typeof directoryRepository>;
