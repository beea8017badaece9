import {
  CHANGE_KIND_LABELS,
  type TAddReplicaParams,
  type TChangeParams,
  type TDrainDataCenterParams,
  type TMovePrimaryRegionParams,
  type TRemoveReplicaParams,
  type TSwitchoverParams,
} from "@meridian/policy";
import { PlanningError } from "../planning-error";
import { PlanSession, type TPlannedChange, type TPlanningContext } from "../session";
import {
  allowedJurisdictionsOf,
  findCluster,
  findDataCenter,
  freeSlots,
  incomingLinks,
  primaryOf,
  type TClusterSnapshot,
  type TDataCenterSnapshot,
  type TFleetSnapshot,
  type TInstanceSnapshot,
} from "../snapshot";
import { planAddReplica } from "./add-replica";
import { DEFAULT_CONTEXT } from "./common";
import { planMovePrimaryRegion } from "./move-primary-region";
import { planRemoveReplica } from "./remove-replica";
import { planSwitchover } from "./switchover";

/** Lag a replica may have to take over the primary role during a drain. */
export const DRAIN_MAX_LAG_SECONDS = 5;

type TDrainChildParams = TAddReplicaParams | TRemoveReplicaParams | TSwitchoverParams | TMovePrimaryRegionParams;

function planChild(params: TDrainChildParams, snapshot: TFleetSnapshot, context: TPlanningContext): TPlannedChange {
  switch (params.kind) {
    case "ADD_REPLICA":
      return planAddReplica(params, snapshot, context);
    case "REMOVE_REPLICA":
      return planRemoveReplica(params, snapshot, context);
    case "SWITCHOVER":
      return planSwitchover(params, snapshot, context);
    case "MOVE_PRIMARY_REGION":
      return planMovePrimaryRegion(params, snapshot, context);
  }
}

/**
 * Where an instance of `cluster` leaving `drained` should go: an ACTIVE data center with a
 * free slot in a jurisdiction the cluster allows; preferring the drained data center's
 * jurisdiction, then one not hosting the cluster yet, then the most free slots, then the code.
 */
export function pickDestination(
  snapshot: TFleetSnapshot,
  cluster: TClusterSnapshot,
  drained: TDataCenterSnapshot,
  leaving: TInstanceSnapshot,
): TDataCenterSnapshot {
  const allowed = allowedJurisdictionsOf(cluster);
  const hosts = new Set(cluster.instances.filter((i) => i.id !== leaving.id).map((i) => i.dataCenterId));
  const options = snapshot.dataCenters
    .filter(
      (d) => d.id !== drained.id && d.status === "ACTIVE" && freeSlots(d) >= 1 && allowed.includes(d.jurisdiction.toUpperCase()),
    )
    .sort(
      (a, b) =>
        Number(a.jurisdiction !== drained.jurisdiction) - Number(b.jurisdiction !== drained.jurisdiction) ||
        Number(hosts.has(a.id)) - Number(hosts.has(b.id)) ||
        freeSlots(b) - freeSlots(a) ||
        a.code.localeCompare(b.code),
    );
  const best = options[0];
  if (!best)
    throw new PlanningError(
      "PRECONDITION_FAILED",
      `Cannot drain ${drained.code}: no active data center in ${allowed.join(", ")} has a free slot for ${cluster.name} (needed to move ${leaving.name} out)`,
      "dataCenterId",
    );
  return best;
}

/**
 * DRAIN_DATACENTER: mark the data center DRAINING, then one child change per move, planned
 * against the fleet as the previous children leave it:
 * - a primary in the data center hands over to a caught-up replica elsewhere (SWITCHOVER), or
 *   moves to a new replica elsewhere (MOVE_PRIMARY_REGION, after which the old primary is
 *   only removed: the new instance replaced it);
 * - every other instance there is replaced elsewhere (ADD_REPLICA) and then removed
 *   (REMOVE_REPLICA).
 * Destinations stay within each cluster's allowed jurisdictions. Finally check it is empty.
 */
export function planDrainDataCenter(
  params: TDrainDataCenterParams,
  snapshot: TFleetSnapshot,
  context: TPlanningContext = DEFAULT_CONTEXT,
): TPlannedChange {
  const session = new PlanSession(snapshot, context);
  const drained = () => findDataCenter(session.after, params.dataCenterId, "dataCenterId");
  const dc = drained();
  if (dc.status === "OFFLINE")
    throw new PlanningError(
      "PRECONDITION_FAILED",
      `Data center ${dc.code} is OFFLINE: its instances cannot be copied out; fail over its primaries instead`,
      "dataCenterId",
    );
  const code = dc.code;
  session.step({
    slug: `mark-${code}-draining`,
    name: `Mark ${code} DRAINING (no new instances)`,
    action: "setDataCenterStatus",
    input: { dataCenterId: dc.id, status: "DRAINING", reason: params.reason },
    compensation: { action: "setDataCenterStatus", input: { dataCenterId: dc.id, status: dc.status } },
  });
  session.blast.dataCenter(dc, "draining");
  dc.status = "DRAINING";

  // Each child plans against its own small snapshot (its cluster, the clusters its links reach,
  // every data center) and its result is folded back: planning stays linear in the number of
  // moves instead of copying the whole drained fleet for every child.
  const position = new Map(session.after.clusters.map((c, i) => [c.id, i]));
  const clusterOf = new Map(session.after.clusters.flatMap((c) => c.instances.map((i) => [i.id, c.id] as const)));
  const current = (clusterId: string): TClusterSnapshot => {
    const at = position.get(clusterId);
    return at === undefined ? findCluster(session.after, clusterId) : session.after.clusters[at]!;
  };
  const childSnapshot = (cluster: TClusterSnapshot): TFleetSnapshot => {
    const ids = new Set([cluster.id]);
    for (const l of cluster.links) for (const end of [l.sourceId, l.targetId]) ids.add(clusterOf.get(end) ?? cluster.id);
    return { clusters: [...ids].map(current), dataCenters: session.after.dataCenters };
  };
  const placed = new Set(session.placements.map((p) => JSON.stringify(p)));

  let index = 0;
  const runChild = (cluster: TClusterSnapshot, childParams: TDrainChildParams, subject: string) => {
    index += 1;
    let child: TPlannedChange;
    try {
      child = planChild(childParams, childSnapshot(cluster), { requestId: `${context.requestId}/child-${index}` });
    } catch (error) {
      if (error instanceof PlanningError)
        throw new PlanningError(error.code, `Cannot drain ${code}: ${cluster.name}: ${error.message}`, "dataCenterId");
      throw error;
    }
    const group = `${index}. ${cluster.name}: ${CHANGE_KIND_LABELS[childParams.kind].toLowerCase()} (${subject})`;
    session.adoptSteps(child.plan.steps, group);
    for (const c of child.after.clusters) {
      const at = position.get(c.id);
      if (at === undefined) {
        position.set(c.id, session.after.clusters.length);
        session.after.clusters.push(c);
      } else session.after.clusters[at] = c;
      for (const i of c.instances) clusterOf.set(i.id, c.id);
    }
    session.after.dataCenters = child.after.dataCenters;
    session.blast.merge(child.blastRadius);
    for (const p of child.placements) {
      const key = JSON.stringify(p);
      if (placed.has(key)) continue;
      placed.add(key);
      session.placements.push(p);
    }
    for (const w of child.warnings) session.warn(w);
    session.children.push({
      index,
      kind: childParams.kind,
      clusterId: cluster.id,
      params: childParams as TChangeParams,
      plan: child.plan,
      planHash: child.planHash,
      blastRadius: child.blastRadius,
      placements: child.placements,
    });
  };

  const clusterIds = session.after.clusters
    .filter((c) => c.instances.some((i) => i.dataCenterId === dc.id))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => c.id);
  if (clusterIds.length === 0) session.warn(`${code} hosts no instance: nothing to move`);

  const alreadyReplaced = new Set<string>();
  for (const clusterId of clusterIds) {
    let cluster = current(clusterId);
    let primary: TInstanceSnapshot;
    try {
      primary = primaryOf(cluster);
    } catch (error) {
      if (error instanceof PlanningError)
        throw new PlanningError(error.code, `Cannot drain ${code}: ${error.message}`, "dataCenterId");
      throw error;
    }
    if (primary.dataCenterId === dc.id) {
      const allowed = allowedJurisdictionsOf(cluster);
      const handover = cluster.instances
        .filter((i) => i.role !== "PRIMARY" && i.dataCenterId !== dc.id && i.health === "UP")
        .map((i) => ({
          instance: i,
          feed: cluster.links.find((l) => l.sourceId === primary.id && l.targetId === i.id),
          site: session.after.dataCenters.find((d) => d.id === i.dataCenterId),
        }))
        .filter(
          (c) =>
            c.feed?.status === "ACTIVE" &&
            c.feed.lagSeconds !== null &&
            c.feed.lagSeconds <= DRAIN_MAX_LAG_SECONDS &&
            c.site?.status === "ACTIVE" &&
            allowed.includes(c.site.jurisdiction.toUpperCase()),
        )
        .sort(
          (a, b) =>
            Number(a.site?.jurisdiction !== dc.jurisdiction) - Number(b.site?.jurisdiction !== dc.jurisdiction) ||
            (a.feed?.lagSeconds ?? 0) - (b.feed?.lagSeconds ?? 0) ||
            a.instance.name.localeCompare(b.instance.name),
        )[0];
      if (handover) {
        runChild(
          cluster,
          { kind: "SWITCHOVER", clusterId, replicaInstanceId: handover.instance.id, maxLagSeconds: DRAIN_MAX_LAG_SECONDS },
          `primary ${primary.name} -> ${handover.instance.name}`,
        );
      } else {
        // The new primary replaces the old one: afterwards the old primary is removed, not replaced.
        alreadyReplaced.add(primary.id);
        const dest = pickDestination(session.after, cluster, drained(), primary);
        runChild(
          cluster,
          {
            kind: "MOVE_PRIMARY_REGION",
            clusterId,
            targetDataCenterId: dest.id,
            mode: cluster.links.find((l) => l.sourceId === primary.id)?.mode ?? "LOGICAL",
            maxLagSeconds: DRAIN_MAX_LAG_SECONDS,
          },
          `primary ${primary.name} -> ${dest.code}`,
        );
      }
    }

    cluster = current(clusterId);
    const leaving = cluster.instances.filter((i) => i.dataCenterId === dc.id).sort((a, b) => a.name.localeCompare(b.name));
    for (const old of leaving) {
      cluster = current(clusterId);
      if (alreadyReplaced.has(old.id)) {
        runChild(cluster, { kind: "REMOVE_REPLICA", clusterId, instanceId: old.id, allowLastReplica: false }, `remove ${old.name}`);
        continue;
      }
      const dest = pickDestination(session.after, cluster, drained(), old);
      const source = primaryOf(cluster);
      const mode = incomingLinks(cluster, old.id)[0]?.mode ?? "LOGICAL";
      runChild(cluster, { kind: "ADD_REPLICA", clusterId, dataCenterId: dest.id, sourceInstanceId: source.id, mode }, `replace ${old.name} in ${dest.code}`);
      runChild(cluster, { kind: "REMOVE_REPLICA", clusterId, instanceId: old.id, allowLastReplica: false }, `remove ${old.name}`);
    }
  }

  const final = drained();
  session.step({
    slug: `verify-${code}-empty`,
    name: `Check that no instance is left in ${code}`,
    action: "verifyDataCenterEmpty",
    input: { dataCenterId: final.id },
    compensation: null,
  });
  return session.finish("DRAIN_DATACENTER");
}
