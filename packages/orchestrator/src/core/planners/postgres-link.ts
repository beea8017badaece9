import { type TReplicationMode } from "@meridian/policy";
import { type TJsonObject } from "../plan";
import { PlanningError } from "../planning-error";
import { type PlanSession } from "../session";
import { type TClusterSnapshot, type TInstanceSnapshot } from "../snapshot";
import { catchUpLimit } from "./common";

/**
 * Links between real servers (driver POSTGRES). Real servers are never provisioned by a plan:
 * the target is an instance already registered in the inventory. The steps: preflight (both
 * servers answer, wal_level, privileges, primary keys, no conflicting table) -> create the link
 * (role, publication, tables, subscription) -> wait until every table is copied and the lag is
 * within the cluster's RPO -> verify the data per table (the link turns ACTIVE) -> optionally
 * give the target its new role.
 */
export const isReal = (instance: TInstanceSnapshot) => (instance.driver ?? "SIMULATED") !== "SIMULATED";

export function assertRealPair(
  source: TInstanceSnapshot,
  target: TInstanceSnapshot,
  mode: TReplicationMode,
  fields: { target: string; mode: string },
): void {
  if (target.driver !== source.driver)
    throw new PlanningError(
      "INVALID",
      `${source.name} is a ${(source.driver ?? "SIMULATED").toLowerCase()} instance and ${target.name} a ${(target.driver ?? "SIMULATED").toLowerCase()} one: a link joins two instances of the same kind`,
      fields.target,
    );
  if (source.driver === "POSTGRES" && mode !== "LOGICAL")
    throw new PlanningError("INVALID", `Links between PostgreSQL servers are LOGICAL (publication and subscription), not ${mode}`, fields.mode);
}

export function composeRealLink(
  session: PlanSession,
  args: {
    cluster: TClusterSnapshot;
    source: TInstanceSnapshot;
    target: TInstanceSnapshot;
    linkId: string;
    mode: TReplicationMode;
    tables?: readonly string[] | undefined;
    /** The target's cluster when it is not `cluster` (a cross-cluster data-sync link). */
    targetCluster?: TClusterSnapshot;
    /** Role the target takes once the data is verified (ADD_REPLICA). */
    registerAs?: "REPLICA";
  },
): void {
  const { cluster, source, target, linkId } = args;
  const tables: { tables?: string[] } = args.tables && args.tables.length > 0 ? { tables: [...args.tables] } : {};
  session
    .step({
      slug: `check-${source.name}`,
      name: `Check that ${source.name} is up`,
      action: "checkInstance",
      input: { instanceId: source.id, clusterId: cluster.id, expectRole: source.role },
      compensation: null,
    })
    .step({
      slug: `preflight-${source.name}-${target.name}`,
      name: `Check ${source.name} and ${target.name} before building the link (credentials, wal_level, privileges, primary keys, conflicting tables)`,
      action: "preflightLink",
      input: { linkId, clusterId: cluster.id, sourceInstanceId: source.id, targetInstanceId: target.id, ...tables } as TJsonObject,
      compensation: null,
    })
    .step({
      slug: `create-link-${target.name}`,
      name: `Replicate ${source.name} -> ${target.name} (${args.mode}${args.tables?.length ? `, ${args.tables.length} table(s)` : ", all tables"})`,
      action: "createLink",
      input: { linkId, clusterId: cluster.id, sourceInstanceId: source.id, targetInstanceId: target.id, mode: args.mode, ...tables } as TJsonObject,
      // Across clusters the compensation also names both ends: with the link row gone, dropLink
      // looks for the link's objects on these instances as well as on the cluster's.
      compensation: {
        action: "dropLink",
        input: args.targetCluster ? { linkId, clusterId: cluster.id, instanceIds: [source.id, target.id] } : { linkId, clusterId: cluster.id },
      },
    })
    .step({
      slug: `wait-for-catch-up-${target.name}`,
      name: `Wait until every table is copied to ${target.name} and it lags at most ${catchUpLimit(cluster)} s`,
      action: "waitForCatchUp",
      input: { linkId, maxLagSeconds: catchUpLimit(cluster) },
      compensation: null,
    })
    .step({
      slug: `verify-${source.name}-${target.name}`,
      name: `Verify the data on ${target.name} against ${source.name} (row count and checksum per table)`,
      action: "verifyLink",
      input: { linkId, clusterId: cluster.id },
      compensation: null,
    });
  if (args.registerAs)
    session.step({
      slug: `register-${target.name}`,
      // On a real server registerInstance also fences the replica's writes (default read-only,
      // client sessions ended); its compensation (back to STANDBY) opens them again.
      name: `Register ${target.name} as a ${args.registerAs.toLowerCase()} in the inventory and fence its writes (applications get read-only errors; replication still applies)`,
      action: "registerInstance",
      input: { instanceId: target.id, clusterId: cluster.id, role: args.registerAs },
      compensation: { action: "registerInstance", input: { instanceId: target.id, clusterId: cluster.id, role: target.role } },
    });
}
