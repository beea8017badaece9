import { z } from "zod";

export const ZGetClusterRequestSchema = z.object({
  /** The cluster's name (unique) or its id (uuid). */
  ref: z.string().trim().min(1, "Give a cluster name or id").max(128, "At most 128 characters"),
});

export type TGetClusterRequest = z.infer<typeof ZGetClusterRequestSchema>;
