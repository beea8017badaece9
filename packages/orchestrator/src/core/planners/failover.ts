import { type TFailoverParams, type THealthStatus } from "@meridian/policy";
import { PlanningError } from "../planning-error";
import { type PlanSession, type TPlannedChange, type TPlanningContext } from "../session";
import {
  dataCenterOf,
  findCluster,
  findInstance,
  incomingLinks,
  primaryOf,
  type TClusterSnapshot,
  type TFleetSnapshot,
  type TInstanceSnapshot,
} from "../snapshot";
import { DEFAULT_CONTEXT, formatSeconds, lagOf, planWith } from "./common";
import { repoint } from "./switchover";

/** Rough seconds of refused writes once a failover starts (promotion and repointing). */
export const FAILOVER_DOWNTIME_SECONDS = 30;

const HEALTH_ORDER: Record<THealthStatus, number> = { UP: 0, DEGRADED: 1, UNKNOWN: 2, DOWN: 3 };

/** Replicas that could be promoted, best first: healthiest, then least lag, then name. */
export function failoverCandidates(cluster: TClusterSnapshot): { instance: TInstanceSnapshot; lagSeconds: number }[] {
  return cluster.instances
    .filter((i) => i.role !== "PRIMARY" && i.health !== "DOWN")
    .map((instance) => {
      const feeds = incomingLinks(cluster, instance.id);
      const lagSeconds = feeds.length ? Math.min(...feeds.map(lagOf)) : Number.POSITIVE_INFINITY;
      return { instance, lagSeconds };
    })
    .filter((c) => incomingLinks(cluster, c.instance.id).length > 0)
    .sort(
      (a, b) =>
        HEALTH_ORDER[a.instance.health] - HEALTH_ORDER[b.instance.health] ||
        a.lagSeconds - b.lagSeconds ||
        a.instance.name.localeCompare(b.instance.name),
    );
}

export function composeFailover(session: PlanSession, params: TFailoverParams): void {
  const cluster = findCluster(session.after, params.clusterId);
  const primary = primaryOf(cluster);
  const candidates = failoverCandidates(cluster);
  let chosen: { instance: TInstanceSnapshot; lagSeconds: number } | undefined;
  if (params.replicaInstanceId) {
    const replica = findInstance(cluster, params.replicaInstanceId, "replicaInstanceId");
    if (replica.role === "PRIMARY")
      throw new PlanningError("INVALID", `${replica.name} is already the primary of ${cluster.name}`, "replicaInstanceId");
    if (replica.health === "DOWN")
      throw new PlanningError("PRECONDITION_FAILED", `${replica.name} is DOWN: it cannot be promoted`, "replicaInstanceId");
    chosen = candidates.find((c) => c.instance.id === replica.id);
    if (!chosen)
      throw new PlanningError(
        "PRECONDITION_FAILED",
        `${replica.name} replicates from nothing: it has no data to take over with`,
        "replicaInstanceId",
      );
  } else {
    chosen = candidates[0];
    if (!chosen)
      throw new PlanningError(
        "PRECONDITION_FAILED",
        `Cluster ${cluster.name} has no replica that can be promoted (none is reachable and replicating)`,
        "replicaInstanceId",
      );
  }
  const replica = chosen.instance;
  const feed = incomingLinks(cluster, replica.id)[0];

  if (primary.health === "UP")
    session.warn(`The primary ${primary.name} is UP: a SWITCHOVER moves the primary without losing writes`);
  if (chosen.lagSeconds > 0)
    session.warn(`Promoting ${replica.name} may lose up to ${formatSeconds(chosen.lagSeconds)} of writes (its replication lag)`);
  if (replica.health !== "UP") session.warn(`${replica.name} is ${replica.health}`);

  session
    .step({
      slug: `check-${replica.name}-reachable`,
      name: `Check that ${replica.name} is reachable`,
      action: "checkReplicaReady",
      input: { instanceId: replica.id, clusterId: cluster.id, linkId: feed?.id ?? null, maxLagSeconds: null },
      compensation: null,
    })
    .step({
      slug: `fence-writes-${primary.name}`,
      name: `Fence writes on ${primary.name} (best effort: it may be unreachable)`,
      action: "fenceWrites",
      input: { clusterId: cluster.id, instanceId: primary.id, bestEffort: true },
      compensation: { action: "unfenceWrites", input: { clusterId: cluster.id, instanceId: primary.id } },
    })
    .step({
      slug: `promote-${replica.name}`,
      name: `Promote ${replica.name} to primary without waiting for ${primary.name}`,
      action: "promoteReplica",
      input: { clusterId: cluster.id, instanceId: replica.id, formerPrimaryId: primary.id, detachLinkId: feed?.id ?? null, force: true },
      compensation: {
        action: "demoteToReplica",
        input: {
          clusterId: cluster.id,
          instanceId: replica.id,
          sourceInstanceId: feed?.sourceId ?? primary.id,
          linkId: feed?.id ?? null,
          mode: feed?.mode ?? "LOGICAL",
        },
      },
    });
  const others = cluster.links.filter((l) => l.sourceId === primary.id && l.targetId !== replica.id);
  for (const link of others) repoint(session, cluster, link, primary, replica);
  session
    .step({
      slug: `detach-${primary.name}`,
      name: `Take ${primary.name} out of the topology until it is rebuilt`,
      action: "detachInstance",
      input: { clusterId: cluster.id, instanceId: primary.id, reason: `failed over to ${replica.name}: ${params.reason}` },
      compensation: { action: "attachInstance", input: { clusterId: cluster.id, instanceId: primary.id, role: "PRIMARY" } },
    })
    .step({
      slug: `unfence-writes-${replica.name}`,
      name: `Open writes on ${replica.name}`,
      action: "unfenceWrites",
      input: { clusterId: cluster.id, instanceId: replica.id },
      compensation: { action: "fenceWrites", input: { clusterId: cluster.id, instanceId: replica.id } },
    });

  session.blast
    .instance(cluster, primary, "fenced")
    .instance(cluster, primary, "detached")
    .instance(cluster, replica, "promoted")
    .dataCenter(dataCenterOf(session.after, primary))
    .dataCenter(dataCenterOf(session.after, replica))
    .addDowntime(FAILOVER_DOWNTIME_SECONDS)
    .raiseLag(Number.isFinite(chosen.lagSeconds) ? chosen.lagSeconds : 0);
  if (feed) session.blast.link(cluster, feed, "removed");
  session.place(cluster, dataCenterOf(session.after, replica), "place");

  if (feed) cluster.links = cluster.links.filter((l) => l.id !== feed.id);
  cluster.links = cluster.links.filter((l) => l.sourceId !== primary.id && l.targetId !== primary.id);
  primary.role = "STANDBY";
  replica.role = "PRIMARY";
}

/**
 * FAILOVER (emergency): promote the best replica (healthiest, least lag) or the one named,
 * without waiting for the old primary; fence the old primary on a best-effort basis and take
 * it out of the topology for rebuilding.
 */
export function planFailover(
  params: TFailoverParams,
  snapshot: TFleetSnapshot,
  context: TPlanningContext = DEFAULT_CONTEXT,
): TPlannedChange {
  return planWith("FAILOVER", snapshot, context, (session) => composeFailover(session, params));
}
