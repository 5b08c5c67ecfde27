import { z } from 'zod';

export const langQuery = z.strictObject({ lang: z.enum(['es', 'en']).default('es') });

export const extensionBody = z.strictObject({
  /** `YYYY-MM-DD` (due at that business day's closing) or an ISO instant. */
  newDue: z.string().trim().min(10).max(40),
  /** Why answering in time is materially impossible; sent to the requester. */
  reason: z.string().trim().min(10).max(2000),
});
