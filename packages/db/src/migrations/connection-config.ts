import type pg from "pg";

/**
 * Parses a postgres:// URL into a pg config OBJECT. The schema engine's adapter must be built
 * from an object, never a string: with a string, pg lets `connectionString` win over
 * `database`, so a "shadow" pool silently connects to the main database.
 */
export function connectionConfig(url: string): pg.PoolConfig & { database: string } {
  const u = new URL(url);
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") {
    throw new Error(`Not a PostgreSQL URL: ${u.protocol}//…`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres";
  const sslmode = u.searchParams.get("sslmode");
  const host = u.searchParams.get("host") ?? decodeURIComponent(u.hostname);
  return {
    host: host || "localhost",
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database,
    ssl: sslmode && sslmode !== "disable" ? { rejectUnauthorized: sslmode === "verify-full" } : undefined,
    max: 4,
  };
}

/** The same URL pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** A URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable database URL)";
  }
}
