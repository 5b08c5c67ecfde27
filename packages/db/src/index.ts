export {
  type ConnectOptions,
  connectDatabase,
  ensureIndexes,
  pingDatabase,
  redactUrl,
} from './connection.ts';
export { isDuplicateKeyError } from './errors.ts';
export type { ApiTokenDoc, OrganisationDoc, TeamDoc, UserDoc } from './models/directory.ts';
export { type Models, registerModels } from './models/index.ts';
export type { TicketDoc } from './models/ticket.ts';
export { type OutboxEntry, type OutboxStore, outboxEntry, outboxEntrySchema, outboxStore } from './outbox.ts';
export {
  type AssignmentRepository,
  assignmentRepository,
  type LoadCounter,
  loadOwner,
} from './repositories/assignment.ts';
export {
  type CalendarOverrideHoliday,
  type CalendarOverrideRecord,
  calendarOverrideRepository,
} from './repositories/calendar-overrides.ts';
export {
  type CatalogDatasetRecord,
  type DatasetFilters,
  type DatasetRepository,
  datasetRepository,
  type HarvestedDataset,
  type HarvestedResource,
  harvestFingerprints,
  type UpsertOutcome,
  type UpsertResult,
} from './repositories/datasets.ts';
export { type DatasetRecord, datasetLookup } from './repositories/datasets-lookup.ts';
export { digestQueries } from './repositories/digests.ts';
export {
  type ApiTokenRecord,
  type DirectoryRepository,
  directoryRepository,
  type OrganisationRecord,
  type TeamRecord,
  type UserRecord,
} from './repositories/directory.ts';
export {
  type EngagementRepository,
  engagementRepository,
  type SubscriptionRecord,
} from './repositories/engagement.ts';
export { type FigureRollupRepository, figureRollupRepository } from './repositories/figure-rollups.ts';
export {
  decodeFacts,
  encodeFacts,
  type FigureCounter,
  type FigureFacts,
  type FigureSettler,
  figureFacts,
  localDay,
  NONE,
  type Tally,
  tallies,
  tallyMove,
} from './repositories/figure-tallies.ts';
export {
  type AgeRow,
  BREACH_PROJECTION,
  type BreachDoc,
  type BreachList,
  type BreachRow,
  breachRows,
  byDue,
  type DemandRow,
  figuresRecount,
  lateByMs,
  NO_TEAM,
  type OrganisationRow,
  type TeamCounts,
  type TeamRow,
  teamTable,
  type View,
  viewFilter,
  type WeekRow,
  weekStarts,
} from './repositories/figures.ts';
export {
  type NotificationEntry,
  type NotificationRecord,
  notificationAdminRepository,
  notificationLogRepository,
} from './repositories/notifications.ts';
export { slaTicketQueries } from './repositories/open-tickets.ts';
export { preferenceRepository } from './repositories/preferences.ts';
export * from './repositories/quality-reports.ts';
export { refRepository } from './repositories/refs.ts';
export {
  EVERYTHING,
  escapeRegex,
  isObjectId,
  MalformedIdError,
  PUBLIC,
  type Scope,
  ticketScopeFilter,
  toObjectId,
} from './repositories/scope.ts';
export { settingsRepository } from './repositories/settings.ts';
export {
  type CatalogOrganisationRef,
  catalogOrganisationRepository,
  emptyHarvestStats,
  HARVEST_SOURCE_KINDS,
  type HarvestCursor,
  type HarvestSchedule,
  type HarvestSourceInput,
  type HarvestSourceKind,
  type HarvestSourcePatch,
  type HarvestSourceRecord,
  type HarvestSourceRepository,
  type HarvestStats,
  harvestSourceRepository,
} from './repositories/sources.ts';
export {
  type ChangeProps,
  type TicketFilters,
  type TicketRecord,
  type TicketRepository,
  type TicketSort,
  ticketRepository,
} from './repositories/tickets.ts';
export {
  type WebhookDeliveryRecord,
  type WebhookRecord,
  webhookRepository,
} from './repositories/webhooks.ts';
