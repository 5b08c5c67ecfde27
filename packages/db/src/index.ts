export {
  type ConnectOptions,
  connectDatabase,
  ensureIndexes,
  pingDatabase,
  redactUrl,
} from './connection.ts';
export type { ApiTokenDoc, OrganisationDoc, TeamDoc, UserDoc } from './models/directory.ts';
export { type Models, registerModels } from './models/index.ts';
export type { TicketDoc } from './models/ticket.ts';
export { type OutboxEntry, type OutboxStore, outboxEntry, outboxEntrySchema, outboxStore } from './outbox.ts';
