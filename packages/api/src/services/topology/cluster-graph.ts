import { Prisma, type PrismaClient } from "@meridian/db";
import { AppError } from "../../errors";
import {
  type TDataCenterStatus,
  type TDataClassification,
  type TEngine,
  type THealthStatus,
  type TInstanceRole,
  type TLinkStatus,
  type TReplicationMode,
  type TTier,
} from "../../routers/inventory/inventory.schema";
import { type TGetClusterGraphRequest } from "../../routers/topology/cluster-graph.schema";
import { healthCountsFrom, rollupHealth, type THealthCounts } from "../inventory/health";
import { isUuid } from "../inventory/links";

export interface TGraphInstance {
  id: string;
  name: string;
  role: TInstanceRole;
  health: THealthStatus;
  version: string;
  endpoint: string;
  dataCenterCode: string;
  /** Instances of other clusters that feed this one or are fed by it (CDC): context only. */
  external: boolean;
  clusterName: string;
  /** Open drift findings on this instance (health collector). */
  driftCount: number;
}

export interface TGraphLink {
  id: string;
  sourceId: string;
  targetId: string;
  mode: TReplicationMode;
  status: TLinkStatus;
  lagSeconds: number;
  lagBytes: number;
  updatedAt: Date;
  crossesDataCenter: boolean;
  crossesJurisdiction: boolean;
}

export interface TGraphDataCenter {
  code: string;
  name: string;
  city: string;
  country: string;
  regionCode: string;
  jurisdictionCode: string;
  status: TDataCenterStatus;
  /** Over this cluster's instances here (external ones excluded). */
  healthCounts: THealthCounts;
  health: THealthStatus;
}

export interface TClusterGraph {
  cluster: {
    id: string;
    name: string;
    engine: TEngine;
    engineVersion: string;
    tier: TTier;
    classification: TDataClassification;
    teamSlug: string;
    teamName: string;
    homeJurisdictionCode: string;
    allowedJurisdictions: string[];
    rpoSeconds: number;
    rtoSeconds: number;
    healthCounts: THealthCounts;
    health: THealthStatus;
  };
  dataCenters: TGraphDataCenter[];
  instances: TGraphInstance[];
  links: TGraphLink[];
  generatedAt: Date;
}

interface TInstanceRow extends TGraphInstance {
  dcName: string;
  dcCity: string;
  dcCountry: string;
  dcRegion: string;
  dcJurisdiction: string;
  dcStatus: TDataCenterStatus;
}

/** The cluster graph's two statements for a cluster id (exported for the benchmark's raw-SQL baseline). */
export function clusterGraphSql(clusterId: string): { links: Prisma.Sql; instances: Prisma.Sql } {
  return {
    links: Prisma.sql`
      SELECT l.id::text AS "id", l.source_id::text AS "sourceId", l.target_id::text AS "targetId",
             l.mode::text AS "mode", l.status::text AS "status", l.lag_seconds AS "lagSeconds",
             l.lag_bytes::float8 AS "lagBytes", l.updated_at AS "updatedAt"
        FROM replication_link l
       WHERE l.id IN (
               SELECT o.id FROM instance i JOIN replication_link o ON o.source_id = i.id WHERE i.cluster_id = ${clusterId}::uuid
               UNION
               SELECT n.id FROM instance i JOIN replication_link n ON n.target_id = i.id WHERE i.cluster_id = ${clusterId}::uuid)
       ORDER BY l.id`,
    instances: Prisma.sql`
      WITH ends AS (
        SELECT id FROM instance WHERE cluster_id = ${clusterId}::uuid
        UNION
        SELECT l.source_id FROM replication_link l JOIN instance t ON t.id = l.target_id WHERE t.cluster_id = ${clusterId}::uuid
        UNION
        SELECT l.target_id FROM replication_link l JOIN instance s ON s.id = l.source_id WHERE s.cluster_id = ${clusterId}::uuid
      )
      SELECT i.id::text AS "id", i.name AS "name", i.role::text AS "role", i.health::text AS "health",
             i.version AS "version", i.endpoint AS "endpoint", dc.code AS "dataCenterCode",
             (i.cluster_id <> ${clusterId}::uuid) AS "external", c.name AS "clusterName",
             (SELECT count(*)::int FROM drift_finding f WHERE f.instance_id = i.id AND f.resolved_at IS NULL) AS "driftCount",
             dc.name AS "dcName", dc.city AS "dcCity", dc.country AS "dcCountry", dc.region_code AS "dcRegion",
             dc.jurisdiction_code AS "dcJurisdiction", dc.status::text AS "dcStatus"
        FROM instance i
        JOIN ends e ON e.id = i.id
        JOIN cluster c ON c.id = i.cluster_id
        JOIN data_center dc ON dc.id = i.data_center_id
       ORDER BY dc.code, array_position(ARRAY['PRIMARY','STANDBY','REPLICA']::text[], i.role::text), i.name`,
  };
}

/**
 * One cluster's replication graph, in three queries: the cluster, its links (into or out of
 * any of its instances, CDC feeds from or to other clusters included), and the instances at
 * either end with their data centers.
 */
export async function getClusterGraph(prisma: PrismaClient, input: TGetClusterGraphRequest): Promise<TClusterGraph> {
  const ref = input.cluster;
  const include = { team: { select: { slug: true, name: true } } } as const;
  // The exact name (what the console's links carry) through the unique index; any other casing
  // of it falls back to a case-insensitive match.
  const cluster =
    (await prisma.cluster.findFirst({ where: isUuid(ref) ? { OR: [{ id: ref }, { name: ref }] } : { name: ref }, include })) ??
    (isUuid(ref) ? null : await prisma.cluster.findFirst({ where: { name: { equals: ref, mode: "insensitive" } }, include }));
  if (!cluster) throw new AppError("NOT_FOUND", `No cluster named "${ref}"`);

  const q = clusterGraphSql(cluster.id);
  const [links, rows] = await Promise.all([
    prisma.$queryRaw<Omit<TGraphLink, "crossesDataCenter" | "crossesJurisdiction">[]>(q.links),
    prisma.$queryRaw<TInstanceRow[]>(q.instances),
  ]);

  const instances: TGraphInstance[] = [];
  const dcs = new Map<string, TGraphDataCenter & { counts: { health: string; count: number }[] }>();
  for (const r of rows) {
    instances.push({
      id: r.id,
      name: r.name,
      role: r.role,
      health: r.health,
      version: r.version,
      endpoint: r.endpoint,
      dataCenterCode: r.dataCenterCode,
      external: r.external,
      clusterName: r.clusterName,
      driftCount: r.driftCount,
    });
    let dc = dcs.get(r.dataCenterCode);
    if (!dc) {
      dc = {
        code: r.dataCenterCode,
        name: r.dcName,
        city: r.dcCity,
        country: r.dcCountry,
        regionCode: r.dcRegion,
        jurisdictionCode: r.dcJurisdiction,
        status: r.dcStatus,
        healthCounts: { up: 0, degraded: 0, down: 0, unknown: 0 },
        health: "UNKNOWN",
        counts: [],
      };
      dcs.set(r.dataCenterCode, dc);
    }
    if (!r.external) dc.counts.push({ health: r.health, count: 1 });
  }
  const dataCenters = [...dcs.values()].map(({ counts, ...dc }) => {
    const healthCounts = healthCountsFrom(counts);
    return { ...dc, healthCounts, health: rollupHealth(healthCounts) };
  });

  const byId = new Map(instances.map((i) => [i.id, i]));
  const jurisdictionOf = new Map(dataCenters.map((d) => [d.code, d.jurisdictionCode]));
  const own = instances.filter((i) => !i.external);
  const clusterCounts = healthCountsFrom(own.map((i) => ({ health: i.health, count: 1 })));
  const primaryDown = own.some((i) => i.role === "PRIMARY" && i.health === "DOWN");

  return {
    cluster: {
      id: cluster.id,
      name: cluster.name,
      engine: cluster.engine,
      engineVersion: cluster.engineVersion,
      tier: cluster.tier,
      classification: cluster.classification,
      teamSlug: cluster.team.slug,
      teamName: cluster.team.name,
      homeJurisdictionCode: cluster.homeJurisdictionCode,
      allowedJurisdictions: cluster.allowedJurisdictions,
      rpoSeconds: cluster.rpoSeconds,
      rtoSeconds: cluster.rtoSeconds,
      healthCounts: clusterCounts,
      health: rollupHealth(clusterCounts, primaryDown),
    },
    dataCenters,
    instances,
    links: links.map((l) => {
      const s = byId.get(l.sourceId);
      const t = byId.get(l.targetId);
      return {
        ...l,
        crossesDataCenter: s?.dataCenterCode !== t?.dataCenterCode,
        crossesJurisdiction:
          jurisdictionOf.get(s?.dataCenterCode ?? "") !== jurisdictionOf.get(t?.dataCenterCode ?? ""),
      };
    }),
    generatedAt: new Date(),
  };
}
