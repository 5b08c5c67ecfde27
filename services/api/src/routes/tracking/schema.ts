import { z } from 'zod';

// The reply body is shared with the web's tracking page (@quipu/http).
export { reporterCommentBody } from '@quipu/http';

export const satisfactionBody = z.strictObject({ answer: z.enum(['yes', 'no']) });
