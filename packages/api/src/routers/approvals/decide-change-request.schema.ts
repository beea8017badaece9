import { z } from "zod";
import { APPROVAL_DECISIONS } from "@meridian/policy";
import { strict, ZRequestNumberSchema } from "../changes/common.schema";

export const ZDecideChangeRequestRequestSchema = z
  .strictObject(
    {
      number: ZRequestNumberSchema,
      /** Stage name as routed on the request ("team-approval", "dba" ...). */
      stage: z
        .string({ error: "Stage is required" })
        .trim()
        .min(1, "Stage is required")
        .max(64, "Stage is at most 64 characters"),
      decision: z.enum(APPROVAL_DECISIONS, { error: "Decision must be APPROVE or REJECT" }),
      comment: z.string({ error: "Comment must be text" }).trim().max(4000, "Comment is at most 4000 characters").default(""),
      /** The plan hash the approver looked at: refused if the plan changed since. */
      planHash: z
        .string({ error: "Plan hash is required" })
        .regex(/^[0-9a-f]{64}$/, "Plan hash is 64 hexadecimal characters"),
    },
    strict,
  )
  .refine((d) => d.decision !== "REJECT" || d.comment.length >= 3, {
    path: ["comment"],
    message: "Say why you reject the request (at least 3 characters)",
  });
export type TDecideChangeRequestRequest = z.output<typeof ZDecideChangeRequestRequestSchema>;
