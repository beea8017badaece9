import { type Node, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { Badge } from "@/components/ui/badge";
import { HealthIcon, HEALTH_META } from "@/components/ui/health";
import { DataCenterStatusBadge } from "@/features/inventory/labels";
import { cn } from "@/lib/cn";
import { type TGraphDataCenter } from "../types";

export type TDataCenterGroupData = {
  dc: TGraphDataCenter;
  /** The cluster's residency policy does not allow this jurisdiction. */
  outsideResidency: boolean;
  home: boolean;
  highlighted: boolean;
};
export type TDataCenterGroupNode = Node<TDataCenterGroupData, "dataCenter">;

/** A data center as a box around the cluster's instances there. */
function DataCenterGroupNodeImpl({ data }: NodeProps<TDataCenterGroupNode>) {
  const { dc, outsideResidency, home, highlighted } = data;
  return (
    <div
      data-testid="topology-node"
      data-kind="data-center"
      data-role="data-center"
      data-health={dc.health}
      data-name={dc.code}
      data-highlighted={highlighted ? "true" : undefined}
      className={cn(
        "h-full w-full rounded-lg border bg-zinc-50/70 dark:bg-zinc-900/40",
        outsideResidency ? "border-2 border-rose-500" : "border-zinc-300 dark:border-zinc-700",
        dc.status !== "ACTIVE" && !outsideResidency && "border-dashed",
        highlighted && "ring-4 ring-sky-400/60",
      )}
    >
      <div className="flex items-center gap-2 px-3 pt-2 text-xs">
        <HealthIcon health={dc.health} />
        <span className="sr-only">{HEALTH_META[dc.health].label}</span>
        <span className="font-mono text-[13px] font-semibold text-zinc-900 dark:text-zinc-50">{dc.code}</span>
        <span className="truncate text-zinc-500 dark:text-zinc-400">
          {dc.city} · {dc.jurisdictionCode}
        </span>
        <span className="ml-auto flex items-center gap-1">
          {home ? <Badge title="The cluster's home jurisdiction">home</Badge> : null}
          {outsideResidency ? (
            <Badge tone="failed" title="This jurisdiction is not in the cluster's residency policy">
              outside residency
            </Badge>
          ) : null}
          {dc.status !== "ACTIVE" ? <DataCenterStatusBadge status={dc.status} /> : null}
        </span>
      </div>
    </div>
  );
}

export const DataCenterGroupNode = memo(DataCenterGroupNodeImpl);
