import { z } from "zod";

const ZJurisdictionCodeSchema = z
  .string({ error: "A jurisdiction is a code such as EU or US" })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2,8}$/, "A jurisdiction is a code of 2 to 8 letters, such as EU or US");

const shape = {
  /** Cluster name. */
  cluster: z.string({ error: "Cluster is required" }).trim().min(1, "Cluster is required").max(96, "At most 96 characters"),
  /** The jurisdictions the cluster's data may live in (the home jurisdiction is always allowed). */
  allowedJurisdictions: z
    .array(ZJurisdictionCodeSchema, { error: "Allowed jurisdictions must be a list of codes" })
    .max(32, "At most 32 jurisdictions"),
};

/** What a new residency policy would put out of policy, before saving it. */
export const ZPreviewClusterResidencyRequestSchema = z.object(shape).strict();

/**
 * Saves a cluster's residency policy. `expectedAllowedJurisdictions` (what the form showed)
 * makes the update conditional: it fails with a conflict if someone changed the policy since.
 */
export const ZUpdateClusterResidencyRequestSchema = z
  .object({
    ...shape,
    expectedAllowedJurisdictions: z.array(ZJurisdictionCodeSchema).max(32).optional(),
    reason: z.string().trim().max(500, "At most 500 characters").optional(),
  })
  .strict();

export type TPreviewClusterResidencyRequest = z.infer<typeof ZPreviewClusterResidencyRequestSchema>;
export type TUpdateClusterResidencyRequest = z.infer<typeof ZUpdateClusterResidencyRequestSchema>;
