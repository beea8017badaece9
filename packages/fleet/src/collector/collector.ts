import { createHash } from "node:crypto";
import pg from "pg";
import { clientConfig, describePgError, parseEndpoint } from "../postgres/connect";
import {
  driftOf,
  healthDetailOf,
  nextHealth,
  observedRoleOf,
  observeLink,
  type TDrift,
  type THealth,
  type TInventoryLink,
  type TLinkObservation,
} from "./evaluate";
import { probeInstance, type TProbeResult } from "./probe";

/**
 * The health and lag collector: every `intervalMs` it polls each POSTGRES instance of the
 * inventory (bounded concurrency, per-instance timeout), then writes what it saw in one
 * metadata transaction: `health_sample` per instance, `lag_sample` per link, the instance's
 * health (with hysteresis, evaluate.ts), streaks, last poll detail and observed role, the link's
 * lag and status, and drift findings (opened, refreshed, closed). Plain SQL through `pg`.
 *
 * Connections to managed servers are kept open between cycles (one per instance, reopened when
 * the endpoint, database or credential changes, or after an error), so a cycle costs one query
 * per instance. Credentials are decrypted only into those connections' parameters.
 */
export interface TCollectorOptions {
  /** Metadata database. */
  databaseUrl: string;
  /** AES-256-GCM key of the stored credentials. */
  credentialKey: Buffer;
  intervalMs?: number;
  /** Instances polled at once (default 32). */
  concurrency?: number;
  /** Connect + probe budget per instance (default min(3000, interval)). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface TInstancePoll {
  instanceId: string;
  name: string;
  ok: boolean;
  ms: number;
  health: THealth;
  detail: string;
}

export interface TCycleResult {
  startedAt: Date;
  ms: number;
  /** Time spent polling servers (the rest is bookkeeping in the metadata database). */
  pollMs: number;
  instances: TInstancePoll[];
  links: Array<{ linkId: string } & TLinkObservation>;
  openDrift: number;
}

export interface TCollector {
  runCycle: () => Promise<TCycleResult>;
  /** Starts the loop (first cycle at once). */
  start: () => void;
  stop: () => Promise<void>;
  readonly lastCycle: TCycleResult | null;
}

interface TInstanceRow extends Record<string, unknown> {
  id: string;
  name: string;
  endpoint: string;
  database_name: string | null;
  credential_ciphertext: string | null;
  role: "PRIMARY" | "REPLICA" | "STANDBY";
  health: THealth;
  failure_streak: number;
  success_streak: number;
}

interface TLinkRow extends Record<string, unknown> {
  id: string;
  source_id: string;
  target_id: string;
  status: TInventoryLink["status"];
  verified: boolean;
  age_ms: number;
}

interface TCachedClient {
  key: string;
  client: pg.Client;
}

/** Advisory lock key of the polling collector ("meridian-collector"). */
const COLLECTOR_LOCK = 0x6d657269_6469616en;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export function createCollector(options: TCollectorOptions): TCollector {
  const intervalMs = options.intervalMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? Math.min(3_000, intervalMs);
  const concurrency = options.concurrency ?? 32;
  const log = options.log ?? (() => {});
  const meta = new pg.Pool({ connectionString: options.databaseUrl, max: 3, application_name: "meridian-collector" });
  meta.on("error", () => {});
  const clients = new Map<string, TCachedClient>();
  /** Per link: when its walsender was last seen streaming (lag seconds while it does not). */
  const lastStreamingAt = new Map<string, number>();
  let lastCycle: TCycleResult | null = null;

  const dropClient = (id: string) => {
    const cached = clients.get(id);
    clients.delete(id);
    if (cached) void cached.client.end().catch(() => {});
  };

  async function clientFor(row: TInstanceRow): Promise<pg.Client> {
    const key = createHash("sha256")
      .update(`${row.endpoint}\n${row.database_name ?? ""}\n${row.credential_ciphertext ?? ""}`)
      .digest("hex");
    const cached = clients.get(row.id);
    if (cached && cached.key === key) return cached.client;
    if (cached) dropClient(row.id);
    const { host, port } = parseEndpoint(row.endpoint);
    const config = clientConfig(
      { id: row.id, name: row.name, host, port, database: row.database_name ?? "postgres", driver: "POSTGRES", credentialCiphertext: row.credential_ciphertext },
      { credentialKey: options.credentialKey, connectTimeoutMs: timeoutMs, applicationName: "meridian-collector" },
    );
    const client = new pg.Client({ ...config, query_timeout: timeoutMs, statement_timeout: timeoutMs });
    client.on("error", () => dropClient(row.id));
    client.on("end", () => {
      if (clients.get(row.id)?.client === client) clients.delete(row.id);
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    clients.set(row.id, { key, client });
    return client;
  }

  async function poll(row: TInstanceRow): Promise<{ row: TInstanceRow; probe: TProbeResult | null; ms: number; error: string | null }> {
    const t = performance.now();
    const attempt = () => withTimeout((async () => probeInstance(await clientFor(row)))(), timeoutMs, "poll");
    const kept = clients.has(row.id);
    try {
      return { row, probe: await attempt(), ms: Math.round(performance.now() - t), error: null };
    } catch (error) {
      dropClient(row.id);
      // A kept connection may have been ended by the server (a restart, a switchover ending
      // client sessions): one fresh connection decides, within the same budget.
      if (kept && performance.now() - t < timeoutMs / 2) {
        try {
          return { row, probe: await attempt(), ms: Math.round(performance.now() - t), error: null };
        } catch (again) {
          dropClient(row.id);
          return { row, probe: null, ms: Math.round(performance.now() - t), error: describePgError(again) };
        }
      }
      return { row, probe: null, ms: Math.round(performance.now() - t), error: describePgError(error) };
    }
  }

  async function runCycle(): Promise<TCycleResult> {
    const startedAt = new Date();
    const t0 = performance.now();
    const { rows: instances } = await meta.query<TInstanceRow>(
      `SELECT id::text, name, endpoint, database_name, credential_ciphertext, role::text AS role, health::text AS health,
              failure_streak, success_streak
         FROM instance WHERE driver = 'POSTGRES' ORDER BY name`,
    );
    const { rows: linkRows } = await meta.query<TLinkRow>(
      `SELECT l.id::text, l.source_id::text, l.target_id::text, l.status::text AS status,
              -- A stored verification that passed (a failed one also sets verified_at).
              COALESCE((l.verification->>'ok')::boolean, false) AS verified,
              (extract(epoch FROM (now() - l.created_at)) * 1000)::float8 AS age_ms
         FROM replication_link l
         JOIN instance s ON s.id = l.source_id AND s.driver = 'POSTGRES'
         JOIN instance t ON t.id = l.target_id AND t.driver = 'POSTGRES'
        WHERE l.mode = 'LOGICAL'`,
    );
    const links: TInventoryLink[] = linkRows.map((l) => ({
      id: l.id,
      sourceId: l.source_id,
      targetId: l.target_id,
      status: l.status,
      verified: l.verified,
      ageMs: Number(l.age_ms),
    }));
    const linksById = new Map(links.map((l) => [l.id, l]));
    const live = new Set(instances.map((i) => i.id));
    for (const id of [...clients.keys()]) if (!live.has(id)) dropClient(id);

    const tPoll = performance.now();
    const polls = await mapLimit(instances, concurrency, poll);
    const pollMs = Math.round(performance.now() - tPoll);
    const probes = new Map(polls.filter((p) => p.probe).map((p) => [p.row.id, p.probe as TProbeResult]));
    const now = Date.now();

    const results: TInstancePoll[] = [];
    const inst = { id: [] as string[], health: [] as string[], fail: [] as number[], succ: [] as number[], detail: [] as string[], role: [] as (string | null)[], ok: [] as boolean[] };
    for (const p of polls) {
      const next = nextHealth({ health: p.row.health, failureStreak: p.row.failure_streak, successStreak: p.row.success_streak }, p.probe !== null);
      const detail = p.probe
        ? healthDetailOf(p.probe, p.ms, p.row.role)
        : `unreachable: ${p.error ?? "unknown error"} (${next.failureStreak} failed poll${next.failureStreak === 1 ? "" : "s"} in a row)`;
      results.push({ instanceId: p.row.id, name: p.row.name, ok: p.probe !== null, ms: p.ms, health: next.health, detail });
      inst.id.push(p.row.id);
      inst.health.push(next.health);
      inst.fail.push(next.failureStreak);
      inst.succ.push(next.successStreak);
      inst.detail.push(detail);
      inst.role.push(p.probe ? observedRoleOf(p.probe) : null);
      inst.ok.push(p.probe !== null);
    }

    const observations: Array<{ linkId: string } & TLinkObservation> = [];
    for (const link of links) {
      const source = probes.get(link.sourceId) ?? null;
      const target = probes.get(link.targetId) ?? null;
      const seen = observeLink(link, source, target, lastStreamingAt.get(link.id) ?? now, now);
      if (!seen) continue;
      if (seen.streaming || seen.lagBytes === 0) lastStreamingAt.set(link.id, now);
      else if (!lastStreamingAt.has(link.id)) lastStreamingAt.set(link.id, now);
      observations.push({ linkId: link.id, ...seen });
    }

    const drift: Array<TDrift & { instanceId: string }> = [];
    for (const p of polls) {
      if (!p.probe) continue;
      for (const d of driftOf({ id: p.row.id, role: p.row.role }, p.probe, linksById)) drift.push({ ...d, instanceId: p.row.id });
    }
    const reachable = polls.filter((p) => p.probe).map((p) => p.row.id);

    const client = await meta.connect();
    let openDrift = 0;
    try {
      await client.query("BEGIN");
      if (inst.id.length) {
        await client.query(
          `UPDATE instance i SET
               health = u.health::"HealthStatus",
               failure_streak = u.fail, success_streak = u.succ, health_detail = u.detail,
               observed_role = COALESCE(u.role, i.observed_role),
               last_seen_at = CASE WHEN u.ok THEN now() ELSE i.last_seen_at END,
               updated_at = CASE WHEN i.health::text <> u.health THEN now() ELSE i.updated_at END
             FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[], $7::bool[])
                  AS u(id, health, fail, succ, detail, role, ok)
            WHERE i.id = u.id`,
          [inst.id, inst.health, inst.fail, inst.succ, inst.detail, inst.role, inst.ok],
        );
        await client.query(
          `INSERT INTO health_sample (instance_id, at, health, detail)
           SELECT u.id, now(), u.health::"HealthStatus", u.detail FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(id, health, detail)`,
          [inst.id, inst.health, inst.detail],
        );
      }
      if (observations.length) {
        const ids = observations.map((o) => o.linkId);
        const bytes = observations.map((o) => String(o.lagBytes));
        const secs = observations.map((o) => o.lagSeconds);
        const status = observations.map((o) => o.status);
        await client.query(
          `UPDATE replication_link l SET lag_bytes = u.bytes, lag_seconds = u.secs, status = u.status::"LinkStatus",
                  updated_at = CASE WHEN l.status::text <> u.status THEN now() ELSE l.updated_at END
             FROM unnest($1::uuid[], $2::bigint[], $3::float8[], $4::text[]) AS u(id, bytes, secs, status)
            WHERE l.id = u.id`,
          [ids, bytes, secs, status],
        );
        await client.query(
          `INSERT INTO lag_sample (link_id, at, lag_bytes, lag_seconds)
           SELECT u.id, now(), u.bytes, u.secs FROM unnest($1::uuid[], $2::bigint[], $3::float8[]) AS u(id, bytes, secs)`,
          [ids, bytes, secs],
        );
      }
      if (drift.length) {
        await client.query(
          `INSERT INTO drift_finding (id, instance_id, kind, object_name, detail, link_id, first_seen_at, last_seen_at, resolved_at)
           SELECT gen_random_uuid(), u.iid, u.kind::"DriftKind", u.obj, u.detail, u.link, now(), now(), NULL
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[]) AS u(iid, kind, obj, detail, link)
           ON CONFLICT (instance_id, kind, object_name) DO UPDATE
              SET detail = EXCLUDED.detail, link_id = EXCLUDED.link_id, last_seen_at = now(),
                  first_seen_at = CASE WHEN drift_finding.resolved_at IS NULL THEN drift_finding.first_seen_at ELSE now() END,
                  resolved_at = NULL`,
          [drift.map((d) => d.instanceId), drift.map((d) => d.kind), drift.map((d) => d.objectName), drift.map((d) => d.detail), drift.map((d) => d.linkId)],
        );
      }
      // Close what a reachable server no longer shows (and findings of links that left the inventory).
      if (reachable.length) {
        await client.query(
          `UPDATE drift_finding f SET resolved_at = now()
            WHERE f.resolved_at IS NULL AND f.instance_id = ANY($1::uuid[])
              AND (f.instance_id, f.kind::text, f.object_name) NOT IN (
                SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[]))`,
          [reachable, drift.map((d) => d.instanceId), drift.map((d) => d.kind), drift.map((d) => d.objectName)],
        );
      }
      // Raw samples are rolled up and pruned (after 48 h) by the dashboards' rollup job, not here.
      const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM drift_finding WHERE resolved_at IS NULL");
      openDrift = rows[0]?.n ?? 0;
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    lastCycle = { startedAt, ms: Math.round(performance.now() - t0), pollMs, instances: results, links: observations, openDrift };
    return lastCycle;
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = false;
  let lastError = "";
  /**
   * One collector at a time polls the fleet (the console's and a standalone one, or several
   * consoles): the loop runs cycles only while it holds a session advisory lock on a connection
   * of its own. The others stand by and take over when that connection goes away.
   */
  let leader: pg.PoolClient | null = null;
  let standingBy = false;
  const releaseLeader = () => {
    const c = leader;
    leader = null;
    c?.release(true);
  };
  async function lead(): Promise<boolean> {
    if (leader) return true;
    const c = await meta.connect();
    const { rows } = await c.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS ok", [String(COLLECTOR_LOCK)]);
    if (!rows[0]?.ok) {
      c.release();
      if (!standingBy) log("collector: another collector holds the lock; standing by");
      standingBy = true;
      return false;
    }
    c.on("error", () => {
      if (leader === c) leader = null;
    });
    leader = c;
    if (standingBy) log("collector: taking over polling");
    standingBy = false;
    return true;
  }

  const tick = () => {
    if (stopped) return;
    running = lead()
      .then(async (isLeader) => (isLeader ? runCycle() : null))
      .then((r) => {
        if (!r) return;
        if (lastError) log(`collector: cycle ok again (${r.instances.length} instances, ${r.ms} ms)`);
        lastError = "";
      })
      .catch((error: unknown) => {
        const msg = describePgError(error);
        if (msg !== lastError) log(`collector: cycle failed: ${msg}`);
        lastError = msg;
      })
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };

  return {
    runCycle,
    start: () => {
      if (timer || running) return;
      stopped = false;
      tick();
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
      for (const id of [...clients.keys()]) dropClient(id);
      releaseLeader();
      await meta.end().catch(() => {});
    },
    get lastCycle() {
      return lastCycle;
    },
  };
}
