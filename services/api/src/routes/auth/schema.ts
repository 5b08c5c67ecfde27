import { z } from 'zod';

export const loginBody = z.strictObject({ email: z.email().max(254), password: z.string().min(1).max(200) });
// The token body is shared with the desk's account page (@quipu/http).
export { tokenBody } from '@quipu/http';
