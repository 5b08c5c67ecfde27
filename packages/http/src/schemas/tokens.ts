import { z } from 'zod';

/** A new API token: a name its owner will recognise in the list. */
export const tokenBody = z.strictObject({ name: z.string().trim().min(1).max(100) });
