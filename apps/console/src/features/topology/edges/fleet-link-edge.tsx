import { BaseEdge, getStraightPath, type Edge, type EdgeProps } from "@xyflow/react";
import { memo } from "react";
import { LAG_EDGE_STROKE, lagBucket, linkWidth } from "@/features/map/encodings";
import { cn } from "@/lib/cn";
import { formatLag } from "@/lib/format";

export type TFleetLinkData = {
  a: string;
  b: string;
  aToB: number;
  bToA: number;
  linkCount: number;
  maxLagSeconds: number;
  brokenCount: number;
  crossesJurisdiction: boolean;
  dimmed: boolean;
};
export type TFleetLinkEdge = Edge<TFleetLinkData, "fleetLink">;

/**
 * Replication between two data centers, both directions added up: colour = worst lag, width
 * = number of links (constant on screen at any zoom), cased = crosses jurisdictions.
 */
function FleetLinkEdgeImpl({ id, sourceX, sourceY, targetX, targetY, data }: EdgeProps<TFleetLinkEdge>) {
  const [path] = getStraightPath({ sourceX, sourceY, targetX, targetY });
  if (!data) return null;
  const bucket = lagBucket(data.maxLagSeconds);
  // Healthy routes step back; slow, stale and broken ones stand out. stroke-opacity, not
  // opacity: group opacity costs an offscreen layer per edge and every frame.
  const quiet = bucket === "fresh" && data.brokenCount === 0;
  return (
    <g
      data-testid="topology-edge"
      data-source={data.a}
      data-target={data.b}
      data-links={data.linkCount}
      data-crosses-jurisdiction={data.crossesJurisdiction ? "true" : "false"}
    >
      <title>{`${data.a} ⇄ ${data.b}: ${data.linkCount} links (${data.aToB} →, ${data.bToA} ←), worst lag ${formatLag(data.maxLagSeconds)}${data.brokenCount ? `, ${data.brokenCount} broken` : ""}${data.crossesJurisdiction ? ", crosses jurisdictions" : ""}`}</title>
      {data.crossesJurisdiction ? (
        // Crossing jurisdictions: a cased line (a wide neutral casing under the lag colour).
        // Not a dash here: hundreds of long dashed lines cost hundreds of ms per frame to
        // raster at fleet zoom; the map and the cluster graph keep the dash.
        <path
          d={path}
          className="fill-none stroke-zinc-500 dark:stroke-zinc-400"
          style={{ strokeWidth: linkWidth(data.linkCount) + 3, vectorEffect: "non-scaling-stroke", strokeOpacity: data.dimmed ? 0.08 : 0.35 }}
        />
      ) : null}
      <BaseEdge
        id={id}
        path={path}
        className={cn("fill-none", LAG_EDGE_STROKE[bucket])}
        style={{ strokeWidth: linkWidth(data.linkCount), vectorEffect: "non-scaling-stroke", strokeOpacity: data.dimmed ? 0.12 : quiet ? 0.45 : 0.95 }}
        interactionWidth={0}
      />
    </g>
  );
}

export const FleetLinkEdge = memo(FleetLinkEdgeImpl);
