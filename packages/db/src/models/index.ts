import type { Connection } from 'mongoose';
import {
  apiTokenSchema,
  counterSchema,
  organisationSchema,
  sessionSchema,
  teamSchema,
  userSchema,
} from './directory.ts';
import { datasetSchema } from './catalog.ts';
import { flagSchema, idempotencySchema, notificationSchema, subscriptionSchema } from './engagement.ts';
import { ticketSchema } from './ticket.ts';

/** Registers every model on a connection (idempotent) and returns them by name. */
export function registerModels(connection: Connection) {
  const model = <S extends import('mongoose').Schema>(name: string, schema: S, collection: string) =>
    connection.models[name] ?? connection.model(name, schema, collection);
  return {
    Ticket: model('Ticket', ticketSchema, 'tickets'),
    Organisation: model('Organisation', organisationSchema, 'organisations'),
    Team: model('Team', teamSchema, 'teams'),
    User: model('User', userSchema, 'users'),
    ApiToken: model('ApiToken', apiTokenSchema, 'api_tokens'),
    Session: model('Session', sessionSchema, 'sessions'),
    Counter: model('Counter', counterSchema, 'counters'),
    Dataset: model('Dataset', datasetSchema, 'datasets'),
    Subscription: model('Subscription', subscriptionSchema, 'subscriptions'),
    Flag: model('Flag', flagSchema, 'flags'),
    Idempotency: model('Idempotency', idempotencySchema, 'idempotency_keys'),
    Notification: model('Notification', notificationSchema, 'notifications'),
  };
}

export type Models = ReturnType<typeof registerModels>;
