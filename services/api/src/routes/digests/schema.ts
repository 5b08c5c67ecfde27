import { z } from 'zod';

export const digestBody = z.strictObject({ digest: z.boolean() });
