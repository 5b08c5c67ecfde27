import { z } from 'zod';

export const loginBody = z.strictObject({ email: z.email().max(254), password: z.string().min(1).max(200) });
export const tokenBody = z.strictObject({ name: z.string().trim().min(1).max(100) });
