"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import {
  Controls,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  type Edge,
  type Node,
  type ReactFlowState,
} from "@xyflow/react";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { HealthCountsText, HealthIndicator } from "@/components/ui/health";
import { DataCenterStatusBadge, ENGINE_LABELS } from "@/features/inventory/labels";
import { QueryError } from "@/features/inventory/query-error";
import { type TFleetFilter } from "@/features/map/fleet-filter";
import { LiveStatus } from "@/features/map/live-status";
import { useElementSize } from "@/features/map/use-element-size";
import { cn } from "@/lib/cn";
import { formatCount, formatLag } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { DetailsFrame, Facts } from "./cluster-details";
import { type TFleetLinkEdge } from "./edges/fleet-link-edge";
import { FLEET_EDGE_TYPES, FLEET_NODE_TYPES } from "./flow-types";
import { CLUSTER_CELL, type TFleetLayout, type TLayoutRequest } from "./layout/layouts";
import { useLayout } from "./layout/use-layout";
import { FleetClusterActions, type TFleetClusterActions } from "./nodes/fleet-cluster-node";
import { type TFleetDataCenterNode } from "./nodes/fleet-data-center-node";
import { type TJurisdictionNode } from "./nodes/jurisdiction-node";
import { blockRange, fleetClusterOrder, fleetGraphDecoder, fleetLayoutRequest, pairEdges, visibleCardBlocks } from "./fleet-model";
import { TopologyLegend } from "./topology-legend";
import { type TTopologyUrlState } from "./topology-url";
import { DETAIL_ZOOM } from "./nodes/zoom";
import { type TFleetCluster, type TFleetDataCenter, type TFleetGraph } from "./types";

type TSelect = TTopologyUrlState["select"];

export const FLEET_REFRESH_MS = 3_000;
/**
 * Cluster cards mounted per animation frame while data centers open. Cards are drawn by their
 * data center's node (not React Flow nodes), so the cost is the cards' own (~0.5-1 ms each
 * here, mostly style and paint): small steps keep every frame short.
 */
const MOUNT_PER_FRAME = 80;

/**
 * The whole fleet: data centers (inside their jurisdictions) with their clusters, and the
 * replication between data centers. Zoomed out, data centers are collapsed into a header and
 * a health mosaic; zoomed in, the data centers on or near the screen draw their clusters as
 * cards. The flow itself holds only jurisdictions and data centers (tens of nodes), all mounted:
 * zooming and panning never change its node set.
 */
export function FleetTopology({
  filter,
  select,
  onSelect,
  onOpenCluster,
}: {
  filter: TFleetFilter;
  select: TSelect;
  onSelect: (select: TSelect) => void;
  onOpenCluster: (name: string) => void;
}) {
  const trpc = useTRPC();
  // Columns to rows, reusing the rows of the previous answer that did not change.
  const [decode] = useState(fleetGraphDecoder);
  const fleet = useQuery({
    ...trpc.topology.fleetGraph.queryOptions(filter),
    refetchInterval: FLEET_REFRESH_MS,
    placeholderData: keepPreviousData,
    select: decode,
  });
  const data = fleet.data;
  const canvasRef = useRef<HTMLDivElement>(null);
  const size = useElementSize(canvasRef);

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 border-b border-zinc-200 bg-white px-5 py-1.5 text-xs dark:border-zinc-800 dark:bg-zinc-900">
        {data ? (
          <p className="tabular-nums text-zinc-600 dark:text-zinc-300" data-testid="fleet-summary">
            {formatCount(data.totals.dataCenters)} data centers · {formatCount(data.totals.clusters)} clusters
            · {formatCount(data.totals.instances)} instances · {formatCount(data.totals.links)} cross-DC links
            <span className="ml-3 text-zinc-400 dark:text-zinc-500">
              Zoom in to open data centers; double click a cluster for its graph.
            </span>
          </p>
        ) : (
          <span />
        )}
        <LiveStatus updatedAt={data?.generatedAt} fetching={fleet.isFetching} failed={fleet.isError} />
      </div>
      <div className="flex min-h-0 flex-1">
        <div
          ref={canvasRef}
          className="relative min-w-0 flex-1"
          data-testid="topology-canvas"
          data-view="fleet"
        >
          {fleet.isError && !data ? (
            <div className="p-5">
              <QueryError error={fleet.error} onRetry={() => void fleet.refetch()} />
            </div>
          ) : data ? (
            data.dataCenters.length === 0 ? (
              <EmptyState
                title={data.filtered ? "Nothing in the fleet matches these filters" : "No data centers yet"}
              >
                {data.filtered
                  ? "Widen or clear the filters above."
                  : "Load the demo fleet with pnpm db:seed."}
              </EmptyState>
            ) : (
              <ReactFlowProvider>
                <FleetCanvas
                  data={data}
                  select={select}
                  onSelect={onSelect}
                  onOpenCluster={onOpenCluster}
                  width={size.width}
                  height={size.height}
                />
              </ReactFlowProvider>
            )
          ) : (
            <p className="p-5 text-sm text-zinc-500" role="status">
              Loading the fleet…
            </p>
          )}
          <div className="pointer-events-none absolute bottom-3 left-3 right-16 flex">
            <div className="pointer-events-auto">
              <TopologyLegend view="fleet" />
            </div>
          </div>
        </div>
        {data && select ? (
          <FleetDetails
            data={data}
            select={select}
            onClose={() => onSelect(undefined)}
            onOpenCluster={onOpenCluster}
          />
        ) : null}
      </div>
    </div>
  );
}

type TDataCenterNodeInputs = {
  box: TFleetLayout["dataCenters"][string];
  healths: TFleetCluster["health"][];
  clusters: readonly TFleetCluster[];
  blocks: readonly number[];
  selectedCluster: string | undefined;
  highlighted: boolean;
};
const sameInputs = (a: TDataCenterNodeInputs, b: TDataCenterNodeInputs) =>
  (Object.keys(a) as (keyof TDataCenterNodeInputs)[]).every((k) => a[k] === b[k]);
/** Data-center nodes by their row (react-query keeps a row's object while it does not change). */
const dataCenterNodeCache = new WeakMap<TFleetDataCenter, { inputs: TDataCenterNodeInputs; node: TFleetDataCenterNode }>();
const NO_CLUSTERS: readonly TFleetCluster[] = [];
const NO_HEALTHS: TFleetCluster["health"][] = [];
const NO_BLOCK: readonly number[] = [];
const NO_BLOCKS: ReadonlyMap<string, readonly number[]> = new Map();

const paneSized = (s: ReactFlowState) => s.width > 0 && s.height > 0;

/** The viewport that shows `box` whole in a pane of `width` x `height` (what fitBounds would do). */
function viewportFor(
  box: { x: number; y: number; width: number; height: number },
  width: number,
  height: number,
  padding = 0.03,
) {
  const zoom = Math.min(
    2,
    Math.max(
      0.02,
      Math.min(width / (box.width * (1 + 2 * padding)), height / (box.height * (1 + 2 * padding))),
    ),
  );
  return {
    x: width / 2 - (box.x + box.width / 2) * zoom,
    y: height / 2 - (box.y + box.height / 2) * zoom,
    zoom,
  };
}

type TFleetCanvasProps = {
  data: TFleetGraph;
  select: TSelect;
  onSelect: (select: TSelect) => void;
  onOpenCluster: (name: string) => void;
  width: number;
  height: number;
};

/** Waits for the layout, then mounts React Flow already framed on the fleet (no first frame at zoom 1). */
function FleetCanvas(props: TFleetCanvasProps) {
  const structure = useMemo(() => JSON.stringify(fleetLayoutRequest(props.data)), [props.data]);
  const request = useMemo(() => JSON.parse(structure) as TLayoutRequest, [structure]);
  const { layout } = useLayout<TFleetLayout>(request);
  if (!layout || props.width <= 0 || props.height <= 0) {
    return (
      <p className="p-5 text-sm text-zinc-500" role="status">
        Laying out the fleet…
      </p>
    );
  }
  return <FleetFlow {...props} layout={layout} />;
}

function FleetFlow({ data, select, onSelect, onOpenCluster, width, height, layout }: TFleetCanvasProps & { layout: TFleetLayout }) {
  const [defaultViewport] = useState(() => viewportFor(layout.bounds, width, height));
  // Each data center's clusters in grid order, and their health for the collapsed mosaic.
  const byDc = useMemo(() => {
    const map = new Map<string, { clusters: TFleetCluster[]; healths: TFleetCluster["health"][] }>();
    for (const c of fleetClusterOrder(data.clusters)) {
      const entry = map.get(c.dataCenterCode) ?? { clusters: [], healths: [] };
      entry.clusters.push(c);
      entry.healths.push(c.health);
      map.set(c.dataCenterCode, entry);
    }
    return map;
  }, [data.clusters]);
  const counts = useMemo(() => new Map([...byDc].map(([code, e]) => [code, e.clusters.length])), [byDc]);
  // Level of detail: cluster cards for the blocks of rows on (or near) the screen.
  const wantedBlocks = useStore(
    useCallback(
      (s: ReactFlowState) => {
        const [tx, ty, k] = s.transform;
        if (k < DETAIL_ZOOM || s.width === 0) return "";
        return visibleCardBlocks(layout, counts, { x: -tx / k, y: -ty / k, width: s.width / k, height: s.height / k }).join(",");
      },
      [counts, layout],
    ),
  );
  const pairs = useMemo(() => pairEdges(data.edges), [data.edges]);

  const selectedDc =
    select?.kind === "dc"
      ? select.key
      : select?.kind === "cluster"
        ? data.clusters.find((c) => c.name === select.key)?.dataCenterCode
        : undefined;

  // Cards are mounted block by block as they come near the screen, at most MOUNT_PER_FRAME
  // cards per animation frame, nearest the centre first, and stay mounted (hidden while zoomed
  // out): zooming out and in again, or panning back, costs no mounting.
  const [mounted, setMounted] = useState<{ layout: TFleetLayout; blocks: ReadonlyMap<string, readonly number[]> }>(() => ({
    layout,
    blocks: new Map(),
  }));
  const blocks = mounted.layout === layout ? mounted.blocks : NO_BLOCKS;
  useEffect(() => {
    const missing = (wantedBlocks ? wantedBlocks.split(",") : []).filter((key) => {
      const [code, block] = key.split(":");
      return !blocks.get(code!)?.includes(Number(block));
    });
    if (missing.length === 0) return;
    const id = requestAnimationFrame(() => {
      const next = new Map(blocks);
      let budget = MOUNT_PER_FRAME;
      for (const key of missing) {
        if (budget <= 0) break;
        const [code, block] = key.split(":") as [string, string];
        const [from, to] = blockRange(Number(block), layout.dataCenters[code]?.cols ?? 1, counts.get(code) ?? 0);
        budget -= to - from;
        next.set(code, [...(next.get(code) ?? []), Number(block)].sort((x, y) => x - y));
      }
      setMounted({ layout, blocks: next });
    });
    return () => cancelAnimationFrame(id);
  }, [blocks, counts, layout, wantedBlocks]);

  const jurisdictionNodes = useMemo(
    () =>
      Object.entries(layout.jurisdictions).map(
        ([code, box]): TJurisdictionNode => ({
          id: `j:${code}`,
          type: "jurisdiction" as const,
          position: { x: box.x, y: box.y },
          width: box.width,
          height: box.height,
          selectable: false,
          draggable: false,
          focusable: false,
          zIndex: -1,
          data: { code, dataCenters: data.dataCenters.filter((d) => d.jurisdictionCode === code).length },
        }),
      ),
    [data.dataCenters, layout],
  );
  // Data-center nodes keep their object while nothing they show changed: React Flow then
  // leaves them (and the edges at them) alone. Zooming across the level of detail changes no
  // node: each data center reads the zoom itself.
  const nodes = useMemo(() => {
    const selectedCluster = select?.kind === "cluster" ? select.key : undefined;
    const dcNodes = data.dataCenters.flatMap((dc): TFleetDataCenterNode[] => {
      const box = layout.dataCenters[dc.code];
      if (!box) return [];
      const entry = byDc.get(dc.code);
      const clusters = entry?.clusters ?? NO_CLUSTERS;
      const inputs: TDataCenterNodeInputs = {
        box,
        healths: entry?.healths ?? NO_HEALTHS,
        clusters,
        blocks: blocks.get(dc.code) ?? NO_BLOCK,
        selectedCluster: selectedCluster && clusters.some((c) => c.name === selectedCluster) ? selectedCluster : undefined,
        highlighted: select?.kind === "dc" && select.key === dc.code,
      };
      const hit = dataCenterNodeCache.get(dc);
      if (hit && sameInputs(hit.inputs, inputs)) return [hit.node];
      const node: TFleetDataCenterNode = {
        id: `dc:${dc.code}`,
        type: "fleetDataCenter" as const,
        position: { x: box.x, y: box.y },
        width: box.width,
        height: box.height,
        draggable: false,
        data: { dc, cols: box.cols, width: box.width, height: box.height, ...inputs },
      };
      dataCenterNodeCache.set(dc, { inputs, node });
      return [node];
    });
    return [...jurisdictionNodes, ...dcNodes] as Node[];
  }, [blocks, byDc, data.dataCenters, jurisdictionNodes, layout, select]);

  const actions = useMemo<TFleetClusterActions>(
    () => ({ onSelect: (name) => onSelect({ kind: "cluster", key: name }), onOpen: onOpenCluster }),
    [onOpenCluster, onSelect],
  );

  const edges = useMemo(
    () =>
      pairs.map<TFleetLinkEdge>((p) => ({
        id: `e:${p.id}`,
        source: `dc:${p.a}`,
        target: `dc:${p.b}`,
        type: "fleetLink",
        selectable: false,
        focusable: false,
        data: { ...p, dimmed: Boolean(selectedDc && p.a !== selectedDc && p.b !== selectedDc) },
      })) as Edge[],
    [pairs, selectedDc],
  );

  return (
    <FleetClusterActions.Provider value={actions}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={FLEET_NODE_TYPES}
        edgeTypes={FLEET_EDGE_TYPES}
        defaultViewport={defaultViewport}
        minZoom={0.02}
        maxZoom={2}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        elevateNodesOnSelect={false}
        colorMode="system"
        proOptions={{ hideAttribution: true }}
        onNodeClick={(_, node) => {
          if (node.type === "fleetDataCenter")
            onSelect({ kind: "dc", key: (node as TFleetDataCenterNode).data.dc.code });
        }}
        onPaneClick={() => onSelect(undefined)}
        aria-label="Fleet replication graph"
      >
        {/* No dotted background: at fleet zoom its pattern is tens of thousands of dots to raster every frame. */}
        <Controls showInteractive={false} position="top-right" />
        <FocusFleet layout={layout} data={data} select={select} />
      </ReactFlow>
    </FleetClusterActions.Provider>
  );
}

/**
 * Frames the fleet when its layout arrives, and the selected data center or cluster when the
 * selection changes (deep links, search); refreshes leave the viewport alone.
 */
function FocusFleet({
  layout,
  data,
  select,
}: {
  layout: TFleetLayout | undefined;
  data: TFleetGraph;
  select: TSelect;
}) {
  const flow = useReactFlow();
  // The pane's size is enough: every node carries its size (no need to wait for measurements).
  const initialized = useStore(paneSized);
  const framed = useRef<{ layout: TFleetLayout; key: string } | undefined>(undefined);
  const key = select ? `${select.kind}:${select.key}` : "";
  const known = useMemo(() => new Map(data.clusters.map((c) => [c.name, c.dataCenterCode])), [data.clusters]);
  useEffect(() => {
    if (!layout || !initialized) return;
    const previous = framed.current;
    if (previous && previous.layout === layout && previous.key === key) return;
    framed.current = { layout, key };
    const duration = previous ? 400 : 0;
    if (select?.kind === "dc" && layout.dataCenters[select.key]) {
      void flow.fitBounds(layout.dataCenters[select.key]!, { padding: 0.15, duration });
      return;
    }
    if (select?.kind === "cluster") {
      const dc = known.get(select.key);
      const box = dc ? layout.dataCenters[dc] : undefined;
      const pos = layout.clusters[select.key];
      if (box && pos) {
        void flow.setCenter(box.x + pos.x + CLUSTER_CELL.width / 2, box.y + pos.y + CLUSTER_CELL.height / 2, {
          zoom: 1.1,
          duration,
        });
        return;
      }
    }
    // No selection (or it is not in this view): the whole fleet, when first shown or when the
    // filters change its layout.
    if (!previous || previous.layout !== layout)
      void flow.fitBounds(layout.bounds, { padding: 0.03, duration });
  }, [flow, initialized, key, known, layout, select]);
  return null;
}

function FleetDetails({
  data,
  select,
  onClose,
  onOpenCluster,
}: {
  data: TFleetGraph;
  select: NonNullable<TSelect>;
  onClose: () => void;
  onOpenCluster: (name: string) => void;
}) {
  const linkClass = "text-sky-700 hover:underline dark:text-sky-400";
  if (select.kind === "cluster") {
    const c = data.clusters.find((x) => x.name === select.key);
    if (!c) return null;
    return (
      <DetailsFrame
        title={c.name}
        subtitle={`${ENGINE_LABELS[c.engine]} · ${c.tier} · primary in ${c.dataCenterCode}`}
        onClose={onClose}
      >
        <Facts
          items={[
            { label: "Health", value: <HealthIndicator health={c.health} className="justify-end" /> },
            { label: "Instances", value: formatCount(c.instanceCount) },
            { label: "Down / degraded", value: `${c.down} / ${c.degraded}` },
            {
              label: "Worst lag into it",
              value: c.maxLagSeconds === null ? "no links" : formatLag(c.maxLagSeconds),
            },
            { label: "Broken links", value: formatCount(c.brokenLinks) },
          ]}
        />
        <button
          type="button"
          className={cn(buttonClass("primary"), "w-full")}
          onClick={() => onOpenCluster(c.name)}
        >
          Open replication graph
        </button>
        <Link href={`/inventory/clusters/${encodeURIComponent(c.name)}`} className={cn(linkClass, "text-xs")}>
          Cluster page
        </Link>
      </DetailsFrame>
    );
  }
  if (select.kind === "dc") {
    const dc = data.dataCenters.find((d) => d.code === select.key);
    if (!dc) return null;
    const pairs = pairEdges(data.edges).filter((p) => p.a === dc.code || p.b === dc.code);
    return (
      <DetailsFrame
        title={`${dc.code} · ${dc.name}`}
        subtitle={`${dc.city} · ${dc.jurisdictionCode} · ${dc.regionCode}`}
        onClose={onClose}
      >
        <Facts
          items={[
            { label: "Status", value: <DataCenterStatusBadge status={dc.status} /> },
            { label: "Health", value: <HealthIndicator health={dc.health} className="justify-end" /> },
            {
              label: "Needs attention",
              value: <HealthCountsText counts={dc.healthCounts} className="justify-end" />,
            },
            { label: "Clusters (primary here)", value: formatCount(dc.clusterCount) },
            { label: "Instances", value: formatCount(dc.instanceCount) },
            {
              label: "Capacity used",
              value: `${formatCount(dc.capacityUsed)} / ${formatCount(dc.capacitySlots)}`,
            },
          ]}
        />
        {pairs.length > 0 ? (
          <section>
            <h3 className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-zinc-500">
              Replication with
            </h3>
            <ul className="flex flex-col gap-0.5 text-xs">
              {pairs.map((p) => {
                const other = p.a === dc.code ? p.b : p.a;
                return (
                  <li key={p.id} className="flex items-center gap-2">
                    <span className="font-mono font-medium">{other}</span>
                    {p.crossesJurisdiction ? <span className="text-zinc-500">crosses</span> : null}
                    <span className="ml-auto tabular-nums">{formatCount(p.linkCount)} links</span>
                    <span className="w-20 whitespace-nowrap text-right tabular-nums">
                      {formatLag(p.maxLagSeconds)}
                    </span>
                  </li>
                );
              })}
            </ul>
          </section>
        ) : null}
        <div className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
          <Link href={`/map?dc=${encodeURIComponent(dc.code)}`} className={linkClass}>
            On the map
          </Link>
          <Link href={`/inventory/data-centers/${encodeURIComponent(dc.code)}`} className={linkClass}>
            Data center page
          </Link>
        </div>
      </DetailsFrame>
    );
  }
  return null;
}
