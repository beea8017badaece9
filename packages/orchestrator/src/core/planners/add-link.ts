import { type TAddLinkParams } from "@meridian/policy";
import { PlanningError } from "../planning-error";
import { type PlanSession, type TPlannedChange, type TPlanningContext } from "../session";
import { dataCenterOf, findCluster, findDataCenter, findInstance, type TFleetSnapshot } from "../snapshot";
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

  const target = findInstance(cluster, params.targetInstanceId, "targetInstanceId");
  const targetDc = dataCenterOf(session.after, target);
  if (target.id === source.id)
    throw new PlanningError("INVALID", "An instance cannot replicate to itself", "targetInstanceId");
  if (targetDc.id !== dc.id)
    throw new PlanningError("INVALID", `${target.name} runs in ${targetDc.code}, not in ${dc.code}`, "targetInstanceId");
  if (target.role === "PRIMARY")
    throw new PlanningError("INVALID", `${target.name} is the primary: nothing replicates into the primary`, "targetInstanceId");
  if (cluster.links.some((l) => l.sourceId === source.id && l.targetId === target.id))
    throw new PlanningError("CONFLICT", `A link ${source.name} -> ${target.name} already exists`, "targetInstanceId");

  const linkId = linkIdFor(session, source.id, target.id);
  if (isReal(source) || isReal(target)) {
    assertRealPair(source, target, params.mode, { target: "targetInstanceId", mode: "mode" });
    composeRealLink(session, { cluster, source, target, linkId, mode: params.mode, tables: params.tables });
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
  session.blast
    .instance(cluster, source, "source")
    .instance(cluster, target, "linked")
    .link(cluster, link, "added")
    .dataCenter(sourceDc)
    .dataCenter(dc);
  session.place(cluster, dc, "replicate");
}

/**
 * ADD_LINK: sync an instance to another data center. Into an existing instance of the
 * cluster there (create link, wait for catch-up), or into a new sync target (STANDBY)
 * provisioned there. Between real servers (POSTGRES): into an existing instance only, with a
 * preflight before and a data verification after (postgres-link.ts), optionally for a subset
 * of tables (data-sync hosting).
 */
export function planAddLink(
  params: TAddLinkParams,
  snapshot: TFleetSnapshot,
  context: TPlanningContext = DEFAULT_CONTEXT,
): TPlannedChange {
  return planWith("ADD_LINK", snapshot, context, (session) => composeAddLink(session, params));
}
