import { Handle, Position, useStore, type Node, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { Badge } from "@/components/ui/badge";
import { HealthCountsText, HealthIcon, HEALTH_META } from "@/components/ui/health";
import { DataCenterStatusBadge } from "@/features/inventory/labels";
import { type THealth } from "@/features/map/encodings";
import { cn } from "@/lib/cn";
import { formatCount } from "@/lib/format";
import { blockRange } from "../fleet-model";
import { cellPosition } from "../layout/layouts";
import { type TFleetCluster, type TFleetDataCenter } from "../types";
import { ClusterMosaic } from "./cluster-mosaic";
import { FleetClusterCard } from "./fleet-cluster-node";
import { detailSelector, labelScale, zoomStepSelector } from "./zoom";

export type TFleetDataCenterData = {
  dc: TFleetDataCenter;
  /** Health of each cluster drawn here, in grid order (for the collapsed mosaic). */
  healths: THealth[];
  cols: number;
  width: number;
  height: number;
  /** Its clusters in grid order. */
  clusters: readonly TFleetCluster[];
  /** The blocks of rows whose cards are mounted (see `CARD_BLOCK_ROWS`); shown while zoomed in. */
  blocks: readonly number[];
  /** The selected cluster's name, when it is drawn here. */
  selectedCluster: string | undefined;
  highlighted: boolean;
};
export type TFleetDataCenterNode = Node<TFleetDataCenterData, "fleetDataCenter">;

const hiddenHandle = "!pointer-events-none !left-1/2 !top-1/2 !size-px !min-h-0 !min-w-0 !border-0 !opacity-0";

/**
 * A data center in the fleet view. Zoomed out it is collapsed: a header that keeps a readable
 * size on screen, and a mosaic of its clusters' health; zoomed in, its clusters are nodes.
 */
function FleetDataCenterNodeImpl({ data }: NodeProps<TFleetDataCenterNode>) {
  const { dc, healths, cols, width, height, clusters, blocks, selectedCluster, highlighted } = data;
  const zoom = useStore(zoomStepSelector);
  // Zoomed in far enough to show cluster cards instead of the mosaic.
  const detailed = useStore(detailSelector);
  const scale = detailed ? 1 : labelScale(zoom, Math.max(1, width / 190));
  return (
    <div
      data-testid="topology-node"
      data-kind="data-center"
      data-role="data-center"
      data-health={dc.health}
      data-name={dc.code}
      data-highlighted={highlighted ? "true" : undefined}
      className={cn(
        "relative h-full w-full rounded-xl border-2 bg-white/80 dark:bg-zinc-900/70",
        dc.status === "ACTIVE" ? "border-zinc-300 dark:border-zinc-700" : "border-dashed border-zinc-400 dark:border-zinc-500",
        highlighted && "ring-[6px] ring-sky-400/70",
      )}
      style={{ width, height }}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} className={hiddenHandle} />
      <Handle type="source" position={Position.Bottom} isConnectable={false} className={hiddenHandle} />
      {/* Kept mounted while zoomed in (hidden): crossing the level of detail redraws nothing. */}
      <ClusterMosaic healths={healths} cols={cols} width={width} height={height} hidden={detailed} />
      {blocks.length > 0 ? <ClusterCards clusters={clusters} blocks={blocks} cols={cols} selected={selectedCluster} hidden={!detailed} /> : null}
      <div
        className="absolute left-0 top-0 origin-top-left rounded-tl-[10px] bg-white/90 px-3 py-2 dark:bg-zinc-900/90"
        style={{ transform: `scale(${scale})`, width: width / scale }}
      >
        <div className="flex items-center gap-2">
          <HealthIcon health={dc.health} className="size-3.5" />
          <span className="sr-only">{HEALTH_META[dc.health].label}</span>
          <span className="font-mono text-[15px] font-bold text-zinc-900 dark:text-zinc-50">{dc.code}</span>
          <span className="truncate text-xs text-zinc-500 dark:text-zinc-400">
            {dc.city} · {dc.jurisdictionCode}
          </span>
          {dc.status !== "ACTIVE" ? (
            <span className="ml-auto">
              <DataCenterStatusBadge status={dc.status} />
            </span>
          ) : null}
        </div>
        <div className="mt-0.5 flex flex-wrap items-center gap-x-3 text-[11px] tabular-nums text-zinc-600 dark:text-zinc-300">
          <span>
            {formatCount(dc.clusterCount)} {dc.clusterCount === 1 ? "cluster" : "clusters"}
          </span>
          <span>{formatCount(dc.instanceCount)} instances</span>
          <HealthCountsText counts={dc.healthCounts} />
          {dc.linksOutsideView > 0 ? <Badge title="Cross-DC links to data centers outside the filters">+{formatCount(dc.linksOutsideView)} out of view</Badge> : null}
        </div>
        {!detailed && zoom < 0.5 && dc.clusterCount > 0 ? <p className="mt-0.5 text-[10px] text-zinc-400">Zoom in for clusters</p> : null}
      </div>
    </div>
  );
}

export const FleetDataCenterNode = memo(FleetDataCenterNodeImpl);

/**
 * The mounted cards of a data center. Zoomed out they stay mounted but are not rendered
 * (`content-visibility: hidden` keeps their layout for when they show again).
 */
const ClusterCards = memo(function ClusterCards({
  clusters,
  blocks,
  cols,
  selected,
  hidden,
}: {
  clusters: readonly TFleetCluster[];
  blocks: readonly number[];
  cols: number;
  selected: string | undefined;
  hidden: boolean;
}) {
  const cards = [];
  for (const block of blocks) {
    const [from, to] = blockRange(block, cols, clusters.length);
    for (let i = from; i < to; i++) {
      const c = clusters[i]!;
      const p = cellPosition(i, cols);
      cards.push(<FleetClusterCard key={c.name} cluster={c} x={p.x} y={p.y} highlighted={c.name === selected} />);
    }
  }
  return (
    <div className="pointer-events-none absolute inset-0" style={{ contentVisibility: hidden ? "hidden" : "visible" }}>
      {cards}
    </div>
  );
});
