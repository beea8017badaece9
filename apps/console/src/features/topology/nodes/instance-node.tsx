import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { HealthIcon, HEALTH_META } from "@/components/ui/health";
import { HEALTH_NODE } from "@/features/map/encodings";
import { DriftMark } from "@/features/map/drift-mark";
import { cn } from "@/lib/cn";
import { formatLag } from "@/lib/format";
import { type TGraphInstance, type TGraphLink } from "../types";

export type TInstanceNodeData = {
  instance: TGraphInstance;
  /** The link into this instance from its primary (or CDC source), if any. */
  incoming: TGraphLink | undefined;
  highlighted: boolean;
  dimmed: boolean;
};
export type TInstanceNode = Node<TInstanceNodeData, "instance">;

const ROLE_LABEL = { PRIMARY: "Primary", REPLICA: "Replica", STANDBY: "Standby" } as const;

/**
 * An instance: health as icon + word + border, role as a badge (the primary in solid black),
 * the lag of the link into it. Instances of other clusters (CDC ends) are dashed and muted.
 */
function InstanceNodeImpl({ data }: NodeProps<TInstanceNode>) {
  const { instance: i, incoming, highlighted, dimmed } = data;
  const primary = i.role === "PRIMARY" && !i.external;
  return (
    <div
      data-testid="topology-node"
      data-kind="instance"
      data-role={i.role.toLowerCase()}
      data-health={i.health}
      data-name={i.name}
      data-external={i.external ? "true" : undefined}
      data-highlighted={highlighted ? "true" : undefined}
      className={cn(
        "flex h-full w-full flex-col justify-between rounded-md border-2 bg-white px-2.5 py-1.5 text-left shadow-sm transition-opacity dark:bg-zinc-900",
        HEALTH_NODE[i.health],
        primary && "border-l-[6px]",
        i.external && "border-dashed opacity-80",
        highlighted && "ring-4 ring-sky-400/70 dark:ring-sky-500/60",
        dimmed && "opacity-40",
      )}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} className="!size-1.5 !min-h-0 !min-w-0 !border-0 !bg-zinc-400" />
      <div className="flex items-center gap-1.5 text-[11px]">
        <HealthIcon health={i.health} />
        <span className="font-medium text-zinc-700 dark:text-zinc-200">{HEALTH_META[i.health].label}</span>
        <DriftMark count={i.driftCount} />
        <span
          className={cn(
            "ml-auto rounded px-1.5 py-px text-[10px] font-semibold uppercase tracking-wide",
            primary ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300",
          )}
        >
          {ROLE_LABEL[i.role]}
        </span>
      </div>
      <div className="truncate font-mono text-[12px] font-semibold text-zinc-900 dark:text-zinc-50" title={i.name}>
        {i.name}
      </div>
      <div className="flex items-center gap-1 truncate text-[10.5px] text-zinc-500 dark:text-zinc-400">
        {i.external ? (
          <span className="truncate" title={`Instance of ${i.clusterName}`}>
            other cluster · {i.clusterName}
          </span>
        ) : incoming ? (
          <span className="tabular-nums">
            lag {formatLag(incoming.lagSeconds)} · {incoming.mode.toLowerCase()}
          </span>
        ) : (
          <span>takes writes</span>
        )}
        <span className="ml-auto shrink-0">v{i.version}</span>
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="!size-1.5 !min-h-0 !min-w-0 !border-0 !bg-zinc-400" />
    </div>
  );
}

export const InstanceNode = memo(InstanceNodeImpl);
