import dagre from "@dagrejs/dagre";

/**
 * Graph layouts for the topology views, with dagre (layered layout). Pure and deterministic:
 * the same structure gives the same positions, so a refresh that only changes health or lag
 * never moves anything. Inputs carry structure only (ids, grouping, sizes); they run in a web
 * worker (layout.worker.ts) and are cached by a key of that structure (use-layout.ts).
 */

export interface TBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

// ---- cluster view: instances grouped by data center -----------------------------------------

export const INSTANCE_NODE = { width: 224, height: 66 } as const;
// Room above the instances for the data center header (top 32 px) and the labels of the links arriving there.
export const GROUP_PADDING = { top: 76, side: 24, bottom: 20 } as const;

export interface TClusterLayoutInput {
  /** Data center codes, in a stable order. */
  groups: string[];
  nodes: { id: string; group: string }[];
  edges: { source: string; target: string }[];
}

export interface TClusterLayout {
  /** Data center boxes, absolute. */
  groups: Record<string, TBox>;
  /** Instance positions relative to their data center box (React Flow's `parentId` convention). */
  nodes: Record<string, { x: number; y: number }>;
}

/**
 * Primary on top, replicas below (top-to-bottom layered layout), each data center a compound
 * box around its instances.
 */
export function layoutCluster(input: TClusterLayoutInput): TClusterLayout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: "TB", nodesep: 36, ranksep: 84, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const group of input.groups) {
    g.setNode(`g:${group}`, { width: 0, height: 0, paddingTop: GROUP_PADDING.top, paddingLeft: GROUP_PADDING.side, paddingRight: GROUP_PADDING.side, paddingBottom: GROUP_PADDING.bottom });
  }
  for (const n of input.nodes) {
    g.setNode(n.id, { width: INSTANCE_NODE.width, height: INSTANCE_NODE.height });
    g.setParent(n.id, `g:${n.group}`);
  }
  for (const e of input.edges) {
    if (g.hasNode(e.source) && g.hasNode(e.target) && e.source !== e.target) g.setEdge(e.source, e.target, { weight: 1, minlen: 1 });
  }
  dagre.layout(g);

  // Group boxes from their members (dagre's own compound boxes ignore our header room).
  const groups: Record<string, TBox> = {};
  const members = new Map<string, { id: string; x: number; y: number }[]>();
  for (const n of input.nodes) {
    const label = g.node(n.id) as { x: number; y: number };
    const list = members.get(n.group) ?? [];
    list.push({ id: n.id, x: label.x - INSTANCE_NODE.width / 2, y: label.y - INSTANCE_NODE.height / 2 });
    members.set(n.group, list);
  }
  const nodes: TClusterLayout["nodes"] = {};
  for (const group of input.groups) {
    const list = members.get(group) ?? [];
    if (list.length === 0) continue;
    const minX = Math.min(...list.map((m) => m.x));
    const minY = Math.min(...list.map((m) => m.y));
    const maxX = Math.max(...list.map((m) => m.x + INSTANCE_NODE.width));
    const maxY = Math.max(...list.map((m) => m.y + INSTANCE_NODE.height));
    const box = {
      x: Math.round(minX - GROUP_PADDING.side),
      y: Math.round(minY - GROUP_PADDING.top),
      width: Math.round(maxX - minX + 2 * GROUP_PADDING.side),
      height: Math.round(maxY - minY + GROUP_PADDING.top + GROUP_PADDING.bottom),
    };
    groups[group] = box;
    for (const m of list) nodes[m.id] = { x: Math.round(m.x - box.x), y: Math.round(m.y - box.y) };
  }
  return { groups, nodes };
}

// ---- fleet view: data centers with their clusters inside ------------------------------------

export const CLUSTER_CELL = { width: 184, height: 46, gapX: 8, gapY: 8 } as const;
export const DC_HEADER = 84;
export const DC_PADDING = 14;
const DC_MIN_WIDTH = 400;

export interface TFleetLayoutInput {
  dataCenters: { code: string; jurisdiction: string; clusterCount: number; longitude: number }[];
  /** Cluster names per data center, in display order (tier, then name). */
  clusters: { name: string; dc: string }[];
  /** Aggregated edges between data centers (either direction), with their weight. */
  edges: { source: string; target: string; weight: number }[];
  /** Width / height of the screen, to pack jurisdictions into a similar shape. */
  aspect?: number;
}

export interface TFleetLayout {
  dataCenters: Record<string, TBox & { cols: number }>;
  /** Jurisdiction boxes around their data centers. */
  jurisdictions: Record<string, TBox>;
  /** Cluster positions relative to their data center box. */
  clusters: Record<string, { x: number; y: number }>;
  bounds: TBox;
}

/** Columns of the cluster grid inside a data center: roughly a 4:3 box. */
export function gridColumns(count: number): number {
  const stepX = CLUSTER_CELL.width + CLUSTER_CELL.gapX;
  const stepY = CLUSTER_CELL.height + CLUSTER_CELL.gapY;
  const minCols = Math.ceil((DC_MIN_WIDTH - 2 * DC_PADDING + CLUSTER_CELL.gapX) / stepX);
  return Math.max(minCols, Math.ceil(Math.sqrt((count * stepY * 1.33) / stepX)));
}

export function dataCenterSize(count: number): { width: number; height: number; cols: number } {
  const cols = gridColumns(count);
  const rows = Math.max(1, Math.ceil(count / cols));
  return {
    cols,
    width: 2 * DC_PADDING + cols * CLUSTER_CELL.width + (cols - 1) * CLUSTER_CELL.gapX,
    height: DC_HEADER + DC_PADDING + rows * CLUSTER_CELL.height + (rows - 1) * CLUSTER_CELL.gapY,
  };
}

/** Position of the i-th cluster of a data center, relative to its box. */
export function cellPosition(index: number, cols: number): { x: number; y: number } {
  const col = index % cols;
  const row = Math.floor(index / cols);
  return {
    x: DC_PADDING + col * (CLUSTER_CELL.width + CLUSTER_CELL.gapX),
    y: DC_HEADER + row * (CLUSTER_CELL.height + CLUSTER_CELL.gapY),
  };
}

function layoutMembers(
  members: TFleetLayoutInput["dataCenters"],
  tree: { source: string; target: string }[],
  rankdir: "LR" | "TB",
  sizes: Map<string, { width: number; height: number }>,
): { boxes: Map<string, TBox>; width: number; height: number } {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir, nodesep: 40, ranksep: 56, marginx: 0, marginy: 0, ranker: "tight-tree" });
  g.setDefaultEdgeLabel(() => ({}));
  for (const d of members) {
    const size = sizes.get(d.code)!;
    g.setNode(d.code, { width: size.width, height: size.height });
  }
  for (const e of tree) g.setEdge(e.source, e.target, { weight: 1, minlen: 1 });
  dagre.layout(g);
  const boxes = new Map<string, TBox>();
  for (const d of members) {
    const label = g.node(d.code) as { x: number; y: number };
    const size = sizes.get(d.code)!;
    boxes.set(d.code, { x: label.x - size.width / 2, y: label.y - size.height / 2, width: size.width, height: size.height });
  }
  const all = [...boxes.values()];
  const width = Math.max(...all.map((b) => b.x + b.width)) - Math.min(...all.map((b) => b.x));
  const height = Math.max(...all.map((b) => b.y + b.height)) - Math.min(...all.map((b) => b.y));
  return { boxes, width, height };
}

/** Kruskal's maximum spanning forest over the weighted edges among `nodes` (deterministic). */
function strongestTree(nodes: string[], edges: TFleetLayoutInput["edges"]): { source: string; target: string }[] {
  const inside = new Set(nodes);
  const parent = new Map(nodes.map((n) => [n, n]));
  const find = (n: string): string => {
    let r = n;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(n, r);
    return r;
  };
  const candidates = edges
    .filter((e) => e.source !== e.target && inside.has(e.source) && inside.has(e.target))
    .sort((a, b) => b.weight - a.weight || (a.source + a.target < b.source + b.target ? -1 : 1));
  const tree: { source: string; target: string }[] = [];
  for (const e of candidates) {
    const a = find(e.source);
    const b = find(e.target);
    if (a === b) continue;
    parent.set(a, b);
    tree.push(e.source < e.target ? { source: e.source, target: e.target } : { source: e.target, target: e.source });
  }
  return tree;
}

export const JURISDICTION_PADDING = { top: 64, side: 28, bottom: 28 } as const;
const JURISDICTION_GAP = 96;

/**
 * The fleet in two steps. Inside each jurisdiction, dagre lays its data centers out along the
 * replication between them (left to right). Then the jurisdictions are packed in rows from
 * west to east (by the mean longitude of their data centers), to about the screen's shape:
 * the fleet reads like the map, with data kept inside its legal zone visibly so. Clusters sit
 * on a grid inside their data center, the same grid as the collapsed mosaic.
 */
export function layoutFleet(input: TFleetLayoutInput): TFleetLayout {
  const sizes = new Map(input.dataCenters.map((d) => [d.code, dataCenterSize(d.clusterCount)]));
  const codes = [...new Set(input.dataCenters.map((d) => d.jurisdiction))].sort();

  // 1. Data centers inside each jurisdiction, along the strongest replication flows between
  //    them (a maximum spanning tree: every data center next to its main partner; all links
  //    of a dense, cyclic graph would spread the layers far apart for no meaning).
  const local = new Map<string, { boxes: Map<string, TBox>; width: number; height: number; longitude: number }>();
  for (const j of codes) {
    const members = input.dataCenters.filter((d) => d.jurisdiction === j);
    const tree = strongestTree(
      members.map((d) => d.code),
      input.edges,
    );
    // Both directions, keep the one closest to a landscape box (deterministic).
    let g: ReturnType<typeof layoutMembers> | undefined;
    let best = Number.POSITIVE_INFINITY;
    for (const rankdir of ["LR", "TB"] as const) {
      const candidate = layoutMembers(members, tree, rankdir, sizes);
      const score = Math.abs(Math.log(candidate.width / Math.max(1, candidate.height) / 1.5));
      if (score < best - 1e-9) {
        best = score;
        g = candidate;
      }
    }
    const boxes = g!.boxes;
    const minX = Math.min(...[...boxes.values()].map((b) => b.x));
    const minY = Math.min(...[...boxes.values()].map((b) => b.y));
    const maxX = Math.max(...[...boxes.values()].map((b) => b.x + b.width));
    const maxY = Math.max(...[...boxes.values()].map((b) => b.y + b.height));
    for (const b of boxes.values()) {
      b.x = Math.round(b.x - minX + JURISDICTION_PADDING.side);
      b.y = Math.round(b.y - minY + JURISDICTION_PADDING.top);
    }
    local.set(j, {
      boxes,
      width: Math.round(maxX - minX + 2 * JURISDICTION_PADDING.side),
      height: Math.round(maxY - minY + JURISDICTION_PADDING.top + JURISDICTION_PADDING.bottom),
      longitude: members.reduce((sum, d) => sum + d.longitude, 0) / members.length,
    });
  }

  // 2. Jurisdictions in rows, west to east, about `aspect` wide for 1 high.
  const order = [...codes].sort((a, b) => local.get(a)!.longitude - local.get(b)!.longitude || (a < b ? -1 : 1));
  const aspect = input.aspect && input.aspect > 0.3 ? input.aspect : 1.6;
  const area = order.reduce((sum, j) => sum + (local.get(j)!.width + JURISDICTION_GAP) * (local.get(j)!.height + JURISDICTION_GAP), 0);
  const widest = Math.max(0, ...order.map((j) => local.get(j)!.width));
  const rowWidth = Math.max(widest, Math.sqrt(area * aspect));
  const jurisdictions: TFleetLayout["jurisdictions"] = {};
  const dataCenters: TFleetLayout["dataCenters"] = {};
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const j of order) {
    const l = local.get(j)!;
    if (x > 0 && x + l.width > rowWidth) {
      x = 0;
      y += rowHeight + JURISDICTION_GAP;
      rowHeight = 0;
    }
    jurisdictions[j] = { x, y, width: l.width, height: l.height };
    for (const [code, b] of l.boxes) dataCenters[code] = { x: x + b.x, y: y + b.y, width: b.width, height: b.height, cols: sizes.get(code)!.cols };
    x += l.width + JURISDICTION_GAP;
    rowHeight = Math.max(rowHeight, l.height);
  }

  const clusters: TFleetLayout["clusters"] = {};
  const index = new Map<string, number>();
  for (const c of input.clusters) {
    const box = dataCenters[c.dc];
    if (!box) continue;
    const i = index.get(c.dc) ?? 0;
    index.set(c.dc, i + 1);
    clusters[c.name] = cellPosition(i, box.cols);
  }
  const all = Object.values(jurisdictions);
  const maxX = Math.max(0, ...all.map((b) => b.x + b.width));
  const maxY = Math.max(0, ...all.map((b) => b.y + b.height));
  return { dataCenters, jurisdictions, clusters, bounds: { x: 0, y: 0, width: maxX, height: maxY } };
}

// ---- requests to the worker ---------------------------------------------------------------------

export type TLayoutRequest = { kind: "cluster"; input: TClusterLayoutInput } | { kind: "fleet"; input: TFleetLayoutInput };
export type TLayoutResult<R extends TLayoutRequest> = R extends { kind: "cluster" } ? TClusterLayout : TFleetLayout;

export function runLayout(request: TLayoutRequest): TClusterLayout | TFleetLayout {
  return request.kind === "cluster" ? layoutCluster(request.input) : layoutFleet(request.input);
}

/** A short, stable key of a layout request's structure (FNV-1a over its JSON). */
export function layoutKey(request: TLayoutRequest): string {
  const text = JSON.stringify(request);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `${request.kind}-${text.length}-${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}`;
}
