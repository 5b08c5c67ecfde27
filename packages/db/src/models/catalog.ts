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
    description: { type: String },
    accessUrl: { type: String },
    downloadUrl: { type: String },
    issued: { type: Date },
  },
  { _id: false, minimize: false },
);

/**
 * What the last harvest wrote, so the next one can tell "unchanged" without comparing
 * every field, and tell the quality worker only about datasets whose resources changed.
 */
const harvestStampSchema = new Schema(
  {
    /** sha256 of everything the harvest writes; equal → the run leaves the dataset alone. */
    fingerprint: { type: String, required: true },
    /** sha256 of the resources alone. */
    resourcesFingerprint: { type: String, required: true },
    /** The source's own modification stamp (CKAN `metadata_modified`), as printed. */
    sourceModified: { type: String },
    /** When the harvest last changed this dataset. */
    changedAt: { type: Date, required: true },
  },
  { _id: false },
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
    /** Set when the source stopped listing the dataset; harvested datasets are never deleted. */
    withdrawnAt: { type: Date },
    resources: { type: [resourceSchema], default: [] },
    themes: { type: [String], default: [] },
    accessRights: { type: String, enum: ['public', 'restricted', 'non-public'] },
    rights: { type: String },
    spatial: { type: String },
    temporal: { type: String },
    /** Present on harvested datasets only. */
    harvest: { type: harvestStampSchema },
    quality: { type: Schema.Types.Mixed }, // latest score block, written by the quality worker
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { timestamps: true, minimize: false },
);
// Public pages, widget and intake: dataset by slug.
datasetSchema.index({ slug: 1 }, { unique: true });
// Harvest upserts: dataset by (source, external id); withdrawal sweep: a source's datasets.
// Not unique: manual datasets have no sourceId, and FerretDB would collide on the nulls.
datasetSchema.index({ sourceId: 1, externalId: 1 });
// Organisation pages and scoping.
datasetSchema.index({ organisationId: 1, title: 1 });
// Outbox relay.
datasetSchema.index({ 'outbox._id': 1 });

export type DatasetDoc = InferSchemaType<typeof datasetSchema>;

export const HARVEST_SOURCE_KINDS = ['ckan', 'dcat-us', 'dcat-jsonld'] as const;
export type HarvestSourceKind = (typeof HARVEST_SOURCE_KINDS)[number];
export const DAILY_MS = 24 * 60 * 60 * 1000;

const scheduleSchema = new Schema(
  {
    /** Cron pattern (BullMQ `pattern`), e.g. `0 3 * * *`; wins over `every`. */
    pattern: { type: String },
    /** Milliseconds between runs. */
    every: { type: Number, min: 60_000 },
    /** Time zone of the cron pattern, e.g. `America/Lima`. */
    tz: { type: String },
  },
  { _id: false },
);

const harvestProblemSchema = new Schema(
  {
    code: { type: String },
    message: { type: String },
    externalId: { type: String },
    index: { type: Number },
  },
  { _id: false },
);

/** The counts of the last run (successful or not). */
const harvestStatsSchema = new Schema(
  {
    full: { type: Boolean, default: false },
    /** The source answered 304 to a conditional request: nothing to do. */
    notModified: { type: Boolean, default: false },
    pages: { type: Number, default: 0 },
    seen: { type: Number, default: 0 },
    created: { type: Number, default: 0 },
    updated: { type: Number, default: 0 },
    unchanged: { type: Number, default: 0 },
    withdrawn: { type: Number, default: 0 },
    malformed: { type: Number, default: 0 },
    organisationsCreated: { type: Number, default: 0 },
    durationMs: { type: Number, default: 0 },
    /** The first malformed entries and other problems, capped (see `HARVEST_PROBLEMS_KEPT`); `errors` is reserved by mongoose. */
    problems: { type: [harvestProblemSchema], default: [] },
  },
  { _id: false },
);

export const HARVEST_PROBLEMS_KEPT = 20;

/** A catalog Quipu copies from: a CKAN Action API, a Project Open Data data.json, a DCAT-AP JSON-LD. */
export const harvestSourceSchema = new Schema(
  {
    kind: { type: String, enum: HARVEST_SOURCE_KINDS, required: true },
    /** CKAN: the site root (`…/api/3/action/` is added); DCAT: the document itself. */
    url: {
      type: String,
      required: true,
      validate: { validator: (v: string) => /^https?:\/\/[^\s]+$/i.test(v), message: 'url must be http(s)' },
    },
    name: { type: String, required: true },
    /** Owner of datasets whose organisation the source does not name. */
    organisationId: { type: Schema.Types.ObjectId },
    schedule: { type: scheduleSchema, default: () => ({ every: DAILY_MS }) },
    enabled: { type: Boolean, default: true },
    lastRunAt: { type: Date },
    lastSuccessAt: { type: Date },
    /** Incremental runs sweep withdrawals only on full runs; a full run is forced when this is old. */
    lastFullRunAt: { type: Date },
    /** Unset by the next successful run. */
    lastError: { type: new Schema({ code: String, message: String, at: Date }, { _id: false }) },
    cursor: {
      type: new Schema(
        {
          /** CKAN: greatest `metadata_modified` harvested, ISO 8601 UTC. */
          lastModified: { type: String },
          /** DCAT documents: validators for the next conditional GET. */
          etag: { type: String },
          httpLastModified: { type: String },
        },
        { _id: false },
      ),
      default: () => ({}),
    },
    stats: { type: harvestStatsSchema },
    /** One run at a time per source, across processes (taken with findOneAndUpdate, expires). */
    lease: { type: new Schema({ token: String, until: Date }, { _id: false }) },
  },
  { timestamps: true, minimize: false },
);
// syncHarvestSchedules and the admin list: enabled sources.
harvestSourceSchema.index({ enabled: 1, name: 1 });
// Admin create: one source per (URL, kind).
harvestSourceSchema.index({ url: 1, kind: 1 }, { unique: true });

export type HarvestSourceDoc = InferSchemaType<typeof harvestSourceSchema>;
