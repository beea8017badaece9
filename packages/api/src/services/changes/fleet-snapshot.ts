import { clusterIdOf, type TChangeParams } from "@meridian/policy";
import { type TClusterSnapshot, type TDataCenterSnapshot, type TFleetSnapshot } from "@meridian/orchestrator";
import { AppError } from "../../errors";
import { type TDb } from "../audit/append-audit-event";

/**
 * The local time offset of a data center, from its longitude (15° per hour, whole hours).
 * Data centers carry no time zone yet; this is close enough for "business hours" in risk.
 */
export function utcOffsetFromLongitude(longitude: number): number {
  return Math.max(-12, Math.min(14, Math.round(longitude / 15))) * 60;
}

/** Every data center with its used slots (one per instance). */
export async function loadDataCenterSnapshots(db: TDb): Promise<TDataCenterSnapshot[]> {
  const [dcs, used] = await Promise.all([
    db.dataCenter.findMany({
      select: { id: true, code: true, jurisdictionCode: true, status: true, capacitySlots: true, longitude: true },
      orderBy: { code: "asc" },
    }),
    db.instance.groupBy({ by: ["dataCenterId"], _count: { _all: true } }),
  ]);
  const usedBy = new Map(used.map((u) => [u.dataCenterId, u._count._all]));
  return dcs.map((dc) => ({
    id: dc.id,
    code: dc.code,
    jurisdiction: dc.jurisdictionCode,
    status: dc.status,
    capacitySlots: dc.capacitySlots,
    usedSlots: usedBy.get(dc.id) ?? 0,
    utcOffsetMinutes: utcOffsetFromLongitude(dc.longitude),
  }));
}

export async function loadClusterSnapshots(db: TDb, clusterIds: readonly string[]): Promise<TClusterSnapshot[]> {
  if (clusterIds.length === 0) return [];
  const clusters = await db.cluster.findMany({
    where: { id: { in: [...clusterIds] } },
    select: {
      id: true,
      name: true,
      teamId: true,
      team: { select: { slug: true } },
      tier: true,
      classification: true,
      homeJurisdictionCode: true,
      allowedJurisdictions: true,
      rpoSeconds: true,
      instances: {
        select: { id: true, name: true, role: true, dataCenterId: true, health: true, driver: true },
        orderBy: { name: "asc" },
      },
    },
  });
  const instanceIds = clusters.flatMap((c) => c.instances.map((i) => i.id));
  const links = instanceIds.length
    ? await db.replicationLink.findMany({
        where: { OR: [{ sourceId: { in: instanceIds } }, { targetId: { in: instanceIds } }] },
        select: { id: true, sourceId: true, targetId: true, mode: true, status: true, lagSeconds: true },
        orderBy: { id: "asc" },
      })
    : [];
  return clusters.map((c) => {
    const ids = new Set(c.instances.map((i) => i.id));
    return {
      id: c.id,
      name: c.name,
      teamId: c.teamId,
      teamSlug: c.team.slug,
      tier: c.tier,
      classification: c.classification,
      homeJurisdiction: c.homeJurisdictionCode,
      allowedJurisdictions: c.allowedJurisdictions,
      rpoSeconds: c.rpoSeconds,
      instances: c.instances,
      links: links
        .filter((l) => ids.has(l.sourceId) || ids.has(l.targetId))
        .map((l) => ({ ...l, lagSeconds: Number.isFinite(l.lagSeconds) ? l.lagSeconds : null })),
    };
  });
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
  let clusterIds: string[];
  if (clusterId) {
    const exists = await db.cluster.findUnique({ where: { id: clusterId }, select: { id: true } });
    if (!exists) throw new AppError("NOT_FOUND", `No cluster with id ${clusterId}`, { "params.clusterId": ["No such cluster"] });
    clusterIds = [clusterId, ...(await linkedClusterIds(db, params, clusterId))];
  } else if (params.kind === "DRAIN_DATACENTER") {
    const rows = await db.instance.findMany({
      where: { dataCenterId: params.dataCenterId },
      distinct: ["clusterId"],
      select: { clusterId: true },
    });
    clusterIds = rows.map((r) => r.clusterId);
  } else {
    clusterIds = [];
  }
  const [clusters, dataCenters] = await Promise.all([loadClusterSnapshots(db, clusterIds), loadDataCenterSnapshots(db)]);
  return { clusters, dataCenters };
}
