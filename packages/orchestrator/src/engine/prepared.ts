import { createHash } from "node:crypto";
import type pg from "pg";
import { sqlLiteral } from "./sql-text";

/**
 * Prepared statements for the engine's hot path. Parsing and planning the engine's statements
 * (CTEs with the fence, the freeze check, audit and webhook rows) cost PostgreSQL more than
 * executing them: measured with pg_stat_statements, planning alone was 60-85% of each hot
 * statement's time. Two ways, both parsed and planned once per connection:
 *
 * - A single statement with parameters (`namedQuery`): node-postgres's named statements
 *   (extended protocol: Parse once per connection, then Bind/Execute).
 * - Several statements in one round trip (the simple query protocol, which takes no
 *   parameters): `PREPARE` once per connection (`ensurePrepared`, one round trip the first time
 *   a connection is used), then `EXECUTE name(literal, ...)` in the multi-statement text
 *   (`executeSql`). A `PREPARE` is not undone by a rollback, so a connection stays prepared for
 *   its whole life; a connection that breaks is dropped with what it knew.
 */
export interface TPrepared {
  /** The name of the protocol-level (named) statement. */
  readonly name: string;
  /** The name of the SQL-level PREPARE (one namespace with `name` on the server: they must differ). */
  readonly sqlName: string;
  readonly text: string;
}

/** A statement prepared under a name derived from its text (two texts never share a name). */
export function preparedStatement(label: string, text: string): TPrepared {
  const hash = createHash("sha1").update(text).digest("hex").slice(0, 12);
  const name = `meridian_${label.slice(0, 30)}_${hash}`;
  return { name, sqlName: `${name}_sql`, text };
}

/**
 * Prepared statements built from a key (a worker id, a driver's text), made once per key. At
 * most `max` are kept (the keys are a small set in practice).
 */
export function statementsByKey(label: string, build: (key: string) => string, max = 1_000): (key: string) => TPrepared {
  const made = new Map<string, TPrepared>();
  return (key) => {
    let statement = made.get(key);
    if (!statement) {
      if (made.size >= max) made.clear();
      statement = preparedStatement(label, build(key));
      made.set(key, statement);
    }
    return statement;
  };
}

const names = new Map<string, string>();

/** The prepared statement's name for an arbitrary single-statement text (cached per text). */
function nameForText(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `m_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    if (names.size > 5_000) names.clear(); // bounded: texts are a small fixed set in practice
    names.set(text, name);
  }
  return name;
}

interface TNamedQueryable {
  query: (config: pg.QueryConfig) => Promise<pg.QueryResult>;
}

/** Runs one parameterised statement as a named (per-connection prepared) statement. */
export async function namedQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  db: unknown,
  statement: TPrepared | string,
  values: unknown[],
): Promise<{ rows: R[]; rowCount: number | null }> {
  const text = typeof statement === "string" ? statement : statement.text;
  const name = typeof statement === "string" ? nameForText(statement) : statement.name;
  return (await (db as TNamedQueryable).query({ name, text, values })) as unknown as { rows: R[]; rowCount: number | null };
}

/**
 * A TSql-style `query(text, values)` for drivers that sends single parameterised statements as
 * named statements; a text with several statements, or without values, goes as it is.
 */
export function preparingQuery(db: { query: (...args: never[]) => unknown }) {
  return <R extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }> => {
    const q = db.query as unknown as (a: unknown, b?: unknown) => Promise<{ rows: R[]; rowCount: number | null }>;
    if (values === undefined || text.includes(";")) return q.call(db, text, values);
    return q.call(db, { name: nameForText(text), text, values });
  };
}

const preparedOn = new WeakMap<object, Set<string>>();

/**
 * PREPAREs on `client` (one round trip, once per connection) the statements it has not
 * prepared yet. Must be called outside a failed transaction.
 */
export async function ensurePrepared(client: { query: (text: string) => Promise<unknown> }, statements: readonly TPrepared[]): Promise<void> {
  let done = preparedOn.get(client);
  if (!done) {
    done = new Set();
    preparedOn.set(client, done);
  }
  const missing = statements.filter((s) => !done.has(s.sqlName));
  if (missing.length === 0) return;
  await client.query(missing.map((s) => `PREPARE ${s.sqlName} AS ${s.text}`).join(";\n"));
  for (const s of missing) done.add(s.sqlName);
}

/**
 * An EXECUTE argument: like a bound parameter, an untyped literal that takes the parameter's
 * type. Arrays are written as array literals ('{"a","b"}'), not ARRAY[...] (which would be
 * text[] and not coerce to, say, uuid[]).
 */
function argument(value: unknown): string {
  if (!Array.isArray(value)) return sqlLiteral(value);
  const element = (v: unknown): string => {
    if (v === null || v === undefined) return "NULL";
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") throw new TypeError(`executeSql: a ${typeof v} in an array`);
    return `"${String(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  };
  return sqlLiteral(`{${value.map(element).join(",")}}`);
}

/** `EXECUTE name(literal, ...)` for a multi-statement text (values as SQL literals). */
export function executeSql(statement: TPrepared, values: readonly unknown[]): string {
  return values.length ? `EXECUTE ${statement.sqlName}(${values.map(argument).join(", ")})` : `EXECUTE ${statement.sqlName}`;
}
