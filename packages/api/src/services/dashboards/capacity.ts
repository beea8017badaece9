import { Prisma, type PrismaClient } from "@meridian/db";
import { NEAR_FULL_UTILISATION, isNearFull } from "@meridian/policy";
import { type TDashboardFilter } from "../../routers/dashboards/dashboard.schema";
import { cachedDashboard, dashboardCacheKey } from "./result-cache";

export interface TDataCenterCapacity {
  code: string;
  name: string;
  regionCode: string;
  jurisdictionCode: string;
  status: string;
  slots: number;
  /** Every instance takes one slot. */
  used: number;
  /** Negative when over capacity. */
  free: number;
  /** Percent of slots used. */
  utilisation: number | null;
  nearFull: boolean;
  /** Instances of the selected team here (all instances without a team filter). */
  teamInstances: number;
}

export interface TCapacity {
  dataCenters: TDataCenterCapacity[];
  totals: { slots: number; used: number; free: number; nearFull: number };
  nearFullThreshold: number;
  generatedAt: Date;
}

export function capacitySql(filter: TDashboardFilter): Prisma.Sql {
  const team = filter.team
    ? Prisma.sql`(count(i.id) FILTER (WHERE c.team_id = (SELECT id FROM team WHERE slug = ${filter.team})))::int`
    : Prisma.sql`count(i.id)::int`;
  return Prisma.sql`
    SELECT dc.code AS "code", dc.name AS "name", dc.region_code AS "regionCode", dc.jurisdiction_code AS "jurisdictionCode",
           dc.status::text AS "status", dc.capacity_slots AS "slots", count(i.id)::int AS "used", ${team} AS "teamInstances"
      FROM data_center dc
      LEFT JOIN instance i ON i.data_center_id = dc.id
      LEFT JOIN cluster c ON c.id = i.cluster_id
     WHERE TRUE ${filter.region ? Prisma.sql`AND dc.region_code = ${filter.region}` : Prisma.empty}
     GROUP BY dc.id
     ORDER BY dc.code`;
}

/** Used and free instance slots per data center, now. Time ranges do not apply (no history). */
/** Cached for a few seconds per filter (result-cache.ts); pass `now` to compute afresh at that time. */
export function getCapacity(prisma: PrismaClient, filter: TDashboardFilter, now?: Date): Promise<TCapacity> {
  if (now) return computeCapacity(prisma, filter, now);
  return cachedDashboard(prisma, dashboardCacheKey("capacity", filter), () => computeCapacity(prisma, filter, new Date()));
}

export async function computeCapacity(prisma: PrismaClient, filter: TDashboardFilter, now: Date): Promise<TCapacity> {
  const rows = await prisma.$queryRaw<Omit<TDataCenterCapacity, "free" | "utilisation" | "nearFull">[]>(capacitySql(filter));
  const dataCenters = rows
    .map((r) => ({
      ...r,
      free: r.slots - r.used,
      utilisation: r.slots > 0 ? Math.round((r.used / r.slots) * 1000) / 10 : null,
      nearFull: isNearFull(r.used, r.slots),
    }))
    .sort((a, b) => (b.utilisation ?? 0) - (a.utilisation ?? 0) || a.code.localeCompare(b.code));
  return {
    dataCenters,
    totals: {
      slots: dataCenters.reduce((s, d) => s + d.slots, 0),
      used: dataCenters.reduce((s, d) => s + d.used, 0),
      free: dataCenters.reduce((s, d) => s + d.free, 0),
      nearFull: dataCenters.filter((d) => d.nearFull).length,
    },
    nearFullThreshold: NEAR_FULL_UTILISATION,
    generatedAt: now,
  };
}
