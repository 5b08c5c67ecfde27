import { z } from 'zod';

/**
 * A new API token: a name its owner will recognise in the list, and optionally how many days it
 * lasts (absent: until revoked). The account page's form sends the days as text, hence coerce.
 */
export const tokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.coerce.number().int().min(1).max(366).optional(),
});
