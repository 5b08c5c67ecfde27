import { type InferSchemaType, Schema } from 'mongoose';

export const organisationSchema = new Schema(
  {
    slug: { type: String, required: true },
    name: { type: String, required: true },
    parentId: { type: Schema.Types.ObjectId },
    /** Ancestors, nearest first, so scoping and routing never walk the tree at query time. */
    ancestorIds: { type: [Schema.Types.ObjectId], default: [] },
    calendarId: { type: String, default: 'pe' },
    contactEmail: { type: String },
    externalIds: { type: [String], default: [] },
  },
  { timestamps: true },
);
// Admin API and harvest: organisation by slug.
organisationSchema.index({ slug: 1 }, { unique: true });
// Scoping: an organisation's descendants.
organisationSchema.index({ ancestorIds: 1 });
// Harvest: organisation by catalog id.
organisationSchema.index({ externalIds: 1 });

export const teamSchema = new Schema(
  {
    organisationId: { type: Schema.Types.ObjectId, required: true },
    slug: { type: String, required: true },
    name: { type: String, required: true },
    leadIds: { type: [Schema.Types.ObjectId], default: [] },
    memberIds: { type: [Schema.Types.ObjectId], default: [] },
    strategy: { type: String, enum: ['manual', 'round_robin', 'least_loaded'], default: 'manual' },
    capPerOfficer: { type: Number },
    triage: { type: Boolean, default: false },
  },
  { timestamps: true },
);
// Routing: a team by (organisation, slug).
teamSchema.index({ organisationId: 1, slug: 1 }, { unique: true });
// "My teams": teams a user belongs to.
teamSchema.index({ memberIds: 1 });

export const userSchema = new Schema(
  {
    email: { type: String, required: true },
    name: { type: String, required: true },
    passwordHash: { type: String },
    roles: { type: [String], enum: ['officer', 'team_lead', 'manager', 'admin'], default: ['officer'] },
    organisationIds: { type: [Schema.Types.ObjectId], default: [] },
    language: { type: String, enum: ['es', 'en'], default: 'es' },
    away: { type: Boolean, default: false },
    active: { type: Boolean, default: true },
    lastLoginAt: { type: Date },
  },
  { timestamps: true },
);
// Login: user by e-mail (stored lower-cased).
userSchema.index({ email: 1 }, { unique: true });
// Admin list and escalation: users of an organisation.
userSchema.index({ organisationIds: 1, roles: 1 });

export const apiTokenSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    /** First characters, to recognise a token in the list without storing it. */
    prefix: { type: String, required: true },
    /** sha256 of the token: tokens are long random strings, so a fast hash is enough. */
    hash: { type: String, required: true },
    lastUsedAt: { type: Date },
    revokedAt: { type: Date },
    /** Absent: the token works until revoked. */
    expiresAt: { type: Date },
  },
  { timestamps: true },
);
// Bearer authentication: token by hash.
apiTokenSchema.index({ hash: 1 }, { unique: true });
// "My tokens".
apiTokenSchema.index({ userId: 1, createdAt: -1 });

export const sessionSchema = new Schema(
  {
    _id: { type: String, required: true }, // sha256 of the cookie value
    userId: { type: Schema.Types.ObjectId, required: true },
    csrfToken: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true },
);
// Expiry sweep (FerretDB refuses TTL indexes, so a scheduled job deletes expired sessions).
sessionSchema.index({ expiresAt: 1 });
// Logout everywhere / password change: a user's sessions.
sessionSchema.index({ userId: 1 });

/**
 * Assignment state read on every intake, by `_id` only (repositories/assignment.ts): `team:<id>`
 * holds the rotation's last officer, `loads:dirty` when Redis missed a move of the open counts.
 * Own documents, so intake never rewrites a team that an admin may be editing (FerretDB does not
 * serialise concurrent updates of one document).
 */
export const assignmentStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    lastAssigneeId: { type: Schema.Types.ObjectId },
    dirtyAt: { type: Date },
  },
  { timestamps: { createdAt: false, updatedAt: true } },
);

/**
 * The facts each ticket counts for in the figures' rollups (repositories/figure-tallies.ts),
 * by ticket id: apart from the ticket so that settling them never rewrites the ticket itself
 * (FerretDB keeps only one of two concurrent updates of a document).
 */
export const figureFactsSchema = new Schema(
  {
    _id: { type: String, required: true },
    facts: { type: String, required: true },
  },
  { versionKey: false },
);

/** Atomic sequences, e.g. `ticket-ref:2026` for human references. */
export const counterSchema = new Schema({
  _id: { type: String, required: true },
  seq: { type: Number, default: 0 },
});

export type OrganisationDoc = InferSchemaType<typeof organisationSchema>;
export type TeamDoc = InferSchemaType<typeof teamSchema>;
export type UserDoc = InferSchemaType<typeof userSchema>;
export type ApiTokenDoc = InferSchemaType<typeof apiTokenSchema>;
