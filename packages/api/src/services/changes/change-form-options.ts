import { type PrismaClient } from "@meridian/db";
import { can, type TChangeKind, type TRole } from "@meridian/policy";
import { type TChangeFormOptionsRequest } from "../../routers/changes/change-form-options.schema";
import { actsFleetWide, loadActorTeams, type TActor } from "./actor";

export interface TFormCluster {
  id: string;
  name: string;
  tier: string;
  classification: string;
  homeJurisdiction: string;
  allowedJurisdictions: string[];
  team: { slug: string; name: string };
}

export interface TFormDataCenter {
  id: string;
  code: string;
  name: string;
  city: string;
  jurisdiction: string;
  status: string;
  capacitySlots: number;
  freeSlots: number;
  /** The chosen cluster's data may live here; null without a cluster. */
  allowedForCluster: boolean | null;
  /** Instances of the chosen cluster already here. */
  clusterInstancesHere: number;
}

export interface TFormInstance {
  id: string;
  name: string;
  role: string;
  health: string;
  dataCenterId: string;
  dataCenterCode: string;
  jurisdiction: string;
  /** Lag of the link feeding this instance, when it has one. */
  lagSeconds: number | null;
  feedStatus: string | null;
}

export interface TFormLink {
  id: string;
  sourceName: string;
  targetName: string;
  sourceDataCenterCode: string;
  targetDataCenterCode: string;
  mode: string;
  status: string;
  lagSeconds: number;
}

/** A registered STANDBY on a real server of another cluster: ADD_LINK may sync into it (data-sync hosting). */
export interface TFormSyncTarget extends TFormInstance {
  clusterId: string;
  clusterName: string;
}

export interface TChangeFormOptions {
  kind: TChangeKind;
  clusters: TFormCluster[];
  /** Every data center, with its free slots; the form narrows by kind (capacity, ACTIVE). */
  dataCenters: TFormDataCenter[];
  cluster: (TFormCluster & { rpoSeconds: number; instances: TFormInstance[]; links: TFormLink[] }) | null;
  /** ADD_LINK with a cluster chosen: other clusters' registered standbys (empty otherwise). */
  syncTargets: TFormSyncTarget[];
  /** Upcoming maintenance windows (fleet-wide, or in a data center of the cluster). */
  windows: { id: string; dataCenterCode: string | null; reason: string; startsAt: Date; endsAt: Date }[];
  canBreakGlass: boolean;
  /** The viewer files for any cluster (DBA, admin) or only for their teams'. */
  fleetWide: boolean;
}

/**
 * Choices for a change form: the clusters the viewer may file for, and once a cluster is
 * chosen, its instances (health, feed lag), links and the data centers with free slots and
 * whether the cluster's residency policy allows them.
 */
export async function changeFormOptions(
  prisma: PrismaClient,
  actor: TActor,
  input: TChangeFormOptionsRequest,
  options: { now: Date },
): Promise<TChangeFormOptions> {
  const fleetWide = actsFleetWide(actor.roles);
  const teams = fleetWide ? null : await loadActorTeams(prisma, actor.id);
  const clusterRows = await prisma.cluster.findMany({
    where: teams ? { teamId: { in: teams.memberOfTeamIds } } : {},
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      tier: true,
      classification: true,
      homeJurisdictionCode: true,
      allowedJurisdictions: true,
      rpoSeconds: true,
      team: { select: { slug: true, name: true } },
    },
  });
  const clusters: TFormCluster[] = clusterRows.map((c) => ({
    id: c.id,
    name: c.name,
    tier: c.tier,
    classification: c.classification,
    homeJurisdiction: c.homeJurisdictionCode,
    allowedJurisdictions: c.allowedJurisdictions,
    team: c.team,
  }));
  const chosen = input.clusterId ? clusterRows.find((c) => c.id === input.clusterId) : undefined;

  const [dcRows, used, instances] = await Promise.all([
    prisma.dataCenter.findMany({
      orderBy: { code: "asc" },
      select: { id: true, code: true, name: true, city: true, jurisdictionCode: true, status: true, capacitySlots: true },
    }),
    prisma.instance.groupBy({ by: ["dataCenterId"], _count: { _all: true } }),
    chosen
      ? prisma.instance.findMany({
          where: { clusterId: chosen.id },
          orderBy: [{ role: "asc" }, { name: "asc" }],
          select: {
            id: true,
            name: true,
            role: true,
            health: true,
            dataCenterId: true,
            dataCenter: { select: { code: true, jurisdictionCode: true } },
            incomingLinks: { select: { lagSeconds: true, status: true }, take: 1 },
          },
        })
      : Promise.resolve([]),
  ]);
  const usedBy = new Map(used.map((u) => [u.dataCenterId, u._count._all]));
  const allowed = chosen ? new Set([chosen.homeJurisdictionCode, ...chosen.allowedJurisdictions].map((j) => j.toUpperCase())) : null;
  const dataCenters: TFormDataCenter[] = dcRows.map((d) => ({
    id: d.id,
    code: d.code,
    name: d.name,
    city: d.city,
    jurisdiction: d.jurisdictionCode,
    status: d.status,
    capacitySlots: d.capacitySlots,
    freeSlots: d.capacitySlots - (usedBy.get(d.id) ?? 0),
    allowedForCluster: allowed ? allowed.has(d.jurisdictionCode.toUpperCase()) : null,
    clusterInstancesHere: instances.filter((i) => i.dataCenterId === d.id).length,
  }));

  let cluster: TChangeFormOptions["cluster"] = null;
  if (chosen) {
    const ids = instances.map((i) => i.id);
    const links = await prisma.replicationLink.findMany({
      where: { OR: [{ sourceId: { in: ids } }, { targetId: { in: ids } }] },
      select: {
        id: true,
        mode: true,
        status: true,
        lagSeconds: true,
        source: { select: { name: true, dataCenter: { select: { code: true } } } },
        target: { select: { name: true, dataCenter: { select: { code: true } } } },
      },
      orderBy: { id: "asc" },
    });
    cluster = {
      ...clusters.find((c) => c.id === chosen.id)!,
      rpoSeconds: chosen.rpoSeconds,
      instances: instances.map((i) => ({
        id: i.id,
        name: i.name,
        role: i.role,
        health: i.health,
        dataCenterId: i.dataCenterId,
        dataCenterCode: i.dataCenter.code,
        jurisdiction: i.dataCenter.jurisdictionCode,
        lagSeconds: i.incomingLinks[0]?.lagSeconds ?? null,
        feedStatus: i.incomingLinks[0]?.status ?? null,
      })),
      links: links.map((l) => ({
        id: l.id,
        sourceName: l.source.name,
        targetName: l.target.name,
        sourceDataCenterCode: l.source.dataCenter.code,
        targetDataCenterCode: l.target.dataCenter.code,
        mode: l.mode,
        status: l.status,
        lagSeconds: l.lagSeconds,
      })),
    };
  }

  const syncRows =
    chosen && input.kind === "ADD_LINK"
      ? await prisma.instance.findMany({
          where: { clusterId: { not: chosen.id }, role: "STANDBY", driver: "POSTGRES" },
          orderBy: [{ cluster: { name: "asc" } }, { name: "asc" }],
          take: 200,
          select: {
            id: true,
            name: true,
            role: true,
            health: true,
            dataCenterId: true,
            clusterId: true,
            cluster: { select: { name: true } },
            dataCenter: { select: { code: true, jurisdictionCode: true } },
            incomingLinks: { select: { lagSeconds: true, status: true }, take: 1 },
          },
        })
      : [];
  const syncTargets: TFormSyncTarget[] = syncRows.map((i) => ({
    id: i.id,
    name: i.name,
    role: i.role,
    health: i.health,
    dataCenterId: i.dataCenterId,
    dataCenterCode: i.dataCenter.code,
    jurisdiction: i.dataCenter.jurisdictionCode,
    lagSeconds: i.incomingLinks[0]?.lagSeconds ?? null,
    feedStatus: i.incomingLinks[0]?.status ?? null,
    clusterId: i.clusterId,
    clusterName: i.cluster.name,
  }));

  const clusterDcIds = [...new Set(instances.map((i) => i.dataCenterId))];
  const windows = await prisma.maintenanceWindow.findMany({
    where: {
      kind: "WINDOW",
      endsAt: { gt: options.now },
      ...(chosen ? { OR: [{ dataCenterId: null }, { dataCenterId: { in: clusterDcIds } }] } : {}),
    },
    orderBy: { startsAt: "asc" },
    take: 50,
    select: { id: true, reason: true, startsAt: true, endsAt: true, dataCenter: { select: { code: true } } },
  });

  return {
    kind: input.kind,
    clusters,
    dataCenters,
    cluster,
    syncTargets,
    windows: windows.map((w) => ({ id: w.id, reason: w.reason, startsAt: w.startsAt, endsAt: w.endsAt, dataCenterCode: w.dataCenter?.code ?? null })),
    canBreakGlass: can(actor.roles as TRole[], "changeRequest.breakGlass"),
    fleetWide,
  };
}
