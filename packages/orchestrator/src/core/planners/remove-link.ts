import { type TRemoveLinkParams } from "@meridian/policy";
import { PlanningError } from "../planning-error";
import { type PlanSession, type TPlannedChange, type TPlanningContext } from "../session";
import { findCluster, findInstance, incomingLinks, type TFleetSnapshot } from "../snapshot";
import { DEFAULT_CONTEXT, planWith } from "./common";
import { isReal } from "./postgres-link";

export function composeRemoveLink(session: PlanSession, params: TRemoveLinkParams): void {
  const cluster = findCluster(session.after, params.clusterId);
  const link = cluster.links.find((l) => l.id === params.linkId);
  if (!link) throw new PlanningError("NOT_FOUND", `Link ${params.linkId} is not a link of cluster ${cluster.name}`, "linkId");
  // A cross-cluster data-sync link is filed for the source's cluster; its target belongs to
  // another cluster of the snapshot.
  const source = findInstance(cluster, link.sourceId, "linkId");
  const targetCluster = session.after.clusters.find((c) => c.instances.some((i) => i.id === link.targetId)) ?? cluster;
  const target = findInstance(targetCluster, link.targetId, "linkId");
  const crossCluster = targetCluster.id !== cluster.id;
  // A data-sync target on a real server (STANDBY) may lose its only link: it keeps the data it has.
  const syncTarget = isReal(target) && target.role === "STANDBY";
  if (target.role !== "PRIMARY" && !syncTarget && incomingLinks(cluster, target.id).length === 1)
    throw new PlanningError(
      "PRECONDITION_FAILED",
      `Removing ${source.name} -> ${target.name} would leave ${target.name} with no source: remove the ${target.role.toLowerCase()} instead (REMOVE_REPLICA)`,
      "linkId",
    );

  session
    .step({
      slug: `check-link-${source.name}-${target.name}`,
      name: `Check that the link ${source.name} -> ${target.name} exists`,
      action: "checkLink",
      input: { linkId: link.id, clusterId: cluster.id },
      compensation: null,
    })
    .step({
      slug: `drop-link-${source.name}-${target.name}`,
      name: `Stop replicating ${source.name} -> ${target.name}`,
      action: "dropLink",
      input: crossCluster ? { linkId: link.id, clusterId: cluster.id, instanceIds: [source.id, target.id] } : { linkId: link.id, clusterId: cluster.id },
      compensation: {
        action: "createLink",
        input: { linkId: link.id, clusterId: cluster.id, sourceInstanceId: source.id, targetInstanceId: target.id, mode: link.mode },
      },
    });
  session.blast.link(cluster, link, "removed").instance(cluster, source, "source").instance(targetCluster, target, "unlinked");
  for (const inst of [source, target]) {
    const dc = session.after.dataCenters.find((d) => d.id === inst.dataCenterId);
    if (dc) session.blast.dataCenter(dc);
  }
  cluster.links = cluster.links.filter((l) => l.id !== link.id);
  targetCluster.links = targetCluster.links.filter((l) => l.id !== link.id);
}

/** REMOVE_LINK: check -> drop (compensation re-creates it with the same id and mode). */
export function planRemoveLink(
  params: TRemoveLinkParams,
  snapshot: TFleetSnapshot,
  context: TPlanningContext = DEFAULT_CONTEXT,
): TPlannedChange {
  return planWith("REMOVE_LINK", snapshot, context, (session) => composeRemoveLink(session, params));
}
