import { z } from 'zod';

const EVENT_TYPE = z.string().regex(/^(\*|[a-z_]{2,40})$/, 'an event type or *');

export const webhookBody = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z.array(EVENT_TYPE).min(1).max(50),
  secret: z.string().min(16).max(200).optional(),
  organisationIds: z
    .array(z.string().regex(/^[0-9a-f]{24}$/))
    .max(100)
    .optional(),
  description: z.string().trim().max(500).optional(),
});

export const webhookPatch = z.strictObject({ active: z.boolean() });
