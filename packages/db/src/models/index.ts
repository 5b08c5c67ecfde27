import type { Connection, Model, Schema } from 'mongoose';
import { datasetSchema, harvestSourceSchema } from './catalog.ts';
import {
  apiTokenSchema,
  assignmentStateSchema,
  counterSchema,
  figureFactsSchema,
  organisationSchema,
  sessionSchema,
  teamSchema,
  userSchema,
} from './directory.ts';
import { flagSchema, idempotencySchema, notificationSchema, subscriptionSchema } from './engagement.ts';
import { slaExtraModels } from './preference.ts';
import { qualityModels } from './quality.ts';
import { settingSchema } from './settings.ts';
import { ticketSchema } from './ticket.ts';

/**
 * Models are typed loosely on purpose (documents as records): repositories are the only code
 * that touches them, and they return typed plain objects (`TicketRecord`, …).
 */
export type LooseModel = Model<Record<string, unknown>>;

function model(connection: Connection, name: string, schema: Schema, collection: string): LooseModel {
  return (
    (connection.models[name] as LooseModel | undefined) ??
    (connection.model(name, schema, collection) as unknown as LooseModel)
  );
}

/** Registers every model on a connection (idempotent) and returns them by name. */
export function registerModels(connection: Connection) {
  return {
    Ticket: model(connection, 'Ticket', ticketSchema, 'tickets'),
    Organisation: model(connection, 'Organisation', organisationSchema, 'organisations'),
    Team: model(connection, 'Team', teamSchema, 'teams'),
    User: model(connection, 'User', userSchema, 'users'),
    ApiToken: model(connection, 'ApiToken', apiTokenSchema, 'api_tokens'),
    Session: model(connection, 'Session', sessionSchema, 'sessions'),
    Counter: model(connection, 'Counter', counterSchema, 'counters'),
    AssignmentState: model(connection, 'AssignmentState', assignmentStateSchema, 'assignment_state'),
    FigureFacts: model(connection, 'FigureFacts', figureFactsSchema, 'figure_facts'),
    Dataset: model(connection, 'Dataset', datasetSchema, 'datasets'),
    HarvestSource: model(connection, 'HarvestSource', harvestSourceSchema, 'harvest_sources'),
    Subscription: model(connection, 'Subscription', subscriptionSchema, 'subscriptions'),
    Flag: model(connection, 'Flag', flagSchema, 'flags'),
    Idempotency: model(connection, 'Idempotency', idempotencySchema, 'idempotency_keys'),
    Notification: model(connection, 'Notification', notificationSchema, 'notifications'),
    Setting: model(connection, 'Setting', settingSchema, 'settings'),
    ...slaExtraModels(connection),
    ...qualityModels(connection),
  };
}

export type Models = ReturnType<typeof registerModels>;
