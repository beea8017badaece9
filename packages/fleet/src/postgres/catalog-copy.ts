import type pg from "pg";
import { ActionError } from "../driver";
import { qualified, quoteIdent, serverQuery, tableKey, type TTableRef } from "./server-state";

/**
 * Tables a link replicates, read from the source's catalog, and the same tables created on a
 * target that does not have them yet. Logical replication carries rows, not DDL: the target
 * needs each table before its subscription starts.
 *
 * Copied: schema (CREATE SCHEMA IF NOT EXISTS), columns in order, their types
 * (format_type), NOT NULL, defaults (except sequence-backed ones: nextval(...) and identity
 * columns become plain NOT NULL columns, since the source assigns the values), stored generated
 * columns, the primary key.
 * Not copied: sequences and their values, identity sequences, triggers, indexes other than
 * the primary key, unique and check constraints, foreign keys, ownership and grants, row-level
 * security policies, comments, storage parameters, user-defined types and domains (create them
 * first: the table creation fails with their name otherwise), partitioned tables.
 */
export interface TColumnDef {
  name: string;
  type: string;
  notNull: boolean;
  /** Default expression as the source prints it; null when none or sequence-backed. */
  default: string | null;
  /** Stored generated column expression. */
  generated: string | null;
}

export interface TTableDef extends TTableRef {
  columns: TColumnDef[];
  /** Primary key columns in key order; empty when the table has none. */
  primaryKey: string[];
}

const USER_TABLES = `
  SELECT c.oid::int8::text AS oid, n.nspname AS schema, c.relname AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind = 'r' AND NOT c.relispartition AND c.relpersistence = 'p'
     AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`;

/**
 * The tables to replicate with their definitions: `only` (schema-qualified or public), or every
 * user table of the database. A table named in `only` that the source does not have is an error.
 */
export async function readTableDefs(client: pg.Client, server: string, only: readonly TTableRef[] | null): Promise<TTableDef[]> {
  const tables = await serverQuery<{ oid: string; schema: string; name: string }>(
    client,
    server,
    "Listing tables",
    `${USER_TABLES} ORDER BY 2, 3`,
  );
  let chosen = tables;
  if (only && only.length > 0) {
    const wanted = new Set(only.map(tableKey));
    chosen = tables.filter((t) => wanted.has(tableKey(t)));
    const found = new Set(chosen.map(tableKey));
    const missing = [...wanted].filter((k) => !found.has(k));
    if (missing.length > 0)
      throw new ActionError(`${server} has no table ${missing.join(", ")}`, {
        retryable: false,
        humanAction: `Create the table(s) on ${server} or file the change again without them`,
      });
  }
  if (chosen.length === 0) return [];
  const oids = chosen.map((t) => t.oid);
  const columns = await serverQuery<{
    oid: string;
    name: string;
    type: string;
    not_null: boolean;
    def: string | null;
    identity: string;
    generated: string;
  }>(
    client,
    server,
    "Reading columns",
    `SELECT a.attrelid::int8::text AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
            pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity::text AS identity, a.attgenerated::text AS generated
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = ANY($1::int8[]::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
  const keys = await serverQuery<{ oid: string; cols: string[] }>(
    client,
    server,
    "Reading primary keys",
    `SELECT i.indrelid::int8::text AS oid, array_agg(a.attname::text ORDER BY k.ord) AS cols
       FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indisprimary AND i.indrelid = ANY($1::int8[]::oid[])
      GROUP BY i.indrelid`,
    [oids],
  );
  return chosen.map((t) => ({
    schema: t.schema,
    name: t.name,
    columns: columns
      .filter((c) => c.oid === t.oid)
      .map((c) => {
        const generated = c.generated === "s" ? c.def : null;
        const sequenceBacked = c.identity !== "" || (c.def !== null && /\bnextval\s*\(/i.test(c.def));
        return {
          name: c.name,
          type: c.type,
          notNull: c.not_null || c.identity !== "",
          default: generated || sequenceBacked ? null : c.def,
          generated,
        };
      }),
    primaryKey: keys.find((k) => k.oid === t.oid)?.cols ?? [],
  }));
}

/** CREATE TABLE for a definition (IF NOT EXISTS: a retried step finds its own table). */
export function createTableSql(def: TTableDef): string {
  const cols = def.columns.map((c) => {
    let line = `${quoteIdent(c.name)} ${c.type}`;
    if (c.generated) line += ` GENERATED ALWAYS AS (${c.generated}) STORED`;
    else if (c.default !== null) line += ` DEFAULT ${c.default}`;
    if (c.notNull) line += " NOT NULL";
    return line;
  });
  if (def.primaryKey.length > 0) cols.push(`PRIMARY KEY (${def.primaryKey.map(quoteIdent).join(", ")})`);
  return `CREATE TABLE IF NOT EXISTS ${qualified(def)} (\n  ${cols.join(",\n  ")}\n)`;
}

export interface TTargetTable {
  columns: Map<string, string>;
  hasRows: boolean;
  primaryKey: string[];
}

/** What the target has of the link's tables (missing tables are absent from the map). */
export async function readTargetTables(client: pg.Client, server: string, defs: readonly TTableDef[]): Promise<Map<string, TTargetTable>> {
  const out = new Map<string, TTargetTable>();
  if (defs.length === 0) return out;
  const existing = await readTableDefs(client, server, null);
  const wanted = new Set(defs.map(tableKey));
  for (const t of existing) {
    if (!wanted.has(tableKey(t))) continue;
    const rows = await serverQuery<{ has: boolean }>(client, server, "Reading a table", `SELECT EXISTS (SELECT 1 FROM ${qualified(t)}) AS has`);
    out.set(tableKey(t), {
      columns: new Map(t.columns.map((c) => [c.name, c.type])),
      hasRows: rows[0]?.has ?? false,
      primaryKey: t.primaryKey,
    });
  }
  return out;
}

/**
 * Tables on the target that would break the initial copy: a column missing or of another
 * type, or rows already there (the copy would collide with them). Readable sentences, one per table.
 */
export function targetConflicts(defs: readonly TTableDef[], target: Map<string, TTargetTable>, targetName: string): string[] {
  const problems: string[] = [];
  for (const def of defs) {
    const t = target.get(tableKey(def));
    if (!t) continue;
    const diff: string[] = [];
    for (const c of def.columns) {
      const type = t.columns.get(c.name);
      if (type === undefined) diff.push(`no column ${c.name}`);
      else if (type !== c.type) diff.push(`${c.name} is ${type}, not ${c.type}`);
    }
    if (diff.length > 0) problems.push(`${targetName} already has a table ${tableKey(def)} that differs from the source (${diff.join("; ")})`);
    else if (t.hasRows) problems.push(`${targetName} already has rows in ${tableKey(def)}: the initial copy would collide with them`);
  }
  return problems;
}

/** Creates on the target the tables it does not have; returns their names. */
export async function createMissingTables(
  client: pg.Client,
  server: string,
  defs: readonly TTableDef[],
  target: Map<string, TTargetTable>,
): Promise<string[]> {
  const created: string[] = [];
  for (const def of defs) {
    if (target.has(tableKey(def))) continue;
    await serverQuery(client, server, `Creating schema ${def.schema}`, `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(def.schema)}`);
    await serverQuery(client, server, `Creating table ${tableKey(def)}`, createTableSql(def));
    created.push(tableKey(def));
  }
  return created;
}
