import { z } from "zod";
import { ZCodeSchema } from "../inventory/inventory.schema";

/** Time ranges the dashboards offer; `custom` takes `from` and `to`. */
export const DASHBOARD_RANGES = ["24h", "7d", "30d", "90d", "custom"] as const;
export type TDashboardRange = (typeof DASHBOARD_RANGES)[number];

/** Longest custom range: the daily rollups keep 400 days. */
export const MAX_CUSTOM_RANGE_DAYS = 400;

/**
 * Filters shared by every dashboard procedure: a time range and optional team / region.
 * Strict: unknown keys are refused with a field message rather than ignored.
 */
export const ZDashboardFilterSchema = z
  .object({
    range: z.enum(DASHBOARD_RANGES, { error: `Range must be one of ${DASHBOARD_RANGES.join(", ")}` }).default("7d"),
    from: z.coerce.date({ error: "From must be a date" }).optional(),
    to: z.coerce.date({ error: "To must be a date" }).optional(),
    /** Owning team's slug. */
    team: ZCodeSchema.optional(),
    /** Region code, e.g. "eu-west". */
    region: ZCodeSchema.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.range !== "custom") {
      if (v.from || v.to) ctx.addIssue({ code: "custom", path: ["range"], message: "From and to are only used with the custom range" });
      return;
    }
    if (!v.from) ctx.addIssue({ code: "custom", path: ["from"], message: "A custom range needs a start (from)" });
    if (!v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "A custom range needs an end (to)" });
    if (v.from && v.to) {
      if (v.to.getTime() <= v.from.getTime()) ctx.addIssue({ code: "custom", path: ["to"], message: "The end (to) must be after the start (from)" });
      else if (v.to.getTime() - v.from.getTime() > MAX_CUSTOM_RANGE_DAYS * 86_400_000)
        ctx.addIssue({ code: "custom", path: ["from"], message: `A custom range spans at most ${MAX_CUSTOM_RANGE_DAYS} days` });
    }
  });

export type TDashboardFilter = z.infer<typeof ZDashboardFilterSchema>;
export type TDashboardFilterInput = z.input<typeof ZDashboardFilterSchema>;
