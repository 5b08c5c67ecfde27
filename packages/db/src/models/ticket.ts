import { type InferSchemaType, Schema } from 'mongoose';
import { outboxEntrySchema } from '../outbox.ts';

/**
 * Append-only audit: every change to a ticket, in the same write as the change. Events are
 * the planners' output of @quipu/core/tickets stored as they come (`actor` = { id, role, name }).
 */
const eventSchema = new Schema(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    action: { type: String },
    actor: { type: Schema.Types.Mixed, required: true },
    from: { type: Schema.Types.Mixed },
    to: { type: Schema.Types.Mixed },
    fields: { type: Schema.Types.Mixed },
    reason: { type: String },
    /** Shown on the public timeline (status changes, public replies); internal notes are not. */
    public: { type: Boolean, default: false },
    at: { type: Date, required: true },
  },
  { _id: false, minimize: false, strict: false },
);

/**
 * Comments live inside the ticket so that a reply, its audit event and its notification
 * entries are one atomic write (no transactions on FerretDB). Bounded per ticket by the API.
 */
const commentSchema = new Schema(
  {
    _id: { type: String, required: true },
    visibility: { type: String, enum: ['public', 'internal'], required: true },
    author: { type: Schema.Types.Mixed, required: true }, // { kind: user|reporter|system, id?, name }
    body: { type: String, required: true },
    attachments: {
      type: [new Schema({ name: String, size: Number, mediaType: String, url: String }, { _id: false })],
      default: [],
    },
    flagCount: { type: Number, default: 0 },
    hidden: { type: Boolean, default: false },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/** Personal data (Ley 29733): stored once, never in public responses, logs, exports or badges. */
const reporterSchema = new Schema(
  {
    name: { type: String },
    email: { type: String },
    emailVerified: { type: Boolean, default: false },
    verifiedAt: { type: Date },
    consentAt: { type: Date },
    language: { type: String, default: 'es' },
    /** sha256 of the tracking token; the token itself only travels in the reporter's e-mail. */
    trackingTokenHash: { type: String },
    /** sha256 of the e-mail confirmation token (only ever sent by e-mail). */
    verificationTokenHash: { type: String },
    unsubscribed: { type: Boolean, default: false },
    anonymisedAt: { type: Date },
  },
  { _id: false },
);

const slaTargetSchema = new Schema(
  {
    target: { type: String, required: true },
    dueAt: { type: Date },
    warnAt: { type: Date },
    state: { type: String },
    metAt: { type: Date },
    warnedAt: { type: Date },
    breachedAt: { type: Date },
    elapsedMs: { type: Number },
  },
  { _id: false },
);

const slaSchema = new Schema(
  {
    policyId: { type: String },
    calendarId: { type: String },
    startedAt: { type: Date },
    targets: { type: [slaTargetSchema], default: [] },
    pausedIntervals: { type: [new Schema({ from: Date, to: Date }, { _id: false })], default: [] },
    firstResponseAt: { type: Date },
    extensionNoticeDeadline: { type: Date },
    extension: {
      type: new Schema({ grantedAt: Date, dueAt: Date, reason: String, notifiedAt: Date }, { _id: false }),
    },
    /** Stored when it happens, so dashboards never need $lookup or $expr. */
    breached: { type: Boolean, default: false },
    firstResponseBreached: { type: Boolean, default: false },
    resolutionBreached: { type: Boolean, default: false },
    firstResponseMs: { type: Number },
    resolutionMs: { type: Number },
    /** Deadline jobs currently scheduled (deterministic ids), re-derived by the reconciliation sweep. */
    scheduledJobIds: { type: [String], default: [] },
  },
  { _id: false },
);

export const ticketSchema = new Schema(
  {
    ref: { type: String, required: true },
    kind: { type: String, enum: ['complaint', 'data_request', 'quality_issue'], required: true },
    category: { type: String },
    /** Legal regime chosen at intake (access_to_information, complaints_book) — selects legal SLA presets. */
    regime: { type: String },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    status: { type: String, required: true },
    priority: { type: String, enum: ['low', 'normal', 'high', 'urgent'], default: 'normal' },
    organisationId: { type: Schema.Types.ObjectId, required: true },
    teamId: { type: Schema.Types.ObjectId },
    assigneeId: { type: Schema.Types.ObjectId },
    /** The officer whose open-ticket count includes this ticket (repositories/assignment.ts). */
    loadOf: { type: Schema.Types.ObjectId },
    datasetId: { type: Schema.Types.ObjectId },
    resourceId: { type: String },
    /** Copied at intake so public lists need no join. */
    datasetTitle: { type: String },
    datasetUrl: { type: String },
    reporter: { type: reporterSchema },
    /** `pending` until the reporter's e-mail is verified; `hidden` by moderation. */
    visibility: { type: String, enum: ['pending', 'public', 'hidden'], default: 'pending' },
    flagCount: { type: Number, default: 0 },
    moderation: {
      type: new Schema(
        // commentsHeld: comments hidden by flags awaiting a decision (a counter: no `$elemMatch` on FerretDB).
        { spamSuspected: Boolean, reasons: [String], reviewedAt: Date, commentsHeld: Number },
        { _id: false },
      ),
    },
    supportersCount: { type: Number, default: 0 },
    followersCount: { type: Number, default: 0 },
    /** Always set (`manual:<ref>` for human tickets) because FerretDB ignores `sparse`: a unique index must never meet two nulls. */
    dedupeKey: { type: String, required: true },
    duplicateOf: { type: String },
    expectedDate: { type: Date },
    fulfilledByDatasetId: { type: Schema.Types.ObjectId },
    satisfaction: {
      type: new Schema({ answer: { type: String, enum: ['yes', 'no'] }, at: Date }, { _id: false }),
    },
    sla: { type: slaSchema, default: () => ({}) },
    reopenCount: { type: Number, default: 0 },
    /** Organisation ancestors copied at intake/transfer, so managers of a parent see it without a join. */
    organisationAncestorIds: { type: [Schema.Types.ObjectId], default: [] },
    routing: { type: new Schema({ ruleId: String, reason: String }, { _id: false }) },
    resolvedAt: { type: Date },
    firstResolvedAt: { type: Date },
    closedAt: { type: Date },
    lastPublicActivityAt: { type: Date },
    comments: { type: [commentSchema], default: [] },
    events: { type: [eventSchema], default: [] },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { timestamps: true, minimize: false },
);

// Public page and tracking link: GET /tickets/:ref.
ticketSchema.index({ ref: 1 }, { unique: true });
// Tracking link and e-mail confirmation link (hashes of the tokens).
ticketSchema.index({ 'reporter.trackingTokenHash': 1 });
ticketSchema.index({ 'reporter.verificationTokenHash': 1 });
// Quality worker: the one ticket per (dataset, resource, check family).
ticketSchema.index({ dedupeKey: 1 }, { unique: true });
// Staff inbox: tickets of an organisation by status, newest first.
ticketSchema.index({ organisationId: 1, status: 1, createdAt: -1 });
// Officer's "mine" filter.
ticketSchema.index({ assigneeId: 1, status: 1 });
// Team filter.
ticketSchema.index({ teamId: 1, status: 1 });
// Round-robin assignment: the newest ticket of a team.
ticketSchema.index({ teamId: 1, createdAt: -1 });
// Public lists: verified tickets by kind and status, newest or most supported first.
ticketSchema.index({ visibility: 1, kind: 1, createdAt: -1 });
ticketSchema.index({ visibility: 1, kind: 1, supportersCount: -1 });
// The moderation queue (desk and GET /staff/tickets?view=moderation): spam-suspected tickets,
// tickets with held comments (hidden tickets come from { visibility, kind, createdAt }).
ticketSchema.index({ 'moderation.spamSuspected': 1, createdAt: -1 });
ticketSchema.index({ 'moderation.commentsHeld': 1 });
// Dataset page: open tickets of a dataset.
ticketSchema.index({ datasetId: 1, status: 1 });
// Outbox relay: documents with pending entries.
ticketSchema.index({ 'outbox._id': 1 });
// SLA reconciliation sweep and dashboards: open tickets by due date.
ticketSchema.index({ 'sla.targets.dueAt': 1 });
// Retention: closed tickets whose reporter is still identifiable.
ticketSchema.index({ closedAt: 1 });

export type TicketDoc = InferSchemaType<typeof ticketSchema>;
// Managers of a parent organisation: tickets anywhere below it.
ticketSchema.index({ organisationAncestorIds: 1, status: 1 });
