import { randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { encryptCredential } from "../credentials";
import { runLinkVerification, storeLinkVerification } from "../postgres/link-actions";
import { publicationName, replicationRoleName, slotName, subscriptionName } from "../postgres/names";
import { ensureFenced, setInstanceState } from "../postgres/switchover-server";
import { LAB_CLUSTER, LAB_DATABASE, LAB_JURISDICTIONS, LAB_SCHEMA_SQL, LAB_TEAM_SLUG } from "./lab-plan";
import { type TLabServer, withAdmin } from "./lab-servers";

/**
 * Registers the lab's servers as real POSTGRES instances of the demo cluster `lab-orders`, in
 * plain SQL on the metadata database. Idempotent across restarts: instances are matched by
 * name and get their new endpoint (ports change each start) and a credential encrypted for
 * this start's password; subscriptions on lab servers that point at a lab server's former port
 * are repointed. On first registration (or when a server's data folder was new) it builds the
 * initial topology: the primary with a real logical replication link to the second member,
 * under the object names of postgres/names.ts, recorded as a LOGICAL `replication_link`; the
 * other members stay empty STANDBY instances that change requests can target.
 *
 * Write fence: at every start, each member the inventory calls REPLICA (the bootstrap replica,
 * or one made by ADD_REPLICA / SWITCHOVER since) is fenced with the postgres driver's fence
 * (switchover-server.ts: database default read-only, client sessions ended): an application
 * write there fails with SQLSTATE 25006 while the apply worker keeps applying. The fence is a
 * database setting, so it survives a restart; re-applying it repairs a fence lifted by hand.
 */
export interface TRegisteredLab {
  clusterId: string;
  instances: Array<{ id: string; name: string; port: number; role: string; dataCenterCode: string }>;
  /** The bootstrap link, when this start created it. */
  createdLinkId: string | null;
}

type TMeta = Pick<pg.Pool, "query">;

export class LabRegistrationError extends Error {}

export async function registerLab(meta: TMeta, credentialKey: Buffer, servers: TLabServer[], log: (line: string) => void): Promise<TRegisteredLab> {
  const codes = servers.map((s) => s.member.dataCenterCode);
  const { rows: dcs } = await meta.query<{ id: string; code: string; jurisdiction_code: string }>(
    "SELECT id::text, code, jurisdiction_code FROM data_center WHERE code = ANY($1)",
    [codes],
  );
  const missing = codes.filter((c) => !dcs.some((d) => d.code === c));
  if (missing.length)
    throw new LabRegistrationError(`The metadata database has no data center ${missing.join(", ")}: seed the demo fleet first (npm start does, or pnpm db:seed)`);
  const { rows: teams } = await meta.query<{ id: string }>(
    "SELECT id::text FROM team ORDER BY (slug = $1) DESC, slug LIMIT 1",
    [LAB_TEAM_SLUG],
  );
  if (!teams[0]) throw new LabRegistrationError("The metadata database has no team: seed the demo fleet first");
  const version = servers[0]?.version ?? "";
  const allowed = [...new Set([...LAB_JURISDICTIONS, ...dcs.map((d) => d.jurisdiction_code)])];
  const { rows: clusterRows } = await meta.query<{ id: string; inserted: boolean }>(
    `INSERT INTO cluster (id, name, engine, engine_version, team_id, tier, classification, home_jurisdiction_code,
                          allowed_jurisdictions, rpo_seconds, rto_seconds, description, updated_at)
     VALUES (gen_random_uuid(), $1, 'POSTGRESQL', $2, $3, 'T2', 'CONFIDENTIAL', 'EU', $4, 60, 300,
             'Local lab: embedded PostgreSQL servers on this machine (pnpm lab / npm start), written to by a small load generator', now())
     ON CONFLICT (name) DO UPDATE SET engine_version = EXCLUDED.engine_version,
            allowed_jurisdictions = (SELECT array_agg(DISTINCT j) FROM unnest(cluster.allowed_jurisdictions || EXCLUDED.allowed_jurisdictions) j),
            updated_at = now()
     RETURNING id::text, (xmax = 0) AS inserted`,
    [LAB_CLUSTER, version.slice(0, 32), teams[0].id, allowed],
  );
  const cluster = clusterRows[0];
  if (!cluster) throw new LabRegistrationError("The lab cluster could not be registered");

  const names = servers.map((s) => s.member.name);
  const { rows: existing } = await meta.query<{ id: string; name: string; endpoint: string; role: string }>(
    "SELECT id::text, name, endpoint, role::text AS role FROM instance WHERE name = ANY($1)",
    [names],
  );
  const byName = new Map(existing.map((r) => [r.name, r]));
  const ids = servers.map((s) => byName.get(s.member.name)?.id ?? randomUUID());
  const { rows: labLinks } = await meta.query<{ id: string }>(
    "SELECT id::text FROM replication_link WHERE source_id = ANY($1::uuid[]) OR target_id = ANY($1::uuid[])",
    [ids],
  );
  const anyFresh = servers.some((s) => s.fresh);
  // New data folders under old inventory rows: the servers know nothing of the old topology.
  const rebuild = anyFresh && existing.length > 0;
  if (rebuild) {
    log("lab: a server's data folder is new: resetting the lab's topology in the inventory");
    await meta.query("DELETE FROM replication_link WHERE source_id = ANY($1::uuid[]) OR target_id = ANY($1::uuid[])", [ids]);
    await meta.query("DELETE FROM drift_finding WHERE instance_id = ANY($1::uuid[])", [ids]);
  }

  // Former port -> the lab server now behind that name (to repoint subscriptions).
  const portMoves = new Map<number, number>();
  for (const s of servers) {
    const old = byName.get(s.member.name);
    const oldPort = old ? Number(/:(\d+)$/.exec(old.endpoint)?.[1]) : NaN;
    if (Number.isFinite(oldPort) && oldPort !== s.port) portMoves.set(oldPort, s.port);
  }

  const dcId = new Map(dcs.map((d) => [d.code, d.id]));
  const instances: TRegisteredLab["instances"] = [];
  for (const [i, s] of servers.entries()) {
    const id = ids[i] as string;
    const old = byName.get(s.member.name);
    const role = !old || rebuild ? s.member.initialRole : old.role;
    await meta.query(
      `INSERT INTO instance (id, name, cluster_id, data_center_id, role, driver, endpoint, version, health, credential_ciphertext,
                             database_name, failure_streak, success_streak, updated_at)
       VALUES ($1, $2, $3, $4, $5::"InstanceRole", 'POSTGRES', $6, $7, 'UNKNOWN', $8, $9, 0, 0, now())
       ON CONFLICT (name) DO UPDATE SET endpoint = EXCLUDED.endpoint, version = EXCLUDED.version, driver = 'POSTGRES',
              credential_ciphertext = EXCLUDED.credential_ciphertext, database_name = EXCLUDED.database_name,
              role = EXCLUDED.role, updated_at = now()`,
      [id, s.member.name, cluster.id, dcId.get(s.member.dataCenterCode), role, `127.0.0.1:${s.port}`, s.version.slice(0, 32),
        encryptCredential(credentialKey, id, s.credential), LAB_DATABASE],
    );
    instances.push({ id, name: s.member.name, port: s.port, role, dataCenterCode: s.member.dataCenterCode });
  }

  if (portMoves.size) await repointSubscriptions(servers, portMoves, log);

  let createdLinkId: string | null = null;
  if (labLinks.length === 0 || rebuild) {
    const primary = servers.find((s) => s.member.initialRole === "PRIMARY");
    const replica = servers.find((s) => s.member.initialRole === "REPLICA");
    const primaryRow = instances.find((r) => r.name === primary?.member.name);
    const replicaRow = instances.find((r) => r.name === replica?.member.name);
    if (primary && replica && primaryRow && replicaRow && (cluster.inserted || anyFresh)) {
      createdLinkId = await bootstrapLink(meta, credentialKey, primary, replica, primaryRow.id, replicaRow.id, log);
    }
  }
  await fenceReplicas(meta, servers, instances, log);
  return { clusterId: cluster.id, instances, createdLinkId };
}

/** Fences every REPLICA of the lab (never a PRIMARY or an empty STANDBY) and records it in the inventory. */
async function fenceReplicas(meta: TMeta, servers: TLabServer[], instances: TRegisteredLab["instances"], log: (line: string) => void): Promise<void> {
  for (const row of instances.filter((i) => i.role === "REPLICA")) {
    const server = servers.find((s) => s.member.name === row.name);
    if (!server) continue;
    const fencedNow = await withAdmin(server.admin, (client) =>
      ensureFenced({ instanceId: row.id, name: row.name, database: LAB_DATABASE, host: "127.0.0.1", port: server.port, client }),
    );
    await setInstanceState(meta, row.id, { writes_fenced: true });
    if (fencedNow) log(`lab: writes on replica ${row.name} fenced (applications get read-only errors; replication still applies)`);
  }
}

/** Rewrites `port=` of subscriptions on lab servers whose publisher was a lab server's former port. */
async function repointSubscriptions(servers: TLabServer[], moves: Map<number, number>, log: (line: string) => void): Promise<void> {
  for (const s of servers) {
    await withAdmin(s.admin, async (c) => {
      const { rows } = await c.query<{ subname: string; subconninfo: string }>(
        "SELECT subname, subconninfo FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
      );
      for (const row of rows) {
        const m = /(^|\s)port=(\d+)(\s|$)/.exec(row.subconninfo);
        const local = /(^|\s)host=(127\.0\.0\.1|localhost)(\s|$)/.test(row.subconninfo);
        const to = m ? moves.get(Number(m[2])) : undefined;
        if (!m || !local || !to) continue;
        const conninfo = row.subconninfo.replace(/(^|\s)port=\d+(?=\s|$)/, `$1port=${to}`);
        // The conninfo holds the link role's password: it goes to the server only, never to a log.
        await c.query(`ALTER SUBSCRIPTION ${c.escapeIdentifier(row.subname)} CONNECTION ${c.escapeLiteral(conninfo)}`);
        log(`lab: repointed subscription ${row.subname} on ${s.member.name} to port ${to}`);
      }
    });
  }
}

/**
 * The initial link, built the way the postgres driver names its objects: a per-link replication
 * role and a publication on the source, a subscription (creating the slot) on the target. The
 * demo schema is created on both first (empty, before the load generator starts); the link is
 * then verified by the driver's own verification (runLinkVerification).
 */
async function bootstrapLink(
  meta: TMeta,
  credentialKey: Buffer,
  primary: TLabServer,
  replica: TLabServer,
  sourceId: string,
  targetId: string,
  log: (line: string) => void,
): Promise<string> {
  const linkId = randomUUID();
  const role = replicationRoleName(linkId);
  const pub = publicationName(linkId);
  const sub = subscriptionName(linkId);
  const slot = slotName(linkId);
  const password = randomBytes(18).toString("base64url");
  await withAdmin(primary.admin, async (c) => {
    await c.query(LAB_SCHEMA_SQL);
    await c.query(`CREATE ROLE ${role} WITH LOGIN REPLICATION PASSWORD ${c.escapeLiteral(password)}`);
    await c.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await c.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
    await c.query(`CREATE PUBLICATION ${pub} FOR ALL TABLES`);
  });
  const tables = await withAdmin(replica.admin, async (c) => {
    await c.query(LAB_SCHEMA_SQL);
    const conninfo = `host=127.0.0.1 port=${primary.port} dbname=${LAB_DATABASE} user=${role} password=${password}`;
    await c.query(`CREATE SUBSCRIPTION ${sub} CONNECTION ${c.escapeLiteral(conninfo)} PUBLICATION ${pub} WITH (slot_name = ${c.escapeLiteral(slot)})`);
    for (let i = 0; i < 300; i++) {
      const { rows } = await c.query<{ waiting: number }>(
        "SELECT count(*) FILTER (WHERE srsubstate <> 'r')::int AS waiting FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid WHERE s.subname = $1",
        [sub],
      );
      if ((rows[0]?.waiting ?? 1) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const { rows } = await c.query<{ t: string }>(
      "SELECT r.srrelid::regclass::text AS t FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid WHERE s.subname = $1 ORDER BY 1",
      [sub],
    );
    return rows.map((r) => r.t);
  });
  // The link row first (CATCHING_UP), then the driver's own verification (row count and
  // checksum per table, after the target confirmed the source's LSN): a pass makes it ACTIVE.
  await meta.query(
    `INSERT INTO replication_link (id, source_id, target_id, mode, status, lag_bytes, lag_seconds, tables, updated_at)
     VALUES ($1, $2, $3, 'LOGICAL', 'CATCHING_UP', 0, 0, '{}', now())`,
    [linkId, sourceId, targetId],
  );
  try {
    const verification = await runLinkVerification(meta, { credentialKey }, linkId, { timeoutMs: 30_000 });
    await storeLinkVerification(meta, linkId, verification);
    if (!verification.ok) log(`lab: the new link's verification found differences in ${verification.differing.join(", ")}`);
  } catch (error) {
    log(`lab: the new link could not be verified yet (${error instanceof Error ? error.message : String(error)}): verify it from its page`);
  }
  log(`lab: logical replication ${primary.member.name} -> ${replica.member.name} (link ${linkId}, ${tables.length} tables)`);
  return linkId;
}
