import {
  type TDataCenterStatus,
  type TDataClassification,
  type THealthStatus,
  type TInstanceRole,
  type TLinkStatus,
  type TReplicationMode,
  type TTier,
} from "@meridian/policy";
import { PlanningError } from "./planning-error";

/**
 * What a planner sees of the fleet: plain data, loaded by the service (or built by a test).
 * Single-cluster kinds need the target cluster and the data centers; DRAIN_DATACENTER needs
 * every cluster with an instance in the data center. Planners never read anything else.
 */
export interface TDataCenterSnapshot {
  id: string;
  code: string;
  jurisdiction: string;
  status: TDataCenterStatus;
  capacitySlots: number;
  usedSlots: number;
  /** Local time offset from UTC in minutes, for business hours in risk scoring. */
  utcOffsetMinutes?: number;
}

export interface TInstanceSnapshot {
  id: string;
  name: string;
  role: TInstanceRole;
  dataCenterId: string;
  health: THealthStatus;
  /** Which driver acts on it; absent means SIMULATED. Real servers (POSTGRES) are never provisioned by a plan. */
  driver?: "SIMULATED" | "POSTGRES" | "MYSQL";
}

export interface TLinkSnapshot {
  id: string;
  sourceId: string;
  targetId: string;
  mode: TReplicationMode;
  status: TLinkStatus;
  /** Null when unknown. */
  lagSeconds: number | null;
}

export interface TClusterSnapshot {
  id: string;
  name: string;
  teamId: string;
  teamSlug: string;
  tier: TTier;
  classification: TDataClassification;
  homeJurisdiction: string;
  allowedJurisdictions: string[];
  rpoSeconds: number;
  instances: TInstanceSnapshot[];
  links: TLinkSnapshot[];
}

export interface TFleetSnapshot {
  clusters: TClusterSnapshot[];
  dataCenters: TDataCenterSnapshot[];
}

/**
 * A deep copy of a snapshot (plain data: objects of primitives, and the clusters' arrays), made
 * by hand: `structuredClone` costs several times more, and a drain copies one per child change.
 */
export function cloneFleetSnapshot(snapshot: TFleetSnapshot): TFleetSnapshot {
  return {
    ...snapshot,
    clusters: snapshot.clusters.map((c) => ({
      ...c,
      allowedJurisdictions: [...c.allowedJurisdictions],
      instances: c.instances.map((i) => ({ ...i })),
      links: c.links.map((l) => ({ ...l })),
    })),
    dataCenters: snapshot.dataCenters.map((d) => ({ ...d })),
  };
}

export function findCluster(snapshot: TFleetSnapshot, id: string, field = "clusterId"): TClusterSnapshot {
  const cluster = snapshot.clusters.find((c) => c.id === id);
  if (!cluster) throw new PlanningError("NOT_FOUND", `No cluster with id ${id}`, field);
  return cluster;
}

export function findDataCenter(snapshot: TFleetSnapshot, id: string, field = "dataCenterId"): TDataCenterSnapshot {
  const dc = snapshot.dataCenters.find((d) => d.id === id);
  if (!dc) throw new PlanningError("NOT_FOUND", `No data center with id ${id}`, field);
  return dc;
}

export function findInstance(cluster: TClusterSnapshot, id: string, field: string): TInstanceSnapshot {
  const instance = cluster.instances.find((i) => i.id === id);
  if (!instance) throw new PlanningError("NOT_FOUND", `Instance ${id} is not part of cluster ${cluster.name}`, field);
  return instance;
}

export function primaryOf(cluster: TClusterSnapshot): TInstanceSnapshot {
  const primaries = cluster.instances.filter((i) => i.role === "PRIMARY");
  if (primaries.length === 0)
    throw new PlanningError("PRECONDITION_FAILED", `Cluster ${cluster.name} has no primary`, "clusterId");
  if (primaries.length > 1)
    throw new PlanningError(
      "PRECONDITION_FAILED",
      `Cluster ${cluster.name} has ${primaries.length} primaries (${primaries.map((p) => p.name).join(", ")}); fix the topology first`,
      "clusterId",
    );
  return primaries[0] as TInstanceSnapshot;
}

export function dataCenterOf(snapshot: TFleetSnapshot, instance: TInstanceSnapshot): TDataCenterSnapshot {
  const dc = snapshot.dataCenters.find((d) => d.id === instance.dataCenterId);
  if (!dc)
    throw new PlanningError(
      "PRECONDITION_FAILED",
      `Data center ${instance.dataCenterId} of instance ${instance.name} is missing from the snapshot`,
    );
  return dc;
}

export function incomingLinks(cluster: TClusterSnapshot, instanceId: string): TLinkSnapshot[] {
  return cluster.links.filter((l) => l.targetId === instanceId);
}

export function outgoingLinks(cluster: TClusterSnapshot, instanceId: string): TLinkSnapshot[] {
  return cluster.links.filter((l) => l.sourceId === instanceId);
}

export function freeSlots(dc: TDataCenterSnapshot): number {
  return dc.capacitySlots - dc.usedSlots;
}

/** The data center can take `slots` new instances now; throws a readable PlanningError otherwise. */
export function assertAcceptsInstances(dc: TDataCenterSnapshot, field: string, slots = 1): void {
  if (dc.status !== "ACTIVE")
    throw new PlanningError("PRECONDITION_FAILED", `Data center ${dc.code} is ${dc.status}: it takes no new instances`, field);
  if (freeSlots(dc) < slots)
    throw new PlanningError(
      "PRECONDITION_FAILED",
      `Data center ${dc.code} has no free slot (${dc.usedSlots} of ${dc.capacitySlots} used)`,
      field,
    );
}

/** Jurisdictions the cluster's data may live in, home included, upper-cased. */
export function allowedJurisdictionsOf(cluster: TClusterSnapshot): string[] {
  return [...new Set([cluster.homeJurisdiction, ...cluster.allowedJurisdictions].map((j) => j.toUpperCase()))];
}

/** "payments-eu-01-fra2-r1": the smallest free number for this cluster, data center and letter. */
export function newInstanceName(cluster: TClusterSnapshot, dc: TDataCenterSnapshot, letter: "r" | "s"): string {
  const taken = new Set(cluster.instances.map((i) => i.name));
  for (let n = 1; ; n++) {
    const name = `${cluster.name}-${dc.code}-${letter}${n}`;
    if (!taken.has(name)) return name;
  }
}
