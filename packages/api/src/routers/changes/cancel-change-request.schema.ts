import { z } from "zod";
import { strict, ZExpectedVersionSchema, ZRequestNumberSchema } from "./common.schema";

export const ZCancelChangeRequestRequestSchema = z.strictObject(
  {
    number: ZRequestNumberSchema,
    expectedVersion: ZExpectedVersionSchema,
    reason: z.string({ error: "Reason must be text" }).trim().max(2000, "Reason is at most 2000 characters").default(""),
  },
  strict,
);
export type TCancelChangeRequestRequest = z.output<typeof ZCancelChangeRequestRequestSchema>;
