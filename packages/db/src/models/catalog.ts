import { type InferSchemaType, Schema } from 'mongoose';
import { outboxEntrySchema } from '../outbox.ts';

/**
 * The catalog copy: what the portal publishes, harvested (CKAN, DCAT) or registered by hand.
 * Reports and complaints point at datasets and their resources.
 */
const resourceSchema = new Schema(
  {
    _id: { type: String, required: true }, // stable: the catalog's resource id, or one we make
    externalId: { type: String },
    name: { type: String },
    url: { type: String, required: true },
    format: { type: String },
    mediaType: { type: String },
    size: { type: Number },
    hash: { type: String },
    schema: { type: Schema.Types.Mixed }, // Table Schema descriptor or URL
    modified: { type: Date },
  },
  { _id: false, minimize: false },
);

export const datasetSchema = new Schema(
  {
    source: { type: String, enum: ['ckan', 'dcat', 'manual'], default: 'manual' },
    sourceId: { type: Schema.Types.ObjectId },
    externalId: { type: String, required: true },
    slug: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    organisationId: { type: Schema.Types.ObjectId, required: true },
    officerIds: { type: [Schema.Types.ObjectId], default: [] },
    tags: { type: [String], default: [] },
    licence: { type: Schema.Types.Mixed },
    contactPoint: { type: Schema.Types.Mixed },
    updateFrequency: { type: String },
    landingPage: { type: String },
    issued: { type: Date },
    modified: { type: Date },
    withdrawnAt: { type: Date },
    resources: { type: [resourceSchema], default: [] },
    quality: { type: Schema.Types.Mixed }, // latest score block, written by the quality worker
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { timestamps: true, minimize: false },
);
// Public pages, widget and intake: dataset by slug.
datasetSchema.index({ slug: 1 }, { unique: true });
// Harvest upserts: dataset by (source, external id) — `source:externalId` also unique via slug fallback.
datasetSchema.index({ sourceId: 1, externalId: 1 });
// Organisation pages and scoping.
datasetSchema.index({ organisationId: 1, title: 1 });
// Outbox relay.
datasetSchema.index({ 'outbox._id': 1 });

export type DatasetDoc = InferSchemaType<typeof datasetSchema>;
