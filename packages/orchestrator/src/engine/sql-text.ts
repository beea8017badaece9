/**
 * SQL text with values inlined as literals (pure). The engine sends a few statements together in
 * one round trip with the simple query protocol, which takes no parameters; its hot path is
 * bound by round trips, not by the database's work. Everything else uses parameters.
 */

/**
 * A value as an SQL literal. Used only to send a few statements together in one round trip
 * (the simple query protocol takes no parameters): the engine's hot path is bound by round
 * trips, not by the database's work.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`sqlLiteral: ${value}`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (Array.isArray(value)) return value.length ? `ARRAY[${value.map(sqlLiteral).join(", ")}]` : "'{}'";
  if (typeof value !== "string") throw new TypeError(`sqlLiteral: a ${typeof value}`);
  if (value.includes("\u0000")) throw new TypeError("sqlLiteral: NUL byte");
  const quoted = value.replace(/'/g, "''");
  return value.includes("\\") ? ` E'${quoted.replace(/\\/g, "\\\\")}'` : `'${quoted}'`;
}

/** `sql` with its $1..$n placeholders replaced by literals of `params`. */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new RangeError(`inlineParams: no value for $${n}`);
    return sqlLiteral(params[i]);
  });
}
