import { z } from 'zod';

export const calendarsQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});

export const holidayBody = z.strictObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
  name: z.string().trim().min(3).max(200),
  nameEn: z.string().trim().min(3).max(200).optional(),
  /** The decree, e.g. "DS 052-2026-PCM". */
  law: z.string().trim().min(3).max(200).optional(),
});
