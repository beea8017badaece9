import { type TAddLinkParams } from "@meridian/policy";
import { PlanningError } from "../planning-error";
import { type PlanSession, type TPlannedChange, type TPlanningContext } from "../session";
import {
  dataCenterOf,
  findCluster,
  findDataCenter,
  findInstance,
  type TClusterSnapshot,
  type TFleetSnapshot,
  type TInstanceSnapshot,
} from "../snapshot";
import { composeNewMember } from "./add-replica";
import { DEFAULT_CONTEXT, addLinkAfter, catchUpLimit, linkIdFor, planWith } from "./common";
import { assertRealPair, composeRealLink, isReal } from "./postgres-link";

export function composeAddLink(session: PlanSession, params: TAddLinkParams): void {
  const cluster = findCluster(session.after, params.clusterId);
  const source = findInstance(cluster, params.sourceInstanceId, "sourceInstanceId");
  const dc = findDataCenter(session.after, params.targetDataCenterId, "targetDataCenterId");
  const sourceDc = dataCenterOf(session.after, source);
  if (source.health === "DOWN")
    throw new PlanningError("PRECONDITION_FAILED", `Source instance ${source.name} is DOWN: nothing can replicate from it`, "sourceInstanceId");
  if (sourceDc.id === dc.id)
    throw new PlanningError(
      "INVALID",
      `${source.name} already runs in ${dc.code}: a sync link goes to another data center`,
      "targetDataCenterId",
    );

  if (!params.targetInstanceId && isReal(source))
    throw new PlanningError(
      "INVALID",
      `${source.name} is a real server: pick the instance in ${dc.code} to sync to (Meridian does not provision real servers; register one first)`,
      "targetInstanceId",
    );
  if (params.tables?.length && !isReal(source))
    throw new PlanningError("INVALID", "A subset of tables can only be synced between real servers", "tables");

  if (!params.targetInstanceId) {
    composeNewMember(session, {
      cluster,
      dc,
      source,
      mode: params.mode,
      role: "STANDBY",
      dcField: "targetDataCenterId",
      sourceField: "sourceInstanceId",
    });
    return;
  }

  const { target, targetCluster } = findLinkTarget(session.after, cluster, params.targetInstanceId);
  const crossCluster = targetCluster.id !== cluster.id;
  const targetDc = dataCenterOf(session.after, target);
  if (target.id === source.id)
    throw new PlanningError("INVALID", "An instance cannot replicate to itself", "targetInstanceId");
  if (targetDc.id !== dc.id)
    throw new PlanningError("INVALID", `${target.name} runs in ${targetDc.code}, not in ${dc.code}`, "targetInstanceId");
  if (target.role === "PRIMARY")
    throw new PlanningError("INVALID", `${target.name} is the primary: nothing replicates into the primary`, "targetInstanceId");
  if (crossCluster) {
    // Data-sync hosting: another cluster's registered sync target (a STANDBY on a real server)
    // receives this cluster's data. Its own primary or replicas never do.
    if (!isReal(source) || !isReal(target))
      throw new PlanningError(
        "INVALID",
        `${target.name} belongs to cluster ${targetCluster.name}: a link into another cluster joins two real servers`,
        "targetInstanceId",
      );
    if (target.role !== "STANDBY")
      throw new PlanningError(
        "INVALID",
        `${target.name} is a ${target.role.toLowerCase()} of cluster ${targetCluster.name}: only a STANDBY instance of another cluster can receive a sync link`,
        "targetInstanceId",
      );
  }
  if ([...cluster.links, ...targetCluster.links].some((l) => l.sourceId === source.id && l.targetId === target.id))
    throw new PlanningError("CONFLICT", `A link ${source.name} -> ${target.name} already exists`, "targetInstanceId");

  const linkId = linkIdFor(session, source.id, target.id);
  if (isReal(source) || isReal(target)) {
    assertRealPair(source, target, params.mode, { target: "targetInstanceId", mode: "mode" });
    composeRealLink(session, {
      cluster,
      source,
      target,
      linkId,
      mode: params.mode,
      tables: params.tables,
      ...(crossCluster ? { targetCluster } : {}),
    });
  } else session
    .step({
      slug: `check-${source.name}`,
      name: `Check that ${source.name} is up`,
      action: "checkInstance",
      input: { instanceId: source.id, clusterId: cluster.id, expectRole: source.role },
      compensation: null,
    })
    .step({
      slug: `create-link-${target.name}`,
      name: `Replicate ${source.name} -> ${target.name} (${params.mode})`,
      action: "createLink",
      input: { linkId, clusterId: cluster.id, sourceInstanceId: source.id, targetInstanceId: target.id, mode: params.mode },
      compensation: { action: "dropLink", input: { linkId, clusterId: cluster.id } },
    })
    .step({
      slug: `wait-for-catch-up-${target.name}`,
      name: `Wait until ${target.name} lags at most ${catchUpLimit(cluster)} s on the new link`,
      action: "waitForCatchUp",
      input: { linkId, maxLagSeconds: catchUpLimit(cluster) },
      compensation: null,
    });
  const link = addLinkAfter(cluster, { id: linkId, sourceId: source.id, targetId: target.id, mode: params.mode });
  if (crossCluster) targetCluster.links.push({ ...link });
  session.blast
    .instance(cluster, source, "source")
    .instance(targetCluster, target, "linked")
    .link(cluster, link, "added")
    .dataCenter(sourceDc)
    .dataCenter(dc);
  // The SOURCE cluster's data lands in the target's data center: residency is checked against
  // the source cluster's allowed jurisdictions, whichever cluster the target belongs to.
  session.place(cluster, dc, "replicate");
}

/**
 * The instance a link goes into: one of the source's cluster, or a registered instance of
 * another cluster in the snapshot (the service loads the target's cluster for ADD_LINK).
 */
function findLinkTarget(
  snapshot: TFleetSnapshot,
  cluster: TClusterSnapshot,
  targetInstanceId: string,
): { target: TInstanceSnapshot; targetCluster: TClusterSnapshot } {
  const own = cluster.instances.find((i) => i.id === targetInstanceId);
  if (own) return { target: own, targetCluster: cluster };
  for (const other of snapshot.clusters) {
    const found = other.instances.find((i) => i.id === targetInstanceId);
    if (found) return { target: found, targetCluster: other };
  }
  return { target: findInstance(cluster, targetInstanceId, "targetInstanceId"), targetCluster: cluster };
}

/**
 * ADD_LINK: sync an instance to another data center. Into an existing instance of the
 * cluster there (create link, wait for catch-up), or into a new sync target (STANDBY)
 * provisioned there. Between real servers (POSTGRES): into an existing instance only, with a
 * preflight before and a data verification after (postgres-link.ts), optionally for a subset
 * of tables (data-sync hosting), also into a registered STANDBY of another cluster (a
 * cross-cluster link: the source cluster's request, team, approvals and residency rule).
 */
export function planAddLink(
  params: TAddLinkParams,
  snapshot: TFleetSnapshot,
  context: TPlanningContext = DEFAULT_CONTEXT,
): TPlannedChange {
  return planWith("ADD_LINK", snapshot, context, (session) => composeAddLink(session, params));
}
