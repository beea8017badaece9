import { CLUSTER_CELL, DC_HEADER, type TFleetLayout, type TLayoutRequest } from "./layout/layouts";
import { type TFleetCluster, type TFleetEdge, type TFleetGraph, type TFleetGraphWire } from "./types";

/**
 * The fleet graph as the views (and the render benchmark's bare baseline) draw it: pure
 * functions of the fleetGraph response.
 */

function sameCluster(a: TFleetCluster, b: TFleetCluster): boolean {
  return (
    a.dataCenterCode === b.dataCenterCode &&
    a.tier === b.tier &&
    a.engine === b.engine &&
    a.instanceCount === b.instanceCount &&
    a.health === b.health &&
    a.down === b.down &&
    a.degraded === b.degraded &&
    a.maxLagSeconds === b.maxLagSeconds &&
    a.brokenLinks === b.brokenLinks
  );
}

/**
 * The wire's columns as rows. With the previous result, every cluster that did not change
 * keeps its object (and the lists their identity when nothing changed), so a refresh
 * re-renders only what changed.
 */
export function decodeFleetGraph(wire: TFleetGraphWire, previous?: TFleetGraph): TFleetGraph {
  const { clusters: col, edges: e, codes, dataCenters, ...rest } = wire;
  const before = new Map(previous?.clusters.map((c) => [c.name, c]));
  let reused = previous?.clusters.length === col.name.length;
  const clusters = col.name.map((name, i): TFleetCluster => {
    const c: TFleetCluster = {
      name,
      dataCenterCode: dataCenters[col.dataCenter[i]!]!.code,
      tier: codes.tier[col.tier[i]!]!,
      engine: codes.engine[col.engine[i]!]!,
      instanceCount: col.instanceCount[i]!,
      health: codes.health[col.health[i]!]!,
      down: col.down[i]!,
      degraded: col.degraded[i]!,
      maxLagSeconds: col.maxLagSeconds[i] ?? null,
      brokenLinks: col.brokenLinks[i]!,
    };
    const old = before.get(name);
    const kept = old && sameCluster(old, c) ? old : c;
    if (kept !== previous?.clusters[i]) reused = false;
    return kept;
  });
  const edges = e.source.map((s, i): TFleetEdge => {
    const source = dataCenters[s]!;
    const target = dataCenters[e.target[i]!]!;
    return {
      id: `${source.code}>${target.code}`,
      source: source.code,
      target: target.code,
      linkCount: e.linkCount[i]!,
      maxLagSeconds: e.maxLagSeconds[i]!,
      brokenCount: e.brokenCount[i]!,
      impairedCount: e.impairedCount[i]!,
      crossesJurisdiction: source.jurisdictionCode !== target.jurisdictionCode,
    };
  });
  const sameEdges =
    previous?.edges.length === edges.length &&
    edges.every((x, i) => {
      const y = previous.edges[i]!;
      return x.id === y.id && x.linkCount === y.linkCount && x.maxLagSeconds === y.maxLagSeconds && x.brokenCount === y.brokenCount && x.impairedCount === y.impairedCount;
    });
  return {
    ...rest,
    dataCenters,
    clusters: reused && previous ? previous.clusters : clusters,
    edges: sameEdges && previous ? previous.edges : edges,
  };
}

/** A decoder that remembers its last result: each answer reuses the rows of the one before. */
export function fleetGraphDecoder(): (wire: TFleetGraphWire) => TFleetGraph {
  let last: TFleetGraph | undefined;
  return (wire) => (last = decodeFleetGraph(wire, last));
}

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
export function pairEdges(edges: readonly TFleetEdge[]): TPairEdge[] {
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


/** Rows of cluster cards mounted together: a data center's grid opens block by block. */
export const CARD_BLOCK_ROWS = 4;

/** The card indexes of block `block` of a data center with `count` clusters on `cols` columns. */
export function blockRange(block: number, cols: number, count: number): [number, number] {
  const size = CARD_BLOCK_ROWS * cols;
  return [Math.min(count, block * size), Math.min(count, (block + 1) * size)];
}

/**
 * The blocks of cluster cards on or near the screen (`view`, in flow coordinates, widened by
 * `margin` of its size on each side), nearest the centre first, as `code:block` keys.
 */
export function visibleCardBlocks(
  layout: TFleetLayout,
  counts: ReadonlyMap<string, number>,
  view: { x: number; y: number; width: number; height: number },
  margin = 0.25,
): string[] {
  const stepY = CLUSTER_CELL.height + CLUSTER_CELL.gapY;
  const x0 = view.x - margin * view.width;
  const x1 = view.x + (1 + margin) * view.width;
  const y0 = view.y - margin * view.height;
  const y1 = view.y + (1 + margin) * view.height;
  const cx = view.x + view.width / 2;
  const cy = view.y + view.height / 2;
  const out: { key: string; d: number }[] = [];
  for (const [code, b] of Object.entries(layout.dataCenters)) {
    const count = counts.get(code) ?? 0;
    if (count === 0 || b.x > x1 || b.x + b.width < x0 || b.y > y1 || b.y + b.height < y0) continue;
    const rows = Math.ceil(count / b.cols);
    const blocks = Math.ceil(rows / CARD_BLOCK_ROWS);
    const first = Math.max(0, Math.floor((y0 - b.y - DC_HEADER) / stepY / CARD_BLOCK_ROWS));
    const last = Math.min(blocks - 1, Math.floor((y1 - b.y - DC_HEADER) / stepY / CARD_BLOCK_ROWS));
    for (let block = first; block <= last; block++) {
      const top = b.y + DC_HEADER + block * CARD_BLOCK_ROWS * stepY;
      out.push({ key: `${code}:${block}`, d: Math.hypot(b.x + b.width / 2 - cx, top + (CARD_BLOCK_ROWS * stepY) / 2 - cy) });
    }
  }
  return out.sort((a, b) => a.d - b.d || (a.key < b.key ? -1 : 1)).map((o) => o.key);
}
