import { z } from "zod";
import { listRequestShape, ZCodeSchema, ZDataCenterStatusSchema, ZHealthStatusSchema } from "./inventory.schema";

export const DATA_CENTER_SORT_KEYS = [
  "code",
  "name",
  "city",
  "country",
  "region",
  "jurisdiction",
  "provider",
  "status",
  "capacity",
  "instances",
  "free",
  "utilisation",
  "health",
] as const;

export const ZListDataCentersRequestSchema = z.object({
  ...listRequestShape,
  sort: z.enum(DATA_CENTER_SORT_KEYS).default("code"),
  jurisdiction: ZCodeSchema.optional(),
  region: ZCodeSchema.optional(),
  status: ZDataCenterStatusSchema.optional(),
  provider: ZCodeSchema.optional(),
  /** Health roll-up of the data center's instances. */
  health: ZHealthStatusSchema.optional(),
});

export type TListDataCentersRequest = z.infer<typeof ZListDataCentersRequestSchema>;
export type TListDataCentersRequestInput = z.input<typeof ZListDataCentersRequestSchema>;
