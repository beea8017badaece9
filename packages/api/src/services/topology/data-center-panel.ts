import { Prisma, type PrismaClient } from "@meridian/db";
import { AppError } from "../../errors";
import {
  type TDataCenterStatus,
  type TDataClassification,
  type TEngine,
  type THealthStatus,
  type TInstanceRole,
  type TLinkStatus,
  type TTier,
} from "../../routers/inventory/inventory.schema";
import { type TGetDataCenterPanelRequest } from "../../routers/topology/data-center-panel.schema";
import { filtersInstances, type TFleetFilter } from "../../routers/topology/topology.schema";
import { rollupHealth, type THealthCounts } from "../inventory/health";
import { containsPattern } from "../inventory/sql";
import { matchingClustersSql } from "./filters";

export interface TPanelInstance {
  id: string;
  name: string;
  role: TInstanceRole;
  health: THealthStatus;
  /** Worst lag of the links into this instance; null when nothing replicates into it. */
  lagSeconds: number | null;
  lagBytes: number | null;
  /** Worst status of the links into it. */
  linkStatus: TLinkStatus | null;
}

export interface TPanelCluster {
  id: string;
  name: string;
  engine: TEngine;
  tier: TTier;
  classification: TDataClassification;
  teamSlug: string;
  teamName: string;
  homeJurisdictionCode: string;
  /** The cluster's instances in this data center. */
  instances: TPanelInstance[];
  healthCounts: THealthCounts;
  health: THealthStatus;
}

/** Replication between this data center and one other, in one direction. */
export interface TPanelLinkGroup {
  direction: "out" | "in";
  dataCenter: { code: string; name: string; city: string; jurisdictionCode: string; status: TDataCenterStatus };
  linkCount: number;
  maxLagSeconds: number;
  maxLagBytes: number;
  brokenCount: number;
  impairedCount: number;
  crossesJurisdiction: boolean;
}

export interface TDataCenterPanel {
  code: string;
  name: string;
  city: string;
  country: string;
  region: { code: string; name: string };
  jurisdiction: { code: string; name: string };
  provider: string;
  status: TDataCenterStatus;
  capacitySlots: number;
  capacityUsed: number;
  capacityFree: number;
  utilisation: number | null;
  /** Over the instances the filters keep. */
  instanceCount: number;
  healthCounts: THealthCounts;
  health: THealthStatus;
  /** Clusters with an instance here that the map's filters keep. */
  clusterCount: number;
  /** Of those, the ones the panel's own text filter (`q`) keeps: the total `clusters` pages through. */
  matchingClusterCount: number;
  /** One page of the matching clusters (tier, then name), each with all its instances here. */
  clusters: TPanelCluster[];
  /** The `cursor` of the next page; null on the last page. */
  nextCursor: number | null;
  links: TPanelLinkGroup[];
  /** Links with both ends here. */
  internalLinkCount: number;
  filtered: boolean;
}

interface TDcRow {
  id: string;
  code: string;
  name: string;
  city: string;
  country: string;
  regionCode: string;
  regionName: string;
  jurisdictionCode: string;
  jurisdictionName: string;
  provider: string;
  status: TDataCenterStatus;
  capacitySlots: number;
  used: number;
}

interface TInstanceRow {
  id: string;
  name: string;
  role: TInstanceRole;
  health: THealthStatus;
  clusterId: string;
  clusterName: string;
  engine: TEngine;
  tier: TTier;
  classification: TDataClassification;
  teamSlug: string;
  teamName: string;
  homeJurisdictionCode: string;
  lagSeconds: number | null;
  lagBytes: number | null;
  linkStatus: TLinkStatus | null;
}

interface TSummaryRow {
  instances: number;
  clusters: number;
  matching: number;
  up: number;
  degraded: number;
  down: number;
  unknown: number;
}

interface TLinkRow {
  direction: "out" | "in";
  code: string;
  name: string;
  city: string;
  jurisdictionCode: string;
  status: TDataCenterStatus;
  links: number;
  maxLagSeconds: number;
  maxLagBytes: number;
  broken: number;
  impaired: number;
}

const LINK_STATUS_RANK_SQL = `array_position(ARRAY['ACTIVE','CATCHING_UP','PAUSED','BROKEN']::text[], l.status::text)`;

function matchingCte(filter: TFleetFilter): Prisma.Sql {
  return matchingClustersSql(filter) ?? Prisma.sql`SELECT NULL::uuid AS id WHERE FALSE`;
}

/** Finds a data center by code, exact match first, then case-insensitive. */
export function findDataCenterSql(code: string): Prisma.Sql {
  return Prisma.sql`
    SELECT dc.id::text AS "id", dc.code AS "code", dc.name AS "name", dc.city AS "city", dc.country AS "country",
           dc.region_code AS "regionCode", r.name AS "regionName",
           dc.jurisdiction_code AS "jurisdictionCode", j.name AS "jurisdictionName",
           dc.provider AS "provider", dc.status::text AS "status", dc.capacity_slots AS "capacitySlots",
           (SELECT count(*)::int FROM instance i WHERE i.data_center_id = dc.id) AS "used"
      FROM data_center dc
      JOIN region r ON r.code = dc.region_code
      JOIN jurisdiction j ON j.code = dc.jurisdiction_code
     WHERE lower(dc.code) = lower(${code})
     ORDER BY (dc.code = ${code}) DESC
     LIMIT 1`;
}

/** Which page of the panel's cluster list, and the panel's own text filter. */
export interface TPanelPage {
  /** Matches a cluster's name, its team's name or the name of one of its instances here. */
  q?: string | undefined;
  limit: number;
  offset: number;
}

/**
 * The panel's statements for a data center id (exported for the benchmark's raw-SQL baseline):
 * the instance roll-up and cluster counts, one page of clusters with their instances here, and
 * the links, grouped by the data center at their far end (stored on each link).
 */
export function dataCenterPanelSql(
  dcId: string,
  filter: TFleetFilter,
  page: TPanelPage,
): { summary: Prisma.Sql; clusters: Prisma.Sql; links: Prisma.Sql; internal: Prisma.Sql } {
  const byCluster = filtersInstances(filter);
  const match = byCluster ? Prisma.sql`AND i.cluster_id IN (SELECT id FROM mc)` : Prisma.empty;
  // The links' instances are read only for the cluster filters.
  const linkEnds = byCluster ? Prisma.sql`JOIN instance s ON s.id = l.source_id JOIN instance t ON t.id = l.target_id` : Prisma.empty;
  const linkMatch = byCluster
    ? Prisma.sql`AND (s.cluster_id IN (SELECT id FROM mc) OR t.cluster_id IN (SELECT id FROM mc))`
    : Prisma.empty;
  const needle = page.q?.trim();
  const pattern = needle ? containsPattern(needle) : null;
  // Clusters with an instance here (under the map's filters), then the panel's text filter.
  const listed = Prisma.sql`
      mc AS (${matchingCte(filter)}),
      here AS (SELECT DISTINCT i.cluster_id FROM instance i WHERE i.data_center_id = ${dcId}::uuid ${match}),
      listed AS (
        SELECT c.id, c.name, c.engine, c.tier, c.classification, c.home_jurisdiction_code, t.slug AS team_slug, t.name AS team_name
          FROM here h
          JOIN cluster c ON c.id = h.cluster_id
          JOIN team t ON t.id = c.team_id
         ${
           pattern
             ? Prisma.sql`WHERE c.name ILIKE ${pattern} OR t.name ILIKE ${pattern}
                  OR EXISTS (SELECT 1 FROM instance i WHERE i.cluster_id = c.id AND i.data_center_id = ${dcId}::uuid ${match} AND i.name ILIKE ${pattern})`
             : Prisma.empty
         }
      )`;

  return {
    summary: Prisma.sql`
      WITH ${listed}
      SELECT count(*)::int AS "instances",
             count(DISTINCT i.cluster_id)::int AS "clusters",
             ${pattern ? Prisma.sql`(SELECT count(*)::int FROM listed)` : Prisma.sql`count(DISTINCT i.cluster_id)::int`} AS "matching",
             (count(*) FILTER (WHERE i.health = 'UP'))::int AS "up",
             (count(*) FILTER (WHERE i.health = 'DEGRADED'))::int AS "degraded",
             (count(*) FILTER (WHERE i.health = 'DOWN'))::int AS "down",
             (count(*) FILTER (WHERE i.health = 'UNKNOWN'))::int AS "unknown"
        FROM instance i
       WHERE i.data_center_id = ${dcId}::uuid ${match}`,
    clusters: Prisma.sql`
      WITH ${listed},
      page AS (SELECT * FROM listed ORDER BY tier, name LIMIT ${page.limit} OFFSET ${page.offset})
      SELECT i.id::text AS "id", i.name AS "name", i.role::text AS "role", i.health::text AS "health",
             c.id::text AS "clusterId", c.name AS "clusterName", c.engine::text AS "engine", c.tier::text AS "tier",
             c.classification::text AS "classification", c.team_slug AS "teamSlug", c.team_name AS "teamName",
             c.home_jurisdiction_code AS "homeJurisdictionCode",
             inc.lag_seconds AS "lagSeconds", inc.lag_bytes AS "lagBytes",
             (ARRAY['ACTIVE','CATCHING_UP','PAUSED','BROKEN'])[inc.status_rank] AS "linkStatus"
        FROM page c
        JOIN instance i ON i.cluster_id = c.id AND i.data_center_id = ${dcId}::uuid ${match}
        LEFT JOIN LATERAL (
          SELECT max(l.lag_seconds)::float8 AS lag_seconds, max(l.lag_bytes)::float8 AS lag_bytes,
                 max(${Prisma.raw(LINK_STATUS_RANK_SQL)}) AS status_rank
            FROM replication_link l
           WHERE l.target_id = i.id
        ) inc ON TRUE
       ORDER BY c.tier, c.name, array_position(ARRAY['PRIMARY','STANDBY','REPLICA']::text[], i.role::text), i.name`,
    links: Prisma.sql`
      WITH mc AS (${matchingCte(filter)}),
      touching AS (
        SELECT 'out' AS direction, l.target_data_center_id AS far_dc_id, l.*
          FROM replication_link l
         WHERE l.source_data_center_id = ${dcId}::uuid AND l.target_data_center_id <> ${dcId}::uuid
        UNION ALL
        SELECT 'in' AS direction, l.source_data_center_id AS far_dc_id, l.*
          FROM replication_link l
         WHERE l.target_data_center_id = ${dcId}::uuid AND l.source_data_center_id <> ${dcId}::uuid
      )
      SELECT l.direction AS "direction",
             o.code AS "code", o.name AS "name", o.city AS "city", o.jurisdiction_code AS "jurisdictionCode",
             o.status::text AS "status", count(*)::int AS "links",
             max(l.lag_seconds)::float8 AS "maxLagSeconds", max(l.lag_bytes)::float8 AS "maxLagBytes",
             (count(*) FILTER (WHERE l.status = 'BROKEN'))::int AS "broken",
             (count(*) FILTER (WHERE l.status <> 'ACTIVE'))::int AS "impaired"
        FROM touching l
        JOIN data_center o ON o.id = l.far_dc_id
        ${linkEnds}
       WHERE TRUE ${linkMatch}
       GROUP BY 1, o.id
       ORDER BY 1 DESC, count(*) DESC, o.code`,
    internal: Prisma.sql`
      WITH mc AS (${matchingCte(filter)})
      SELECT count(*)::int AS n
        FROM replication_link l
        ${linkEnds}
       WHERE l.source_data_center_id = ${dcId}::uuid AND l.target_data_center_id = ${dcId}::uuid ${linkMatch}`,
  };
}

/**
 * The map's side panel: one data center's facts and instance roll-up, one page of the clusters
 * there (each with its instances here, each instance with the worst lag into it; `cursor` is the
 * offset of the page, `q` filters by cluster, team or instance name), and its replication to and
 * from other data centers, grouped by the other data center. Four queries after the data center
 * is found, in parallel.
 */
export async function getDataCenterPanel(prisma: PrismaClient, input: TGetDataCenterPanelRequest): Promise<TDataCenterPanel> {
  const { code, q, limit, cursor, direction: _direction, ...filter } = input;
  const dcs = await prisma.$queryRaw<TDcRow[]>(findDataCenterSql(code));
  const dc = dcs[0];
  if (!dc) throw new AppError("NOT_FOUND", `No data center with code "${code}"`);

  const offset = cursor ?? 0;
  const sql = dataCenterPanelSql(dc.id, filter, { q, limit, offset });
  const [summaryRows, instances, links, internal] = await Promise.all([
    prisma.$queryRaw<TSummaryRow[]>(sql.summary),
    prisma.$queryRaw<TInstanceRow[]>(sql.clusters),
    prisma.$queryRaw<TLinkRow[]>(sql.links),
    prisma.$queryRaw<{ n: number }[]>(sql.internal),
  ]);
  const summary = summaryRows[0] ?? { instances: 0, clusters: 0, matching: 0, up: 0, degraded: 0, down: 0, unknown: 0 };

  const byCluster = filtersInstances(filter);
  const clusters: TPanelCluster[] = [];
  let current: TPanelCluster | undefined;
  for (const row of instances) {
    if (!current || current.id !== row.clusterId) {
      current = {
        id: row.clusterId,
        name: row.clusterName,
        engine: row.engine,
        tier: row.tier,
        classification: row.classification,
        teamSlug: row.teamSlug,
        teamName: row.teamName,
        homeJurisdictionCode: row.homeJurisdictionCode,
        instances: [],
        healthCounts: { up: 0, degraded: 0, down: 0, unknown: 0 },
        health: "UNKNOWN",
      };
      clusters.push(current);
    }
    current.instances.push({
      id: row.id,
      name: row.name,
      role: row.role,
      health: row.health,
      lagSeconds: row.lagSeconds,
      lagBytes: row.lagBytes,
      linkStatus: row.linkStatus,
    });
    const key = row.health.toLowerCase() as keyof THealthCounts;
    if (key in current.healthCounts) current.healthCounts[key] += 1;
  }
  for (const c of clusters) c.health = rollupHealth(c.healthCounts);
  const healthCounts: THealthCounts = { up: summary.up, degraded: summary.degraded, down: summary.down, unknown: summary.unknown };
  const nextCursor = offset + clusters.length < summary.matching && clusters.length > 0 ? offset + clusters.length : null;

  return {
    code: dc.code,
    name: dc.name,
    city: dc.city,
    country: dc.country,
    region: { code: dc.regionCode, name: dc.regionName },
    jurisdiction: { code: dc.jurisdictionCode, name: dc.jurisdictionName },
    provider: dc.provider,
    status: dc.status,
    capacitySlots: dc.capacitySlots,
    capacityUsed: dc.used,
    capacityFree: dc.capacitySlots - dc.used,
    utilisation: dc.capacitySlots > 0 ? dc.used / dc.capacitySlots : null,
    instanceCount: summary.instances,
    healthCounts,
    health: rollupHealth(healthCounts),
    clusterCount: summary.clusters,
    matchingClusterCount: summary.matching,
    clusters,
    nextCursor,
    links: links.map((l) => ({
      direction: l.direction,
      dataCenter: { code: l.code, name: l.name, city: l.city, jurisdictionCode: l.jurisdictionCode, status: l.status },
      linkCount: l.links,
      maxLagSeconds: l.maxLagSeconds,
      maxLagBytes: l.maxLagBytes,
      brokenCount: l.broken,
      impairedCount: l.impaired,
      crossesJurisdiction: l.jurisdictionCode !== dc.jurisdictionCode,
    })),
    internalLinkCount: internal[0]?.n ?? 0,
    filtered: byCluster,
  };
}
