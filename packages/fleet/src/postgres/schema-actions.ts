import { createHash } from "node:crypto";
import { z } from "zod";
import { ActionError, type TActionContext, type TJsonObject } from "../driver";
import { recordSideEffect } from "../ledger";
import { statementsHashOf } from "../simulated/actions";
import { type TPostgresActionGroup } from "./postgres-driver";
import { describePgError } from "./connect";
import { run, session, withServers, type TAdminSession } from "./switchover-server";

/**
 * SCHEMA_CHANGE on real servers. Logical replication does not carry DDL, so the plan applies
 * the statements on the primary and then on every logically replicated member, and verifies the
 * catalog of every member against the primary.
 *
 * applySchemaChange runs the statements one by one, each in its own transaction together with a
 * row in a small ledger on the managed server itself (meridian.schema_change_ledger, keyed by
 * the step's side-effect id and the statement's position): a statement and the record that it
 * ran commit together, so a retry after a crash at any point skips exactly the statements that
 * ran and never re-runs a non-idempotent one. Statements PostgreSQL refuses inside a
 * transaction block (CREATE INDEX CONCURRENTLY, VACUUM, ...) run alone and are recorded right
 * after: a crash between the two re-runs that one statement (write them idempotently, e.g.
 * CREATE INDEX CONCURRENTLY IF NOT EXISTS). Meridian's session writes even on a fenced member.
 *
 * verifySchema compares, per table (those the statements name, or every user table), the
 * columns (name, type, NOT NULL, default) and the primary key of the member with the
 * reference (the primary), and fails naming the member and what differs.
 */
const uuid = z.string().uuid({ error: "must be an id (uuid)" });
const ZApply = z.object({
  clusterId: uuid,
  instanceId: uuid,
  statements: z.array(z.string().min(1)).min(1),
  statementsHash: z.string().optional(),
  allowDrop: z.boolean().default(false),
});
const ZVerify = z.object({
  clusterId: uuid,
  instanceId: uuid,
  referenceInstanceId: uuid,
  statementsHash: z.string().min(1),
  /** "schema.table" names the statements touch; empty or absent: every user table. */
  tables: z.array(z.string().min(1)).default([]),
});

const NON_TRANSACTIONAL = /^\s*(?:(?:create|drop)\s+(?:unique\s+)?index\s+concurrently|reindex\b.*\bconcurrently|vacuum\b|alter\s+system\b|create\s+database\b|drop\s+database\b|alter\s+type\b[\s\S]*\badd\s+value\b)/i;

function parse<T>(schema: z.ZodType<T>, name: string, raw: TJsonObject): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ActionError(`Invalid input for ${name}: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "?"}`, { retryable: false });
  }
  return parsed.data;
}

async function ensureLedger(server: TAdminSession): Promise<void> {
  await run(server, "Creating Meridian's schema ledger", `CREATE SCHEMA IF NOT EXISTS meridian`);
  await run(
    server,
    "Creating Meridian's schema ledger",
    `CREATE TABLE IF NOT EXISTS meridian.schema_change_ledger (
       effect_id text NOT NULL,
       statement_index int NOT NULL,
       statement_sha256 text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (effect_id, statement_index)
     )`,
  );
}

const sha = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

async function applySchemaChange(ctx: TActionContext, access: Parameters<TPostgresActionGroup>[0]["access"], raw: TJsonObject): Promise<TJsonObject> {
  const input = parse(ZApply, "applySchemaChange", raw);
  if (ctx.phase === "run" && !input.allowDrop && input.statements.some((s) => /\bdrop\b/i.test(s)))
    throw new ActionError("A statement drops something and the change does not allow it", {
      retryable: false,
      humanAction: "File the change again with 'allow DROP' if dropping is intended",
    });
  const hash = input.statementsHash ?? statementsHashOf(input.statements);
  const outcome = await withServers(ctx.sql, access, ctx.signal, [input.instanceId], async (servers) => {
    const server = session(servers, input.instanceId);
    await ensureLedger(server);
    const done = new Set(
      (
        await run<{ statement_index: number }>(server, "Reading the schema ledger", `SELECT statement_index FROM meridian.schema_change_ledger WHERE effect_id = $1`, [
          ctx.sideEffectId,
        ])
      ).map((r) => r.statement_index),
    );
    let applied = 0;
    for (const [i, statement] of input.statements.entries()) {
      const label = `statement ${i + 1}/${input.statements.length}`;
      if (done.has(i)) {
        ctx.log(`${label}: already applied on ${server.name} (ledger), skipped`);
        continue;
      }
      ctx.log(`${label}: ${statement.slice(0, 200)}`);
      const record = () =>
        server.client.query(`INSERT INTO meridian.schema_change_ledger (effect_id, statement_index, statement_sha256) VALUES ($1, $2, $3)`, [
          ctx.sideEffectId,
          i,
          sha(statement),
        ]);
      try {
        if (NON_TRANSACTIONAL.test(statement)) {
          await server.client.query(statement);
          await record();
        } else {
          await server.client.query("BEGIN");
          await server.client.query(statement);
          await record();
          await server.client.query("COMMIT");
        }
      } catch (error) {
        await server.client.query("ROLLBACK").catch(() => {});
        if (ctx.signal.aborted) throw error;
        const code = (error as { code?: string } | null)?.code ?? "";
        const connection = code.startsWith("08") || code === "57P01" || !code;
        throw new ActionError(
          `${label} failed on ${server.name}: ${describePgError(error)}${applied || done.size ? ` (statements before it are applied and recorded)` : ""}`,
          {
            retryable: connection,
            humanAction: connection
              ? `Check that ${server.name} is running, then retry: statements already applied are skipped`
              : `Fix ${label} (or the schema of ${server.name}) and retry the step: statements already applied are skipped; or roll the change back`,
          },
        );
      }
      applied += 1;
    }
    return { applied, skipped: done.size };
  });
  const { rows } = await ctx.sql.query<{ schema_changes: string[] | null }>(`SELECT schema_changes FROM fleet_instance_state WHERE instance_id = $1`, [
    input.instanceId,
  ]);
  const changes = rows[0]?.schema_changes ?? [];
  if (!changes.includes(hash))
    await ctx.sql.query(
      `INSERT INTO fleet_instance_state (instance_id, schema_changes) VALUES ($1, $2)
       ON CONFLICT (instance_id) DO UPDATE SET schema_changes = EXCLUDED.schema_changes, updated_at = now()`,
      [input.instanceId, [...changes, hash]],
    );
  const output: TJsonObject = {
    alreadyDone: outcome.applied === 0,
    result: `${outcome.applied} statement(s) applied${outcome.skipped ? `, ${outcome.skipped} already applied` : ""}`,
    statementsHash: hash,
  };
  await recordSideEffect(ctx, "applySchemaChange", `instance:${input.instanceId}`, output);
  ctx.log(`applySchemaChange: ${String(output.result)}`);
  return output;
}

interface TTableShape {
  columns: string[];
  primaryKey: string[];
}

/** Columns (name type [NOT NULL] [DEFAULT ...]) and primary key of each table, by "schema.table". */
async function readShapes(server: TAdminSession, tables: string[]): Promise<Map<string, TTableShape>> {
  const rows = await run<{ t: string; cols: string[] | null; pk: string[] | null }>(
    server,
    "Reading the catalog",
    `SELECT n.nspname || '.' || c.relname AS t,
            (SELECT array_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
                              || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') ORDER BY a.attnum)
               FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS cols,
            (SELECT array_agg(a.attname::text ORDER BY k.ord)
               FROM pg_constraint con CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
              WHERE con.conrelid = c.oid AND con.contype = 'p') AS pk
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'meridian') AND n.nspname NOT LIKE 'pg\\_%'
        AND (cardinality($1::text[]) = 0 OR n.nspname || '.' || c.relname = ANY($1::text[]))`,
    [tables],
  );
  return new Map(rows.map((r) => [r.t, { columns: r.cols ?? [], primaryKey: r.pk ?? [] }]));
}

/** What differs between a member's tables and the reference's, one line per table. */
export function compareShapes(reference: Map<string, TTableShape>, member: Map<string, TTableShape>, tables: string[]): string[] {
  const names = [...new Set(tables.length ? tables : reference.keys())].sort();
  const out: string[] = [];
  for (const name of names) {
    const ref = reference.get(name);
    const got = member.get(name);
    if (!ref && !got) continue;
    if (ref && !got) {
      out.push(`${name} is missing`);
      continue;
    }
    if (!ref && got) {
      out.push(`${name} exists but not on the primary`);
      continue;
    }
    const missing = ref!.columns.filter((c) => !got!.columns.includes(c));
    const extra = got!.columns.filter((c) => !ref!.columns.includes(c));
    const parts: string[] = [];
    if (missing.length) parts.push(`lacks ${missing.join(", ")}`);
    if (extra.length) parts.push(`has ${extra.join(", ")} instead`);
    if (ref!.primaryKey.join(",") !== got!.primaryKey.join(","))
      parts.push(`primary key (${got!.primaryKey.join(", ") || "none"}) instead of (${ref!.primaryKey.join(", ") || "none"})`);
    if (parts.length) out.push(`${name} ${parts.join("; ")}`);
  }
  return out;
}

const catalogHash = (shapes: Map<string, TTableShape>) =>
  createHash("sha256")
    .update(JSON.stringify([...shapes.entries()].sort(([a], [b]) => a.localeCompare(b))))
    .digest("hex");

async function verifySchema(ctx: TActionContext, access: Parameters<TPostgresActionGroup>[0]["access"], raw: TJsonObject): Promise<TJsonObject> {
  const input = parse(ZVerify, "verifySchema", raw);
  return withServers(
    ctx.sql,
    access,
    ctx.signal,
    [input.instanceId, input.referenceInstanceId],
    async (servers) => {
      const member = session(servers, input.instanceId);
      const reference = session(servers, input.referenceInstanceId);
      const refShapes = await readShapes(reference, input.tables);
      const memberShapes = await readShapes(member, input.tables);
      const diffs = compareShapes(refShapes, memberShapes, input.tables);
      if (diffs.length)
        throw new ActionError(`The schema of ${member.name} differs from the primary ${reference.name}: ${diffs.slice(0, 5).join("; ")}${diffs.length > 5 ? ` (and ${diffs.length - 5} more)` : ""}`, {
          retryable: false,
          humanAction: `Apply the missing change on ${member.name} by hand (or retry its apply step), then retry this step; or roll the change back`,
        });
      const hash = catalogHash(memberShapes);
      ctx.log(`verifySchema: ${member.name} matches ${reference.name} on ${memberShapes.size} table(s), catalog ${hash.slice(0, 12)}`);
      return { result: `${member.name} has the same schema as ${reference.name} (${memberShapes.size} table(s))`, catalogHash: hash, tables: memberShapes.size };
    },
    { lock: false },
  );
}

/** applySchemaChange, verifySchema on real servers. */
export const schemaActions: TPostgresActionGroup = ({ access }) => ({
  applySchemaChange: { run: (ctx, input) => applySchemaChange(ctx, access, input) },
  verifySchema: { run: (ctx, input) => verifySchema(ctx, access, input) },
});
