import type { Connection, Model, Schema as SchemaType } from 'mongoose';
import { type InferSchemaType, Schema } from 'mongoose';
import { calendarOverrideSchema } from './calendar-override.ts';
import { webhookDeliverySchema, webhookSchema } from './webhook.ts';

/**
 * A staff member's e-mail preferences (`_id` = user id). Absent means the defaults: managers
 * and team leads receive the daily digest.
 */
export const preferenceSchema = new Schema(
  {
    _id: { type: String, required: true },
    dailyDigest: { type: Boolean, default: true },
  },
  { timestamps: true },
);

export type PreferenceDoc = InferSchemaType<typeof preferenceSchema>;

type Loose = Model<Record<string, unknown>>;

function model(connection: Connection, name: string, schema: SchemaType, collection: string): Loose {
  return (
    (connection.models[name] as Loose | undefined) ??
    (connection.model(name, schema, collection) as unknown as Loose)
  );
}

/** The models of SLA extras (calendar overrides, webhooks, preferences); registered by registerModels. */
export function slaExtraModels(connection: Connection) {
  return {
    CalendarOverride: model(connection, 'CalendarOverride', calendarOverrideSchema, 'calendar_overrides'),
    Webhook: model(connection, 'Webhook', webhookSchema, 'webhooks'),
    WebhookDelivery: model(connection, 'WebhookDelivery', webhookDeliverySchema, 'webhook_deliveries'),
    Preference: model(connection, 'Preference', preferenceSchema, 'preferences'),
  };
}
