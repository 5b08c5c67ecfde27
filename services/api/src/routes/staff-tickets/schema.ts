import {
  ALL_STATUSES,
  COMPLAINT_CATEGORIES,
  DATA_REQUEST_CATEGORIES,
  PRIORITIES,
  QUALITY_CATEGORIES,
  TICKET_ACTIONS,
} from '@quipu/core/tickets';
import { z } from 'zod';

// The transfer body is shared with the desk's transfer form (@quipu/http).
export { transferBody } from '@quipu/http';

const id = z.string().regex(/^[0-9a-f]{24}$/, 'an id');

export const staffListQuery = z.strictObject({
  kind: z.enum(['complaint', 'data_request', 'quality_issue']).optional(),
  status: z
    .string()
    .max(200)
    .optional()
    .transform((s) => s?.split(',').filter(Boolean))
    .pipe(z.array(z.enum(ALL_STATUSES as unknown as [string, ...string[]])).optional()),
  organisation: id.optional(),
  team: id.optional(),
  /** `me`, `none` or a user id. */
  assignee: z.union([z.literal('me'), z.literal('none'), id]).optional(),
  dataset: id.optional(),
  q: z.string().trim().min(1).max(200).optional(),
  /** Saved filters of the officer's inbox. */
  view: z.enum(['mine', 'team', 'unassigned', 'due_soon', 'breached', 'waiting', 'moderation']).optional(),
  sort: z.enum(['newest', 'oldest', 'most_supported']).default('newest'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const transitionBody = z.strictObject({
  action: z.enum(TICKET_ACTIONS as unknown as [string, ...string[]]),
  reason: z.string().trim().max(5000).optional(),
  message: z.string().trim().max(5000).optional(),
  resolution: z.string().trim().max(5000).optional(),
  expectedDate: z.string().max(40).optional(),
  datasetId: id.optional(),
});

export const assignBody = z.strictObject({
  teamId: id.nullable().optional(),
  assigneeId: id.nullable().optional(),
  reason: z.string().trim().max(1000).optional(),
});
export const editBody = z
  .strictObject({
    priority: z.enum(PRIORITIES).optional(),
    category: z
      .enum([...new Set([...COMPLAINT_CATEGORIES, ...DATA_REQUEST_CATEGORIES, ...QUALITY_CATEGORIES])] as [
        string,
        ...string[],
      ])
      .optional(),
    reason: z.string().trim().max(1000).optional(),
  })
  .refine((b) => b.priority !== undefined || b.category !== undefined, {
    message: 'give priority or category',
  });
export const commentBody = z.strictObject({
  body: z.string().trim().min(1).max(5000),
  visibility: z.enum(['public', 'internal']),
});
export const linkBody = z.strictObject({
  dataset: z.string().trim().min(1).max(200),
  resourceId: z.string().max(200).optional(),
  reason: z.string().trim().max(1000).optional(),
});
export const mergeBody = z.strictObject({
  into: z.string().trim().min(3).max(40),
  reason: z.string().trim().max(1000).optional(),
});
export const moderateBody = z.strictObject({ decision: z.enum(['publish', 'hide']) });
