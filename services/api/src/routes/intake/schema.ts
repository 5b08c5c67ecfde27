import { z } from 'zod';

// The bodies are shared with the web's intake forms (@quipu/http).
export { complaintBody, dataRequestBody } from '@quipu/http';

export const intakeResponse = z.object({ ref: z.string(), status: z.string(), trackingUrl: z.string() });
