import { z } from "zod";

export const SEARCH_KINDS = ["dataCenter", "cluster", "instance"] as const;
export type TSearchKind = (typeof SEARCH_KINDS)[number];

/** Clusters, instances and data centers by name (or code, city, endpoint), to focus one. */
export const ZSearchTopologyRequestSchema = z
  .object({
    q: z.string().trim().min(1, "Type at least one character").max(128, "At most 128 characters"),
    /** Results per kind. */
    limit: z.number().int("Limit must be a whole number").min(1, "Limit is at least 1").max(20, "Limit is at most 20").default(6),
    kinds: z.array(z.enum(SEARCH_KINDS)).min(1, "Name at least one kind").optional(),
  })
  .strict();

export type TSearchTopologyRequest = z.infer<typeof ZSearchTopologyRequestSchema>;
