import { z } from 'zod';

export const langQuery = z.strictObject({ lang: z.enum(['es', 'en']).default('es') });

export const extensionBody = z.strictObject({
  /** `YYYY-MM-DD` (due at that business day's closing) or an ISO instant. */
  newDue: z.string().trim().min(10).max(40),
  /** Why answering in time is materially impossible; sent to the requester. */
  reason: z.string().trim().min(10).max(2000),
});

export const calendarsQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});

export const holidayBody = z.strictObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
  name: z.string().trim().min(3).max(200),
  nameEn: z.string().trim().min(3).max(200).optional(),
  /** The decree, e.g. "DS 052-2026-PCM". */
  law: z.string().trim().min(3).max(200).optional(),
});

export const notificationsQuery = z.strictObject({
  state: z.enum(['failed', 'pending', 'sent', 'suppressed']).default('failed'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime().optional(),
});

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

export const preferencesBody = z.strictObject({ dailyDigest: z.boolean() });

export const digestBody = z.strictObject({ digest: z.boolean() });
