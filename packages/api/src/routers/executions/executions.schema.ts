import { z } from "zod";
import { strict, ZRequestNumberSchema } from "../changes/common.schema";

/** The execution the caller saw on the page: an action never lands on a newer attempt by surprise. */
const ZExecutionIdSchema = z.guid({ error: "Execution must be an id (uuid)" }).optional();

export const ZExecutionsForRequestRequestSchema = z.strictObject({ number: ZRequestNumberSchema }, strict);
export type TExecutionsForRequestRequest = z.output<typeof ZExecutionsForRequestRequestSchema>;

export const ZOperateExecutionRequestSchema = z.strictObject({ number: ZRequestNumberSchema, executionId: ZExecutionIdSchema }, strict);
export type TOperateExecutionRequest = z.output<typeof ZOperateExecutionRequestSchema>;

export const ZCancelExecutionRequestSchema = z.strictObject(
  {
    number: ZRequestNumberSchema,
    executionId: ZExecutionIdSchema,
    reason: z.string({ error: "Reason must be text" }).trim().max(2000, "Reason is at most 2000 characters").default(""),
  },
  strict,
);
export type TCancelExecutionRequest = z.output<typeof ZCancelExecutionRequestSchema>;

export const ZRetryStepRequestSchema = z.strictObject(
  {
    number: ZRequestNumberSchema,
    executionId: ZExecutionIdSchema,
    /** 0-based position of the failed step; omitted: the failed one. */
    stepIndex: z
      .number({ error: "Step must be a number (0 for the first step)" })
      .int("Step must be a whole number")
      .min(0, "Step starts at 0")
      .max(10_000, "Step is too large")
      .optional(),
  },
  strict,
);
export type TRetryStepRequest = z.output<typeof ZRetryStepRequestSchema>;
