import { z } from "zod";
import { strict, ZRequestNumberSchema } from "./common.schema";

/** The after-the-fact review of a break-glass change. */
export const ZReviewChangeRequestRequestSchema = z.strictObject(
  {
    number: ZRequestNumberSchema,
    note: z
      .string({ error: "Review note is required" })
      .trim()
      .min(10, "Say what the review found in at least 10 characters")
      .max(4000, "Review note is at most 4000 characters"),
  },
  strict,
);
export type TReviewChangeRequestRequest = z.output<typeof ZReviewChangeRequestRequestSchema>;
