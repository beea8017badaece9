import { z } from "zod";
import { ZMaintenanceWindowSchema } from "@meridian/policy";
import { strict } from "../changes/common.schema";

export const ZListMaintenanceWindowsRequestSchema = z
  .strictObject(
    {
      from: z.coerce.date({ error: "From must be a date and time" }),
      to: z.coerce.date({ error: "To must be a date and time" }),
      /** Only this data center's windows (and the fleet-wide ones). */
      dataCenterId: z.guid({ error: "Data center must be an id (uuid)" }).optional(),
    },
    strict,
  )
  .refine((r) => r.to.getTime() > r.from.getTime(), { path: ["to"], message: "To must be after From" })
  .refine((r) => r.to.getTime() - r.from.getTime() <= 400 * 86_400_000, { path: ["to"], message: "At most 400 days at once" });
export type TListMaintenanceWindowsRequest = z.output<typeof ZListMaintenanceWindowsRequestSchema>;

export const ZCreateMaintenanceWindowRequestSchema = ZMaintenanceWindowSchema;
export type TCreateMaintenanceWindowRequest = z.output<typeof ZCreateMaintenanceWindowRequestSchema>;

export const ZDeleteMaintenanceWindowRequestSchema = z.strictObject(
  { id: z.guid({ error: "Window must be an id (uuid)" }) },
  strict,
);
export type TDeleteMaintenanceWindowRequest = z.output<typeof ZDeleteMaintenanceWindowRequestSchema>;
