import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import type pg from "pg";
import { z } from "zod";
import { ActionError, sleep, type TActionContext, type TDriverAction, type TJsonObject, type TSql } from "../driver";
import { recordSideEffect } from "../ledger";
import { createMissingTables, readTableDefs, readTargetTables, targetConflicts, type TTableDef } from "./catalog-copy";
import { loadInstanceTarget, type TPostgresAccess } from "./connect";
import { type TPostgresActionGroup } from "./postgres-driver";
import { preflightLink } from "./preflight";
import {
  findSlot,
  findSubscription,
  generatePassword,
  instanceName,
  linkObjectNames,
  parseTableName,
  publicationExists,
  qualified,
  quoteIdent,
  quoteLiteral,
  roleExists,
  serverQuery,
  tableKey,
  withInstance,
} from "./server-state";
import { fence, session, setInstanceState, unfence, withServers } from "./switchover-server";
import { verifyTables, type TLinkVerification } from "./verify-data";

/**
 * Replication links on real PostgreSQL servers (logical replication), one object set per link,
 * named from the link id (names.ts):
 * - on the source: a replication role `meridian_repl_<id>` (LOGIN REPLICATION, SELECT on the
 *   replicated tables, a generated password the source only knows as a SCRAM verifier), a
 *   publication `meridian_pub_<id>` of the link's tables, and the slot `meridian_slot_<id>`
 *   (created by the subscription);
 * - on the target: the missing tables (catalog-copy.ts) and the subscription
 *   `meridian_sub_<id>`, whose connection string is the only place the password exists.
 *
 * Every action reads the real state first and does only what is missing, so it can be repeated
 * after a crash at any point; it records a ledger row (ctx.sql) only when it changed something.
 * The metadata row (`replication_link`) follows: CATCHING_UP on creation, ACTIVE only once a
 * verification passed, lag written by waitForCatchUp.
 */

const uuid = z.string().uuid({ error: "must be an id (uuid)" });
const ZTables = z.array(z.string().min(1).max(200)).max(1000).nullable().default(null);

const ZPreflight = z.object({ linkId: uuid, sourceInstanceId: uuid, targetInstanceId: uuid, tables: ZTables });
const ZCreateLink = z.object({
  linkId: uuid,
  clusterId: uuid,
  sourceInstanceId: uuid,
  targetInstanceId: uuid,
  mode: z.enum(["PHYSICAL", "LOGICAL", "CDC"]).default("LOGICAL"),
  tables: ZTables,
});
const ZLinkRef = z.object({ linkId: uuid, clusterId: uuid.optional() });
/** REMOVE_REPLICA also drops the tables the link's createLink created on the target (from the ledger). */
/** A cross-cluster link also names its two ends (`instanceIds`): the target is not in `clusterId`. */
const ZDropLink = ZLinkRef.extend({ dropCreatedTables: z.boolean().default(false), instanceIds: z.array(uuid).max(2).default([]) });
const ZRegister = z.object({ instanceId: uuid, clusterId: uuid, role: z.enum(["PRIMARY", "REPLICA", "STANDBY"]) });
const ZCatchUp = z.object({ linkId: uuid, maxLagSeconds: z.number().min(0) });

function parse<T>(schema: z.ZodType<T>, action: string, input: TJsonObject): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ActionError(`Invalid input for ${action}: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "?"}`, { retryable: false });
  }
  return parsed.data;
}

// ---------------------------------------------------------------------------
// The metadata row
// ---------------------------------------------------------------------------

export interface TLinkRow extends Record<string, unknown> {
  id: string;
  source_id: string;
  target_id: string;
  mode: string;
  status: "ACTIVE" | "CATCHING_UP" | "PAUSED" | "BROKEN";
  tables: string[];
  paused_at: Date | null;
}

export async function findLinkRow(sql: TSql, linkId: string, lock = false): Promise<TLinkRow | null> {
  const { rows } = await sql.query<TLinkRow>(
    `SELECT id, source_id, target_id, mode::text AS mode, status::text AS status, tables, paused_at
       FROM replication_link WHERE id = $1 ${lock ? "FOR UPDATE" : ""}`,
    [linkId],
  );
  return rows[0] ?? null;
}

async function mustFindLinkRow(sql: TSql, linkId: string, lock = false): Promise<TLinkRow> {
  const row = await findLinkRow(sql, linkId, lock);
  if (!row) throw new ActionError(`Link ${linkId} is not in the inventory`, { retryable: false });
  return row;
}

// ---------------------------------------------------------------------------
// Passwords: the source only ever receives a SCRAM-SHA-256 verifier
// ---------------------------------------------------------------------------

/** The verifier PostgreSQL stores for `password` (RFC 5802/7677); the plain password never reaches the source. */
export function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password.normalize("NFKC"), salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/** A libpq connection-string value (single quotes, backslash escapes). */
function conninfoValue(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** Keeps statements that carry a secret out of the server's log when this role may say so (superuser). */
async function quietSession(client: pg.Client): Promise<void> {
  for (const s of ["SET log_min_error_statement = panic", "SET log_statement = 'none'", "SET log_min_duration_statement = -1"])
    await client.query(s).catch(() => {});
}

// ---------------------------------------------------------------------------
// Shared steps (also used by the API's on-demand actions)
// ---------------------------------------------------------------------------

interface TLinkEnds {
  row: TLinkRow;
  sourceName: string;
  targetName: string;
}

async function linkEnds(sql: TSql, linkId: string): Promise<TLinkEnds> {
  const row = await mustFindLinkRow(sql, linkId);
  return { row, sourceName: await instanceName(sql, row.source_id), targetName: await instanceName(sql, row.target_id) };
}

/** Verifies the data of a link (both servers, per table); stores nothing. */
export async function runLinkVerification(
  sql: TSql,
  access: TPostgresAccess,
  linkId: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<TLinkVerification> {
  const { row, sourceName, targetName } = await linkEnds(sql, linkId);
  const names = linkObjectNames(linkId);
  return withInstance(sql, row.target_id, access, options.signal, async (target) => {
    const sub = await findSubscription(target, targetName, names.subscription);
    if (!sub)
      throw new ActionError(`${targetName} has no subscription ${names.subscription}: the link is not replicating`, {
        retryable: false,
        humanAction: "Remove the link (REMOVE_LINK) and add it again",
      });
    if (!sub.enabled)
      throw new ActionError(`The link ${sourceName} -> ${targetName} is paused: its data cannot be verified`, {
        retryable: false,
        humanAction: "Resume the link, then verify again",
      });
    return withInstance(sql, row.source_id, access, options.signal, async (source) => {
      // The tables the link replicates: its publication's (a table created on the source later is not part of it).
      const published = await serverQuery<{ schema: string; name: string }>(
        source,
        sourceName,
        "Reading the publication",
        `SELECT schemaname AS schema, tablename AS name FROM pg_publication_tables WHERE pubname = $1`,
        [names.publication],
      );
      if (published.length === 0)
        throw new ActionError(`${sourceName} has no publication ${names.publication} (or it is empty)`, {
          retryable: false,
          humanAction: "Remove the link (REMOVE_LINK) and add it again",
        });
      const defs = await readTableDefs(source, sourceName, published);
      return verifyTables({
        source,
        sourceName,
        target,
        targetName,
        defs,
        names,
        ...(options.signal ? { signal: options.signal } : {}),
        timeoutMs: options.timeoutMs ?? 60_000,
      });
    });
  });
}

/** Writes a verification on the link row; a passed one makes a CATCHING_UP link ACTIVE. */
export async function storeLinkVerification(sql: TSql, linkId: string, v: TLinkVerification): Promise<void> {
  const error = v.ok ? null : `Verification found differences in ${v.differing.join(", ")}`;
  await sql.query(
    `UPDATE replication_link
        SET verification = $2::jsonb, verified_at = $3::timestamptz, last_error = $4,
            status = CASE WHEN $5::boolean AND status = 'CATCHING_UP' THEN 'ACTIVE'::"LinkStatus" ELSE status END,
            updated_at = now()
      WHERE id = $1`,
    [linkId, JSON.stringify(v), v.checkedAt, error, v.ok],
  );
}

export interface TPauseResult extends TJsonObject {
  alreadyDone: boolean;
  from: string;
  to: string;
  result: string;
}

/**
 * Pauses (ALTER SUBSCRIPTION ... DISABLE; PAUSED, paused_at set) or resumes (ENABLE;
 * CATCHING_UP until verified again, paused_at cleared) a link. Idempotent.
 */
export async function setLinkPaused(sql: TSql, access: TPostgresAccess, linkId: string, paused: boolean): Promise<TPauseResult> {
  const { row, sourceName, targetName } = await linkEnds(sql, linkId);
  const names = linkObjectNames(linkId);
  const changedServer = await withInstance(sql, row.target_id, access, undefined, async (target) => {
    const sub = await findSubscription(target, targetName, names.subscription);
    if (!sub)
      throw new ActionError(`${targetName} has no subscription ${names.subscription}`, {
        retryable: false,
        humanAction: "The link is broken on the server: remove it (REMOVE_LINK) and add it again",
      });
    if (sub.enabled === !paused) return false;
    await serverQuery(target, targetName, paused ? "Pausing the subscription" : "Resuming the subscription", `ALTER SUBSCRIPTION ${quoteIdent(names.subscription)} ${paused ? "DISABLE" : "ENABLE"}`);
    return true;
  });
  const to = paused ? "PAUSED" : row.status === "PAUSED" ? "CATCHING_UP" : row.status;
  const rowChanged = paused ? row.status !== "PAUSED" || !row.paused_at : row.status === "PAUSED" || row.paused_at !== null;
  if (rowChanged)
    await sql.query(
      `UPDATE replication_link SET status = $2::"LinkStatus", paused_at = ${paused ? "now()" : "NULL"}, updated_at = now() WHERE id = $1`,
      [linkId, to],
    );
  return {
    alreadyDone: !changedServer && !rowChanged,
    from: row.status,
    to,
    result: `${sourceName} -> ${targetName} ${paused ? "paused" : "resumed"}${!changedServer && !rowChanged ? " (already)" : ""}`,
  };
}

// ---------------------------------------------------------------------------
// createLink
// ---------------------------------------------------------------------------

async function createLink(ctx: TActionContext, access: TPostgresAccess, raw: TJsonObject): Promise<TJsonObject> {
  const input = parse(ZCreateLink, "createLink", raw);
  if (input.mode !== "LOGICAL")
    throw new ActionError(`The postgres driver builds LOGICAL links only, not ${input.mode}`, {
      retryable: false,
      humanAction: "File the change again with mode LOGICAL",
    });
  const names = linkObjectNames(input.linkId);
  const src = await loadInstanceTarget(ctx.sql, input.sourceInstanceId);
  const tgt = await loadInstanceTarget(ctx.sql, input.targetInstanceId);
  const done: string[] = [];

  // The inventory row first (it commits with the step): CATCHING_UP until verified.
  const existing = await findLinkRow(ctx.sql, input.linkId, true);
  if (existing && (existing.source_id !== src.id || existing.target_id !== tgt.id))
    throw new ActionError(`Link ${input.linkId} exists between other instances`, { retryable: false });
  const tableNames = input.tables ?? existing?.tables ?? [];
  if (!existing) {
    try {
      await ctx.sql.query(
        `INSERT INTO replication_link (id, source_id, target_id, mode, status, lag_bytes, lag_seconds, tables, updated_at)
         VALUES ($1, $2, $3, 'LOGICAL', 'CATCHING_UP', 0, 0, $4, now())`,
        [input.linkId, src.id, tgt.id, tableNames],
      );
    } catch (error) {
      if ((error as { code?: string }).code === "23505")
        throw new ActionError(`Another link already replicates ${src.name} -> ${tgt.name}`, { retryable: false });
      throw error;
    }
    done.push("inventory row");
  }
  const only = tableNames.length > 0 ? tableNames.map(parseTableName) : null;

  // Once the subscription exists the link's table set is fixed: a table created on the source
  // later must not slip into the publication (the target has no table for it: apply would stop).
  const subscribed = await withInstance(ctx.sql, tgt.id, access, ctx.signal, (t) => findSubscription(t, tgt.name, names.subscription));

  // Source: role, grants, publication.
  const defs: TTableDef[] = await withInstance(ctx.sql, src.id, access, ctx.signal, async (source) => {
    await quietSession(source);
    let defs = await readTableDefs(source, src.name, only);
    if (subscribed) {
      const published = await serverQuery<{ t: string }>(
        source,
        src.name,
        "Reading the publication",
        `SELECT schemaname || '.' || tablename AS t FROM pg_publication_tables WHERE pubname = $1`,
        [names.publication],
      );
      const inLink = new Set(published.map((p) => p.t));
      if (inLink.size > 0) defs = defs.filter((d) => inLink.has(tableKey(d)));
    }
    if (defs.length === 0)
      throw new ActionError(`${src.name} has no table to replicate`, { retryable: false, humanAction: "Create the tables on the source first" });
    const noKey = defs.filter((d) => d.primaryKey.length === 0).map(tableKey);
    if (noKey.length > 0)
      throw new ActionError(`Table(s) ${noKey.join(", ")} on ${src.name} have no primary key`, {
        retryable: false,
        humanAction: "Add a primary key to each, or file the link again without those tables",
      });
    if (!(await roleExists(source, src.name, names.role))) {
      // A random password nobody knows: the subscription sets its own just before it is created.
      await serverQuery(
        source,
        src.name,
        "Creating the replication role",
        `CREATE ROLE ${quoteIdent(names.role)} WITH LOGIN REPLICATION PASSWORD ${quoteLiteral(scramVerifier(generatePassword()))}`,
      );
      done.push(`role ${names.role}`);
    }
    for (const schema of [...new Set(defs.map((d) => d.schema))])
      await serverQuery(source, src.name, "Granting schema usage", `GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO ${quoteIdent(names.role)}`);
    await serverQuery(
      source,
      src.name,
      "Granting SELECT on the replicated tables",
      `GRANT SELECT ON ${defs.map(qualified).join(", ")} TO ${quoteIdent(names.role)}`,
    );
    if (!(await publicationExists(source, src.name, names.publication))) {
      await serverQuery(source, src.name, "Creating the publication", `CREATE PUBLICATION ${quoteIdent(names.publication)} FOR TABLE ${defs.map(qualified).join(", ")}`);
      done.push(`publication ${names.publication}`);
    } else {
      const published = await serverQuery<{ t: string }>(
        source,
        src.name,
        "Reading the publication",
        `SELECT schemaname || '.' || tablename AS t FROM pg_publication_tables WHERE pubname = $1`,
        [names.publication],
      );
      const have = new Set(published.map((p) => p.t));
      const missing = defs.filter((d) => !have.has(tableKey(d)));
      if (missing.length > 0) {
        await serverQuery(source, src.name, "Adding tables to the publication", `ALTER PUBLICATION ${quoteIdent(names.publication)} ADD TABLE ${missing.map(qualified).join(", ")}`);
        done.push(`publication ${names.publication} + ${missing.length} table(s)`);
      }
    }
    return defs;
  });

  // Target: tables, then the subscription (which creates the slot on the source).
  const createdTables = await withInstance(ctx.sql, tgt.id, access, ctx.signal, async (target) => {
    await quietSession(target);
    const sub = await findSubscription(target, tgt.name, names.subscription);
    if (sub) {
      const pointsElsewhere =
        (sub.host !== null && sub.host !== src.host) ||
        (sub.port !== null && sub.port !== src.port) ||
        (sub.dbname !== null && sub.dbname !== src.database) ||
        !sub.publications.includes(names.publication);
      if (pointsElsewhere)
        throw new ActionError(`${tgt.name} has a subscription ${names.subscription} that does not point at ${src.name}`, {
          retryable: false,
          humanAction: `Drop the subscription ${names.subscription} on ${tgt.name} by hand (ALTER SUBSCRIPTION ... DISABLE; ... SET (slot_name = NONE); DROP SUBSCRIPTION), then retry`,
        });
      return [];
    }
    const targetTables = await readTargetTables(target, tgt.name, defs);
    const conflicts = targetConflicts(defs, targetTables, tgt.name);
    if (conflicts.length > 0)
      throw new ActionError(conflicts.join("; "), {
        retryable: false,
        humanAction: `Empty or rename the conflicting table(s) on ${tgt.name}, or file the link for other tables`,
      });
    const created = await createMissingTables(target, tgt.name, defs, targetTables);
    if (created.length > 0) done.push(`${created.length} table(s) on ${tgt.name}`);

    // A slot left by an earlier attempt (the subscription was not committed): drop it, then set a fresh password.
    const password = generatePassword();
    await withInstance(ctx.sql, src.id, access, ctx.signal, async (source) => {
      await quietSession(source);
      const slot = await findSlot(source, src.name, names.slot);
      if (slot?.active)
        throw new ActionError(`The slot ${names.slot} on ${src.name} is in use by another connection`, {
          retryable: true,
          humanAction: `Find who uses it (SELECT * FROM pg_stat_replication on ${src.name}); if it is not Meridian's subscription, stop it`,
        });
      if (slot) await serverQuery(source, src.name, "Dropping a leftover slot", `SELECT pg_drop_replication_slot($1)`, [names.slot]);
      await serverQuery(source, src.name, "Setting the replication role's password", `ALTER ROLE ${quoteIdent(names.role)} WITH LOGIN REPLICATION PASSWORD ${quoteLiteral(scramVerifier(password))}`);
    });
    const conninfo = `host=${conninfoValue(src.host)} port=${src.port} dbname=${conninfoValue(src.database)} user=${conninfoValue(names.role)} password=${conninfoValue(password)}`;
    await serverQuery(
      target,
      tgt.name,
      "Creating the subscription",
      `CREATE SUBSCRIPTION ${quoteIdent(names.subscription)} CONNECTION ${quoteLiteral(conninfo)} PUBLICATION ${quoteIdent(names.publication)}
         WITH (create_slot = true, slot_name = ${quoteLiteral(names.slot)}, copy_data = true, enabled = true)`,
    );
    done.push(`subscription ${names.subscription}`);
    return created;
  });

  const output: TJsonObject = {
    alreadyDone: done.length === 0,
    result:
      done.length === 0
        ? `${src.name} -> ${tgt.name} already replicates`
        : `replicating ${src.name} -> ${tgt.name} (${defs.length} table(s)), initial copy running; created: ${done.join(", ")}`,
    tables: defs.map(tableKey),
    createdTables,
    publication: names.publication,
    subscription: names.subscription,
    slot: names.slot,
    role: names.role,
  };
  if (done.length > 0) await recordSideEffect(ctx, "createLink", `link:${input.linkId}`, { created: done, tables: defs.length, createdTables });
  ctx.log(`createLink: ${String(output.result)}`);
  return output;
}

// ---------------------------------------------------------------------------
// dropLink: nothing left on either server
// ---------------------------------------------------------------------------

/** Drops the subscription on `targetId` (disable, detach the slot, drop): never needs the source. */
async function dropSubscriptionOn(ctx: TActionContext, access: TPostgresAccess, targetId: string, names: ReturnType<typeof linkObjectNames>): Promise<boolean> {
  const name = await instanceName(ctx.sql, targetId);
  return withInstance(ctx.sql, targetId, access, ctx.signal, async (target) => {
    const sub = await findSubscription(target, name, names.subscription);
    if (!sub) return false;
    const q = quoteIdent(names.subscription);
    if (sub.enabled) await serverQuery(target, name, "Disabling the subscription", `ALTER SUBSCRIPTION ${q} DISABLE`);
    if (sub.slotName !== null) await serverQuery(target, name, "Detaching the slot", `ALTER SUBSCRIPTION ${q} SET (slot_name = NONE)`);
    await serverQuery(target, name, "Dropping the subscription", `DROP SUBSCRIPTION ${q}`);
    return true;
  });
}

/** Drops slot, publication and role on `sourceId`; returns what it dropped. */
async function dropSourceObjects(ctx: TActionContext, access: TPostgresAccess, sourceId: string, names: ReturnType<typeof linkObjectNames>): Promise<string[]> {
  const name = await instanceName(ctx.sql, sourceId);
  return withInstance(ctx.sql, sourceId, access, ctx.signal, async (source) => {
    const dropped: string[] = [];
    for (let i = 0; ; i++) {
      const slot = await findSlot(source, name, names.slot);
      if (!slot) break;
      if (!slot.active) {
        try {
          await source.query(`SELECT pg_drop_replication_slot($1)`, [names.slot]);
          dropped.push(`slot ${names.slot}`);
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== "55006" || i > 50) throw error; // 55006: became active meanwhile
        }
      } else if (i > 25 && slot.activePid !== null) {
        // The subscription is disabled or gone: its walsender is about to exit; end it.
        await source.query(`SELECT pg_terminate_backend($1)`, [slot.activePid]).catch(() => {});
      }
      if (i > 100)
        throw new ActionError(`The slot ${names.slot} on ${name} stays in use`, {
          retryable: true,
          humanAction: `See who uses it (pg_stat_replication on ${name}), stop that client, then retry`,
        });
      await sleep(100, ctx.signal);
    }
    if (await publicationExists(source, name, names.publication)) {
      await serverQuery(source, name, "Dropping the publication", `DROP PUBLICATION ${quoteIdent(names.publication)}`);
      dropped.push(`publication ${names.publication}`);
    }
    // Roles are per server, grants per database: a role that still holds grants in another
    // database of this server is dropped through the instance of that database.
    const elsewhere = await serverQuery<{ n: number }>(
      source,
      name,
      "Reading the replication role's grants",
      `SELECT count(*)::int AS n FROM pg_shdepend d JOIN pg_roles r ON r.oid = d.refobjid
        WHERE r.rolname = $1 AND d.dbid <> (SELECT oid FROM pg_database WHERE datname = current_database()) AND d.dbid <> 0`,
      [names.role],
    );
    if ((elsewhere[0]?.n ?? 0) === 0 && (await roleExists(source, name, names.role))) {
      // The role holds grants in this database only (SELECT, schema usage): revoke them, then drop it.
      await serverQuery(source, name, "Revoking the replication role's grants", `DROP OWNED BY ${quoteIdent(names.role)}`);
      await serverQuery(source, name, "Dropping the replication role", `DROP ROLE ${quoteIdent(names.role)}`);
      dropped.push(`role ${names.role}`);
    }
    return dropped;
  });
}

/** Tables the link's createLink steps created on the target (from the ledger), dropped when still there. */
async function dropCreatedTables(ctx: TActionContext, access: TPostgresAccess, linkId: string, targetId: string): Promise<string[]> {
  const { rows } = await ctx.sql.query<{ t: string }>(
    `SELECT DISTINCT jsonb_array_elements_text(detail->'createdTables') AS t FROM fleet_side_effect
      WHERE target = $1 AND action = 'createLink' AND phase = 'run' AND jsonb_typeof(detail->'createdTables') = 'array'`,
    [`link:${linkId}`],
  );
  if (rows.length === 0) return [];
  const name = await instanceName(ctx.sql, targetId);
  return withInstance(ctx.sql, targetId, access, ctx.signal, async (target) => {
    const dropped: string[] = [];
    for (const { t } of rows) {
      const ref = parseTableName(t);
      const there = await serverQuery<{ r: string | null }>(target, name, "Looking for a created table", `SELECT to_regclass($1)::text AS r`, [qualified(ref)]);
      if (!there[0]?.r) continue;
      await serverQuery(target, name, `Dropping table ${t}`, `DROP TABLE ${qualified(ref)}`);
      dropped.push(t);
    }
    return dropped;
  });
}

async function dropLink(ctx: TActionContext, access: TPostgresAccess, raw: TJsonObject): Promise<TJsonObject> {
  const input = parse(ZDropLink, "dropLink", raw);
  const names = linkObjectNames(input.linkId);
  const row = await findLinkRow(ctx.sql, input.linkId, true);
  let sources: string[];
  let targets: string[];
  if (row) {
    sources = [row.source_id];
    targets = [row.target_id];
  } else {
    // The row is gone (an earlier attempt committed it away, or a compensation runs late): look
    // for the link's objects on every postgres instance of the cluster.
    const { rows } = input.clusterId
      ? await ctx.sql.query<{ id: string }>(`SELECT id FROM instance WHERE cluster_id = $1 AND driver = 'POSTGRES' ORDER BY name`, [input.clusterId])
      : { rows: [] as { id: string }[] };
    const named = input.instanceIds.length
      ? await ctx.sql.query<{ id: string }>(`SELECT id FROM instance WHERE id = ANY($1::uuid[]) AND driver = 'POSTGRES' ORDER BY name`, [input.instanceIds])
      : { rows: [] as { id: string }[] };
    sources = [...new Set([...rows, ...named.rows].map((r) => r.id))];
    targets = sources;
  }
  const done: string[] = [];
  const byHand = (server: string, what: string) => (error: unknown): never => {
    if (!(error instanceof ActionError) || !error.retryable) throw error;
    throw new ActionError(error.message, { retryable: true, humanAction: `${error.humanAction ?? `Start ${server}`}. If ${server} is gone for good, ${what}, then retry` });
  };
  for (const t of targets) {
    const name = await instanceName(ctx.sql, t);
    const dropped = await dropSubscriptionOn(ctx, access, t, names).catch(
      byHand(name, `drop the replication slot ${names.slot} on the source by hand (SELECT pg_drop_replication_slot('${names.slot}')): an abandoned slot keeps the source's WAL forever`),
    );
    if (dropped) done.push(`subscription ${names.subscription}`);
  }
  // Undoing a createLink (compensation), or REMOVE_REPLICA (dropCreatedTables): the tables it
  // created on the target go too, so that the link can be filed again (an ADD_REPLICA into the
  // same standby). A plain REMOVE_LINK keeps them and their rows.
  if ((ctx.phase === "compensate" || input.dropCreatedTables) && row) {
    const dropped = await dropCreatedTables(ctx, access, input.linkId, row.target_id);
    if (dropped.length > 0) done.push(`${dropped.length} table(s) created by the link`);
  }
  for (const s of sources) {
    const name = await instanceName(ctx.sql, s);
    done.push(
      ...(await dropSourceObjects(ctx, access, s, names).catch(
        byHand(name, `nothing is left to drop there (its slot ${names.slot}, publication ${names.publication} and role ${names.role} went with it)`),
      )),
    );
  }
  if (row) {
    await ctx.sql.query(`DELETE FROM replication_link WHERE id = $1`, [input.linkId]);
    done.push("inventory row");
  }
  const output: TJsonObject = {
    alreadyDone: done.length === 0,
    result:
      done.length === 0
        ? "link already gone"
        : `replication stopped; dropped ${done.join(", ")}${ctx.phase === "compensate" || input.dropCreatedTables ? "" : " (the target keeps its tables and rows)"}`,
  };
  if (done.length > 0) await recordSideEffect(ctx, "dropLink", `link:${input.linkId}`, { dropped: done });
  ctx.log(`dropLink: ${String(output.result)}`);
  return output;
}

// ---------------------------------------------------------------------------
// registerInstance: the inventory's, plus the write fence on the server
// ---------------------------------------------------------------------------

/**
 * Registers a real instance with a role (the inventory's registerInstance) after putting its
 * server's write fence where the role wants it (switchover-server.ts's fence/unfence, nothing else):
 * - REPLICA: fenced (database default read-only, client sessions ended). A logical replica is
 *   an ordinary writable server; the apply worker keeps applying on a fenced one, applications
 *   get SQLSTATE 25006.
 * - STANDBY (an empty standby: after REMOVE_REPLICA, or when ADD_REPLICA's register step is
 *   compensated, before its link is dropped): open, like a freshly registered instance. It is in
 *   no traffic route and, once the plan is done, nothing replicates into it. Exception: an
 *   instance detached by a FAILOVER (a former primary: applications may still hold its
 *   address) stays fenced.
 * - PRIMARY: the fence is left as it is (SWITCHOVER's fenceWrites/unfenceWrites own it).
 * The fence runs before the inventory row changes; both are idempotent, so a retry after a
 * crash between them converges.
 */
async function registerInstance(ctx: TActionContext, access: TPostgresAccess, inventory: TDriverAction, raw: TJsonObject): Promise<TJsonObject> {
  const input = parse(ZRegister, "registerInstance", raw);
  let fenceNote = "";
  let fenceChanged = false;
  let fenced: boolean | null = null;
  if (input.role !== "PRIMARY") {
    const { rows } = await ctx.sql.query<{ detached: boolean }>(
      `SELECT COALESCE((SELECT detached FROM fleet_instance_state WHERE instance_id = $1), false) AS detached`,
      [input.instanceId],
    );
    const wantFenced = input.role === "REPLICA" || rows[0]?.detached === true;
    const name = await instanceName(ctx.sql, input.instanceId);
    fenceChanged = await withServers(ctx.sql, access, ctx.signal, [input.instanceId], async (servers) => {
      const server = session(servers, input.instanceId);
      if (wantFenced) return !(await fence(server)).alreadyFenced;
      return !(await unfence(server)).alreadyOpen;
    });
    await setInstanceState(ctx.sql, input.instanceId, { writes_fenced: wantFenced });
    fenced = wantFenced;
    fenceNote = wantFenced
      ? `; writes on ${name} fenced${fenceChanged ? "" : " (already)"}`
      : `; writes on ${name} open${fenceChanged ? "" : " (already)"}`;
  }
  const output = await inventory.run(ctx, raw);
  // The inventory records its own change; a fence change alone is recorded here.
  if (output.alreadyDone === true && fenceChanged)
    await recordSideEffect(ctx, fenced ? "fenceWrites" : "unfenceWrites", `instance:${input.instanceId}`, { fenced });
  return {
    ...output,
    alreadyDone: output.alreadyDone === true && !fenceChanged,
    result: `${String(output.result ?? "registered")}${fenceNote}`,
    ...(fenced === null ? {} : { writesFenced: fenced }),
  };
}

// ---------------------------------------------------------------------------
// Read-only steps
// ---------------------------------------------------------------------------

async function checkLink(ctx: TActionContext, access: TPostgresAccess, raw: TJsonObject): Promise<TJsonObject> {
  const input = parse(ZLinkRef, "checkLink", raw);
  const { row, sourceName, targetName } = await linkEnds(ctx.sql, input.linkId);
  const names = linkObjectNames(input.linkId);
  const sub = await withInstance(ctx.sql, row.target_id, access, ctx.signal, (t) => findSubscription(t, targetName, names.subscription));
  const pub = await withInstance(ctx.sql, row.source_id, access, ctx.signal, (s) => publicationExists(s, sourceName, names.publication));
  const missing = [...(sub ? [] : [`subscription on ${targetName}`]), ...(pub ? [] : [`publication on ${sourceName}`])];
  return {
    result: missing.length === 0 ? `link is ${row.status}${sub?.enabled ? "" : " (subscription disabled)"}` : `link is in the inventory but the servers lack: ${missing.join(", ")}`,
    status: row.status,
    onServers: missing.length === 0,
  };
}

async function waitForCatchUp(ctx: TActionContext, access: TPostgresAccess, raw: TJsonObject): Promise<TJsonObject> {
  const input = parse(ZCatchUp, "waitForCatchUp", raw);
  const { row, sourceName, targetName } = await linkEnds(ctx.sql, input.linkId);
  const names = linkObjectNames(input.linkId);
  return withInstance(ctx.sql, row.target_id, access, ctx.signal, (target) =>
    withInstance(ctx.sql, row.source_id, access, ctx.signal, async (source) => {
      for (let polls = 0; ; polls++) {
        const subRows = await serverQuery<{ enabled: boolean; not_ready: number; total: number }>(
          target,
          targetName,
          "Reading the subscription's tables",
          `SELECT s.subenabled AS enabled, count(r.srrelid) FILTER (WHERE r.srsubstate <> 'r')::int AS not_ready, count(r.srrelid)::int AS total
             FROM pg_subscription s LEFT JOIN pg_subscription_rel r ON r.srsubid = s.oid WHERE s.subname = $1 GROUP BY s.subenabled`,
          [names.subscription],
        );
        const sub = subRows[0];
        if (!sub)
          throw new ActionError(`${targetName} has no subscription ${names.subscription}`, {
            retryable: false,
            humanAction: "The link was removed on the server: remove it (REMOVE_LINK) and add it again",
          });
        if (!sub.enabled)
          throw new ActionError(`The link ${sourceName} -> ${targetName} is paused`, { retryable: true, humanAction: "Resume the link, then retry the step" });
        const lagRows = await serverQuery<{ lag_bytes: string | null; lag_seconds: number | null }>(
          source,
          sourceName,
          "Reading the slot's lag",
          `SELECT GREATEST(pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn), 0)::bigint::text AS lag_bytes,
                  (SELECT EXTRACT(EPOCH FROM COALESCE(r.replay_lag, r.flush_lag, r.write_lag))::float8
                     FROM pg_stat_replication r WHERE r.application_name = $2 ORDER BY r.backend_start DESC LIMIT 1) AS lag_seconds
             FROM pg_replication_slots s WHERE s.slot_name = $1`,
          [names.slot, names.subscription],
        );
        const lag = lagRows[0];
        if (!lag && polls > 50)
          throw new ActionError(`${sourceName} has no replication slot ${names.slot}`, { retryable: true, humanAction: "Check the target's log for apply errors" });
        const lagBytes = lag?.lag_bytes === null || lag?.lag_bytes === undefined ? null : Number(lag.lag_bytes);
        const lagSeconds = lagBytes === 0 ? 0 : (lag?.lag_seconds ?? null);
        const tablesReady = sub.not_ready === 0 && sub.total > 0;
        if (tablesReady && lagBytes !== null && lagSeconds !== null && lagSeconds <= input.maxLagSeconds) {
          await ctx.sql.query(`UPDATE replication_link SET lag_bytes = $2, lag_seconds = $3, updated_at = now() WHERE id = $1`, [
            input.linkId,
            lagBytes,
            lagSeconds,
          ]);
          return {
            result: `every table is ready (${sub.total}); lag ${lagBytes} bytes, ${Math.round(lagSeconds * 10) / 10} s`,
            lagBytes,
            lagSeconds,
            tables: sub.total,
          };
        }
        if (polls % 20 === 0)
          ctx.log(`waitForCatchUp: ${sub.total - sub.not_ready}/${sub.total} table(s) ready, lag ${lagBytes ?? "?"} bytes, ${lagSeconds ?? "?"} s`);
        await sleep(250, ctx.signal);
      }
    }),
  );
}

async function verifyLink(ctx: TActionContext, access: TPostgresAccess, raw: TJsonObject): Promise<TJsonObject> {
  const input = parse(ZLinkRef, "verifyLink", raw);
  const v = await runLinkVerification(ctx.sql, access, input.linkId, { signal: ctx.signal, timeoutMs: 120_000 });
  if (!v.ok)
    throw new ActionError(`Data differs between source and target in ${v.differing.join(", ")}`, {
      retryable: false,
      humanAction: `Compare ${v.differing.join(", ")} on both servers (a write on the target by hand, or a table changed before the link); fix the target's rows or remove and re-add the link, then run Verify data on the link`,
    });
  await storeLinkVerification(ctx.sql, input.linkId, v);
  ctx.log(`verifyLink: ${v.tables.length} table(s) match`);
  return { result: `${v.tables.length} table(s) match (row count and checksum)`, verification: v };
}

async function preflightAction(ctx: TActionContext, access: TPostgresAccess, raw: TJsonObject): Promise<TJsonObject> {
  const input = parse(ZPreflight, "preflightLink", raw);
  const result = await preflightLink(ctx.sql, access, input);
  if (!result.ok) {
    const onlyReachability = result.problems.every((p) => p.code === "UNREACHABLE");
    throw new ActionError(`Preflight failed: ${result.problems.map((p) => p.message).join("; ")}`, {
      retryable: onlyReachability,
      humanAction: onlyReachability ? "Start the server or fix the network, then retry" : "Fix what the preflight lists, then retry the step",
    });
  }
  return { result: `both servers are ready (${result.tables.length} table(s) to replicate)`, tables: result.tables };
}

export const LINK_ACTION_NAMES = ["preflightLink", "createLink", "dropLink", "checkLink", "waitForCatchUp", "verifyLink"] as const;

/** createLink, dropLink, checkLink, waitForCatchUp, verifyLink, preflightLink, registerInstance (with the write fence) on real servers. */
export const linkActions: TPostgresActionGroup = ({ access, inventory }) => {
  const wrap = (fn: (ctx: TActionContext, access: TPostgresAccess, input: TJsonObject) => Promise<TJsonObject>): TDriverAction => ({
    run: (ctx, input) => fn(ctx, access, input),
  });
  return {
    preflightLink: wrap(preflightAction),
    createLink: wrap(createLink),
    dropLink: wrap(dropLink),
    checkLink: wrap(checkLink),
    waitForCatchUp: wrap(waitForCatchUp),
    verifyLink: wrap(verifyLink),
    ...(inventory.registerInstance ? { registerInstance: { run: (ctx, input) => registerInstance(ctx, access, inventory.registerInstance!, input) } satisfies TDriverAction } : {}),
  };
};
