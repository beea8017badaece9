import { z } from "zod";
import { ZApprovalPolicySchema } from "@meridian/policy";
import { strict } from "../changes/common.schema";

const ZPolicyIdSchema = z.guid({ error: "Policy must be an id (uuid)" });

export const ZCreateApprovalPolicyRequestSchema = ZApprovalPolicySchema;
export type TCreateApprovalPolicyRequest = z.output<typeof ZCreateApprovalPolicyRequestSchema>;

export const ZUpdateApprovalPolicyRequestSchema = z.strictObject(
  {
    id: ZPolicyIdSchema,
    /** The `updatedAt` the editor loaded: refused if someone saved the policy meanwhile. */
    expectedUpdatedAt: z.coerce.date({ error: "Expected updated-at must be a date" }),
    policy: ZApprovalPolicySchema,
  },
  strict,
);
export type TUpdateApprovalPolicyRequest = z.output<typeof ZUpdateApprovalPolicyRequestSchema>;

export const ZDeleteApprovalPolicyRequestSchema = z.strictObject({ id: ZPolicyIdSchema }, strict);
export type TDeleteApprovalPolicyRequest = z.output<typeof ZDeleteApprovalPolicyRequestSchema>;
