import { worstHealth, type TDataCenterStatus, type THealth } from "./encodings";

/**
 * Groups data center markers that would overlap on screen (Europe at world zoom) into one
 * cluster marker (pure). Positions are in screen pixels at the current zoom, so zooming in
 * spreads them apart and the clusters break up. Greedy and deterministic: the largest marker
 * seeds a cluster and takes in every ungrouped marker closer than `distance` px to it.
 */
export interface TClusterInput {
  code: string;
  x: number;
  y: number;
  instanceCount: number;
  health: THealth;
  status: TDataCenterStatus;
  driftCount: number;
  /** Open residency findings (data outside its cluster's allowed jurisdictions); 0 when left out. */
  residencyCount?: number;
}

export type TMarkerGroup<T extends TClusterInput> =
  | { kind: "single"; item: T }
  | {
      kind: "cluster";
      /** Stable key: the member codes, sorted. */
      key: string;
      members: T[];
      /** Centre: the instance-weighted mean of the members' positions. */
      x: number;
      y: number;
      instanceCount: number;
      /** The worst health of the members (the same colour and shape encoding as a single marker). */
      health: THealth;
      driftCount: number;
      residencyCount: number;
    };

export const CLUSTER_DISTANCE_PX = 26;

export function clusterMarkers<T extends TClusterInput>(
  items: readonly T[],
  options: { distance?: number; /** Never grouped (the selected data center stays visible). */ keep?: string } = {},
): TMarkerGroup<T>[] {
  const distance = options.distance ?? CLUSTER_DISTANCE_PX;
  const order = [...items].sort((a, b) => b.instanceCount - a.instanceCount || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const taken = new Set<string>();
  const groups: TMarkerGroup<T>[] = [];
  for (const seed of order) {
    if (taken.has(seed.code)) continue;
    taken.add(seed.code);
    if (seed.code === options.keep) {
      groups.push({ kind: "single", item: seed });
      continue;
    }
    const members = [seed];
    for (const other of order) {
      if (taken.has(other.code) || other.code === options.keep) continue;
      if (Math.hypot(other.x - seed.x, other.y - seed.y) < distance) {
        members.push(other);
        taken.add(other.code);
      }
    }
    if (members.length === 1) {
      groups.push({ kind: "single", item: seed });
      continue;
    }
    const weight = (m: T) => Math.max(1, m.instanceCount);
    const total = members.reduce((s, m) => s + weight(m), 0);
    groups.push({
      kind: "cluster",
      key: members.map((m) => m.code).sort().join("+"),
      members,
      x: members.reduce((s, m) => s + m.x * weight(m), 0) / total,
      y: members.reduce((s, m) => s + m.y * weight(m), 0) / total,
      instanceCount: members.reduce((s, m) => s + m.instanceCount, 0),
      health: worstHealth(members.map((m) => m.health)),
      driftCount: members.reduce((s, m) => s + m.driftCount, 0),
      residencyCount: members.reduce((s, m) => s + (m.residencyCount ?? 0), 0),
    });
  }
  return groups;
}
