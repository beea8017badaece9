import { type Node, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { HealthIcon, HEALTH_META } from "@/components/ui/health";
import { HEALTH_NODE, LAG_TEXT, lagBucket } from "@/features/map/encodings";
import { ENGINE_LABELS } from "@/features/inventory/labels";
import { cn } from "@/lib/cn";
import { formatLag } from "@/lib/format";
import { type TFleetCluster } from "../types";

export type TFleetClusterData = { cluster: TFleetCluster; highlighted: boolean };
export type TFleetClusterNode = Node<TFleetClusterData, "fleetCluster">;

/** A cluster inside its primary's data center (fleet view, zoomed in). Double click opens its graph. */
function FleetClusterNodeImpl({ data }: NodeProps<TFleetClusterNode>) {
  const { cluster: c, highlighted } = data;
  return (
    <div
      data-testid="topology-node"
      data-kind="cluster"
      data-role="cluster"
      data-health={c.health}
      data-name={c.name}
      data-highlighted={highlighted ? "true" : undefined}
      title={`${c.name}: ${HEALTH_META[c.health].label.toLowerCase()}, ${c.instanceCount} instances. Double click for its replication graph.`}
      className={cn(
        "flex h-full w-full flex-col justify-center rounded border bg-white px-2 text-[11px] leading-4 dark:bg-zinc-900",
        HEALTH_NODE[c.health],
        highlighted && "ring-4 ring-sky-400/80",
      )}
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

export const FleetClusterNode = memo(FleetClusterNodeImpl);
