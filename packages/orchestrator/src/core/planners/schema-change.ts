import { splitSqlStatements, type TSchemaChangeParams } from "@meridian/policy";
import { canonicalJson, sha256Hex, type TCompensation } from "../plan";
import { PlanningError } from "../planning-error";
import { type PlanSession, type TPlannedChange, type TPlanningContext } from "../session";
import { dataCenterOf, findCluster, incomingLinks, primaryOf, type TFleetSnapshot, type TInstanceSnapshot } from "../snapshot";
import { DEFAULT_CONTEXT, planWith } from "./common";

function compensationFor(instance: TInstanceSnapshot, clusterId: string, rollback: string[] | null): TCompensation {
  if (rollback)
    return { action: "applySchemaChange", input: { clusterId, instanceId: instance.id, statements: rollback } };
  return {
    action: "manualIntervention",
    input: {
      clusterId,
      instanceId: instance.id,
      instructions: `No rollback SQL was given: undo the schema change on ${instance.name} by hand, then mark this compensation done`,
    },
  };
}

export function composeSchemaChange(session: PlanSession, params: TSchemaChangeParams): void {
  const cluster = findCluster(session.after, params.clusterId);
  const primary = primaryOf(cluster);
  if (primary.health === "DOWN")
    throw new PlanningError("PRECONDITION_FAILED", `The primary ${primary.name} is DOWN: a schema change needs it`, "clusterId");
  const statements = splitSqlStatements(params.sql);
  if (statements.length === 0) throw new PlanningError("INVALID", "The SQL contains no statement", "sql");
  const rollback = params.rollbackSql ? splitSqlStatements(params.rollbackSql) : null;
  const statementsHash = sha256Hex(canonicalJson(statements));
  if (!rollback) session.warn("No rollback SQL: if a later step fails, undoing the change needs a person");

  session
    .step({
      slug: `check-${primary.name}`,
      name: `Check that ${primary.name} is the primary and up`,
      action: "checkInstance",
      input: { instanceId: primary.id, clusterId: cluster.id, expectRole: "PRIMARY" },
      compensation: null,
    })
    .step({
      slug: `apply-on-${primary.name}`,
      name: `Apply ${statements.length} statement${statements.length > 1 ? "s" : ""} on the primary ${primary.name}`,
      action: "applySchemaChange",
      input: { clusterId: cluster.id, instanceId: primary.id, statements, statementsHash, allowDrop: params.allowDrop },
      compensation: compensationFor(primary, cluster.id, rollback),
    });
  session.blast.instance(cluster, primary, "schema").dataCenter(dataCenterOf(session.after, primary));

  const members = cluster.instances
    .filter((i) => i.role !== "PRIMARY")
    .sort((a, b) => a.name.localeCompare(b.name));
  // Logical replication and CDC do not carry DDL: those members get the statements themselves.
  const logical = members.filter((i) => incomingLinks(cluster, i.id).some((l) => l.mode !== "PHYSICAL"));
  for (const member of logical) {
    if (member.health === "DOWN") continue;
    session.step({
      slug: `apply-on-${member.name}`,
      name: `Apply the statements on ${member.name} (logical replication does not carry DDL)`,
      action: "applySchemaChange",
      input: { clusterId: cluster.id, instanceId: member.id, statements, statementsHash, allowDrop: params.allowDrop },
      compensation: compensationFor(member, cluster.id, rollback),
    });
  }
  for (const member of members) {
    if (member.health === "DOWN") {
      session.warn(`${member.name} is DOWN: it is not verified and needs the change when it returns`);
      continue;
    }
    session.step({
      slug: `verify-on-${member.name}`,
      name: `Verify the schema on ${member.name}`,
      action: "verifySchema",
      input: { clusterId: cluster.id, instanceId: member.id, referenceInstanceId: primary.id, statementsHash },
      compensation: null,
    });
    session.blast.instance(cluster, member, "schema").dataCenter(dataCenterOf(session.after, member));
  }
}

/**
 * SCHEMA_CHANGE: apply on the primary, apply on members fed by logical replication or CDC
 * (which do not carry DDL), then verify every reachable member. The SQL review rules live in
 * @meridian/policy (reviewSchemaChange) and run before approval.
 */
export function planSchemaChange(
  params: TSchemaChangeParams,
  snapshot: TFleetSnapshot,
  context: TPlanningContext = DEFAULT_CONTEXT,
): TPlannedChange {
  return planWith("SCHEMA_CHANGE", snapshot, context, (session) => composeSchemaChange(session, params));
}
