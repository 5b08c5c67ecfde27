import { z } from 'zod';

const id = z.string().regex(/^[0-9a-f]{24}$/, 'an id');
const slug = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and -');

export const organisationBody = z.strictObject({
  slug,
  name: z.string().trim().min(2).max(200),
  parent: z.string().trim().min(1).max(200).optional(),
  calendarId: z.string().trim().min(1).max(60).optional(),
  contactEmail: z.email().max(254).optional(),
});
export const organisationPatch = z.strictObject({
  name: z.string().trim().min(2).max(200).optional(),
  calendarId: z.string().trim().min(1).max(60).optional(),
  contactEmail: z.email().max(254).optional(),
});
export const teamBody = z.strictObject({
  organisation: z.string().trim().min(1).max(200),
  slug,
  name: z.string().trim().min(2).max(200),
  leadIds: z.array(id).max(50).optional(),
  memberIds: z.array(id).max(500).optional(),
  strategy: z.enum(['manual', 'round_robin', 'least_loaded']).optional(),
  capPerOfficer: z.number().int().min(1).max(10_000).optional(),
});
export const teamPatch = z.strictObject({
  name: z.string().trim().min(2).max(200).optional(),
  leadIds: z.array(id).max(50).optional(),
  memberIds: z.array(id).max(500).optional(),
  strategy: z.enum(['manual', 'round_robin', 'least_loaded']).optional(),
  capPerOfficer: z.number().int().min(1).max(10_000).optional(),
});
export const userBody = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(2).max(200),
  password: z.string().min(12, 'at least 12 characters').max(200).optional(),
  roles: z
    .array(z.enum(['officer', 'team_lead', 'manager', 'admin']))
    .min(1)
    .max(4),
  organisations: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  language: z.enum(['es', 'en']).optional(),
});
export const userPatch = z.strictObject({
  name: z.string().trim().min(2).max(200).optional(),
  roles: z
    .array(z.enum(['officer', 'team_lead', 'manager', 'admin']))
    .min(1)
    .max(4)
    .optional(),
  away: z.boolean().optional(),
  active: z.boolean().optional(),
  language: z.enum(['es', 'en']).optional(),
  password: z.string().min(12, 'at least 12 characters').max(200).optional(),
});
