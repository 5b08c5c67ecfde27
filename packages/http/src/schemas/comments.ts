import { z } from 'zod';

/** A reporter's reply on the tracking page (the API's and the page's form). */
export const reporterCommentBody = z.strictObject({
  body: z.string().trim().min(1).max(5000),
  attachments: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(200),
        size: z
          .number()
          .int()
          .min(0)
          .max(50 * 1024 * 1024),
        mediaType: z.string().trim().min(3).max(100),
        url: z
          .url({ protocol: /^https?$/ })
          .max(2000)
          .optional(),
      }),
    )
    .max(5)
    .default([]),
});
