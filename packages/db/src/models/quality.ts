import type { Connection, Model, Schema as SchemaType } from 'mongoose';
import { type InferSchemaType, Schema } from 'mongoose';
import { outboxEntrySchema } from '../outbox.ts';

/**
 * One check of one resource in one run. `_id` is derived from (runId, resourceId), so a
 * retried job (same run id) finds its report instead of storing a second one; the report is
 * written in ONE insert at the end of the check, so a killed worker leaves nothing half-done.
 * The four families are Frictionless-shaped where Frictionless has a shape (validity), plain
 * figures otherwise; errors are capped, counts are kept.
 */
export const qualityReportSchema = new Schema(
  {
    _id: { type: String, required: true },
    datasetId: { type: Schema.Types.ObjectId, required: true },
    resourceId: { type: String, required: true },
    runId: { type: String, required: true },
    organisationId: { type: Schema.Types.ObjectId },
    checkedAt: { type: Date, required: true },
    durationMs: { type: Number, default: 0 },
    url: { type: String },
    /** The server answered 304 to the conditional GET: validity is the last run's, not re-read. */
    skipped: { type: String, enum: ['not_modified'] },
    /** Validators for the next conditional GET. */
    etag: { type: String },
    lastModified: { type: String },
    /** Per family: `{ ok: boolean | null, … }` (null: not measurable, e.g. validity of a PDF). */
    availability: { type: Schema.Types.Mixed, default: {} },
    validity: { type: Schema.Types.Mixed, default: {} },
    metadata: { type: Schema.Types.Mixed, default: {} },
    freshness: { type: Schema.Types.Mixed, default: {} },
    /** Families that failed, for lists and filters. */
    failing: { type: [String], default: [] },
  },
  { timestamps: true, minimize: false },
);
// A resource's history, newest first (GET /datasets/:id/reports?resource=…, latest per resource).
qualityReportSchema.index({ datasetId: 1, resourceId: 1, checkedAt: -1 });
// One report per run and resource whatever the id scheme (runId and resourceId are never null).
qualityReportSchema.index({ runId: 1, resourceId: 1 }, { unique: true });
// Dataset history across resources, newest first.
qualityReportSchema.index({ datasetId: 1, checkedAt: -1 });

export type QualityReportDoc = InferSchemaType<typeof qualityReportSchema>;

/**
 * A reuser's subscription to a dataset's quality events (failing / recovered), by e-mail:
 * personal data, never public. It counts once the address is verified through the link.
 */
export const qualitySubscriptionSchema = new Schema(
  {
    datasetId: { type: Schema.Types.ObjectId, required: true },
    email: { type: String, required: true },
    emailHash: { type: String, required: true },
    tokenHash: { type: String, required: true },
    language: { type: String, default: 'es' },
    verifiedAt: { type: Date },
    unsubscribedAt: { type: Date },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { timestamps: true, minimize: false },
);
// One subscription per e-mail and dataset.
qualitySubscriptionSchema.index({ datasetId: 1, emailHash: 1 }, { unique: true });
// Verify / unsubscribe links.
qualitySubscriptionSchema.index({ tokenHash: 1 }, { unique: true });
// Quality worker: verified subscribers of a dataset.
qualitySubscriptionSchema.index({ datasetId: 1, verifiedAt: 1 });
// Outbox relay.
qualitySubscriptionSchema.index({ 'outbox._id': 1 });

type Loose = Model<Record<string, unknown>>;

function model(connection: Connection, name: string, schema: SchemaType, collection: string): Loose {
  return (
    (connection.models[name] as Loose | undefined) ??
    (connection.model(name, schema, collection) as unknown as Loose)
  );
}

/** Quality reports and dataset quality subscriptions; registered by registerModels. */
export function qualityModels(connection: Connection) {
  return {
    QualityReport: model(connection, 'QualityReport', qualityReportSchema, 'quality_reports'),
    QualitySubscription: model(
      connection,
      'QualitySubscription',
      qualitySubscriptionSchema,
      'quality_subscriptions',
    ),
  };
}
