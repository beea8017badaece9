import { Prisma, type PrismaClient } from "@meridian/db";
import {
  ENGINES,
  HEALTH_STATUSES,
  TIERS,
  type TDataCenterStatus,
  type TEngine,
  type THealthStatus,
  type TTier,
} from "../../routers/inventory/inventory.schema";
import { type TGetFleetGraphRequest } from "../../routers/topology/fleet-graph.schema";
import { filtersInstances, isFiltered } from "../../routers/topology/topology.schema";
import { type THealthCounts } from "../inventory/health";
import { healthRollupSql } from "../inventory/sql";
import { matchingCte, queryCrossDataCenterLinkGroups, queryDataCenterRollups, visibleDataCenters } from "./rollups";

export interface TFleetDataCenter {
  code: string;
  name: string;
  city: string;
  latitude: number;
  longitude: number;
  regionCode: string;
  jurisdictionCode: string;
  status: TDataCenterStatus;
  capacitySlots: number;
  capacityUsed: number;
  /** Instances the filters keep. */
  instanceCount: number;
  /** Clusters drawn inside this data center: those whose primary runs here. */
  clusterCount: number;
  healthCounts: THealthCounts;
  health: THealthStatus;
  /** Cross-data-center links to or from data centers outside the filters. */
  linksOutsideView: number;
}

/**
 * A cluster in the fleet graph, drawn inside the data center of its primary (or, without a
 * primary, the first of its data centers). Kept lean: thousands of them travel at once; the
 * cluster graph has the rest. This is one row of `TFleetClusterColumns`.
 */
export interface TFleetCluster {
  name: string;
  dataCenterCode: string;
  tier: TTier;
  engine: TEngine;
  instanceCount: number;
  health: THealthStatus;
  down: number;
  degraded: number;
  /** Worst lag into any of its instances; null without links. */
  maxLagSeconds: number | null;
  brokenLinks: number;
}

/**
 * The clusters as columns: one array per field, all of the same length, row i being one
 * cluster. In grid order (data center, tier, name in JavaScript string order), the order the fleet
 * view draws them in. Field names are written once instead of once per cluster, and the
 * enums are small indexes into `TFleetGraph.codes`: at 2,500 clusters this is about a fifth
 * of the rows as objects.
 */
export interface TFleetClusterColumns {
  name: string[];
  /** Index into `dataCenters`. */
  dataCenter: number[];
  /** Indexes into `codes.tier`, `codes.engine`, `codes.health`. */
  tier: number[];
  engine: number[];
  health: number[];
  instanceCount: number[];
  down: number[];
  degraded: number[];
  /** Worst lag into any of its instances; null without links. */
  maxLagSeconds: (number | null)[];
  brokenLinks: number[];
}

/**
 * Replication from one data center to another, all clusters added up, as columns (row i is
 * one directed pair). Whether a pair crosses jurisdictions follows from its two data centers.
 */
export interface TFleetEdgeColumns {
  /** Indexes into `dataCenters`. */
  source: number[];
  target: number[];
  linkCount: number[];
  maxLagSeconds: number[];
  brokenCount: number[];
  impairedCount: number[];
}

export interface TFleetGraph {
  dataCenters: TFleetDataCenter[];
  clusters: TFleetClusterColumns;
  edges: TFleetEdgeColumns;
  /** The values the coded columns index. */
  codes: { tier: readonly TTier[]; engine: readonly TEngine[]; health: readonly THealthStatus[] };
  totals: { dataCenters: number; clusters: number; instances: number; links: number };
  filtered: boolean;
  generatedAt: Date;
}

/**
 * Clusters with placement, health and worst incoming lag: one GROUP BY over instances, one over
 * the links into them (apart, so that an instance fed by several links counts once). In no
 * particular order: `getFleetGraph` puts them in grid order (sorting 25,000 wide rows here
 * spilled to disk at the default work_mem of 4 MB).
 */
export function fleetClustersSql(filter: TGetFleetGraphRequest): Prisma.Sql {
  const byCluster = filtersInstances(filter);
  const rollup = healthRollupSql({ up: "ci.up", degraded: "ci.degraded", down: "ci.down", primaryDown: "ci.primary_down" });
  return Prisma.sql`
      WITH mc AS (${matchingCte(filter)}),
      ci AS (
        SELECT i.cluster_id,
               count(*)::int AS n,
               COALESCE(min(dc.code) FILTER (WHERE i.role = 'PRIMARY'), min(dc.code)) AS home,
               (count(*) FILTER (WHERE i.health = 'UP'))::int AS up,
               (count(*) FILTER (WHERE i.health = 'DEGRADED'))::int AS degraded,
               (count(*) FILTER (WHERE i.health = 'DOWN'))::int AS down,
               COALESCE(bool_or(i.role = 'PRIMARY' AND i.health = 'DOWN'), FALSE) AS primary_down
          FROM instance i
          JOIN data_center dc ON dc.id = i.data_center_id
         ${byCluster ? Prisma.sql`WHERE i.cluster_id IN (SELECT id FROM mc)` : Prisma.empty}
         GROUP BY i.cluster_id
      ),
      -- Links into each cluster, grouped apart: an instance fed by several links counts once above.
      li AS (
        SELECT t.cluster_id,
               max(l.lag_seconds)::float8 AS lag,
               (count(*) FILTER (WHERE l.status = 'BROKEN'))::int AS broken
          FROM replication_link l
          JOIN instance t ON t.id = l.target_id
         ${byCluster ? Prisma.sql`WHERE t.cluster_id IN (SELECT id FROM mc)` : Prisma.empty}
         GROUP BY t.cluster_id
      )
      SELECT c.name AS "name", ci.home AS "dataCenterCode", c.tier::text AS "tier", c.engine::text AS "engine",
             ci.n AS "instanceCount", ${Prisma.raw(rollup)} AS "health", ci.down AS "down", ci.degraded AS "degraded",
             li.lag AS "maxLagSeconds", COALESCE(li.broken, 0) AS "brokenLinks"
        FROM ci
        JOIN cluster c ON c.id = ci.cluster_id
        -- Joined on c.id, not ci.cluster_id: the planner knows c.id is unique, so it expects one
        -- row per cluster. On ci.cluster_id (two aggregates' outputs, distinctness unknown) it
        -- expected ~100 times too many rows at 100,000 instances, and the cost that followed
        -- (1.8 million) switched on JIT compilation: ~400 ms, more than the query itself.
        LEFT JOIN li ON li.cluster_id = c.id`;
}

const CODES = { tier: TIERS, engine: ENGINES, health: HEALTH_STATUSES } as const;
const indexOf = <T extends string>(values: readonly T[]) => new Map<string, number>(values.map((v, i) => [v, i]));
const TIER_INDEX = indexOf(TIERS);
const ENGINE_INDEX = indexOf(ENGINES);
const HEALTH_INDEX = indexOf(HEALTH_STATUSES);

/**
 * Clusters in grid order: data center, tier, name, compared as the console compares them
 * (JavaScript string order; tiers in their declared order), so the wire order is the order drawn.
 */
function inGridOrder(rows: TFleetCluster[]): TFleetCluster[] {
  return rows.sort(
    (a, b) =>
      (a.dataCenterCode < b.dataCenterCode ? -1 : a.dataCenterCode > b.dataCenterCode ? 1 : 0) ||
      TIER_INDEX.get(a.tier)! - TIER_INDEX.get(b.tier)! ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/**
 * The fleet as a graph, in three queries side by side: data centers with roll-ups, clusters
 * with their placement, health and worst incoming lag (one GROUP BY over instances and the
 * links into them), and links grouped by (source, target) data center. Clusters and edges
 * travel as columns (see `TFleetClusterColumns`).
 */
export async function getFleetGraph(prisma: PrismaClient, filter: TGetFleetGraphRequest): Promise<TFleetGraph> {
  const [dcRows, clusterRows, linkGroups] = await Promise.all([
    queryDataCenterRollups(prisma, filter),
    prisma.$queryRaw<TFleetCluster[]>(fleetClustersSql(filter)),
    queryCrossDataCenterLinkGroups(prisma, filter),
  ]);

  const visible = visibleDataCenters(dcRows, filter);
  const position = new Map(visible.map((d, i) => [d.code, i]));

  const clusters: TFleetClusterColumns = { name: [], dataCenter: [], tier: [], engine: [], health: [], instanceCount: [], down: [], degraded: [], maxLagSeconds: [], brokenLinks: [] };
  const placed = new Map<string, number>();
  for (const c of inGridOrder(clusterRows.filter((c) => position.has(c.dataCenterCode)))) {
    const at = position.get(c.dataCenterCode)!;
    clusters.name.push(c.name);
    clusters.dataCenter.push(at);
    clusters.tier.push(TIER_INDEX.get(c.tier)!);
    clusters.engine.push(ENGINE_INDEX.get(c.engine)!);
    clusters.health.push(HEALTH_INDEX.get(c.health)!);
    clusters.instanceCount.push(c.instanceCount);
    clusters.down.push(c.down);
    clusters.degraded.push(c.degraded);
    clusters.maxLagSeconds.push(c.maxLagSeconds);
    clusters.brokenLinks.push(c.brokenLinks);
    placed.set(c.dataCenterCode, (placed.get(c.dataCenterCode) ?? 0) + 1);
  }

  const edges: TFleetEdgeColumns = { source: [], target: [], linkCount: [], maxLagSeconds: [], brokenCount: [], impairedCount: [] };
  const outside = new Map<string, number>();
  let links = 0;
  for (const g of linkGroups) {
    const s = position.get(g.src);
    const t = position.get(g.dst);
    if (s !== undefined && t !== undefined) {
      edges.source.push(s);
      edges.target.push(t);
      edges.linkCount.push(g.links);
      edges.maxLagSeconds.push(g.maxLagSeconds);
      edges.brokenCount.push(g.broken);
      edges.impairedCount.push(g.impaired);
      links += g.links;
    } else if (s !== undefined || t !== undefined) {
      const code = s !== undefined ? g.src : g.dst;
      outside.set(code, (outside.get(code) ?? 0) + g.links);
    }
  }

  const dataCenters: TFleetDataCenter[] = visible.map((d) => ({
    code: d.code,
    name: d.name,
    city: d.city,
    latitude: d.latitude,
    longitude: d.longitude,
    regionCode: d.regionCode,
    jurisdictionCode: d.jurisdictionCode,
    status: d.status,
    capacitySlots: d.capacitySlots,
    capacityUsed: d.capacityUsed,
    instanceCount: d.instanceCount,
    clusterCount: placed.get(d.code) ?? 0,
    healthCounts: { up: d.up, degraded: d.degraded, down: d.down, unknown: d.unknown },
    health: d.health,
    linksOutsideView: outside.get(d.code) ?? 0,
  }));

  return {
    dataCenters,
    clusters,
    edges,
    codes: CODES,
    totals: {
      dataCenters: dataCenters.length,
      clusters: clusters.name.length,
      instances: dataCenters.reduce((sum, d) => sum + d.instanceCount, 0),
      links,
    },
    filtered: isFiltered(filter),
    generatedAt: new Date(),
  };
}
