import { Prisma } from "@meridian/db";
import { SAMPLE_RETENTION } from "@meridian/db/seed";
import { type TDashboardFilter } from "../../routers/dashboards/dashboard.schema";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export type TGrain = "hour" | "day";

/** The time window a dashboard request covers, and the rollup resolution that serves it. */
export interface TDashboardWindow {
  from: Date;
  to: Date;
  grain: TGrain;
  /** Bucket width in milliseconds. */
  bucketMs: number;
  /** Start of the first bucket and of the bucket after the last (half-open). */
  bucketFrom: Date;
  bucketTo: Date;
}

/** First hour still held in the hourly rollups at `now`. */
export function hourlyRetentionStart(now: Date): Date {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return new Date(today - SAMPLE_RETENTION.hourlyDays * DAY_MS);
}

/**
 * Ranges up to 7 days are drawn per hour (from the hourly rollups); longer ones per day. A custom
 * range that starts before the hourly retention is drawn per day whatever its length.
 */
export function resolveWindow(filter: TDashboardFilter, now: Date): TDashboardWindow {
  let from: Date;
  let to: Date;
  switch (filter.range) {
    case "24h":
      from = new Date(now.getTime() - DAY_MS);
      to = now;
      break;
    case "7d":
      from = new Date(now.getTime() - 7 * DAY_MS);
      to = now;
      break;
    case "30d":
      from = new Date(now.getTime() - 30 * DAY_MS);
      to = now;
      break;
    case "90d":
      from = new Date(now.getTime() - 90 * DAY_MS);
      to = now;
      break;
    case "custom":
      // The schema guarantees both for a custom range.
      from = filter.from ?? new Date(now.getTime() - 7 * DAY_MS);
      to = filter.to ?? now;
      break;
  }
  const hourly = to.getTime() - from.getTime() <= 7 * DAY_MS + HOUR_MS && from.getTime() >= hourlyRetentionStart(now).getTime();
  const bucketMs = hourly ? HOUR_MS : DAY_MS;
  const bucketFrom = new Date(Math.floor(from.getTime() / bucketMs) * bucketMs);
  const bucketTo = new Date(Math.floor(to.getTime() / bucketMs) * bucketMs + bucketMs);
  return { from, to, grain: hourly ? "hour" : "day", bucketMs, bucketFrom, bucketTo };
}

/** Every bucket start of the window, so charts show gaps as gaps, not as skipped time. */
export function bucketStarts(w: TDashboardWindow): Date[] {
  const out: Date[] = [];
  for (let t = w.bucketFrom.getTime(); t < w.bucketTo.getTime(); t += w.bucketMs) out.push(new Date(t));
  return out;
}

/** Rollup table names for the window's resolution (whitelisted, never user text). */
export function rollupTables(w: TDashboardWindow): { health: Prisma.Sql; lag: Prisma.Sql } {
  return w.grain === "hour"
    ? { health: Prisma.raw("health_sample_hourly"), lag: Prisma.raw("lag_sample_hourly") }
    : { health: Prisma.raw("health_sample_daily"), lag: Prisma.raw("lag_sample_daily") };
}

/** Team and region conditions on a rollup table (alias `s`). */
export function rollupScope(filter: TDashboardFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filter.team) parts.push(Prisma.sql`s.team_id = (SELECT id FROM team WHERE slug = ${filter.team})`);
  if (filter.region) parts.push(Prisma.sql`s.region_code = ${filter.region}`);
  return parts.length ? Prisma.sql`AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

/** Team and region conditions on live inventory (aliases `c` cluster, `dc` data center). */
export function inventoryScope(filter: TDashboardFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filter.team) parts.push(Prisma.sql`c.team_id = (SELECT id FROM team WHERE slug = ${filter.team})`);
  if (filter.region) parts.push(Prisma.sql`dc.region_code = ${filter.region}`);
  return parts.length ? Prisma.sql`AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}
