import { type InferSchemaType, Schema } from 'mongoose';

/**
 * An outgoing webhook registered by an administrator: ticket events of the listed types are
 * POSTed as signed JSON to `url`. The secret signs the body (HMAC-SHA256); it is shown once at
 * creation and never returned by the API afterwards.
 */
export const webhookSchema = new Schema(
  {
    url: { type: String, required: true },
    secret: { type: String, required: true },
    /** Event types (`status_changed`, `sla_breached`, …) or `*` for every event. */
    events: { type: [String], default: ['*'] },
    /** Restrict to tickets of these organisations (empty: all). */
    organisationIds: { type: [Schema.Types.ObjectId], default: [] },
    active: { type: Boolean, default: true },
    description: { type: String },
    createdBy: { type: String },
  },
  { timestamps: true },
);
// Dispatch: the active webhooks (a handful; listed on every event).
webhookSchema.index({ active: 1 });

/**
 * One delivery of one event to one webhook (`_id` = `<webhook id>-<event id>`), so an event is
 * POSTed to a webhook once however often its job runs; attempts and the last answer are kept
 * as the delivery log.
 */
export const webhookDeliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    webhookId: { type: Schema.Types.ObjectId, required: true },
    ticketId: { type: Schema.Types.ObjectId },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    state: { type: String, enum: ['pending', 'delivered', 'failed'], default: 'pending' },
    attempts: { type: Number, default: 0 },
    lastStatus: { type: Number },
    lastError: { type: String },
    deliveredAt: { type: Date },
    log: {
      type: [new Schema({ at: Date, status: Number, error: String, durationMs: Number }, { _id: false })],
      default: [],
    },
  },
  { timestamps: true, minimize: false },
);
// Admin: a webhook's delivery log, newest first.
webhookDeliverySchema.index({ webhookId: 1, createdAt: -1 });

export type WebhookDoc = InferSchemaType<typeof webhookSchema>;
export type WebhookDeliveryDoc = InferSchemaType<typeof webhookDeliverySchema>;
