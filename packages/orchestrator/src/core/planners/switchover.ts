import { type TReplicationMode, type TSwitchoverParams } from "@meridian/policy";
import { PlanningError } from "../planning-error";
import { type PlanSession, type TPlannedChange, type TPlanningContext } from "../session";
import {
  dataCenterOf,
  findCluster,
  findInstance,
  primaryOf,
  type TClusterSnapshot,
  type TFleetSnapshot,
  type TInstanceSnapshot,
  type TLinkSnapshot,
} from "../snapshot";
import { DEFAULT_CONTEXT, addLinkAfter, formatSeconds, linkIdFor, nameOf, planWith } from "./common";

/** How long a switchover on real servers waits for the replica to confirm the fenced primary's last write (per attempt). */
export const POSTGRES_CATCH_UP_TIMEOUT_MS = 30_000;

/** Seconds of refused writes a switchover costs beyond the replica's lag (fence, promote, repoint). */
export const SWITCHOVER_BASE_DOWNTIME_SECONDS = 5;

/**
 * Move the primary role from the current primary to `replica`, in steps:
 * fence -> catch up -> promote -> repoint the other replicas -> demote the old primary -> unfence.
 * Compensations undo them in reverse order (the old primary is restored and unfenced).
 */
export function composeSwitchover(
  session: PlanSession,
  cluster: TClusterSnapshot,
  replica: TInstanceSnapshot,
  maxLagSeconds: number,
  field = "replicaInstanceId",
): void {
  const primary = primaryOf(cluster);
  if (replica.id === primary.id)
    throw new PlanningError("INVALID", `${replica.name} is already the primary of ${cluster.name}`, field);
  if (primary.health === "DOWN")
    throw new PlanningError(
      "PRECONDITION_FAILED",
      `The primary ${primary.name} is DOWN: a switchover needs it; use FAILOVER instead`,
      field,
    );
  if (replica.health !== "UP")
    throw new PlanningError(
      "PRECONDITION_FAILED",
      `${replica.name} is ${replica.health}: only a healthy (UP) replica can be promoted in a switchover`,
      field,
    );
  const feed = cluster.links.find((l) => l.sourceId === primary.id && l.targetId === replica.id);
  if (!feed)
    throw new PlanningError(
      "PRECONDITION_FAILED",
      `${replica.name} does not replicate directly from the primary ${primary.name}: pick a direct replica`,
      field,
    );
  if (feed.status !== "ACTIVE")
    throw new PlanningError("PRECONDITION_FAILED", `The link ${primary.name} -> ${replica.name} is ${feed.status}`, field);
  if (feed.lagSeconds === null || feed.lagSeconds > maxLagSeconds)
    throw new PlanningError(
      "PRECONDITION_FAILED",
      `${replica.name} lags ${formatSeconds(feed.lagSeconds ?? Number.POSITIVE_INFINITY)} behind the primary, above the ${maxLagSeconds} s limit`,
      field,
    );

  const others = cluster.links.filter((l) => l.sourceId === primary.id && l.targetId !== replica.id);
  // A link replica -> primary may exist already (a two-way sync): the demotion reuses it.
  const existingReverse = cluster.links.find((l) => l.sourceId === replica.id && l.targetId === primary.id);
  const reverseId = existingReverse?.id ?? linkIdFor(session, replica.id, primary.id);
  const mode: TReplicationMode = feed.mode;
  // Real servers (logical replication): the wait is for the fenced primary's last WAL position,
  // and the new primary is opened only once the former one is checked fenced on its server.
  const real = primary.driver === "POSTGRES" || replica.driver === "POSTGRES";

  session
    .step({
      slug: `check-${replica.name}-ready`,
      name: `Check that ${replica.name} is UP and lags at most ${maxLagSeconds} s`,
      action: "checkReplicaReady",
      input: { instanceId: replica.id, clusterId: cluster.id, linkId: feed.id, maxLagSeconds },
      compensation: null,
    })
    .step({
      slug: `fence-writes-${primary.name}`,
      name: `Fence writes on ${primary.name}`,
      action: "fenceWrites",
      input: { clusterId: cluster.id, instanceId: primary.id },
      compensation: { action: "unfenceWrites", input: { clusterId: cluster.id, instanceId: primary.id } },
    })
    .step(
      real
        ? {
            slug: `wait-for-catch-up-${replica.name}`,
            name: `Wait until ${replica.name} has confirmed ${primary.name}'s last write (its WAL position after the fence)`,
            action: "waitForFenceLsn",
            input: {
              clusterId: cluster.id,
              linkId: feed.id,
              sourceInstanceId: primary.id,
              targetInstanceId: replica.id,
              // Gives up with what to look at a little before the step's timeout would cut it short.
              maxWaitMs: POSTGRES_CATCH_UP_TIMEOUT_MS - 5_000,
            },
            compensation: null,
            // Writes are refused while this runs: past it, the switchover is rolled back (old primary opened again).
            timeoutMs: POSTGRES_CATCH_UP_TIMEOUT_MS,
            retry: { maxAttempts: 2, backoffMs: 0 },
          }
        : {
            slug: `wait-for-catch-up-${replica.name}`,
            name: `Wait until ${replica.name} has every write of ${primary.name}`,
            action: "waitForCatchUp",
            input: { linkId: feed.id, maxLagSeconds: 0 },
            compensation: null,
            timeoutMs: 5 * 60_000,
          },
    )
    .step({
      slug: `promote-${replica.name}`,
      name: `Promote ${replica.name} to primary`,
      action: "promoteReplica",
      input: { clusterId: cluster.id, instanceId: replica.id, formerPrimaryId: primary.id, detachLinkId: feed.id },
      compensation: {
        action: "demoteToReplica",
        input: { clusterId: cluster.id, instanceId: replica.id, sourceInstanceId: primary.id, linkId: feed.id, mode },
      },
    });
  for (const link of others) repoint(session, cluster, link, primary, replica);
  session
    .step({
      slug: `demote-${primary.name}`,
      name: `Make ${primary.name} a replica of ${replica.name}`,
      action: "demoteToReplica",
      input: { clusterId: cluster.id, instanceId: primary.id, sourceInstanceId: replica.id, linkId: reverseId, mode },
      compensation: {
        action: "promoteReplica",
        input: { clusterId: cluster.id, instanceId: primary.id, formerPrimaryId: replica.id, detachLinkId: reverseId },
      },
    })
    .step({
      slug: `unfence-writes-${replica.name}`,
      name: `Open writes on ${replica.name}`,
      action: "unfenceWrites",
      input: real
        ? { clusterId: cluster.id, instanceId: replica.id, formerPrimaryId: primary.id }
        : { clusterId: cluster.id, instanceId: replica.id },
      compensation: { action: "fenceWrites", input: { clusterId: cluster.id, instanceId: replica.id } },
    });

  // The fleet afterwards.
  primary.role = "REPLICA";
  replica.role = "PRIMARY";
  cluster.links = cluster.links.filter((l) => l.id !== feed.id);
  const reverse = existingReverse ?? addLinkAfter(cluster, { id: reverseId, sourceId: replica.id, targetId: primary.id, mode });

  session.blast
    .instance(cluster, primary, "fenced")
    .instance(cluster, primary, "demoted")
    .instance(cluster, replica, "promoted")
    .link(cluster, feed, "removed")
    .link(cluster, reverse, existingReverse ? "repointed" : "added")
    .dataCenter(dataCenterOf(session.after, primary))
    .dataCenter(dataCenterOf(session.after, replica))
    .addDowntime(SWITCHOVER_BASE_DOWNTIME_SECONDS + Math.ceil(feed.lagSeconds));
  session.place(cluster, dataCenterOf(session.after, replica), "place");
}

/** One step that makes a replica of the old primary follow the new one. */
export function repoint(
  session: PlanSession,
  cluster: TClusterSnapshot,
  link: TLinkSnapshot,
  from: TInstanceSnapshot,
  to: TInstanceSnapshot,
): void {
  const target = nameOf(cluster, link.targetId);
  const targetInstance = cluster.instances.find((i) => i.id === link.targetId);
  if (cluster.links.some((l) => l.sourceId === to.id && l.targetId === link.targetId)) {
    // The replica already follows the new primary through another link: drop the old one.
    session.step({
      slug: `drop-link-${from.name}-${target}`,
      name: `Stop replicating ${from.name} -> ${target} (${target} already follows ${to.name})`,
      action: "dropLink",
      input: { linkId: link.id, clusterId: cluster.id },
      compensation: {
        action: "createLink",
        input: { linkId: link.id, clusterId: cluster.id, sourceInstanceId: from.id, targetInstanceId: link.targetId, mode: link.mode },
      },
    });
    if (targetInstance) session.blast.instance(cluster, targetInstance, "unlinked");
    session.blast.link(cluster, link, "removed");
    cluster.links = cluster.links.filter((l) => l.id !== link.id);
    return;
  }
  session.step({
    slug: `repoint-${target}`,
    name: `Make ${target} follow ${to.name} instead of ${from.name}`,
    action: "repointLink",
    input: { linkId: link.id, clusterId: cluster.id, targetInstanceId: link.targetId, fromSourceId: from.id, toSourceId: to.id },
    compensation: {
      action: "repointLink",
      input: { linkId: link.id, clusterId: cluster.id, targetInstanceId: link.targetId, fromSourceId: to.id, toSourceId: from.id },
    },
  });
  if (targetInstance) {
    session.blast.instance(cluster, targetInstance, "repointed").dataCenter(dataCenterOf(session.after, targetInstance));
  }
  session.blast.link(cluster, link, "repointed");
  link.sourceId = to.id;
}

export function composeSwitchoverParams(session: PlanSession, params: TSwitchoverParams): void {
  const cluster = findCluster(session.after, params.clusterId);
  const replica = findInstance(cluster, params.replicaInstanceId, "replicaInstanceId");
  composeSwitchover(session, cluster, replica, params.maxLagSeconds);
}

/** SWITCHOVER: planned move of the primary role to a healthy, caught-up replica. */
export function planSwitchover(
  params: TSwitchoverParams,
  snapshot: TFleetSnapshot,
  context: TPlanningContext = DEFAULT_CONTEXT,
): TPlannedChange {
  return planWith("SWITCHOVER", snapshot, context, (session) => composeSwitchoverParams(session, params));
}
