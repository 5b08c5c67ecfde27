import { z } from 'zod';

export const preferencesBody = z.strictObject({ dailyDigest: z.boolean() });
