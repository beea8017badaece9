import { z } from "zod";
import {
  listRequestShape,
  ZCodeSchema,
  ZDataClassificationSchema,
  ZEngineSchema,
  ZHealthStatusSchema,
  ZTierSchema,
} from "./inventory.schema";

export const CLUSTER_SORT_KEYS = [
  "name",
  "team",
  "engine",
  "tier",
  "classification",
  "jurisdiction",
  "instances",
  "dataCenters",
  "primaryDataCenter",
  "lag",
  "health",
] as const;

export const ZListClustersRequestSchema = z.object({
  ...listRequestShape,
  sort: z.enum(CLUSTER_SORT_KEYS).default("name"),
  /** Owner team slug. */
  team: ZCodeSchema.optional(),
  engine: ZEngineSchema.optional(),
  tier: ZTierSchema.optional(),
  classification: ZDataClassificationSchema.optional(),
  /** Home jurisdiction code. */
  jurisdiction: ZCodeSchema.optional(),
  /** Clusters with at least one instance in this region (code). */
  region: ZCodeSchema.optional(),
  /** Clusters with at least one instance in this data center (code). */
  dataCenter: ZCodeSchema.optional(),
  /** Health roll-up of the cluster's instances. */
  health: ZHealthStatusSchema.optional(),
});

export type TListClustersRequest = z.infer<typeof ZListClustersRequestSchema>;
export type TListClustersRequestInput = z.input<typeof ZListClustersRequestSchema>;
