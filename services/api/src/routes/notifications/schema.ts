import { z } from 'zod';

export const notificationsQuery = z.strictObject({
  state: z.enum(['failed', 'pending', 'sent', 'suppressed']).default('failed'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime().optional(),
});
