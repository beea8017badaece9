import { type TRemoveReplicaParams } from "@meridian/policy";
import { PlanningError } from "../planning-error";
import { type PlanSession, type TPlannedChange, type TPlanningContext } from "../session";
import { dataCenterOf, findCluster, findInstance, incomingLinks, outgoingLinks, type TFleetSnapshot } from "../snapshot";
import { DEFAULT_CONTEXT, nameOf, planWith, removeInstanceAfter } from "./common";
import { isReal } from "./postgres-link";

export function composeRemoveReplica(session: PlanSession, params: TRemoveReplicaParams): void {
  const cluster = findCluster(session.after, params.clusterId);
  const instance = findInstance(cluster, params.instanceId, "instanceId");
  if (instance.role === "PRIMARY")
    throw new PlanningError(
      "PRECONDITION_FAILED",
      `${instance.name} is the primary of ${cluster.name}: switch over to another instance before removing it`,
      "instanceId",
    );
  const feeds = outgoingLinks(cluster, instance.id);
  if (feeds.length > 0)
    throw new PlanningError(
      "PRECONDITION_FAILED",
      `${instance.name} feeds ${feeds.map((l) => nameOf(cluster, l.targetId)).join(", ")}: remove or repoint those links first`,
      "instanceId",
    );
  const others = cluster.instances.filter((i) => i.role !== "PRIMARY" && i.id !== instance.id);
  if (others.length === 0 && (cluster.tier === "T0" || cluster.tier === "T1") && !params.allowLastReplica)
    throw new PlanningError(
      "PRECONDITION_FAILED",
      `${instance.name} is the last replica of ${cluster.tier} cluster ${cluster.name}: tick "allow last replica" to remove it anyway`,
      "allowLastReplica",
    );
  if (others.length === 0) session.warn(`${cluster.name} will have no replica left`);

  const dc = dataCenterOf(session.after, instance);
  const feeding = incomingLinks(cluster, instance.id);
  session.step({
    slug: `check-${instance.name}`,
    name: `Check that ${instance.name} is still a ${instance.role.toLowerCase()} of ${cluster.name}`,
    action: "checkInstance",
    input: { instanceId: instance.id, clusterId: cluster.id, expectRole: instance.role },
    compensation: null,
  });
  session.step({
    slug: `unregister-${instance.name}`,
    name: `Take ${instance.name} out of the inventory (no more reads routed to it)`,
    action: "unregisterInstance",
    input: { instanceId: instance.id, clusterId: cluster.id },
    compensation: { action: "registerInstance", input: { instanceId: instance.id, clusterId: cluster.id, role: instance.role } },
  });
  for (const link of feeding) {
    const source = nameOf(cluster, link.sourceId);
    session.step({
      slug: `drop-link-${source}-${instance.name}`,
      name: `Stop replicating ${source} -> ${instance.name}`,
      action: "dropLink",
      // A real server keeps no table the link created: it can become a replica again.
      input: isReal(instance) ? { linkId: link.id, clusterId: cluster.id, dropCreatedTables: true } : { linkId: link.id, clusterId: cluster.id },
      compensation: {
        action: "createLink",
        input: { linkId: link.id, clusterId: cluster.id, sourceInstanceId: link.sourceId, targetInstanceId: instance.id, mode: link.mode },
      },
    });
    session.blast.link(cluster, link, "removed");
  }
  if (isReal(instance)) {
    // A real server is never destroyed by a plan: it becomes a registered empty STANDBY again,
    // without links (the tables its links created are dropped, see dropLink above; tables that
    // were on it before keep their rows), open for writes like any new standby (registerInstance
    // on the postgres driver lifts the replica's fence), so that ADD_REPLICA can reuse it.
    session.step({
      slug: `register-${instance.name}-standby`,
      name: `Register ${instance.name} as an empty standby (no traffic, no replication)`,
      action: "registerInstance",
      input: { instanceId: instance.id, clusterId: cluster.id, role: "STANDBY" },
      compensation: { action: "registerInstance", input: { instanceId: instance.id, clusterId: cluster.id, role: instance.role } },
    });
    session.blast.instance(cluster, instance, "removed").dataCenter(dc);
    cluster.links = cluster.links.filter((l) => l.sourceId !== instance.id && l.targetId !== instance.id);
    instance.role = "STANDBY";
    return;
  }
  session.step({
    slug: `deprovision-${instance.name}`,
    name: `Deprovision ${instance.name} in ${dc.code}`,
    action: "deprovisionInstance",
    input: { instanceId: instance.id, clusterId: cluster.id, dataCenterId: dc.id },
    compensation: {
      action: "provisionInstance",
      input: {
        instanceId: instance.id,
        name: instance.name,
        clusterId: cluster.id,
        dataCenterId: dc.id,
        role: instance.role,
        sourceInstanceId: feeding[0]?.sourceId ?? null,
      },
    },
  });
  session.blast.instance(cluster, instance, "removed").dataCenter(dc);
  removeInstanceAfter(session, cluster, instance);
}

/** REMOVE_REPLICA: check -> unregister -> stop replication -> deprovision (real servers: no deprovision but a registered empty STANDBY; nothing of the link is left on either server). */
export function planRemoveReplica(
  params: TRemoveReplicaParams,
  snapshot: TFleetSnapshot,
  context: TPlanningContext = DEFAULT_CONTEXT,
): TPlannedChange {
  return planWith("REMOVE_REPLICA", snapshot, context, (session) => composeRemoveReplica(session, params));
}
