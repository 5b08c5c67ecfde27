import { z } from 'zod';

/** How long a new token lasts, in whole days; the account page's form sends them as text. */
const days = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d{1,4}$/)
      .transform(Number),
  ])
  .pipe(z.number().int().min(1).max(366));

/** A new API token: a name its owner will recognise in the list, and optionally its lifetime (absent: until revoked). */
export const tokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresInDays: days.optional(),
});
