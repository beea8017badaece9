import { type TLayoutRequest } from "./layout/layouts";
import { type TFleetCluster, type TFleetGraph } from "./types";

/**
 * The fleet graph as the views (and the render benchmark's bare baseline) draw it: pure
 * functions of the fleetGraph response.
 */

const TIER_ORDER = { T0: 0, T1: 1, T2: 2, T3: 3 } as const;

/** Clusters in grid order: by data center, then tier, then name (never by health: nothing moves on a refresh). */
export function fleetClusterOrder(clusters: readonly TFleetCluster[]): TFleetCluster[] {
  return [...clusters].sort(
    (a, b) => (a.dataCenterCode < b.dataCenterCode ? -1 : a.dataCenterCode > b.dataCenterCode ? 1 : TIER_ORDER[a.tier] - TIER_ORDER[b.tier] || (a.name < b.name ? -1 : 1)),
  );
}

export interface TPairEdge {
  id: string;
  a: string;
  b: string;
  aToB: number;
  bToA: number;
  linkCount: number;
  maxLagSeconds: number;
  brokenCount: number;
  crossesJurisdiction: boolean;
}

/** Directed data-center edges merged per pair: one line between two boxes. */
export function pairEdges(edges: TFleetGraph["edges"]): TPairEdge[] {
  const pairs = new Map<string, TPairEdge>();
  for (const e of edges) {
    const forward = e.source < e.target;
    const a = forward ? e.source : e.target;
    const b = forward ? e.target : e.source;
    const id = `${a}~${b}`;
    const p = pairs.get(id) ?? { id, a, b, aToB: 0, bToA: 0, linkCount: 0, maxLagSeconds: 0, brokenCount: 0, crossesJurisdiction: e.crossesJurisdiction };
    p.linkCount += e.linkCount;
    if (forward) p.aToB += e.linkCount;
    else p.bToA += e.linkCount;
    p.maxLagSeconds = Math.max(p.maxLagSeconds, e.maxLagSeconds);
    p.brokenCount += e.brokenCount;
    pairs.set(id, p);
  }
  return [...pairs.values()].sort((x, y) => (x.id < y.id ? -1 : 1));
}

/** The structure the fleet layout depends on: never health or lag, so refreshes keep positions. */
export function fleetLayoutRequest(data: TFleetGraph): TLayoutRequest {
  return {
    kind: "fleet",
    input: {
      dataCenters: data.dataCenters.map((d) => ({ code: d.code, jurisdiction: d.jurisdictionCode, clusterCount: d.clusterCount, longitude: Math.round(d.longitude * 10) / 10 })),
      clusters: fleetClusterOrder(data.clusters).map((c) => ({ name: c.name, dc: c.dataCenterCode })),
      edges: pairEdges(data.edges).map((e) => ({ source: e.a, target: e.b, weight: e.linkCount })),
    },
  };
}

