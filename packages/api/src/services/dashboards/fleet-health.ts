import { Prisma, type PrismaClient } from "@meridian/db";
import { type TDashboardFilter } from "../../routers/dashboards/dashboard.schema";
import { cachedDashboard, dashboardCacheKey } from "./result-cache";
import { bucketStarts, inventoryScope, resolveWindow, rollupScope, rollupTables, type TDashboardWindow } from "./window";

export interface THealthShares {
  up: number;
  degraded: number;
  down: number;
  unknown: number;
}

export interface TFleetHealthPoint extends THealthShares {
  at: Date;
  /** Instance-minutes observed in the bucket (0: no data for this bucket). */
  minutes: number;
}

export interface TFleetHealthNowRow {
  code: string;
  name: string;
  regionCode: string;
  up: number;
  degraded: number;
  down: number;
  unknown: number;
  total: number;
}

export interface TFleetHealthRegionRow extends THealthShares {
  regionCode: string;
  regionName: string;
  /** Instance-hours observed in the range. */
  instanceHours: number;
}

export interface TFleetHealth {
  window: TDashboardWindow;
  /** Instances by current health, per data center (live inventory). */
  nowByDataCenter: TFleetHealthNowRow[];
  /** The same per region. */
  nowByRegion: TFleetHealthNowRow[];
  /** Share of instance-time (percent) in each state per bucket. */
  series: TFleetHealthPoint[];
  /** Share of instance-time (percent) per region over the whole range. */
  byRegion: TFleetHealthRegionRow[];
  generatedAt: Date;
}

interface TNowRow {
  code: string;
  name: string;
  regionCode: string;
  regionName: string;
  up: number;
  degraded: number;
  down: number;
  unknown: number;
}

interface TMinutesRow {
  key: string;
  name: string | null;
  up: number;
  degraded: number;
  down: number;
  unknown: number;
}

export function fleetHealthNowSql(filter: TDashboardFilter): Prisma.Sql {
  return Prisma.sql`
    SELECT dc.code AS "code", dc.name AS "name", dc.region_code AS "regionCode", r.name AS "regionName",
           (count(*) FILTER (WHERE i.health = 'UP'))::int AS "up",
           (count(*) FILTER (WHERE i.health = 'DEGRADED'))::int AS "degraded",
           (count(*) FILTER (WHERE i.health = 'DOWN'))::int AS "down",
           (count(*) FILTER (WHERE i.health = 'UNKNOWN'))::int AS "unknown"
      FROM instance i
      JOIN data_center dc ON dc.id = i.data_center_id
      JOIN region r ON r.code = dc.region_code
      JOIN cluster c ON c.id = i.cluster_id
     WHERE TRUE ${inventoryScope(filter)}
     GROUP BY dc.code, dc.name, dc.region_code, r.name
     ORDER BY dc.code`;
}

export function fleetHealthSeriesSql(filter: TDashboardFilter, w: TDashboardWindow): Prisma.Sql {
  const { health } = rollupTables(w);
  return Prisma.sql`
    SELECT to_char(s.bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "key", NULL AS "name",
           sum(s.up_minutes)::float8 AS "up", sum(s.degraded_minutes)::float8 AS "degraded",
           sum(s.down_minutes)::float8 AS "down", sum(s.unknown_minutes)::float8 AS "unknown"
      FROM ${health} s
     WHERE s.bucket >= ${w.bucketFrom} AND s.bucket < ${w.bucketTo} ${rollupScope(filter)}
     GROUP BY s.bucket
     ORDER BY s.bucket`;
}

export function fleetHealthByRegionSql(filter: TDashboardFilter, w: TDashboardWindow): Prisma.Sql {
  const { health } = rollupTables(w);
  return Prisma.sql`
    SELECT s.region_code AS "key", max(r.name) AS "name",
           sum(s.up_minutes)::float8 AS "up", sum(s.degraded_minutes)::float8 AS "degraded",
           sum(s.down_minutes)::float8 AS "down", sum(s.unknown_minutes)::float8 AS "unknown"
      FROM ${health} s
      LEFT JOIN region r ON r.code = s.region_code
     WHERE s.bucket >= ${w.bucketFrom} AND s.bucket < ${w.bucketTo} ${rollupScope(filter)}
     GROUP BY s.region_code
     ORDER BY s.region_code`;
}

function shares(r: { up: number; degraded: number; down: number; unknown: number }): THealthShares & { minutes: number } {
  const minutes = r.up + r.degraded + r.down + r.unknown;
  const pct = (v: number) => (minutes > 0 ? Math.round((v / minutes) * 100_000) / 1000 : 0);
  return { up: pct(r.up), degraded: pct(r.degraded), down: pct(r.down), unknown: pct(r.unknown), minutes };
}

/** Cached for a few seconds per filter (result-cache.ts); pass `now` to compute afresh at that time. */
export function getFleetHealth(prisma: PrismaClient, filter: TDashboardFilter, now?: Date): Promise<TFleetHealth> {
  if (now) return computeFleetHealth(prisma, filter, now);
  return cachedDashboard(prisma, dashboardCacheKey("fleetHealth", filter), () => computeFleetHealth(prisma, filter, new Date()));
}

export async function computeFleetHealth(prisma: PrismaClient, filter: TDashboardFilter, now: Date): Promise<TFleetHealth> {
  const w = resolveWindow(filter, now);
  const [nowRows, seriesRows, regionRows] = await Promise.all([
    prisma.$queryRaw<TNowRow[]>(fleetHealthNowSql(filter)),
    prisma.$queryRaw<TMinutesRow[]>(fleetHealthSeriesSql(filter, w)),
    prisma.$queryRaw<TMinutesRow[]>(fleetHealthByRegionSql(filter, w)),
  ]);

  const byKey = new Map(seriesRows.map((r) => [r.key, r]));
  const series = bucketStarts(w).map((at) => {
    const row = byKey.get(at.toISOString().replace(".000Z", "Z"));
    return { at, ...(row ? shares(row) : { up: 0, degraded: 0, down: 0, unknown: 0, minutes: 0 }) };
  });

  const regions = new Map<string, TFleetHealthNowRow>();
  for (const r of nowRows) {
    let g = regions.get(r.regionCode);
    if (!g) {
      g = { code: r.regionCode, name: r.regionName, regionCode: r.regionCode, up: 0, degraded: 0, down: 0, unknown: 0, total: 0 };
      regions.set(r.regionCode, g);
    }
    g.up += r.up;
    g.degraded += r.degraded;
    g.down += r.down;
    g.unknown += r.unknown;
    g.total += r.up + r.degraded + r.down + r.unknown;
  }

  return {
    window: w,
    nowByDataCenter: nowRows.map((r) => ({
      code: r.code,
      name: r.name,
      regionCode: r.regionCode,
      up: r.up,
      degraded: r.degraded,
      down: r.down,
      unknown: r.unknown,
      total: r.up + r.degraded + r.down + r.unknown,
    })),
    nowByRegion: [...regions.values()].sort((a, b) => a.code.localeCompare(b.code)),
    series,
    byRegion: regionRows.map((r) => {
      const s = shares(r);
      return { regionCode: r.key, regionName: r.name ?? r.key, up: s.up, degraded: s.degraded, down: s.down, unknown: s.unknown, instanceHours: Math.round(s.minutes / 60) };
    }),
    generatedAt: now,
  };
}
