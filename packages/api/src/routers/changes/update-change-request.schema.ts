import { z } from "zod";
import { ZChangeParamsSchema } from "@meridian/policy";
import { strict, ZDescriptionSchema, ZExpectedVersionSchema, ZRequestNumberSchema, ZTitleSchema, ZWindowIdSchema } from "./common.schema";

/** Edit a request: a changed plan voids the approvals given so far and asks for them again. */
export const ZUpdateChangeRequestRequestSchema = z.strictObject(
  {
    number: ZRequestNumberSchema,
    expectedVersion: ZExpectedVersionSchema,
    title: ZTitleSchema.optional(),
    description: ZDescriptionSchema.optional(),
    /** Same kind as the request; omitted: re-plan the stored parameters against the fleet as it is now. */
    params: ZChangeParamsSchema.optional(),
    /** Null removes the window; omitted keeps it. */
    maintenanceWindowId: ZWindowIdSchema.nullable().optional(),
  },
  strict,
);
export type TUpdateChangeRequestRequest = z.output<typeof ZUpdateChangeRequestRequestSchema>;
