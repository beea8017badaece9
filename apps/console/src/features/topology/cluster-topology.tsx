"use client";

import { useQuery } from "@tanstack/react-query";
import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow, useStore, type Edge, type Node, type ReactFlowState } from "@xyflow/react";
import Link from "next/link";
import { useEffect, useMemo, useRef } from "react";
import { Badge, JurisdictionPill } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { HealthCountsText, HealthIndicator } from "@/components/ui/health";
import { ClassificationLabel, ENGINE_LABELS, TierBadge } from "@/features/inventory/labels";
import { QueryError } from "@/features/inventory/query-error";
import { LIVE_REFRESH_MS } from "@/features/map/data-center-panel";
import { LiveStatus } from "@/features/map/live-status";
import { formatDuration } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { ClusterDetails } from "./cluster-details";
import { ArrowMarkers } from "./edges/arrow-markers";
import { type TReplicationEdge } from "./edges/replication-edge";
import { CLUSTER_EDGE_TYPES, CLUSTER_NODE_TYPES } from "./flow-types";
import { INSTANCE_NODE, type TClusterLayout, type TLayoutRequest } from "./layout/layouts";
import { useLayout } from "./layout/use-layout";
import { type TDataCenterGroupNode } from "./nodes/data-center-group-node";
import { type TInstanceNode } from "./nodes/instance-node";
import { TopologyLegend } from "./topology-legend";
import { type TTopologyUrlState } from "./topology-url";
import { type TClusterGraph } from "./types";

type TSelect = TTopologyUrlState["select"];

/** One cluster's replication graph: instances grouped by data center, primary to replicas. */
export function ClusterTopology({ cluster, select, onSelect }: { cluster: string; select: TSelect; onSelect: (select: TSelect) => void }) {
  const trpc = useTRPC();
  const graph = useQuery({ ...trpc.topology.clusterGraph.queryOptions({ cluster }), refetchInterval: LIVE_REFRESH_MS });
  const data = graph.data;

  if (graph.isError && !data) {
    const notFound = (graph.error as { data?: { code?: string } }).data?.code === "NOT_FOUND";
    return (
      <div className="p-5">
        {notFound ? (
          <EmptyState
            title={`No cluster named “${cluster}”`}
            action={
              <Link href="/topology" className={buttonClass("secondary")}>
                Back to the fleet
              </Link>
            }
          >
            It may have been renamed or removed. Search for it above, or browse the fleet.
          </EmptyState>
        ) : (
          <QueryError error={graph.error} onRetry={() => void graph.refetch()} />
        )}
      </div>
    );
  }
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      {data ? <ClusterHeader data={data} fetching={graph.isFetching} failed={graph.isError} /> : <div className="h-[68px] border-b border-zinc-200 dark:border-zinc-800" />}
      <div className="flex min-h-0 flex-1">
        <div className="relative min-w-0 flex-1" data-testid="topology-canvas" data-view="cluster">
          {data ? (
            <ReactFlowProvider>
              <ClusterCanvas data={data} select={select} onSelect={onSelect} />
            </ReactFlowProvider>
          ) : (
            <p className="p-5 text-sm text-zinc-500" role="status">
              Loading {cluster}…
            </p>
          )}
          <div className="pointer-events-none absolute bottom-3 left-3 right-16 flex">
            <div className="pointer-events-auto">
              <TopologyLegend view="cluster" />
            </div>
          </div>
        </div>
        {data && select ? <ClusterDetails data={data} select={select} onClose={() => onSelect(undefined)} /> : null}
      </div>
    </div>
  );
}

function ClusterHeader({ data, fetching, failed }: { data: TClusterGraph; fetching: boolean; failed: boolean }) {
  const c = data.cluster;
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-zinc-200 bg-white px-5 py-2.5 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex min-w-0 flex-col">
        <div className="flex items-center gap-2">
          <h2 className="truncate font-mono text-base font-semibold text-zinc-900 dark:text-zinc-50" data-testid="topology-cluster-name">
            {c.name}
          </h2>
          <TierBadge tier={c.tier} />
          <Badge>{ENGINE_LABELS[c.engine]} {c.engineVersion}</Badge>
        </div>
        <p className="flex flex-wrap items-center gap-x-3 text-xs text-zinc-500 dark:text-zinc-400">
          <span>{c.teamName}</span>
          <ClassificationLabel classification={c.classification} />
          <span className="inline-flex items-center gap-1">
            home <JurisdictionPill code={c.homeJurisdictionCode} />
          </span>
          <span>may live in {c.allowedJurisdictions.join(", ")}</span>
          <span>RPO {formatDuration(c.rpoSeconds)}</span>
        </p>
      </div>
      <div className="flex items-center gap-3 text-sm">
        <HealthIndicator health={c.health} className="font-medium" />
        <HealthCountsText counts={c.healthCounts} className="text-xs" />
      </div>
      <div className="ml-auto flex items-center gap-4">
        <Link href={`/inventory/clusters/${encodeURIComponent(c.name)}`} className="text-xs text-sky-700 hover:underline dark:text-sky-400">
          Cluster page
        </Link>
        <LiveStatus updatedAt={data.generatedAt} fetching={fetching} failed={failed} />
      </div>
    </div>
  );
}

function layoutRequest(data: TClusterGraph): TLayoutRequest {
  return {
    kind: "cluster",
    input: {
      groups: data.dataCenters.map((d) => d.code),
      nodes: data.instances.map((i) => ({ id: i.id, group: i.dataCenterCode })),
      edges: data.links.map((l) => ({ source: l.sourceId, target: l.targetId })).sort((a, b) => (a.source + a.target < b.source + b.target ? -1 : 1)),
    },
  };
}

function ClusterCanvas({ data, select, onSelect }: { data: TClusterGraph; select: TSelect; onSelect: (select: TSelect) => void }) {
  // The request only changes with the structure (ids), so a refresh keeps the layout.
  const structure = useMemo(() => JSON.stringify(layoutRequest(data)), [data]);
  const request = useMemo(() => JSON.parse(structure) as TLayoutRequest, [structure]);
  const { layout, key: layoutKey } = useLayout<TClusterLayout>(request);

  const groupOf = useMemo(() => new Map(data.instances.map((i) => [i.id, i.dataCenterCode])), [data.instances]);
  const selectedId = useMemo(() => {
    if (select?.kind === "instance") return data.instances.find((i) => i.name === select.key)?.id;
    if (select?.kind === "dc") return `dc:${select.key}`;
    return undefined;
  }, [data.instances, select]);

  const { nodes, edges } = useMemo(() => {
    if (!layout) return { nodes: [] as Node[], edges: [] as Edge[] };
    const incoming = new Map(data.links.map((l) => [l.targetId, l]));
    const byId = new Map(data.instances.map((i) => [i.id, i]));
    const allowed = new Set(data.cluster.allowedJurisdictions);
    const groupNodes: TDataCenterGroupNode[] = data.dataCenters.flatMap((dc) => {
      const box = layout.groups[dc.code];
      if (!box) return [];
      return [
        {
          id: `dc:${dc.code}`,
          type: "dataCenter" as const,
          position: { x: box.x, y: box.y },
          width: box.width,
          height: box.height,
          selectable: true,
          draggable: false,
          // Below the edge labels, which sit in the box's top band.
          zIndex: -1,
          data: {
            dc,
            outsideResidency: !allowed.has(dc.jurisdictionCode) && data.instances.some((i) => !i.external && i.dataCenterCode === dc.code),
            home: dc.jurisdictionCode === data.cluster.homeJurisdictionCode,
            highlighted: selectedId === `dc:${dc.code}`,
          },
        },
      ];
    });
    const instanceNodes: TInstanceNode[] = data.instances.flatMap((i) => {
      const pos = layout.nodes[i.id];
      if (!pos) return [];
      const related = selectedId && (selectedId === i.id || data.links.some((l) => (l.sourceId === selectedId && l.targetId === i.id) || (l.targetId === selectedId && l.sourceId === i.id)));
      return [
        {
          id: i.id,
          type: "instance" as const,
          parentId: `dc:${i.dataCenterCode}`,
          extent: "parent" as const,
          position: pos,
          width: INSTANCE_NODE.width,
          height: INSTANCE_NODE.height,
          draggable: false,
          data: { instance: i, incoming: incoming.get(i.id), highlighted: selectedId === i.id, dimmed: Boolean(selectedId?.startsWith("dc:") ? false : selectedId && !related) },
        },
      ];
    });
    const replicationEdges: TReplicationEdge[] = data.links.map((l) => {
      const touches = selectedId === l.sourceId || selectedId === l.targetId;
      return {
        id: l.id,
        source: l.sourceId,
        target: l.targetId,
        type: "replication" as const,
        zIndex: 1,
        data: {
          link: l,
          sourceName: byId.get(l.sourceId)?.name ?? "?",
          targetName: byId.get(l.targetId)?.name ?? "?",
          highlighted: touches,
          dimmed: Boolean(selectedId && !selectedId.startsWith("dc:") && !touches),
        },
      };
    });
    return { nodes: [...groupNodes, ...instanceNodes] as Node[], edges: replicationEdges as Edge[] };
  }, [data, layout, selectedId]);

  return (
    <>
      <ArrowMarkers />
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={CLUSTER_NODE_TYPES}
        edgeTypes={CLUSTER_EDGE_TYPES}
        minZoom={0.1}
        maxZoom={2.5}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        colorMode="system"
        proOptions={{ hideAttribution: true }}
        onNodeClick={(_, node) => {
          if (node.type === "instance") onSelect({ kind: "instance", key: (node as TInstanceNode).data.instance.name });
          else if (node.type === "dataCenter") onSelect({ kind: "dc", key: (node as TDataCenterGroupNode).data.dc.code });
        }}
        onPaneClick={() => onSelect(undefined)}
        aria-label={`Replication graph of ${data.cluster.name}`}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} position="top-right" />
        <FocusOnSelect id={selectedId} layout={layout} layoutKey={layoutKey} groupOf={groupOf} />
      </ReactFlow>
    </>
  );
}

const paneSized = (s: ReactFlowState) => s.width > 0 && s.height > 0;

/**
 * Frames the graph when its layout arrives, and the selected node when the selection changes
 * (deep links, search, clicks): not on refreshes, which keep the viewport where the user left
 * it. Positions come from the layout itself, so nothing waits for nodes to be measured.
 */
function FocusOnSelect({
  id,
  layout,
  layoutKey,
  groupOf,
}: {
  id: string | undefined;
  layout: TClusterLayout | undefined;
  layoutKey: string | undefined;
  /** Instance id -> its data center code. */
  groupOf: Map<string, string>;
}) {
  const flow = useReactFlow();
  const ready = useStore(paneSized);
  const framed = useRef<{ layoutKey: string; id: string | undefined } | undefined>(undefined);
  useEffect(() => {
    if (!layout || !layoutKey || !ready) return;
    const previous = framed.current;
    if (previous?.layoutKey === layoutKey && previous.id === id) return;
    framed.current = { layoutKey, id };
    const duration = previous ? 350 : 0;
    const group = id?.startsWith("dc:") ? layout.groups[id.slice(3)] : undefined;
    if (group) {
      void flow.fitBounds(group, { padding: 0.3, duration });
      return;
    }
    if (id) {
      const code = groupOf.get(id);
      const box = code ? layout.groups[code] : undefined;
      const pos = layout.nodes[id];
      if (box && pos) {
        void flow.setCenter(box.x + pos.x + INSTANCE_NODE.width / 2, box.y + pos.y + INSTANCE_NODE.height / 2, { zoom: 1.1, duration });
        return;
      }
    }
    // Clearing the selection keeps the viewport; a new structure is framed whole.
    if (!previous || previous.layoutKey !== layoutKey) {
      const boxes = Object.values(layout.groups);
      if (boxes.length === 0) return;
      const x = Math.min(...boxes.map((b) => b.x));
      const y = Math.min(...boxes.map((b) => b.y));
      const width = Math.max(...boxes.map((b) => b.x + b.width)) - x;
      const height = Math.max(...boxes.map((b) => b.y + b.height)) - y;
      void flow.fitBounds({ x, y, width, height }, { padding: 0.1, duration });
    }
  }, [flow, groupOf, id, layout, layoutKey, ready]);
  return null;
}
