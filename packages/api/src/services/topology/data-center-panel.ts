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
import { healthCountsFrom, rollupHealth, type THealthCounts } from "../inventory/health";
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
  clusters: TPanelCluster[];
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

/** The panel's three statements for a data center id (exported for the benchmark's raw-SQL baseline). */
export function dataCenterPanelSql(dcId: string, filter: TFleetFilter): { instances: Prisma.Sql; links: Prisma.Sql; internal: Prisma.Sql } {
  const byCluster = filtersInstances(filter);
  const match = byCluster ? Prisma.sql`AND i.cluster_id IN (SELECT id FROM mc)` : Prisma.empty;
  const linkMatch = byCluster
    ? Prisma.sql`AND (s.cluster_id IN (SELECT id FROM mc) OR t.cluster_id IN (SELECT id FROM mc))`
    : Prisma.empty;

  return {
    instances: Prisma.sql`
      WITH mc AS (${matchingCte(filter)}),
      here AS (
        SELECT i.id, i.name, i.role, i.health, i.cluster_id FROM instance i WHERE i.data_center_id = ${dcId}::uuid ${match}
      ),
      incoming AS (
        SELECT l.target_id, max(l.lag_seconds)::float8 AS lag_seconds, max(l.lag_bytes)::float8 AS lag_bytes,
               max(${Prisma.raw(LINK_STATUS_RANK_SQL)}) AS status_rank
          FROM replication_link l
         WHERE l.target_id IN (SELECT id FROM here)
         GROUP BY l.target_id
      )
      SELECT i.id::text AS "id", i.name AS "name", i.role::text AS "role", i.health::text AS "health",
             c.id::text AS "clusterId", c.name AS "clusterName", c.engine::text AS "engine", c.tier::text AS "tier",
             c.classification::text AS "classification", t.slug AS "teamSlug", t.name AS "teamName",
             c.home_jurisdiction_code AS "homeJurisdictionCode",
             inc.lag_seconds AS "lagSeconds", inc.lag_bytes AS "lagBytes",
             (ARRAY['ACTIVE','CATCHING_UP','PAUSED','BROKEN'])[inc.status_rank] AS "linkStatus"
        FROM here i
        JOIN cluster c ON c.id = i.cluster_id
        JOIN team t ON t.id = c.team_id
        LEFT JOIN incoming inc ON inc.target_id = i.id
       ORDER BY c.tier, c.name, array_position(ARRAY['PRIMARY','STANDBY','REPLICA']::text[], i.role::text), i.name`,
    // Links with one end here, found from this data center's instances (out of here by source,
    // into here by target), then the far end's data center: one hash of the instances, not two.
    links: Prisma.sql`
      WITH mc AS (${matchingCte(filter)}),
      touching AS (
        SELECT 'out' AS direction, l.*, l.target_id AS far_id, h.cluster_id AS here_cluster
          FROM instance h JOIN replication_link l ON l.source_id = h.id WHERE h.data_center_id = ${dcId}::uuid
        UNION ALL
        SELECT 'in' AS direction, l.*, l.source_id AS far_id, h.cluster_id AS here_cluster
          FROM instance h JOIN replication_link l ON l.target_id = h.id WHERE h.data_center_id = ${dcId}::uuid
      )
      SELECT l.direction AS "direction",
             o.code AS "code", o.name AS "name", o.city AS "city", o.jurisdiction_code AS "jurisdictionCode",
             o.status::text AS "status", count(*)::int AS "links",
             max(l.lag_seconds)::float8 AS "maxLagSeconds", max(l.lag_bytes)::float8 AS "maxLagBytes",
             (count(*) FILTER (WHERE l.status = 'BROKEN'))::int AS "broken",
             (count(*) FILTER (WHERE l.status <> 'ACTIVE'))::int AS "impaired"
        FROM touching l
        JOIN instance f ON f.id = l.far_id
        JOIN data_center o ON o.id = f.data_center_id
       WHERE f.data_center_id <> ${dcId}::uuid
         ${byCluster ? Prisma.sql`AND (l.here_cluster IN (SELECT id FROM mc) OR f.cluster_id IN (SELECT id FROM mc))` : Prisma.empty}
       GROUP BY 1, o.id
       ORDER BY 1 DESC, count(*) DESC, o.code`,
    internal: Prisma.sql`
      WITH mc AS (${matchingCte(filter)})
      SELECT count(*)::int AS n
        FROM instance s
        JOIN replication_link l ON l.source_id = s.id
        JOIN instance t ON t.id = l.target_id
       WHERE s.data_center_id = ${dcId}::uuid AND t.data_center_id = ${dcId}::uuid ${linkMatch}`,
  };
}

/**
 * The map's side panel: one data center's facts, the clusters and instances there (each
 * instance with the worst lag into it) and its replication to and from other data centers,
 * grouped by the other data center. Three queries after the data center is found, in parallel.
 */
export async function getDataCenterPanel(prisma: PrismaClient, input: TGetDataCenterPanelRequest): Promise<TDataCenterPanel> {
  const { code, ...filter } = input;
  const dcs = await prisma.$queryRaw<TDcRow[]>(findDataCenterSql(code));
  const dc = dcs[0];
  if (!dc) throw new AppError("NOT_FOUND", `No data center with code "${code}"`);

  const q = dataCenterPanelSql(dc.id, filter);
  const [instances, links, internal] = await Promise.all([
    prisma.$queryRaw<TInstanceRow[]>(q.instances),
    prisma.$queryRaw<TLinkRow[]>(q.links),
    prisma.$queryRaw<{ n: number }[]>(q.internal),
  ]);

  const byCluster = filtersInstances(filter);
  const clusters: TPanelCluster[] = [];
  let current: (TPanelCluster & { counts: { health: string; count: number }[] }) | undefined;
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
        counts: [],
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
    current.counts.push({ health: row.health, count: 1 });
  }
  const clusterViews = clusters.map((c) => {
    const { counts, ...rest } = c as TPanelCluster & { counts: { health: string; count: number }[] };
    const healthCounts = healthCountsFrom(counts);
    return { ...rest, healthCounts, health: rollupHealth(healthCounts) };
  });
  const healthCounts = healthCountsFrom(instances.map((i) => ({ health: i.health, count: 1 })));

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
    instanceCount: instances.length,
    healthCounts,
    health: rollupHealth(healthCounts),
    clusters: clusterViews,
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
