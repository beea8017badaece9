"use client";

import { createContext, memo, useContext } from "react";
import { HealthIcon, HEALTH_META } from "@/components/ui/health";
import { HEALTH_NODE, LAG_TEXT, lagBucket } from "@/features/map/encodings";
import { ENGINE_LABELS } from "@/features/inventory/labels";
import { cn } from "@/lib/cn";
import { formatLag } from "@/lib/format";
import { CLUSTER_CELL } from "../layout/layouts";
import { type TFleetCluster } from "../types";

/** What a click on a cluster does: select it (details panel); a double click opens its graph. */
export type TFleetClusterActions = { onSelect: (name: string) => void; onOpen: (name: string) => void };
export const FleetClusterActions = createContext<TFleetClusterActions | null>(null);

/**
 * A cluster inside its primary's data center (fleet view, zoomed in): drawn by its data
 * center node, not a React Flow node of its own, so opening and closing data centers changes
 * no node of the flow (React Flow re-adopts every node on each change of the node set).
 * Click selects it; double click (or Enter) opens its replication graph.
 */
function FleetClusterCardImpl({ cluster: c, x, y, highlighted }: { cluster: TFleetCluster; x: number; y: number; highlighted: boolean }) {
  const actions = useContext(FleetClusterActions);
  return (
    <div
      role="button"
      tabIndex={0}
      data-testid="topology-node"
      data-kind="cluster"
      data-role="cluster"
      data-health={c.health}
      data-name={c.name}
      data-highlighted={highlighted ? "true" : undefined}
      title={`${c.name}: ${HEALTH_META[c.health].label.toLowerCase()}, ${c.instanceCount} instances. Double click for its replication graph.`}
      // The second click of a double click opens the graph: read from the click itself, since
      // the flow's double-click zoom (a non-draggable node pans the flow) swallows `dblclick`.
      onClick={(e) => {
        e.stopPropagation();
        if (e.detail >= 2) actions?.onOpen(c.name);
        else actions?.onSelect(c.name);
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") actions?.onOpen(c.name);
        else if (e.key === " ") {
          e.preventDefault();
          actions?.onSelect(c.name);
        }
      }}
      className={cn(
        "pointer-events-auto absolute flex cursor-pointer flex-col justify-center rounded border bg-white px-2 text-[11px] leading-4 focus-visible:outline-2 focus-visible:outline-sky-500 dark:bg-zinc-900",
        HEALTH_NODE[c.health],
        highlighted && "ring-4 ring-sky-400/80",
      )}
      // Fixed size: its layout and style never reach beyond it (not paint: the selection ring is outside).
      style={{ left: x, top: y, width: CLUSTER_CELL.width, height: CLUSTER_CELL.height, contain: "size layout style" }}
    >
      <div className="flex items-center gap-1.5">
        <HealthIcon health={c.health} className="size-2.5" />
        <span className="truncate font-mono font-semibold text-zinc-900 dark:text-zinc-50">{c.name}</span>
        <span className="ml-auto shrink-0 font-mono text-[10px] text-zinc-500">{c.tier}</span>
      </div>
      <div className="flex items-center gap-1.5 truncate text-[10px] text-zinc-500 dark:text-zinc-400">
        <span>{ENGINE_LABELS[c.engine]}</span>
        <span>· {c.instanceCount} inst</span>
        {c.maxLagSeconds !== null ? <span className={cn("ml-auto tabular-nums", LAG_TEXT[lagBucket(c.maxLagSeconds)])}>{formatLag(c.maxLagSeconds)}</span> : null}
      </div>
    </div>
  );
}

export const FleetClusterCard = memo(FleetClusterCardImpl);
