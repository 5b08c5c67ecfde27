import { ALL_STATUSES } from '@quipu/core/tickets';
import { z } from 'zod';

// Support and follow bodies are shared with the web's ticket page (@quipu/http).
export { subscribeBody } from '@quipu/http';

export const listQuery = z.strictObject({
  kind: z.enum(['complaint', 'data_request', 'quality_issue']).optional(),
  status: z.enum(ALL_STATUSES as unknown as [string, ...string[]]).optional(),
  organisation: z.string().trim().min(1).max(200).optional(),
  dataset: z.string().trim().min(1).max(200).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(['newest', 'oldest', 'most_supported']).default('newest'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const flagBody = z.strictObject({ reason: z.string().trim().max(500).optional() });
