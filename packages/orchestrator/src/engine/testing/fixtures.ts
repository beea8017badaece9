/**
 * Test and soak support: real databases cloned from the migrated template, a seeded fleet, a
 * fleet snapshot for the planners, approved change requests with real plans. Never used by the
 * engine itself.
 */
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { createPrismaClient } from "@meridian/db";
import { withDatabase } from "@meridian/db/migrations";
import { seedDemo } from "@meridian/db/seed";
import { ensureTemplate } from "@meridian/db/testing";
import { assertFleetSchema } from "@meridian/fleet";
import { type TChangeParamsInput } from "@meridian/policy";
import { planHash, type TPlan } from "../../core/plan";
import { planChange } from "../../core/planners";
import { type TFleetSnapshot } from "../../core/snapshot";
import { type TQueryable } from "../execution-store";

export interface TTrialDatabase {
  url: string;
  name: string;
  pool: pg.Pool;
  drop: () => Promise<void>;
}

/**
 * A fresh migrated database on `serverUrl` (cloned from the template), seeded with a small
 * deterministic fleet, with the simulated fleet's tables.
 */
export async function createSeededDatabase(
  serverUrl: string,
  options: { instances?: number; poolMax?: number; seed?: boolean } = {},
): Promise<TTrialDatabase> {
  const template = await ensureTemplate(serverUrl);
  const name = `meridian_engine_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (error) {
        if (attempt < 30 && /being accessed by other users/.test(String(error))) {
          await new Promise((r) => setTimeout(r, 100 + attempt * 50));
          continue;
        }
        throw error;
      }
    }
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  if (options.seed !== false) {
    const prisma = createPrismaClient(url, { max: 2 });
    try {
      await seedDemo(prisma, { instances: options.instances ?? 60 });
    } finally {
      await prisma.$disconnect();
    }
  }
  const pool = new pg.Pool({ connectionString: url, max: options.poolMax ?? 6 });
  pool.on("error", () => {});
  await assertFleetSchema(pool);
  return {
    url,
    name,
    pool,
    drop: async () => {
      await pool.end().catch(() => {});
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * A fresh migrated database holding exactly `snapshot` (e.g. the planners' test fleet): places,
 * a requester and a DBA, teams, clusters, instances, links; plus the simulated fleet's tables.
 */
export async function createFleetDatabase(serverUrl: string, snapshot: TFleetSnapshot): Promise<TTrialDatabase> {
  const db = await createSeededDatabase(serverUrl, { seed: false });
  const q = (sql: string, params: unknown[]) => db.pool.query(sql, params);
  const jurisdictions = [...new Set([...snapshot.dataCenters.map((d) => d.jurisdiction), ...snapshot.clusters.flatMap((c) => [c.homeJurisdiction, ...c.allowedJurisdictions])])];
  for (const j of jurisdictions) {
    await q(`INSERT INTO jurisdiction (code, name) VALUES ($1, $2)`, [j, j]);
    await q(`INSERT INTO region (code, name, jurisdiction_code) VALUES ($1, $2, $3)`, [`${j.toLowerCase()}-test`, j, j]);
  }
  for (const d of snapshot.dataCenters)
    await q(
      `INSERT INTO data_center (id, code, name, city, country, latitude, longitude, region_code, jurisdiction_code, provider, status, capacity_slots, updated_at)
       VALUES ($1, $2, $7, $7, 'XX', 0, 0, $3, $4, 'test', $5::"DataCenterStatus", $6, now())`,
      [d.id, d.code, `${d.jurisdiction.toLowerCase()}-test`, d.jurisdiction, d.status, d.capacitySlots, d.code],
    );
  await q(
    `INSERT INTO app_user (id, email, name, roles) VALUES (gen_random_uuid(), 'engineer@meridian.local', 'Engineer', '{ENGINEER}'),
                                                           (gen_random_uuid(), 'dba@meridian.local', 'DBA', '{DBA}')`,
    [],
  );
  for (const c of snapshot.clusters) {
    await q(`INSERT INTO team (id, slug, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [c.teamId, c.teamSlug, c.teamSlug]);
    await q(
      `INSERT INTO cluster (id, name, engine, engine_version, team_id, tier, classification, home_jurisdiction_code, allowed_jurisdictions,
                            rpo_seconds, rto_seconds, updated_at)
       VALUES ($1, $2, 'POSTGRESQL', '17.2', $3, $4::"Tier", $5::"DataClassification", $6, $7, $8, 600, now())`,
      [c.id, c.name, c.teamId, c.tier, c.classification, c.homeJurisdiction, c.allowedJurisdictions, c.rpoSeconds],
    );
    for (const i of c.instances)
      await q(
        `INSERT INTO instance (id, name, cluster_id, data_center_id, role, endpoint, version, health, updated_at)
         VALUES ($1, $2, $3, $4, $5::"InstanceRole", $7, '17.2', $6::"HealthStatus", now())`,
        [i.id, i.name, c.id, i.dataCenterId, i.role, i.health, `${i.name}:5432`],
      );
  }
  for (const c of snapshot.clusters)
    for (const l of c.links)
      await q(
        `INSERT INTO replication_link (id, source_id, target_id, mode, status, lag_seconds, updated_at)
         VALUES ($1, $2, $3, $4::"ReplicationMode", $5::"LinkStatus", $6, now())`,
        [l.id, l.sourceId, l.targetId, l.mode, l.status, l.lagSeconds ?? 0],
      );
  return db;
}

/** The whole fleet as the planners see it (test fleets are small). */
export async function loadFleetSnapshot(db: TQueryable): Promise<TFleetSnapshot> {
  const dcs = await db.query<{ id: string; code: string; jurisdiction: string; status: string; capacity: number; used: number }>(
    `SELECT d.id, d.code, d.jurisdiction_code AS jurisdiction, d.status::text AS status, d.capacity_slots AS capacity,
            (SELECT count(*)::int FROM instance i WHERE i.data_center_id = d.id) AS used
       FROM data_center d ORDER BY d.code`,
  );
  const clusters = await db.query<{
    id: string;
    name: string;
    team_id: string;
    team_slug: string;
    tier: string;
    classification: string;
    home: string;
    allowed: string[];
    rpo: number;
  }>(
    `SELECT c.id, c.name, c.team_id, t.slug AS team_slug, c.tier::text AS tier, c.classification::text AS classification,
            c.home_jurisdiction_code AS home, c.allowed_jurisdictions AS allowed, c.rpo_seconds AS rpo
       FROM cluster c JOIN team t ON t.id = c.team_id ORDER BY c.name`,
  );
  const instances = await db.query<{ id: string; name: string; role: string; data_center_id: string; health: string; cluster_id: string }>(
    `SELECT id, name, role::text AS role, data_center_id, health::text AS health, cluster_id FROM instance ORDER BY name`,
  );
  const links = await db.query<{
    id: string;
    source_id: string;
    target_id: string;
    mode: string;
    status: string;
    lag_seconds: number;
    cluster_id: string;
  }>(
    `SELECT l.id, l.source_id, l.target_id, l.mode::text AS mode, l.status::text AS status, l.lag_seconds, i.cluster_id
       FROM replication_link l JOIN instance i ON i.id = l.source_id ORDER BY l.id`,
  );
  return {
    dataCenters: dcs.rows.map((d) => ({
      id: d.id,
      code: d.code,
      jurisdiction: d.jurisdiction,
      status: d.status as TFleetSnapshot["dataCenters"][number]["status"],
      capacitySlots: d.capacity,
      usedSlots: d.used,
    })),
    clusters: clusters.rows.map((c) => ({
      id: c.id,
      name: c.name,
      teamId: c.team_id,
      teamSlug: c.team_slug,
      tier: c.tier as TFleetSnapshot["clusters"][number]["tier"],
      classification: c.classification as TFleetSnapshot["clusters"][number]["classification"],
      homeJurisdiction: c.home,
      allowedJurisdictions: c.allowed,
      rpoSeconds: c.rpo,
      instances: instances.rows
        .filter((i) => i.cluster_id === c.id)
        .map((i) => ({
          id: i.id,
          name: i.name,
          role: i.role as "PRIMARY",
          dataCenterId: i.data_center_id,
          health: i.health as "UP",
        })),
      links: links.rows
        .filter((l) => l.cluster_id === c.id)
        .map((l) => ({
          id: l.id,
          sourceId: l.source_id,
          targetId: l.target_id,
          mode: l.mode as "LOGICAL",
          status: l.status as "ACTIVE",
          lagSeconds: l.lag_seconds,
        })),
    })),
  };
}

/** Inserts a change request with the given plan, APPROVED (or another status) by default. */
export async function insertRequest(
  db: TQueryable,
  args: {
    id?: string;
    kind: TPlan["kind"];
    params: unknown;
    plan: TPlan;
    clusterId: string | null;
    status?: string;
    windowStart?: Date | null;
    windowEnd?: Date | null;
  },
): Promise<string> {
  const id = args.id ?? randomUUID();
  const users = await db.query<{ id: string; email: string }>(
    `SELECT id, email FROM app_user WHERE email IN ('engineer@meridian.local', 'dba@meridian.local')`,
  );
  const requester = { rows: users.rows.filter((u) => u.email === "engineer@meridian.local") };
  const approver = users.rows.find((u) => u.email === "dba@meridian.local");
  await db.query(
    `INSERT INTO change_request (id, kind, title, parameters, cluster_id, plan, plan_hash, requester_id, status, window_start, window_end,
                                 risk_reasons, updated_at)
     VALUES ($1, $2::"ChangeKind", $3, $4, $5, $6, $7, $8, $9::"ChangeStatus", $10, $11, '{}', now())`,
    [
      id,
      args.kind,
      `${args.kind} (test)`,
      JSON.stringify(args.params),
      args.clusterId,
      JSON.stringify(args.plan),
      planHash(args.plan),
      requester.rows[0]?.id,
      args.status ?? "APPROVED",
      args.windowStart ?? null,
      args.windowEnd ?? null,
    ],
  );
  const status = args.status ?? "APPROVED";
  if (status === "APPROVED" || status === "SCHEDULED" || status === "RUNNING") await approve(db, id, approver?.id);
  return id;
}

/** Records a DBA's approval of the request's current plan hash (what the API does on approval). */
export async function approve(db: TQueryable, requestId: string, approverId?: string): Promise<void> {
  await db.query(
    `INSERT INTO approval (id, request_id, stage, approver_id, decision, plan_hash)
     SELECT gen_random_uuid(), r.id, 'dba', COALESCE($2, (SELECT id FROM app_user WHERE email = 'dba@meridian.local')), 'APPROVE', r.plan_hash
       FROM change_request r WHERE r.id = $1`,
    [requestId, approverId ?? null],
  );
}

/**
 * Picks `count` ADD_REPLICA changes that the planner accepts, each planned against the fleet
 * as the previous ones leave it (so capacity adds up), and files them as approved requests.
 * `adjust` may rewrite a plan (shorter retries for tests); the stored hash is the adjusted plan's.
 */
export async function fileAddReplicaRequests(
  db: TQueryable,
  count: number,
  adjust: (plan: TPlan, i: number) => TPlan = (p) => p,
  status = "APPROVED",
): Promise<Array<{ requestId: string; plan: TPlan; clusterId: string; dataCenterId: string }>> {
  let snapshot = await loadFleetSnapshot(db);
  const out: Array<{ requestId: string; plan: TPlan; clusterId: string; dataCenterId: string }> = [];
  let cursor = 0;
  const clusters = snapshot.clusters.filter((c) => c.instances.some((i) => i.role === "PRIMARY" && i.health !== "DOWN"));
  if (clusters.length === 0) throw new Error("The seeded fleet has no cluster with a healthy primary");
  for (let guard = 0; out.length < count && guard < count * 50; guard++) {
    const cluster = clusters[cursor % clusters.length] as (typeof clusters)[number];
    const current = snapshot.clusters.find((c) => c.id === cluster.id) ?? cluster;
    const dc = snapshot.dataCenters
      .filter((d) => d.status === "ACTIVE" && d.capacitySlots - d.usedSlots > 0 && !current.instances.some((i) => i.dataCenterId === d.id))
      .sort((a, b) => b.capacitySlots - b.usedSlots - (a.capacitySlots - a.usedSlots) || a.code.localeCompare(b.code))[
      (cursor * 7) % 3
    ];
    cursor += 1;
    if (!dc) continue;
    const requestId = randomUUID();
    const params: TChangeParamsInput = { kind: "ADD_REPLICA", clusterId: cluster.id, dataCenterId: dc.id, mode: "LOGICAL" };
    let planned;
    try {
      planned = planChange(params, snapshot, { requestId });
    } catch {
      continue;
    }
    const plan = adjust(planned.plan, out.length);
    await insertRequest(db, { id: requestId, kind: "ADD_REPLICA", params, plan, clusterId: cluster.id, status });
    snapshot = planned.after;
    out.push({ requestId, plan, clusterId: cluster.id, dataCenterId: dc.id });
  }
  if (out.length < count) throw new Error(`Only ${out.length} of ${count} ADD_REPLICA changes could be planned`);
  return out;
}

/** Short retries and timeouts, so that failure paths run in milliseconds. */
export function withFastRetries(plan: TPlan, maxAttempts = 3, backoffMs = 10, timeoutMs = 5_000): TPlan {
  return { ...plan, steps: plan.steps.map((s) => ({ ...s, retry: { maxAttempts, backoffMs }, timeoutMs })) };
}

/** Waits until `predicate` returns a truthy value; throws after `timeoutMs`. */
export async function waitFor<T>(predicate: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function executionStatus(db: TQueryable, executionId: string): Promise<string> {
  const { rows } = await db.query<{ status: string }>(`SELECT status::text AS status FROM execution WHERE id = $1`, [executionId]);
  return rows[0]?.status ?? "MISSING";
}

export async function waitForStatus(db: TQueryable, executionId: string, statuses: string[], timeoutMs = 20_000): Promise<string> {
  return waitFor(
    async () => {
      const s = await executionStatus(db, executionId);
      return statuses.includes(s) ? s : null;
    },
    timeoutMs,
    `execution ${executionId} to be ${statuses.join(" or ")}`,
  );
}
