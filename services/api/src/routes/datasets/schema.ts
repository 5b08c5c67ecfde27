import { HARVEST_SOURCE_KINDS } from '@quipu/db';
import { z } from 'zod';

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'expected an id');
const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .regex(/^https?:\/\/\S+$/i, 'expected an http(s) URL');

export const reportsQuery = z.strictObject({
  resource: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z.coerce.date().optional(),
});

export const subscriptionBody = z.strictObject({
  email: z.email().max(254),
  language: z.enum(['es', 'en']).default('es'),
  /** Honeypot: people leave it empty. */
  website: z.string().max(0).optional(),
});

/** A check schedule: an interval (at least an hour) or a cron pattern with its time zone. */
export const checkSchedule = z.union([
  z.strictObject({
    every: z
      .number()
      .int()
      .min(3_600_000)
      .max(366 * 24 * 3_600_000),
  }),
  z.strictObject({
    pattern: z
      .string()
      .trim()
      .regex(/^(\S+\s+){4,5}\S+$/, 'expected a cron pattern'),
    tz: z.string().min(1).max(64).default('America/Lima'),
  }),
]);

const resourceBody = z.strictObject({
  id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,100}$/)
    .optional(),
  name: z.string().trim().min(1).max(200),
  url: httpUrl,
  format: z.string().trim().max(20).optional(),
  mediaType: z.string().trim().max(100).optional(),
  /** Table Schema descriptor, or the URL of one. */
  schema: z
    .union([z.looseObject({ fields: z.array(z.looseObject({ name: z.string() })) }), httpUrl])
    .optional(),
});

export const datasetBody = z.strictObject({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,99}$/, 'lower-case letters, digits and dashes'),
  title: z.string().trim().min(3).max(300),
  description: z.string().trim().max(20_000).optional(),
  organisation: z.string().min(1).max(100),
  officerIds: z.array(objectId).max(20).optional(),
  tags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  licence: z
    .strictObject({
      id: z.string().max(100).nullable().default(null),
      title: z.string().max(300).nullable().default(null),
      url: httpUrl.nullable().default(null),
      isOpen: z.boolean().default(false),
    })
    .optional(),
  contactEmail: z.email().max(254).optional(),
  updateFrequency: z.string().trim().max(40).optional(),
  landingPage: httpUrl.optional(),
  modified: z.coerce.date().optional(),
  resources: z.array(resourceBody).min(1).max(100),
  schedule: checkSchedule.optional(),
  failuresBeforeTicket: z.number().int().min(1).max(30).optional(),
});

export const datasetPatch = z
  .strictObject({
    officerIds: z.array(objectId).max(20).optional(),
    schedule: checkSchedule.optional(),
    failuresBeforeTicket: z.number().int().min(1).max(30).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

export const checkBody = z.strictObject({ resourceId: z.string().min(1).max(200).optional() }).optional();

export const harvestSourceBody = z.strictObject({
  kind: z.enum(HARVEST_SOURCE_KINDS),
  url: httpUrl,
  name: z.string().trim().min(2).max(200),
  organisation: z.string().min(1).max(100).optional(),
  schedule: z
    .union([
      z.strictObject({ every: z.number().int().min(60_000) }),
      z.strictObject({
        pattern: z.string().trim().min(9).max(100),
        tz: z.string().min(1).max(64).optional(),
      }),
    ])
    .optional(),
  enabled: z.boolean().default(true),
});
