import { type TChangeKind, type TReplicationMode } from "@meridian/policy";
import { derivedId } from "../plan";
import { PlanSession, type TPlannedChange, type TPlanningContext } from "../session";
import {
  type TClusterSnapshot,
  type TDataCenterSnapshot,
  type TFleetSnapshot,
  type TInstanceSnapshot,
  type TLinkSnapshot,
} from "../snapshot";

export const DEFAULT_CONTEXT: TPlanningContext = { requestId: "preview" };

/** Run a compose function in a fresh session and return the finished plan. */
export function planWith(
  kind: TChangeKind,
  snapshot: TFleetSnapshot,
  context: TPlanningContext,
  compose: (session: PlanSession) => void,
): TPlannedChange {
  const session = new PlanSession(snapshot, context);
  compose(session);
  return session.finish(kind);
}

export function instanceIdFor(session: PlanSession, cluster: TClusterSnapshot, name: string): string {
  return derivedId(session.context.requestId, "instance", cluster.id, name);
}

export function linkIdFor(session: PlanSession, sourceId: string, targetId: string): string {
  return derivedId(session.context.requestId, "link", sourceId, targetId);
}

/** Lag limit used when waiting for a new replica to catch up: the RPO, between 1 s and 60 s. */
export function catchUpLimit(cluster: TClusterSnapshot): number {
  return Math.max(1, Math.min(cluster.rpoSeconds, 60));
}

/** Record a new instance in the "after" fleet and take its slot. */
export function addInstanceAfter(
  cluster: TClusterSnapshot,
  dc: TDataCenterSnapshot,
  instance: TInstanceSnapshot,
): void {
  cluster.instances.push(instance);
  dc.usedSlots += 1;
}

export function removeInstanceAfter(session: PlanSession, cluster: TClusterSnapshot, instance: TInstanceSnapshot): void {
  cluster.instances = cluster.instances.filter((i) => i.id !== instance.id);
  cluster.links = cluster.links.filter((l) => l.sourceId !== instance.id && l.targetId !== instance.id);
  const dc = session.after.dataCenters.find((d) => d.id === instance.dataCenterId);
  if (dc) dc.usedSlots = Math.max(0, dc.usedSlots - 1);
}

export function addLinkAfter(
  cluster: TClusterSnapshot,
  link: { id: string; sourceId: string; targetId: string; mode: TReplicationMode },
): TLinkSnapshot {
  const created: TLinkSnapshot = { ...link, status: "ACTIVE", lagSeconds: 0 };
  cluster.links.push(created);
  return created;
}

export function nameOf(cluster: TClusterSnapshot, instanceId: string): string {
  return cluster.instances.find((i) => i.id === instanceId)?.name ?? instanceId;
}

export function lagOf(link: TLinkSnapshot | undefined): number {
  return link?.lagSeconds ?? Number.POSITIVE_INFINITY;
}

export function formatSeconds(seconds: number): string {
  return Number.isFinite(seconds) ? `${Math.round(seconds * 10) / 10} s` : "an unknown time";
}
