import { type TMovePrimaryRegionParams } from "@meridian/policy";
import { PlanningError } from "../planning-error";
import { type PlanSession, type TPlannedChange, type TPlanningContext } from "../session";
import { findCluster, findDataCenter, primaryOf, type TFleetSnapshot } from "../snapshot";
import { composeNewMember } from "./add-replica";
import { DEFAULT_CONTEXT, planWith } from "./common";
import { composeSwitchover } from "./switchover";

export function composeMovePrimaryRegion(session: PlanSession, params: TMovePrimaryRegionParams): void {
  const cluster = findCluster(session.after, params.clusterId);
  const dc = findDataCenter(session.after, params.targetDataCenterId, "targetDataCenterId");
  const primary = primaryOf(cluster);
  if (primary.dataCenterId === dc.id)
    throw new PlanningError("INVALID", `The primary ${primary.name} already runs in ${dc.code}`, "targetDataCenterId");

  // A healthy replica already in the target data center, replicating from the primary and caught up?
  const ready = cluster.instances
    .filter((i) => i.dataCenterId === dc.id && i.role !== "PRIMARY" && i.health === "UP")
    .map((i) => ({ instance: i, feed: cluster.links.find((l) => l.sourceId === primary.id && l.targetId === i.id) }))
    .filter(
      (c) => c.feed && c.feed.status === "ACTIVE" && c.feed.lagSeconds !== null && c.feed.lagSeconds <= params.maxLagSeconds,
    )
    .sort((a, b) => (a.feed?.lagSeconds ?? 0) - (b.feed?.lagSeconds ?? 0) || a.instance.name.localeCompare(b.instance.name));

  const existing = ready[0]?.instance;
  if (!existing && primary.driver === "POSTGRES")
    throw new PlanningError(
      "PRECONDITION_FAILED",
      `${cluster.name} runs on real servers and has no caught-up replica in ${dc.code}: register a server there and add it as a replica (ADD_REPLICA) first; Meridian does not provision real servers`,
      "targetDataCenterId",
    );
  const target =
    existing ??
    composeNewMember(session, {
      cluster,
      dc,
      source: primary,
      mode: params.mode,
      role: "REPLICA",
      dcField: "targetDataCenterId",
      sourceField: "clusterId",
    }).instance;
  composeSwitchover(session, cluster, target, params.maxLagSeconds, "targetDataCenterId");
}

/**
 * MOVE_PRIMARY_REGION: switch over to a caught-up replica in the target data center, adding
 * one there first when there is none. The old primary stays as a replica.
 */
export function planMovePrimaryRegion(
  params: TMovePrimaryRegionParams,
  snapshot: TFleetSnapshot,
  context: TPlanningContext = DEFAULT_CONTEXT,
): TPlannedChange {
  return planWith("MOVE_PRIMARY_REGION", snapshot, context, (session) => composeMovePrimaryRegion(session, params));
}
