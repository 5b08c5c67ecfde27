import { COMPLAINT_CATEGORIES, DATA_REQUEST_CATEGORIES } from '@quipu/core/tickets';
import { z } from 'zod';

const reporter = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(120).optional(),
  language: z.enum(['es', 'en']).default('es'),
});

const common = {
  title: z.string().trim().min(5).max(200),
  description: z.string().trim().min(10).max(5000),
  reporter,
  /** Ley 29733: processing of personal data needs the reporter's consent. */
  consent: z.literal(true, { message: 'consent is required (Ley 29733)' }),
  /** Honeypot: people leave it empty; bots fill it. */
  website: z.string().max(200).optional(),
};

export const complaintBody = z.strictObject({
  ...common,
  category: z.enum(COMPLAINT_CATEGORIES),
  dataset: z.string().trim().min(1).max(200).optional(),
  resourceId: z.string().trim().min(1).max(200).optional(),
  datasetUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  organisation: z.string().trim().min(1).max(200).optional(),
  regime: z.enum(['complaints_book']).optional(),
});

export const dataRequestBody = z.strictObject({
  ...common,
  category: z.enum(DATA_REQUEST_CATEGORIES).optional(),
  organisation: z.string().trim().min(1).max(200).optional(),
  dataset: z.string().trim().min(1).max(200).optional(),
  /** The requester invokes Ley 27806 (access to public information): legal deadlines apply. */
  regime: z.enum(['access_to_information']).optional(),
});
