import { z } from "zod";
import { ZCodeSchema, ZDataCenterStatusSchema } from "./inventory.schema";

export const ZUpdateDataCenterStatusRequestSchema = z.object({
  /** Data center code. */
  code: ZCodeSchema,
  status: ZDataCenterStatusSchema,
  /**
   * The status the caller saw. When given, the change applies only if the data center is
   * still in that status (conditional update); otherwise the call fails with CONFLICT.
   */
  expectedStatus: ZDataCenterStatusSchema.optional(),
  /** Why the status changes; kept with the change once the audit trail lands. */
  reason: z.string().trim().max(500, "At most 500 characters").optional(),
});

export type TUpdateDataCenterStatusRequest = z.infer<typeof ZUpdateDataCenterStatusRequestSchema>;
