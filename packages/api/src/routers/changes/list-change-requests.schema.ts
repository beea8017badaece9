import { z } from "zod";
import { CHANGE_KINDS, CHANGE_STATUSES, RISK_LEVELS, RESIDENCY_VERDICTS, STATUS_FAMILIES } from "@meridian/policy";
import { strict } from "./common.schema";

export const CHANGE_SORT_KEYS = ["number", "createdAt", "updatedAt", "risk", "status", "kind"] as const;
export const CHANGE_SCOPES = ["all", "mine", "my-teams"] as const;
export const CHANGE_MAX_PAGE_SIZE = 200;

export const ZListChangeRequestsRequestSchema = z.strictObject(
  {
    page: z.number({ error: "Page must be a number" }).int("Page must be a whole number").min(1, "Page starts at 1").default(1),
    pageSize: z
      .number({ error: "Page size must be a number" })
      .int("Page size must be a whole number")
      .min(1, "Page size must be at least 1")
      .max(CHANGE_MAX_PAGE_SIZE, `Page size must be at most ${CHANGE_MAX_PAGE_SIZE}`)
      .default(50),
    sort: z.enum(CHANGE_SORT_KEYS, { error: `Sort must be one of ${CHANGE_SORT_KEYS.join(", ")}` }).default("number"),
    order: z.enum(["asc", "desc"], { error: "Order must be asc or desc" }).default("desc"),
    /** CR number ("CR-12" or "12"), words of the title, or a cluster name. */
    q: z
      .string({ error: "Search must be text" })
      .trim()
      .max(200, "Search text is at most 200 characters")
      .optional()
      .transform((v) => v || undefined),
    status: z.enum(CHANGE_STATUSES, { error: `Status must be one of ${CHANGE_STATUSES.join(", ")}` }).optional(),
    family: z.enum(STATUS_FAMILIES, { error: `Status family must be one of ${STATUS_FAMILIES.join(", ")}` }).optional(),
    kind: z.enum(CHANGE_KINDS, { error: `Kind must be one of ${CHANGE_KINDS.join(", ")}` }).optional(),
    risk: z.enum(RISK_LEVELS, { error: `Risk must be one of ${RISK_LEVELS.join(", ")}` }).optional(),
    residency: z.enum(RESIDENCY_VERDICTS, { error: `Residency must be one of ${RESIDENCY_VERDICTS.join(", ")}` }).optional(),
    /** Cluster name. */
    cluster: z.string({ error: "Cluster must be text" }).trim().min(1, "Cluster must not be empty").max(96, "At most 96 characters").optional(),
    scope: z.enum(CHANGE_SCOPES, { error: `Scope must be one of ${CHANGE_SCOPES.join(", ")}` }).default("all"),
  },
  strict,
);
export type TListChangeRequestsRequest = z.output<typeof ZListChangeRequestsRequestSchema>;
export type TListChangeRequestsRequestInput = z.input<typeof ZListChangeRequestsRequestSchema>;
