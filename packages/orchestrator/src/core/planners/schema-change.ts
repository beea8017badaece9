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
      // Real servers compare the catalog of the tables the statements touch (all tables when none is recognised).
      input:
        member.driver === "POSTGRES"
          ? { clusterId: cluster.id, instanceId: member.id, referenceInstanceId: primary.id, statementsHash, tables: tablesNamedIn(statements) }
          : { clusterId: cluster.id, instanceId: member.id, referenceInstanceId: primary.id, statementsHash },
      compensation: null,
    });
    session.blast.instance(cluster, member, "schema").dataCenter(dataCenterOf(session.after, member));
  }
}

const NAME = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const TABLE_REFS = [
  new RegExp(String.raw`\b(?:create|alter)\s+(?:(?:global|local)\s+)?(?:(?:temporary|temp|unlogged)\s+)?table\s+(?:if\s+(?:not\s+)?exists\s+)?(?:only\s+)?(${NAME}(?:\s*\.\s*${NAME})?)`, "gi"),
  new RegExp(String.raw`\bdrop\s+table\s+(?:if\s+exists\s+)?(${NAME}(?:\s*\.\s*${NAME})?)`, "gi"),
  new RegExp(String.raw`\bcreate\s+(?:unique\s+)?index\b[\s\S]*?\bon\s+(?:only\s+)?(${NAME}(?:\s*\.\s*${NAME})?)`, "gi"),
];

function normalName(part: string): string {
  const p = part.trim();
  return p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.toLowerCase();
}

/** "schema.table" of every table the statements create, alter, drop or index (unqualified names are public's). */
export function tablesNamedIn(statements: readonly string[]): string[] {
  const out = new Set<string>();
  for (const statement of statements)
    for (const re of TABLE_REFS)
      for (const m of statement.matchAll(re)) {
        const parts = (m[1] ?? "").split(/\s*\.\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/).map(normalName);
        out.add(parts.length > 1 ? `${parts[0]}.${parts[1]}` : `public.${parts[0]}`);
      }
  return [...out].sort();
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
