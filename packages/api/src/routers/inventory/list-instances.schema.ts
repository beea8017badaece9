import { z } from "zod";
import {
  listRequestShape,
  ZCodeSchema,
  ZDataClassificationSchema,
  ZEngineSchema,
  ZHealthStatusSchema,
  ZInstanceRoleSchema,
  ZTierSchema,
} from "./inventory.schema";

export const INSTANCE_SORT_KEYS = [
  "name",
  "cluster",
  "dataCenter",
  "region",
  "jurisdiction",
  "role",
  "health",
  "engine",
  "version",
  "lag",
  "lagBytes",
  "updatedAt",
] as const;

export const ZListInstancesRequestSchema = z.object({
  ...listRequestShape,
  sort: z.enum(INSTANCE_SORT_KEYS).default("name"),
  /** Cluster name. */
  cluster: ZCodeSchema.optional(),
  /** Data center code. */
  dataCenter: ZCodeSchema.optional(),
  region: ZCodeSchema.optional(),
  /** Jurisdiction of the instance's data center. */
  jurisdiction: ZCodeSchema.optional(),
  /** Owner team slug of the instance's cluster. */
  team: ZCodeSchema.optional(),
  engine: ZEngineSchema.optional(),
  tier: ZTierSchema.optional(),
  classification: ZDataClassificationSchema.optional(),
  role: ZInstanceRoleSchema.optional(),
  health: ZHealthStatusSchema.optional(),
});

export type TListInstancesRequest = z.infer<typeof ZListInstancesRequestSchema>;
export type TListInstancesRequestInput = z.input<typeof ZListInstancesRequestSchema>;
