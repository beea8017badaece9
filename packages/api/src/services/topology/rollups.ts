import { Prisma, type PrismaClient } from "@meridian/db";
import { type TDataCenterStatus, type THealthStatus } from "../../routers/inventory/inventory.schema";
import { filtersInstances, type TFleetFilter } from "../../routers/topology/topology.schema";
import { healthRollupSql } from "../inventory/sql";
import { matchingClustersSql, placeMatch } from "./filters";

/**
 * Aggregates shared by the map and the fleet graph. Each is one query that groups once over
 * the instances or the links (never one query per data center).
 */

/** The cluster filter as a CTE body; an empty set when no cluster filter is set (unused then). */
export function matchingCte(filter: TFleetFilter): Prisma.Sql {
  return matchingClustersSql(filter) ?? Prisma.sql`SELECT NULL::uuid AS id WHERE FALSE`;
}

export interface TDataCenterRollupRow {
  id: string;
  code: string;
  name: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  regionCode: string;
  regionName: string;
  jurisdictionCode: string;
  jurisdictionName: string;
  provider: string;
  status: TDataCenterStatus;
  capacitySlots: number;
  /** Every instance here, whatever the filters: each takes a slot. */
  capacityUsed: number;
  capacityFree: number;
  utilisation: number | null;
  /** Instances the cluster filters keep. */
  instanceCount: number;
  clusterCount: number;
  primaryCount: number;
  up: number;
  degraded: number;
  down: number;
  unknown: number;
  health: THealthStatus;
  /** The data center passes the place filters (region, jurisdiction). */
  placeMatch: boolean;
}

/** Every data center (tens of rows) with instance roll-ups under the filters. */
export function queryDataCenterRollups(prisma: PrismaClient, filter: TFleetFilter): Promise<TDataCenterRollupRow[]> {
  return prisma.$queryRaw<TDataCenterRollupRow[]>(dataCenterRollupsSql(filter));
}

/** The statement behind `queryDataCenterRollups` (exported for the benchmark's raw-SQL baseline). */
export function dataCenterRollupsSql(filter: TFleetFilter): Prisma.Sql {
  const match = filtersInstances(filter) ? Prisma.sql`i.cluster_id IN (SELECT id FROM mc)` : Prisma.sql`TRUE`;
  const rollup = healthRollupSql({ up: "COALESCE(a.up, 0)", degraded: "COALESCE(a.degraded, 0)", down: "COALESCE(a.down, 0)" });
  return Prisma.sql`
    WITH mc AS (${matchingCte(filter)}),
    agg AS (
      SELECT i.data_center_id,
             count(*)::int AS used,
             (count(*) FILTER (WHERE ${match}))::int AS instances,
             (count(DISTINCT i.cluster_id) FILTER (WHERE ${match}))::int AS clusters,
             (count(*) FILTER (WHERE ${match} AND i.role = 'PRIMARY'))::int AS primaries,
             (count(*) FILTER (WHERE ${match} AND i.health = 'UP'))::int AS up,
             (count(*) FILTER (WHERE ${match} AND i.health = 'DEGRADED'))::int AS degraded,
             (count(*) FILTER (WHERE ${match} AND i.health = 'DOWN'))::int AS down,
             (count(*) FILTER (WHERE ${match} AND i.health = 'UNKNOWN'))::int AS unknown
        FROM instance i
       GROUP BY i.data_center_id
    )
    SELECT dc.id::text AS "id", dc.code AS "code", dc.name AS "name", dc.city AS "city", dc.country AS "country",
           dc.latitude AS "latitude", dc.longitude AS "longitude",
           dc.region_code AS "regionCode", r.name AS "regionName",
           dc.jurisdiction_code AS "jurisdictionCode", j.name AS "jurisdictionName",
           dc.provider AS "provider", dc.status::text AS "status", dc.capacity_slots AS "capacitySlots",
           COALESCE(a.used, 0) AS "capacityUsed",
           dc.capacity_slots - COALESCE(a.used, 0) AS "capacityFree",
           CASE WHEN dc.capacity_slots > 0 THEN COALESCE(a.used, 0)::float8 / dc.capacity_slots END AS "utilisation",
           COALESCE(a.instances, 0) AS "instanceCount", COALESCE(a.clusters, 0) AS "clusterCount",
           COALESCE(a.primaries, 0) AS "primaryCount",
           COALESCE(a.up, 0) AS "up", COALESCE(a.degraded, 0) AS "degraded",
           COALESCE(a.down, 0) AS "down", COALESCE(a.unknown, 0) AS "unknown",
           ${Prisma.raw(rollup)} AS "health",
           (${placeMatch(filter)}) AS "placeMatch"
      FROM data_center dc
      JOIN region r ON r.code = dc.region_code
      JOIN jurisdiction j ON j.code = dc.jurisdiction_code
      LEFT JOIN agg a ON a.data_center_id = dc.id
     ORDER BY dc.code`;
}

/** The data centers a view shows: those in the place filters and, with cluster filters, running a matching instance. */
export function visibleDataCenters<T extends TDataCenterRollupRow>(rows: readonly T[], filter: TFleetFilter): T[] {
  const byCluster = filtersInstances(filter);
  return rows.filter((d) => d.placeMatch && (!byCluster || d.instanceCount > 0));
}

export interface TLinkGroupRow {
  /** Source and target data center codes. */
  src: string;
  dst: string;
  links: number;
  maxLagSeconds: number;
  maxLagBytes: number;
  broken: number;
  impaired: number;
  physical: number;
  logical: number;
  cdc: number;
}

/**
 * Cross-data-center links grouped by (source data center, target data center). With cluster
 * filters, a link counts when either end belongs to a matching cluster.
 */
export function queryCrossDataCenterLinkGroups(prisma: PrismaClient, filter: TFleetFilter): Promise<TLinkGroupRow[]> {
  return prisma.$queryRaw<TLinkGroupRow[]>(crossDataCenterLinkGroupsSql(filter));
}

/**
 * The statement behind `queryCrossDataCenterLinkGroups`. It groups the links by the data
 * centers stored on them (kept by triggers from their instances); only the cluster filters
 * need the links' instances.
 */
export function crossDataCenterLinkGroupsSql(filter: TFleetFilter): Prisma.Sql {
  const byCluster = filtersInstances(filter);
  return Prisma.sql`
    WITH mc AS (${matchingCte(filter)}),
    g AS (
      SELECT l.source_data_center_id AS src_id, l.target_data_center_id AS dst_id, count(*)::int AS links,
             max(l.lag_seconds)::float8 AS max_lag_seconds, max(l.lag_bytes)::float8 AS max_lag_bytes,
             (count(*) FILTER (WHERE l.status = 'BROKEN'))::int AS broken,
             (count(*) FILTER (WHERE l.status <> 'ACTIVE'))::int AS impaired,
             (count(*) FILTER (WHERE l.mode = 'PHYSICAL'))::int AS physical,
             (count(*) FILTER (WHERE l.mode = 'LOGICAL'))::int AS logical,
             (count(*) FILTER (WHERE l.mode = 'CDC'))::int AS cdc
        FROM replication_link l
        ${byCluster ? Prisma.sql`JOIN instance s ON s.id = l.source_id JOIN instance t ON t.id = l.target_id` : Prisma.empty}
       WHERE l.source_data_center_id <> l.target_data_center_id
         ${byCluster ? Prisma.sql`AND (s.cluster_id IN (SELECT id FROM mc) OR t.cluster_id IN (SELECT id FROM mc))` : Prisma.empty}
       GROUP BY 1, 2
    )
    SELECT sd.code AS "src", td.code AS "dst", g.links AS "links",
           g.max_lag_seconds AS "maxLagSeconds", g.max_lag_bytes AS "maxLagBytes",
           g.broken AS "broken", g.impaired AS "impaired",
           g.physical AS "physical", g.logical AS "logical", g.cdc AS "cdc"
      FROM g
      JOIN data_center sd ON sd.id = g.src_id
      JOIN data_center td ON td.id = g.dst_id
     ORDER BY sd.code, td.code`;
}
