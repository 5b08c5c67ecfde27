import { z } from 'zod';

/** Supporting or following a public ticket: the address to write to, and its language. */
export const subscribeBody = z.strictObject({
  email: z.email().max(254),
  language: z.enum(['es', 'en']).default('es'),
});
