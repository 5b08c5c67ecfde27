import { type InferSchemaType, Schema } from 'mongoose';
import { outboxEntrySchema } from '../outbox.ts';

/**
 * A supporter ("+1") or follower of a ticket, identified by e-mail (personal data, never
 * public). It counts once its e-mail is verified; the unique index makes it one per e-mail.
 */
export const subscriptionSchema = new Schema(
  {
    ticketId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: ['support', 'follow'], required: true },
    email: { type: String, required: true },
    emailHash: { type: String, required: true },
    tokenHash: { type: String, required: true },
    verifiedAt: { type: Date },
    unsubscribedAt: { type: Date },
    digest: { type: Boolean, default: false },
    language: { type: String, default: 'es' },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { timestamps: true },
);
// One support and one follow per e-mail per ticket.
subscriptionSchema.index({ ticketId: 1, kind: 1, emailHash: 1 }, { unique: true });
// Verify / unsubscribe links.
subscriptionSchema.index({ tokenHash: 1 }, { unique: true });
// Notify worker: verified followers of a ticket.
subscriptionSchema.index({ ticketId: 1, verifiedAt: 1 });
// Outbox relay.
subscriptionSchema.index({ 'outbox._id': 1 });

/** One flag per client per target, so a single visitor cannot hide a ticket alone. */
export const flagSchema = new Schema(
  {
    ticketId: { type: Schema.Types.ObjectId, required: true },
    commentId: { type: String, default: '' }, // '' for the ticket itself (never null: FerretDB ignores sparse)
    clientHash: { type: String, required: true },
    reason: { type: String },
  },
  { timestamps: true },
);
// Dedupe flags per (target, client).
flagSchema.index({ ticketId: 1, commentId: 1, clientHash: 1 }, { unique: true });

/** Stored responses for `Idempotency-Key` (MongoDB, so intake keeps its promise when Redis is down). */
export const idempotencySchema = new Schema(
  {
    _id: { type: String, required: true }, // `${route}:${key}`
    fingerprint: { type: String, required: true },
    status: { type: Number },
    body: { type: Schema.Types.Mixed },
    state: { type: String, enum: ['pending', 'done'], required: true },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true, minimize: false },
);
// Expiry sweep (no TTL indexes on FerretDB).
idempotencySchema.index({ expiresAt: 1 });

/**
 * One e-mail to one recipient about one event. `_id` is the idempotency key
 * (`<event id>:<recipient key>`), so the same notification is never created — or sent — twice.
 */
export const notificationSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    ticketId: { type: Schema.Types.ObjectId },
    datasetId: { type: Schema.Types.ObjectId },
    to: { type: String, required: true },
    recipientKind: { type: String }, // reporter | follower | supporter | assignee | team_lead | manager | subscriber
    language: { type: String, default: 'es' },
    data: { type: Schema.Types.Mixed, default: {} },
    /** The one-click unsubscribe link the e-mail carries (digests, quality events). */
    unsubscribeUrl: { type: String },
    state: { type: String, enum: ['pending', 'sent', 'failed', 'suppressed'], default: 'pending' },
    attempts: { type: Number, default: 0 },
    lastError: { type: String },
    messageId: { type: String },
    sentAt: { type: Date },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { timestamps: true, minimize: false },
);
// Admin "failed e-mails" list and re-send.
notificationSchema.index({ state: 1, updatedAt: -1 });
// A ticket's notifications (timeline, tests).
notificationSchema.index({ ticketId: 1, createdAt: 1 });
// Outbox relay.
notificationSchema.index({ 'outbox._id': 1 });

export type SubscriptionDoc = InferSchemaType<typeof subscriptionSchema>;
export type NotificationDoc = InferSchemaType<typeof notificationSchema>;
