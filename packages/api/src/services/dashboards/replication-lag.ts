import { Prisma, type PrismaClient } from "@meridian/db";
import { LAG_SLO_SECONDS, TIERS, type TTier } from "@meridian/policy";
import { type TDashboardFilter } from "../../routers/dashboards/dashboard.schema";
import { cachedDashboard, dashboardCacheKey } from "./result-cache";
import { bucketStarts, inventoryScope, resolveWindow, rollupScope, rollupTables, type TDashboardWindow } from "./window";

/**
 * Percentiles here are over link-buckets: p50 is the median of the links' mean lag in each
 * bucket, p95 the 95th percentile of the links' own p95 in the bucket. Time above SLO counts
 * the minutes each link spent above its cluster tier's SLO.
 */
export interface TLagPoint {
  at: Date;
  p50: number | null;
  p95: number | null;
  /** p95 per tier, to draw against each tier's SLO. */
  tiers: Record<TTier, number | null>;
}

export interface TLagSummaryRow {
  key: string;
  name: string;
  p50: number | null;
  p95: number | null;
  minutesAboveSlo: number;
  minutes: number;
  /** Percent of link-minutes above SLO. */
  shareAboveSlo: number | null;
}

export interface TWorstLink {
  id: string;
  clusterName: string;
  tier: TTier;
  source: string;
  target: string;
  sourceDataCenter: string;
  targetDataCenter: string;
  regionCode: string;
  status: string;
  lagSeconds: number;
  lagBytes: number;
  sloSeconds: number;
  /** lag / SLO: above 1 breaks the SLO. */
  sloRatio: number;
}

export interface TReplicationLag {
  window: TDashboardWindow;
  slos: { tier: TTier; seconds: number }[];
  series: TLagPoint[];
  byTier: TLagSummaryRow[];
  byRegion: TLagSummaryRow[];
  worstLinks: TWorstLink[];
  generatedAt: Date;
}

const sloValues = () =>
  Prisma.raw(TIERS.map((t) => `('${t}'::"Tier", ${Number(LAG_SLO_SECONDS[t])}::float8)`).join(", "));

export function lagSeriesSql(filter: TDashboardFilter, w: TDashboardWindow): Prisma.Sql {
  const { lag } = rollupTables(w);
  return Prisma.sql`
    SELECT s.bucket AS "at", s.tier::text AS "tier",
           percentile_cont(0.5) WITHIN GROUP (ORDER BY s.avg_seconds) AS "p50",
           percentile_cont(0.95) WITHIN GROUP (ORDER BY s.p95_seconds) AS "p95"
      FROM ${lag} s
     WHERE s.bucket >= ${w.bucketFrom} AND s.bucket < ${w.bucketTo} ${rollupScope(filter)}
     GROUP BY GROUPING SETS ((s.bucket), (s.bucket, s.tier))
     ORDER BY 1`;
}

export function lagSummarySql(filter: TDashboardFilter, w: TDashboardWindow): Prisma.Sql {
  const { lag } = rollupTables(w);
  return Prisma.sql`
    SELECT CASE WHEN GROUPING(s.tier) = 0 THEN 'tier' ELSE 'region' END AS "kind",
           COALESCE(s.tier::text, s.region_code) AS "key",
           percentile_cont(0.5) WITHIN GROUP (ORDER BY s.avg_seconds) AS "p50",
           percentile_cont(0.95) WITHIN GROUP (ORDER BY s.p95_seconds) AS "p95",
           sum(s.minutes_above_slo)::float8 AS "minutesAboveSlo", sum(s.samples)::float8 AS "minutes"
      FROM ${lag} s
     WHERE s.bucket >= ${w.bucketFrom} AND s.bucket < ${w.bucketTo} ${rollupScope(filter)}
     GROUP BY GROUPING SETS ((s.tier), (s.region_code))`;
}

/** Region names (a few rows), kept out of the summary so its sorts carry narrow rows. */
export function regionNamesSql(): Prisma.Sql {
  return Prisma.sql`SELECT code AS "code", name AS "name" FROM region`;
}

/** The ten links furthest above (or closest to) their SLO now, from the live inventory. */
export function worstLinksSql(filter: TDashboardFilter): Prisma.Sql {
  return Prisma.sql`
    WITH slo(tier, s) AS (VALUES ${sloValues()})
    SELECT l.id::text AS "id", c.name AS "clusterName", c.tier::text AS "tier",
           si.name AS "source", ti.name AS "target", sdc.code AS "sourceDataCenter", dc.code AS "targetDataCenter",
           dc.region_code AS "regionCode", l.status::text AS "status",
           l.lag_seconds AS "lagSeconds", l.lag_bytes::float8 AS "lagBytes", slo.s AS "sloSeconds",
           l.lag_seconds / slo.s AS "sloRatio"
      FROM replication_link l
      JOIN instance si ON si.id = l.source_id
      JOIN cluster c ON c.id = si.cluster_id
      JOIN data_center sdc ON sdc.id = si.data_center_id
      JOIN instance ti ON ti.id = l.target_id
      JOIN data_center dc ON dc.id = ti.data_center_id
      JOIN slo ON slo.tier = c.tier
     WHERE TRUE ${inventoryScope(filter)}
     ORDER BY l.lag_seconds / slo.s DESC, l.lag_seconds DESC, l.id
     LIMIT 10`;
}

interface TSeriesRow {
  at: Date;
  tier: TTier | null;
  p50: number | null;
  p95: number | null;
}

interface TSummaryRow {
  kind: "tier" | "region";
  key: string;
  p50: number | null;
  p95: number | null;
  minutesAboveSlo: number;
  minutes: number;
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
const emptyTiers = (): Record<TTier, number | null> => ({ T0: null, T1: null, T2: null, T3: null });

/** Cached for a few seconds per filter (result-cache.ts); pass `now` to compute afresh at that time. */
export function getReplicationLag(prisma: PrismaClient, filter: TDashboardFilter, now?: Date): Promise<TReplicationLag> {
  if (now) return computeReplicationLag(prisma, filter, now);
  return cachedDashboard(prisma, dashboardCacheKey("replicationLag", filter), () => computeReplicationLag(prisma, filter, new Date()));
}

export async function computeReplicationLag(prisma: PrismaClient, filter: TDashboardFilter, now: Date): Promise<TReplicationLag> {
  const w = resolveWindow(filter, now);
  const [seriesRows, summaryRows, worst, regions] = await Promise.all([
    prisma.$queryRaw<TSeriesRow[]>(lagSeriesSql(filter, w)),
    prisma.$queryRaw<TSummaryRow[]>(lagSummarySql(filter, w)),
    prisma.$queryRaw<TWorstLink[]>(worstLinksSql(filter)),
    prisma.$queryRaw<{ code: string; name: string }[]>(regionNamesSql()),
  ]);
  const regionName = new Map(regions.map((r) => [r.code, r.name]));

  const points = new Map<number, TLagPoint>(bucketStarts(w).map((at) => [at.getTime(), { at, p50: null, p95: null, tiers: emptyTiers() }]));
  for (const r of seriesRows) {
    const p = points.get(new Date(r.at).getTime());
    if (!p) continue;
    if (r.tier === null) {
      p.p50 = round(r.p50);
      p.p95 = round(r.p95);
    } else p.tiers[r.tier] = round(r.p95);
  }

  const summary = (r: TSummaryRow): TLagSummaryRow => ({
    key: r.key,
    name: r.kind === "region" ? (regionName.get(r.key) ?? r.key) : r.key,
    p50: round(r.p50),
    p95: round(r.p95),
    minutesAboveSlo: r.minutesAboveSlo,
    minutes: r.minutes,
    shareAboveSlo: r.minutes > 0 ? Math.round((r.minutesAboveSlo / r.minutes) * 100_000) / 1000 : null,
  });

  return {
    window: w,
    slos: TIERS.map((tier) => ({ tier, seconds: LAG_SLO_SECONDS[tier] })),
    series: [...points.values()],
    byTier: summaryRows.filter((r) => r.kind === "tier").map(summary).sort((a, b) => a.key.localeCompare(b.key)),
    byRegion: summaryRows.filter((r) => r.kind === "region").map(summary).sort((a, b) => a.key.localeCompare(b.key)),
    worstLinks: worst.map((l) => ({ ...l, sloRatio: Math.round(l.sloRatio * 1000) / 1000 })),
    generatedAt: now,
  };
}
