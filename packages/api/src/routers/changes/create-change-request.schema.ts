import { z } from "zod";
import { ZChangeParamsSchema } from "@meridian/policy";
import { strict, ZDescriptionSchema, ZTitleSchema, ZWindowIdSchema } from "./common.schema";

export const ZCreateChangeRequestRequestSchema = z.strictObject(
  {
    /** A plain-words title is made up from the parameters when omitted. */
    title: ZTitleSchema.optional(),
    description: ZDescriptionSchema.default(""),
    params: ZChangeParamsSchema,
    /** The maintenance window the change should run in. */
    maintenanceWindowId: ZWindowIdSchema.nullable().default(null),
    /** Emergency FAILOVER on the break-glass path (DBAs only): one DBA approves, reviewed afterwards. */
    breakGlass: z.boolean({ error: "Break-glass must be true or false" }).default(false),
  },
  strict,
);
export type TCreateChangeRequestRequest = z.output<typeof ZCreateChangeRequestRequestSchema>;
export type TCreateChangeRequestRequestInput = z.input<typeof ZCreateChangeRequestRequestSchema>;
