import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from "@xyflow/react";
import { memo } from "react";
import { CROSSING_DASH, LAG_EDGE_STROKE, lagBucket } from "@/features/map/encodings";
import { LINK_STATUS_LABELS } from "@/features/inventory/labels";
import { cn } from "@/lib/cn";
import { formatBytes, formatLag } from "@/lib/format";
import { type TGraphLink } from "../types";

export type TReplicationEdgeData = {
  link: TGraphLink;
  sourceName: string;
  targetName: string;
  highlighted: boolean;
  dimmed: boolean;
};
export type TReplicationEdge = Edge<TReplicationEdgeData, "replication">;

const MODE_LABEL = { PHYSICAL: "Physical", LOGICAL: "Logical", CDC: "CDC" } as const;

/**
 * Primary -> replica: colour = lag, dashed = crosses jurisdictions, arrow = direction; the
 * label says mode and lag, and the status when not streaming (broken ones with a cross).
 */
function ReplicationEdgeImpl({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data }: EdgeProps<TReplicationEdge>) {
  const [path] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, curvature: 0.3 });
  // The label sits just above the replica it feeds: fan-outs from one primary stay readable.
  const labelX = targetX;
  const labelY = targetY - 36;
  if (!data) return null;
  const { link } = data;
  const bucket = lagBucket(link.lagSeconds);
  const broken = link.status === "BROKEN";
  return (
    <g
      data-testid="topology-edge"
      data-source={data.sourceName}
      data-target={data.targetName}
      data-mode={link.mode}
      data-status={link.status}
      data-lag-seconds={link.lagSeconds}
      data-crosses-jurisdiction={link.crossesJurisdiction ? "true" : "false"}
      className={cn("transition-opacity", data.dimmed && "opacity-25")}
    >
      <BaseEdge
        id={id}
        path={path}
        className={cn("fill-none", LAG_EDGE_STROKE[broken ? "stale" : bucket])}
        style={{ strokeWidth: data.highlighted ? 3 : 2, strokeDasharray: link.crossesJurisdiction ? CROSSING_DASH : undefined }}
        markerEnd={`url(#meridian-arrow-${broken ? "stale" : bucket})`}
        interactionWidth={14}
      />
      <EdgeLabelRenderer>
        <div
          data-testid="topology-edge-label"
          data-source={data.sourceName}
          data-target={data.targetName}
          className={cn(
            "nodrag nopan pointer-events-auto absolute flex items-center gap-1 whitespace-nowrap rounded border bg-white px-1.5 py-0.5 text-[10.5px] leading-4 tabular-nums shadow-sm dark:bg-zinc-900",
            broken ? "border-rose-300 text-rose-800 dark:border-rose-800 dark:text-rose-300" : "border-zinc-200 text-zinc-700 dark:border-zinc-700 dark:text-zinc-300",
            data.dimmed && "opacity-40",
            data.highlighted && "ring-2 ring-sky-400",
          )}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          title={`${data.sourceName} → ${data.targetName}: ${MODE_LABEL[link.mode]}, ${LINK_STATUS_LABELS[link.status].toLowerCase()}, lag ${formatLag(link.lagSeconds)} (${formatBytes(link.lagBytes)})${link.crossesJurisdiction ? ", crosses jurisdictions" : ""}`}
        >
          {broken ? (
            <svg viewBox="0 0 10 10" className="size-2.5" aria-hidden="true">
              <path d="M2 2L8 8M8 2L2 8" className="stroke-current" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
          ) : null}
          <span className="font-medium">{MODE_LABEL[link.mode]}</span>
          <span aria-hidden="true">·</span>
          <span>{formatLag(link.lagSeconds)}</span>
          {link.status !== "ACTIVE" ? <span className="font-medium">· {LINK_STATUS_LABELS[link.status]}</span> : null}
        </div>
      </EdgeLabelRenderer>
    </g>
  );
}

export const ReplicationEdge = memo(ReplicationEdgeImpl);
