import { z } from "zod";
import { ZCodeSchema } from "../inventory/inventory.schema";

/** One cluster's replication graph: its instances grouped by data center, and every link. */
export const ZGetClusterGraphRequestSchema = z
  .object({
    /** Cluster name (or id). */
    cluster: ZCodeSchema,
  })
  .strict();

export type TGetClusterGraphRequest = z.infer<typeof ZGetClusterGraphRequestSchema>;
