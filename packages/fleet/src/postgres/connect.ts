import pg from "pg";
import { ActionError, type TSql } from "../driver";
import { decryptCredential } from "../credentials";

/**
 * How the postgres driver and the collector reach a managed server: the instance row gives
 * the endpoint (host:port), the database and the encrypted credential; the key decrypts it.
 * The credential lives only inside the returned client's connection parameters.
 */
export interface TInstanceTarget {
  id: string;
  name: string;
  host: string;
  port: number;
  database: string;
  driver: string;
}

export interface TPostgresAccess {
  /** AES-256-GCM key of the credentials (see credentials.ts). */
  credentialKey: Buffer;
  /** Connect timeout per attempt, ms (default 5000). */
  connectTimeoutMs?: number;
  /** application_name on the managed servers (default "meridian"). */
  applicationName?: string;
}

export function parseEndpoint(endpoint: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(endpoint.trim());
  if (!match) throw new ActionError(`Endpoint "${endpoint}" is not host:port`, { retryable: false });
  const host = (match[1] ?? "").replace(/^\[|\]$/g, "");
  const port = match[2] ? Number(match[2]) : 5432;
  return { host, port };
}

/** Reads what is needed to connect to an instance (from the metadata database). */
export async function loadInstanceTarget(
  sql: TSql,
  instanceId: string,
): Promise<TInstanceTarget & { credentialCiphertext: string | null }> {
  const { rows } = await sql.query<{
    id: string;
    name: string;
    endpoint: string;
    database_name: string | null;
    driver: string;
    credential_ciphertext: string | null;
  }>("SELECT id, name, endpoint, database_name, driver::text AS driver, credential_ciphertext FROM instance WHERE id = $1", [
    instanceId,
  ]);
  const row = rows[0];
  if (!row) throw new ActionError(`Instance ${instanceId} is not in the inventory`, { retryable: false });
  const { host, port } = parseEndpoint(row.endpoint);
  return {
    id: row.id,
    name: row.name,
    host,
    port,
    database: row.database_name ?? "postgres",
    driver: row.driver,
    credentialCiphertext: row.credential_ciphertext,
  };
}

/** pg connection parameters for an instance (holds the decrypted password: never log it). */
export function clientConfig(
  target: TInstanceTarget & { credentialCiphertext: string | null },
  access: TPostgresAccess,
): pg.ClientConfig {
  if (!target.credentialCiphertext)
    throw new ActionError(`Instance ${target.name} has no credential`, {
      retryable: false,
      humanAction: `Set the credential of ${target.name} on its page (Inventory -> Instances -> ${target.name} -> Credential)`,
    });
  const credential = decryptCredential(access.credentialKey, target.id, target.credentialCiphertext);
  return {
    host: target.host,
    port: target.port,
    database: target.database,
    user: credential.user,
    password: credential.password,
    connectionTimeoutMillis: access.connectTimeoutMs ?? 5_000,
    application_name: access.applicationName ?? "meridian",
    // A hung server must not hold a step forever: the step's own timeout aborts too.
    query_timeout: 120_000,
  };
}

/** Opens a client to the instance; the caller ends it. Connection failures are retryable ActionErrors. */
export async function connectInstance(sql: TSql, instanceId: string, access: TPostgresAccess): Promise<pg.Client> {
  const target = await loadInstanceTarget(sql, instanceId);
  const client = new pg.Client(clientConfig(target, access));
  client.on("error", () => {}); // a server that goes away surfaces on the next query
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    // A refused login (wrong password, no such role, pg_hba) does not fix itself: a person must act.
    const refused = ["28P01", "28000"].includes((error as { code?: string } | null)?.code ?? "");
    throw new ActionError(`Cannot connect to ${target.name} at ${target.host}:${target.port}: ${describePgError(error)}`, {
      retryable: !refused,
      humanAction: refused
        ? `Set the right credential of ${target.name} on its page (Inventory -> Instances -> ${target.name} -> Credential), or allow the login in its pg_hba.conf, then retry the step`
        : `Check that ${target.name} is running and reachable, and that its credential is right`,
    });
  }
  return client;
}

/** A pg error as one line, without connection parameters (never a password). */
export function describePgError(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { code?: string; message?: string };
    const msg = (e.message ?? "unknown error").split("\n")[0] ?? "unknown error";
    return e.code ? `${msg} (SQLSTATE ${e.code})` : msg;
  }
  return String(error);
}
