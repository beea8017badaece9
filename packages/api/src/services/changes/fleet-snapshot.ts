import { clusterIdOf, type TChangeParams } from "@meridian/policy";
import { type TClusterSnapshot, type TDataCenterSnapshot, type TFleetSnapshot } from "@meridian/orchestrator";
import { Prisma } from "@meridian/db";
import { AppError } from "../../errors";
import { type TDb } from "../audit/append-audit-event";

/**
 * The local time offset of a data center, from its longitude (15° per hour, whole hours).
 * Data centers carry no time zone yet; this is close enough for "business hours" in risk.
 */
export function utcOffsetFromLongitude(longitude: number): number {
  return Math.max(-12, Math.min(14, Math.round(longitude / 15))) * 60;
}

/** The statement behind `loadDataCenterSnapshots`: every data center with its used slots (one per instance). */
export function dataCenterSnapshotsSql(): Prisma.Sql {
  return Prisma.sql`
    SELECT dc.id::text AS "id", dc.code AS "code", dc.jurisdiction_code AS "jurisdiction", dc.status::text AS "status",
           dc.capacity_slots AS "capacitySlots", COALESCE(u.n, 0)::int AS "usedSlots", dc.longitude AS "longitude"
      FROM data_center dc
      LEFT JOIN (SELECT data_center_id, count(*) AS n FROM instance GROUP BY data_center_id) u ON u.data_center_id = dc.id
     ORDER BY dc.code`;
}

/** Every data center with its used slots (one per instance). */
export async function loadDataCenterSnapshots(db: TDb): Promise<TDataCenterSnapshot[]> {
  const rows = await db.$queryRaw<(Omit<TDataCenterSnapshot, "utcOffsetMinutes"> & { longitude: number })[]>(dataCenterSnapshotsSql());
  return rows.map(({ longitude, ...dc }) => ({ ...dc, utcOffsetMinutes: utcOffsetFromLongitude(longitude) }));
}

/** Which clusters a snapshot holds: these ids (in this order), or every cluster with an instance in a data center. */
export type TClusterScope = { clusterIds: readonly string[] } | { dataCenterId: string };

/**
 * The statements behind `loadClusterSnapshots` (exported for the benchmark's raw-SQL baseline):
 * the clusters, their instances and every link with an end in one of them. Each is one query
 * whatever the number of clusters (a drain of a large data center loads thousands).
 */
export function clusterSnapshotsSql(scope: TClusterScope): { clusters: Prisma.Sql; instances: Prisma.Sql; links: Prisma.Sql } {
  const scoped =
    "clusterIds" in scope
      ? Prisma.sql`SELECT k.id, k.ord FROM unnest(${[...scope.clusterIds]}::uuid[]) WITH ORDINALITY AS k(id, ord)`
      : Prisma.sql`SELECT DISTINCT i.cluster_id AS id, 0::bigint AS ord FROM instance i WHERE i.data_center_id = ${scope.dataCenterId}::uuid`;
  return {
    clusters: Prisma.sql`
      WITH scope AS (${scoped})
      SELECT c.id::text AS "id", c.name AS "name", c.team_id::text AS "teamId", t.slug AS "teamSlug",
             c.tier::text AS "tier", c.classification::text AS "classification",
             c.home_jurisdiction_code AS "homeJurisdiction", c.allowed_jurisdictions::text[] AS "allowedJurisdictions",
             c.rpo_seconds AS "rpoSeconds"
        FROM scope JOIN cluster c ON c.id = scope.id JOIN team t ON t.id = c.team_id
       ORDER BY scope.ord, c.name`,
    instances: Prisma.sql`
      WITH scope AS (${scoped})
      SELECT i.id::text AS "id", i.name AS "name", i.role::text AS "role", i.data_center_id::text AS "dataCenterId",
             i.health::text AS "health", i.driver::text AS "driver", i.cluster_id::text AS "clusterId"
        FROM instance i
       WHERE i.cluster_id IN (SELECT id FROM scope)
       ORDER BY i.name`,
    links: Prisma.sql`
      WITH scope AS (${scoped}),
      ends AS (SELECT i.id FROM instance i WHERE i.cluster_id IN (SELECT id FROM scope))
      SELECT l.id::text AS "id", l.source_id::text AS "sourceId", l.target_id::text AS "targetId",
             l.mode::text AS "mode", l.status::text AS "status", l.lag_seconds AS "lagSeconds"
        FROM replication_link l
       WHERE l.id IN (SELECT l2.id FROM replication_link l2 JOIN ends e ON e.id = l2.source_id
                      UNION SELECT l3.id FROM replication_link l3 JOIN ends e ON e.id = l3.target_id)
       ORDER BY l.id`,
  };
}

type TInstanceRow = TClusterSnapshot["instances"][number] & { clusterId: string };

export async function loadClusterSnapshots(db: TDb, scope: TClusterScope): Promise<TClusterSnapshot[]> {
  if ("clusterIds" in scope && scope.clusterIds.length === 0) return [];
  const q = clusterSnapshotsSql(scope);
  const [clusters, instances, links] = await Promise.all([
    db.$queryRaw<Omit<TClusterSnapshot, "instances" | "links">[]>(q.clusters),
    db.$queryRaw<TInstanceRow[]>(q.instances),
    db.$queryRaw<TClusterSnapshot["links"]>(q.links),
  ]);
  const byCluster = new Map(clusters.map((c) => [c.id, { ...c, instances: [], links: [] } as TClusterSnapshot]));
  const clusterOf = new Map<string, TClusterSnapshot>();
  for (const { clusterId, ...instance } of instances) {
    const cluster = byCluster.get(clusterId);
    if (!cluster) continue;
    cluster.instances.push(instance);
    clusterOf.set(instance.id, cluster);
  }
  for (const link of links) {
    const lagSeconds = link.lagSeconds !== null && Number.isFinite(link.lagSeconds) ? link.lagSeconds : null;
    const source = clusterOf.get(link.sourceId);
    const target = clusterOf.get(link.targetId);
    // Each cluster gets its own copy: a planner changes its cluster's links in place.
    if (source) source.links.push({ ...link, lagSeconds });
    if (target && target !== source) target.links.push({ ...link, lagSeconds });
  }
  return [...byCluster.values()];
}

/**
 * A data-sync link may cross clusters: ADD_LINK into another cluster's registered instance,
 * REMOVE_LINK of such a link. The planner then also needs the other end's cluster.
 */
async function linkedClusterIds(db: TDb, params: TChangeParams, clusterId: string): Promise<string[]> {
  let instanceIds: string[] = [];
  if (params.kind === "ADD_LINK" && params.targetInstanceId) instanceIds = [params.targetInstanceId];
  else if (params.kind === "REMOVE_LINK") {
    const link = await db.replicationLink.findUnique({ where: { id: params.linkId }, select: { sourceId: true, targetId: true } });
    instanceIds = link ? [link.sourceId, link.targetId] : [];
  }
  if (instanceIds.length === 0) return [];
  const rows = await db.instance.findMany({ where: { id: { in: instanceIds } }, select: { clusterId: true } });
  return [...new Set(rows.map((r) => r.clusterId))].filter((id) => id !== clusterId);
}

/**
 * What the planner of `params` needs, read from the metadata database: the target cluster
 * (or, for a data center drain, every cluster with an instance there) and all data centers.
 */
export async function loadFleetSnapshot(db: TDb, params: TChangeParams): Promise<TFleetSnapshot> {
  const clusterId = clusterIdOf(params);
  let scope: TClusterScope;
  if (clusterId) {
    const exists = await db.cluster.findUnique({ where: { id: clusterId }, select: { id: true } });
    if (!exists) throw new AppError("NOT_FOUND", `No cluster with id ${clusterId}`, { "params.clusterId": ["No such cluster"] });
    scope = { clusterIds: [clusterId, ...(await linkedClusterIds(db, params, clusterId))] };
  } else if (params.kind === "DRAIN_DATACENTER") {
    scope = { dataCenterId: params.dataCenterId };
  } else {
    scope = { clusterIds: [] };
  }
  const [clusters, dataCenters] = await Promise.all([loadClusterSnapshots(db, scope), loadDataCenterSnapshots(db)]);
  return { clusters, dataCenters };
}
