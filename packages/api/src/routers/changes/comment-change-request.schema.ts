import { z } from "zod";
import { strict, ZRequestNumberSchema } from "./common.schema";

export const ZCommentChangeRequestRequestSchema = z.strictObject(
  {
    number: ZRequestNumberSchema,
    body: z
      .string({ error: "Comment is required" })
      .trim()
      .min(1, "Comment is required")
      .max(4000, "Comment is at most 4000 characters"),
  },
  strict,
);
export type TCommentChangeRequestRequest = z.output<typeof ZCommentChangeRequestRequestSchema>;
