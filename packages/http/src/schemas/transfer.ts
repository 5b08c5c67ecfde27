import { z } from 'zod';

/** Sending a ticket to another organisation, with the reason the requester will read. */
export const transferBody = z.strictObject({
  organisation: z.string().trim().min(1).max(200),
  reason: z.string().trim().min(3).max(1000),
});
