import { type TAddReplicaParams, type TReplicationMode } from "@meridian/policy";
import { PlanningError } from "../planning-error";
import { type PlanSession, type TPlannedChange, type TPlanningContext } from "../session";
import {
  assertAcceptsInstances,
  dataCenterOf,
  findCluster,
  findDataCenter,
  findInstance,
  newInstanceName,
  primaryOf,
  type TClusterSnapshot,
  type TDataCenterSnapshot,
  type TFleetSnapshot,
  type TInstanceSnapshot,
} from "../snapshot";
import {
  DEFAULT_CONTEXT,
  addInstanceAfter,
  addLinkAfter,
  catchUpLimit,
  instanceIdFor,
  linkIdFor,
  planWith,
} from "./common";
import { assertRealPair, composeRealLink, isReal } from "./postgres-link";

export interface TNewMember {
  instance: TInstanceSnapshot;
  linkId: string;
}

/**
 * Steps that bring a new member into a cluster: check capacity, provision, replicate from
 * `source`, wait for catch-up, register. Used by ADD_REPLICA, ADD_LINK (a sync target) and
 * MOVE_PRIMARY_REGION.
 */
export function composeNewMember(
  session: PlanSession,
  args: {
    cluster: TClusterSnapshot;
    dc: TDataCenterSnapshot;
    source: TInstanceSnapshot;
    mode: TReplicationMode;
    role: "REPLICA" | "STANDBY";
    /** Form fields that errors about the data center and the source belong to. */
    dcField: string;
    sourceField: string;
  },
): TNewMember {
  const { cluster, dc, source, mode, role } = args;
  assertAcceptsInstances(dc, args.dcField);
  if (source.health === "DOWN")
    throw new PlanningError(
      "PRECONDITION_FAILED",
      `Source instance ${source.name} is DOWN: nothing can replicate from it`,
      args.sourceField,
    );
  if (cluster.instances.some((i) => i.dataCenterId === dc.id))
    session.warn(
      `Cluster ${cluster.name} already has an instance in ${dc.code}: another one there does not protect against losing that data center`,
    );

  const name = newInstanceName(cluster, dc, role === "REPLICA" ? "r" : "s");
  const instanceId = instanceIdFor(session, cluster, name);
  const linkId = linkIdFor(session, source.id, instanceId);
  const what = role === "REPLICA" ? "replica" : "sync target";

  session
    .step({
      slug: "check-capacity",
      name: `Check that ${dc.code} has a free slot`,
      action: "checkCapacity",
      input: { dataCenterId: dc.id, dataCenterCode: dc.code, slots: 1 },
      compensation: null,
    })
    .step({
      slug: `provision-${name}`,
      name: `Provision ${what} ${name} in ${dc.code}`,
      action: "provisionInstance",
      input: { instanceId, name, clusterId: cluster.id, dataCenterId: dc.id, role, sourceInstanceId: source.id },
      compensation: { action: "deprovisionInstance", input: { instanceId, clusterId: cluster.id, dataCenterId: dc.id } },
    })
    .step({
      slug: `create-link-${name}`,
      name: `Replicate ${source.name} -> ${name} (${mode})`,
      action: "createLink",
      input: { linkId, clusterId: cluster.id, sourceInstanceId: source.id, targetInstanceId: instanceId, mode },
      compensation: { action: "dropLink", input: { linkId, clusterId: cluster.id } },
    })
    .step({
      slug: `wait-for-catch-up-${name}`,
      name: `Wait until ${name} lags at most ${catchUpLimit(cluster)} s`,
      action: "waitForCatchUp",
      input: { linkId, maxLagSeconds: catchUpLimit(cluster) },
      compensation: null,
    })
    .step({
      slug: `register-${name}`,
      name: `Register ${name} as a ${role.toLowerCase()} in the inventory`,
      action: "registerInstance",
      input: { instanceId, clusterId: cluster.id, role },
      compensation: { action: "unregisterInstance", input: { instanceId, clusterId: cluster.id } },
    });

  const instance: TInstanceSnapshot = { id: instanceId, name, role, dataCenterId: dc.id, health: "UP" };
  addInstanceAfter(cluster, dc, instance);
  const link = addLinkAfter(cluster, { id: linkId, sourceId: source.id, targetId: instanceId, mode });

  session.blast
    .instance(cluster, instance, "added")
    .instance(cluster, source, "source")
    .link(cluster, link, "added")
    .dataCenter(dc)
    .dataCenter(dataCenterOf(session.after, source));
  session.place(cluster, dc, "replicate");
  return { instance, linkId };
}

export function composeAddReplica(session: PlanSession, params: TAddReplicaParams): TNewMember {
  const cluster = findCluster(session.after, params.clusterId);
  const dc = findDataCenter(session.after, params.dataCenterId, "dataCenterId");
  const source = params.sourceInstanceId
    ? findInstance(cluster, params.sourceInstanceId, "sourceInstanceId")
    : primaryOf(cluster);
  if (isReal(source) || params.targetInstanceId) return composeRealReplica(session, params, cluster, dc, source);
  return composeNewMember(session, {
    cluster,
    dc,
    source,
    mode: params.mode,
    role: "REPLICA",
    dcField: "dataCenterId",
    sourceField: params.sourceInstanceId ? "sourceInstanceId" : "clusterId",
  });
}

/**
 * ADD_REPLICA on real servers: a registered empty instance (STANDBY, no links) of the cluster in
 * the data center subscribes to the source and becomes REPLICA once its data is verified.
 */
function composeRealReplica(
  session: PlanSession,
  params: TAddReplicaParams,
  cluster: TClusterSnapshot,
  dc: TDataCenterSnapshot,
  source: TInstanceSnapshot,
): TNewMember {
  if (!params.targetInstanceId)
    throw new PlanningError(
      "INVALID",
      `${source.name} is a real server: pick the registered empty instance in ${dc.code} that becomes the replica (Meridian does not provision real servers)`,
      "targetInstanceId",
    );
  const target = findInstance(cluster, params.targetInstanceId, "targetInstanceId");
  if (target.id === source.id) throw new PlanningError("INVALID", "An instance cannot replicate to itself", "targetInstanceId");
  if (target.dataCenterId !== dc.id)
    throw new PlanningError("INVALID", `${target.name} runs in ${dataCenterOf(session.after, target).code}, not in ${dc.code}`, "targetInstanceId");
  if (target.role !== "STANDBY")
    throw new PlanningError("INVALID", `${target.name} is a ${target.role.toLowerCase()}: only an empty STANDBY instance becomes a new replica`, "targetInstanceId");
  if (cluster.links.some((l) => l.sourceId === target.id || l.targetId === target.id))
    throw new PlanningError("PRECONDITION_FAILED", `${target.name} already has replication links: it is not empty`, "targetInstanceId");
  if (source.health === "DOWN")
    throw new PlanningError("PRECONDITION_FAILED", `Source instance ${source.name} is DOWN: nothing can replicate from it`, params.sourceInstanceId ? "sourceInstanceId" : "clusterId");
  assertRealPair(source, target, params.mode, { target: "targetInstanceId", mode: "mode" });
  const linkId = linkIdFor(session, source.id, target.id);
  composeRealLink(session, { cluster, source, target, linkId, mode: params.mode, registerAs: "REPLICA" });
  target.role = "REPLICA";
  const link = addLinkAfter(cluster, { id: linkId, sourceId: source.id, targetId: target.id, mode: params.mode });
  session.blast
    .instance(cluster, target, "linked")
    .instance(cluster, source, "source")
    .link(cluster, link, "added")
    .dataCenter(dc)
    .dataCenter(dataCenterOf(session.after, source));
  session.place(cluster, dc, "replicate");
  return { instance: target, linkId };
}

/** ADD_REPLICA: check capacity -> provision -> replicate -> wait for catch-up -> register (real servers: see composeRealReplica). */
export function planAddReplica(
  params: TAddReplicaParams,
  snapshot: TFleetSnapshot,
  context: TPlanningContext = DEFAULT_CONTEXT,
): TPlannedChange {
  return planWith("ADD_REPLICA", snapshot, context, (session) => {
    composeAddReplica(session, params);
  });
}
