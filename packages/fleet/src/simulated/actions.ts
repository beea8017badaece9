import { createHash } from "node:crypto";
import { z } from "zod";
import { ActionError, type TActionContext, type TJsonObject, type TSql } from "../driver";
import { isUniqueViolation } from "../ledger";

/**
 * The simulated fleet's actions: each one does to the metadata database what the real
 * operation would do to the world (an instance row appears when a server is provisioned, a
 * replication link row when replication starts, a data center's used slots are its instance
 * rows). Every action checks the current state first and reports `alreadyDone` instead of
 * acting twice; a mutating action returns the change it applied (`changed`) so that the driver
 * records it in the side-effect ledger.
 */
export interface TSimulatedAction<I> {
  /** Changes something (so it is recorded in the ledger). Matches PLAN_ACTIONS[...].mutates. */
  mutates: boolean;
  input: z.ZodType<I>;
  /** What the change is about ("instance:<id>"), for the ledger. */
  target: (input: I) => string;
  /** Non-null when the state is already as this step wants it: the step succeeds without acting. */
  check?: (ctx: TActionContext, input: I) => Promise<TJsonObject | null>;
  /** Acts (the check said it is needed) and says what it did. */
  apply: (ctx: TActionContext, input: I) => Promise<TJsonObject>;
}

const uuid = z.string().uuid({ error: "must be an id (uuid)" });
const ROLES = ["PRIMARY", "REPLICA", "STANDBY"] as const;
const MODES = ["PHYSICAL", "LOGICAL", "CDC"] as const;
const DC_STATUSES = ["ACTIVE", "DRAINING", "MAINTENANCE", "OFFLINE"] as const;

const ENGINE_ENDPOINT: Record<string, { prefix: string; port: number }> = {
  POSTGRESQL: { prefix: "pg", port: 5432 },
  MYSQL: { prefix: "mysql", port: 3306 },
  MARIADB: { prefix: "maria", port: 3306 },
  SQLSERVER: { prefix: "mssql", port: 1433 },
  ORACLE: { prefix: "ora", port: 1521 },
};

/** Lag of a link that has just started replicating (initial copy in progress). */
export const NEW_LINK_LAG_SECONDS = 30;
const NEW_LINK_LAG_BYTES = 64 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Reading the simulated world
// ---------------------------------------------------------------------------

interface TInstanceRow extends Record<string, unknown> {
  id: string;
  name: string;
  cluster_id: string;
  data_center_id: string;
  role: (typeof ROLES)[number];
  health: "UP" | "DEGRADED" | "DOWN" | "UNKNOWN";
  registered: boolean;
  writes_fenced: boolean;
  detached: boolean;
  detached_links: TSavedLink[] | null;
  schema_changes: string[];
}

interface TLinkRow extends Record<string, unknown> {
  id: string;
  source_id: string;
  target_id: string;
  mode: (typeof MODES)[number];
  status: "ACTIVE" | "CATCHING_UP" | "PAUSED" | "BROKEN";
  lag_seconds: number;
}

interface TSavedLink {
  id: string;
  sourceId: string;
  targetId: string;
  mode: (typeof MODES)[number];
}

async function findInstance(sql: TSql, id: string, lock = false): Promise<TInstanceRow | null> {
  const { rows } = await sql.query<TInstanceRow>(
    `SELECT i.id, i.name, i.cluster_id, i.data_center_id, i.role::text AS role, i.health::text AS health,
            COALESCE(s.registered, true) AS registered, COALESCE(s.writes_fenced, false) AS writes_fenced,
            COALESCE(s.detached, false) AS detached, s.detached_links, COALESCE(s.schema_changes, '{}') AS schema_changes
       FROM instance i LEFT JOIN fleet_instance_state s ON s.instance_id = i.id
      WHERE i.id = $1 ${lock ? "FOR UPDATE OF i" : ""}`,
    [id],
  );
  return rows[0] ?? null;
}

async function mustFindInstance(sql: TSql, id: string, clusterId?: string, lock = true): Promise<TInstanceRow> {
  const row = await findInstance(sql, id, lock);
  if (!row) throw new ActionError(`Instance ${id} does not exist`, { retryable: false });
  if (clusterId && row.cluster_id !== clusterId)
    throw new ActionError(`Instance ${row.name} belongs to another cluster`, { retryable: false });
  return row;
}

async function findLink(sql: TSql, id: string): Promise<TLinkRow | null> {
  const { rows } = await sql.query<TLinkRow>(
    `SELECT id, source_id, target_id, mode::text AS mode, status::text AS status, lag_seconds
       FROM replication_link WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** Sets fields of an instance's simulated state (creating its row on first use). */
async function setState(
  sql: TSql,
  instanceId: string,
  fields: Partial<{
    registered: boolean;
    writes_fenced: boolean;
    detached: boolean;
    detached_links: TSavedLink[] | null;
    schema_changes: string[];
  }>,
): Promise<void> {
  const columns = Object.keys(fields) as (keyof typeof fields)[];
  const values = columns.map((c) => (c === "detached_links" ? JSON.stringify(fields[c]) : fields[c]));
  await sql.query(
    `INSERT INTO fleet_instance_state (instance_id, ${columns.join(", ")}) VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(", ")})
     ON CONFLICT (instance_id) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(", ")}, updated_at = now()`,
    [instanceId, ...values],
  );
}

const INSERT_LINK = `INSERT INTO replication_link (id, source_id, target_id, mode, status, lag_bytes, lag_seconds, updated_at)
       VALUES ($1, $2, $3, $4::"ReplicationMode", $5::"LinkStatus", $6, $7, now())`;

function insertLinkValues(link: TSavedLink, caughtUp: boolean): unknown[] {
  return [
    link.id,
    link.sourceId,
    link.targetId,
    link.mode,
    caughtUp ? "ACTIVE" : "CATCHING_UP",
    caughtUp ? 0 : NEW_LINK_LAG_BYTES,
    caughtUp ? 0 : NEW_LINK_LAG_SECONDS,
  ];
}

function linkClash(link: TSavedLink) {
  return (error: unknown) =>
    isUniqueViolation(error) ? new ActionError(`Another link already replicates ${link.sourceId} -> ${link.targetId}`, { retryable: false }) : undefined;
}

async function insertLink(sql: TSql, link: TSavedLink, caughtUp: boolean): Promise<void> {
  try {
    await sql.query(INSERT_LINK, insertLinkValues(link, caughtUp));
  } catch (error) {
    throw linkClash(link)(error) ?? error;
  }
}

/**
 * A write whose result the action does not need, made last: sent with the step's commit when the
 * engine runs the action (one round trip less), at once otherwise. `mapError` turns its failure
 * into the attempt's error, as a try/catch around an immediate write would.
 */
async function writeLast(ctx: TActionContext, text: string, values: unknown[], mapError?: (error: unknown) => Error | undefined): Promise<void> {
  if (ctx.defer) {
    ctx.defer(mapError ? { text, values, mapError } : { text, values });
    return;
  }
  try {
    await ctx.sql.query(text, values);
  } catch (error) {
    throw mapError?.(error) ?? error;
  }
}

function done(what: string, extra: TJsonObject = {}): TJsonObject {
  return { alreadyDone: true, result: what, ...extra };
}

function changed(what: string, extra: TJsonObject = {}): TJsonObject {
  return { alreadyDone: false, result: what, ...extra };
}

export function statementsHashOf(statements: readonly string[]): string {
  return createHash("sha256").update(JSON.stringify(statements), "utf8").digest("hex");
}

// ---------------------------------------------------------------------------
// Inputs (the planners' shapes; unknown keys are ignored)
// ---------------------------------------------------------------------------

const ZDataCenterRef = z.object({ dataCenterId: uuid });
const ZCapacity = ZDataCenterRef.extend({ slots: z.number().int().min(1).default(1) });
const ZInstanceRef = z.object({ instanceId: uuid, clusterId: uuid });
const ZCheckInstance = ZInstanceRef.extend({ expectRole: z.enum(ROLES).optional() });
const ZReplicaReady = ZInstanceRef.extend({
  linkId: uuid.nullable().default(null),
  maxLagSeconds: z.number().min(0).nullable().default(null),
});
const ZLinkRef = z.object({ linkId: uuid });
const ZCatchUp = ZLinkRef.extend({ maxLagSeconds: z.number().min(0) });
const ZPreflightLink = ZLinkRef.extend({ sourceInstanceId: uuid, targetInstanceId: uuid });
const ZVerifySchema = ZInstanceRef.extend({ referenceInstanceId: uuid, statementsHash: z.string().min(1) });
const ZProvision = z.object({
  instanceId: uuid,
  name: z.string().min(1).max(128),
  clusterId: uuid,
  dataCenterId: uuid,
  role: z.enum(ROLES),
  sourceInstanceId: uuid.nullable().default(null),
});
const ZDeprovision = ZInstanceRef.extend({ dataCenterId: uuid });
const ZRegister = ZInstanceRef.extend({ role: z.enum(ROLES) });
const ZCreateLink = z.object({
  linkId: uuid,
  clusterId: uuid,
  sourceInstanceId: uuid,
  targetInstanceId: uuid,
  mode: z.enum(MODES),
});
const ZRepoint = z.object({
  linkId: uuid,
  clusterId: uuid,
  targetInstanceId: uuid,
  fromSourceId: uuid,
  toSourceId: uuid,
});
const ZFence = ZInstanceRef.extend({ bestEffort: z.boolean().default(false) });
const ZPromote = ZInstanceRef.extend({
  formerPrimaryId: uuid,
  detachLinkId: uuid.nullable().default(null),
  force: z.boolean().default(false),
});
const ZDemote = ZInstanceRef.extend({
  sourceInstanceId: uuid,
  linkId: uuid.nullable().default(null),
  mode: z.enum(MODES).default("LOGICAL"),
});
const ZDetach = ZInstanceRef.extend({ reason: z.string().default("") });
const ZAttach = ZInstanceRef.extend({ role: z.enum(ROLES) });
const ZSchemaChange = ZInstanceRef.extend({
  statements: z.array(z.string().min(1)).min(1),
  statementsHash: z.string().optional(),
  allowDrop: z.boolean().default(false),
});
const ZDataCenterStatus = ZDataCenterRef.extend({ status: z.enum(DC_STATUSES), reason: z.string().optional() });
const ZManual = z.object({ instructions: z.string().min(1) });
const ZWaitFence = z.object({ clusterId: uuid, linkId: uuid, sourceInstanceId: uuid, targetInstanceId: uuid });

function action<I>(spec: TSimulatedAction<I>): TSimulatedAction<unknown> {
  return spec as unknown as TSimulatedAction<unknown>;
}

const instanceTarget = (i: { instanceId: string }) => `instance:${i.instanceId}`;
const linkTarget = (i: { linkId: string }) => `link:${i.linkId}`;
const dcTarget = (i: { dataCenterId: string }) => `data-center:${i.dataCenterId}`;

// ---------------------------------------------------------------------------
// The actions
// ---------------------------------------------------------------------------

export const SIMULATED_ACTIONS: Record<string, TSimulatedAction<unknown>> = {
  checkCapacity: action({
    mutates: false,
    input: ZCapacity,
    target: dcTarget,
    apply: async (ctx, input) => {
      const { rows } = await ctx.sql.query<{ code: string; status: string; capacity_slots: number; used: number }>(
        `SELECT d.code, d.status::text AS status, d.capacity_slots,
                (SELECT count(*)::int FROM instance i WHERE i.data_center_id = d.id) AS used
           FROM data_center d WHERE d.id = $1`,
        [input.dataCenterId],
      );
      const dc = rows[0];
      if (!dc) throw new ActionError(`Data center ${input.dataCenterId} does not exist`, { retryable: false });
      if (dc.status !== "ACTIVE")
        throw new ActionError(`Data center ${dc.code} is ${dc.status}: it takes no new instances`, { retryable: false });
      const free = dc.capacity_slots - dc.used;
      if (free < input.slots)
        throw new ActionError(`Data center ${dc.code} has ${free} free slot(s), ${input.slots} needed`, { retryable: false });
      return { result: `${dc.code} has ${free} free slot(s)`, freeSlots: free, capacitySlots: dc.capacity_slots };
    },
  }),

  checkInstance: action({
    mutates: false,
    input: ZCheckInstance,
    target: instanceTarget,
    apply: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId, false);
      if (input.expectRole && row.role !== input.expectRole)
        throw new ActionError(`${row.name} is ${row.role}, not ${input.expectRole}: the fleet changed since planning`, {
          retryable: false,
        });
      if (row.health === "DOWN") throw new ActionError(`${row.name} is DOWN`);
      return { result: `${row.name} is ${row.role} and ${row.health}`, role: row.role, health: row.health };
    },
  }),

  checkReplicaReady: action({
    mutates: false,
    input: ZReplicaReady,
    target: instanceTarget,
    apply: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId, false);
      if (row.health === "DOWN") throw new ActionError(`${row.name} is DOWN`);
      let lag: number | null = null;
      if (input.linkId) {
        const link = await findLink(ctx.sql, input.linkId);
        if (!link || link.target_id !== row.id)
          throw new ActionError(`${row.name} no longer replicates through link ${input.linkId}`, { retryable: false });
        lag = link.lag_seconds;
        if (input.maxLagSeconds !== null && lag > input.maxLagSeconds)
          throw new ActionError(`${row.name} lags ${lag} s, above ${input.maxLagSeconds} s`);
      }
      return { result: `${row.name} is ${row.health}${lag === null ? "" : `, lag ${lag} s`}`, lagSeconds: lag };
    },
  }),

  checkLink: action({
    mutates: false,
    input: ZLinkRef,
    target: linkTarget,
    apply: async (ctx, input) => {
      const link = await findLink(ctx.sql, input.linkId);
      if (!link) throw new ActionError(`Link ${input.linkId} does not exist`, { retryable: false });
      return { result: `link is ${link.status}, lag ${link.lag_seconds} s`, status: link.status };
    },
  }),

  waitForCatchUp: action({
    mutates: false,
    input: ZCatchUp,
    target: linkTarget,
    apply: async (ctx, input) => {
      const link = await findLink(ctx.sql, input.linkId);
      if (!link) throw new ActionError(`Link ${input.linkId} does not exist`, { retryable: false });
      if (link.status === "BROKEN") throw new ActionError(`Link ${input.linkId} is BROKEN`);
      if (link.lag_seconds <= input.maxLagSeconds && link.status === "ACTIVE")
        return { result: `lag ${link.lag_seconds} s is within ${input.maxLagSeconds} s`, lagSeconds: link.lag_seconds };
      // The simulated replica has caught up by now (the step's duration stands for the wait).
      await writeLast(ctx, `UPDATE replication_link SET lag_seconds = 0, lag_bytes = 0, status = 'ACTIVE', updated_at = now() WHERE id = $1`, [
        input.linkId,
      ]);
      return { result: `caught up (lag was ${link.lag_seconds} s)`, lagSeconds: 0 };
    },
  }),

  waitForFenceLsn: action({
    mutates: false,
    input: ZWaitFence,
    target: linkTarget,
    apply: async (ctx, input) => {
      const source = await mustFindInstance(ctx.sql, input.sourceInstanceId, input.clusterId, false);
      if (!source.writes_fenced)
        throw new ActionError(`${source.name} is not fenced: its last write is not known`, { retryable: false });
      const link = await findLink(ctx.sql, input.linkId);
      if (!link || link.source_id !== source.id || link.target_id !== input.targetInstanceId)
        throw new ActionError(`Link ${input.linkId} no longer replicates ${source.name} -> ${input.targetInstanceId}`, { retryable: false });
      if (link.status === "BROKEN") throw new ActionError(`Link ${input.linkId} is BROKEN`);
      // The simulated subscriber has confirmed the fenced source's last write by now.
      await ctx.sql.query(`UPDATE replication_link SET lag_seconds = 0, lag_bytes = 0, status = 'ACTIVE', updated_at = now() WHERE id = $1`, [
        link.id,
      ]);
      return { result: `caught up with ${source.name} (lag was ${link.lag_seconds} s)`, lagSeconds: 0 };
    },
  }),

  verifySchema: action({
    mutates: false,
    input: ZVerifySchema,
    target: instanceTarget,
    apply: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId, false);
      // Physical replication carries DDL: walk up the physical feeds looking for the change.
      let current: TInstanceRow | null = row;
      for (let hop = 0; current && hop < 16; hop++) {
        if (current.schema_changes.includes(input.statementsHash))
          return { result: `${row.name} has the change${hop ? ` (through physical replication from ${current.name})` : ""}` };
        const feed: { rows: { source_id: string }[] } = await ctx.sql.query<{ source_id: string }>(
          `SELECT source_id FROM replication_link WHERE target_id = $1 AND mode = 'PHYSICAL' LIMIT 1`,
          [current.id],
        );
        const sourceId = feed.rows[0]?.source_id;
        current = sourceId ? await findInstance(ctx.sql, sourceId) : null;
      }
      throw new ActionError(`${row.name} does not have schema change ${input.statementsHash.slice(0, 12)} yet`);
    },
  }),

  preflightLink: action({
    mutates: false,
    input: ZPreflightLink,
    target: linkTarget,
    apply: async (ctx, input) => {
      const source = await mustFindInstance(ctx.sql, input.sourceInstanceId, undefined, false);
      const target = await mustFindInstance(ctx.sql, input.targetInstanceId, undefined, false);
      if (source.health === "DOWN") throw new ActionError(`${source.name} is DOWN`);
      if (target.health === "DOWN") throw new ActionError(`${target.name} is DOWN`);
      return { result: `${source.name} and ${target.name} are ready for a link` };
    },
  }),

  verifyLink: action({
    mutates: false,
    input: ZLinkRef,
    target: linkTarget,
    apply: async (ctx, input) => {
      const link = await findLink(ctx.sql, input.linkId);
      if (!link) throw new ActionError(`Link ${input.linkId} does not exist`, { retryable: false });
      // The simulated copy is exact: the verification passes and the link becomes ACTIVE.
      await ctx.sql.query(
        `UPDATE replication_link SET verified_at = now(), verification = $2::jsonb, last_error = NULL,
                status = CASE WHEN status = 'CATCHING_UP' THEN 'ACTIVE'::"LinkStatus" ELSE status END, updated_at = now()
          WHERE id = $1`,
        [input.linkId, JSON.stringify({ ok: true, simulated: true, checkedAt: new Date().toISOString(), tables: [], differing: [] })],
      );
      return { result: "data matches (simulated)" };
    },
  }),

  verifyDataCenterEmpty: action({
    mutates: false,
    input: ZDataCenterRef,
    target: dcTarget,
    apply: async (ctx, input) => {
      const { rows } = await ctx.sql.query<{ name: string }>(
        `SELECT name FROM instance WHERE data_center_id = $1 ORDER BY name LIMIT 5`,
        [input.dataCenterId],
      );
      if (rows.length > 0) throw new ActionError(`Instances are left in the data center: ${rows.map((r) => r.name).join(", ")}`);
      return { result: "no instance left" };
    },
  }),

  provisionInstance: action({
    mutates: true,
    input: ZProvision,
    target: instanceTarget,
    check: async (ctx, input) => {
      const row = await findInstance(ctx.sql, input.instanceId);
      if (!row) return null;
      if (row.cluster_id !== input.clusterId || row.data_center_id !== input.dataCenterId)
        throw new ActionError(`Instance ${input.instanceId} exists elsewhere (${row.name})`, { retryable: false });
      return done(`${row.name} already exists`);
    },
    apply: async (ctx, input) => {
      // Lock the data center (two provisions there must not both take its last slot) and read
      // the cluster, in one query.
      const { rows } = await ctx.sql.query<{
        code: string;
        status: string;
        capacity_slots: number;
        used: number;
        engine: string | null;
        engine_version: string | null;
      }>(
        `SELECT d.code, d.status::text AS status, d.capacity_slots,
                (SELECT count(*)::int FROM instance i WHERE i.data_center_id = d.id) AS used,
                (SELECT engine::text FROM cluster WHERE id = $2) AS engine,
                (SELECT engine_version FROM cluster WHERE id = $2) AS engine_version
           FROM data_center d WHERE d.id = $1 FOR UPDATE`,
        [input.dataCenterId, input.clusterId],
      );
      const dc = rows[0];
      if (!dc) throw new ActionError(`Data center ${input.dataCenterId} does not exist`, { retryable: false });
      if (dc.status === "OFFLINE") throw new ActionError(`Data center ${dc.code} is OFFLINE`, { retryable: false });
      if (dc.used >= dc.capacity_slots) throw new ActionError(`Data center ${dc.code} has no free slot`, { retryable: false });
      if (!dc.engine) throw new ActionError(`Cluster ${input.clusterId} does not exist`, { retryable: false });
      const ep = ENGINE_ENDPOINT[dc.engine] ?? { prefix: "db", port: 5432 };
      await writeLast(
        ctx,
        `WITH created AS (
           INSERT INTO instance (id, name, cluster_id, data_center_id, role, driver, endpoint, version, health, updated_at)
           VALUES ($1, $2, $3, $4, $5::"InstanceRole", 'SIMULATED', $6, $7, 'UNKNOWN', now())
           RETURNING id
         )
         INSERT INTO fleet_instance_state (instance_id, registered) SELECT id, false FROM created`,
        [
          input.instanceId,
          input.name,
          input.clusterId,
          input.dataCenterId,
          input.role,
          `${ep.prefix}-${input.name}.${dc.code}.meridian.internal:${ep.port}`,
          dc.engine_version,
        ],
        (error) => (isUniqueViolation(error) ? new ActionError(`The name ${input.name} is taken by another instance`, { retryable: false }) : undefined),
      );
      return changed(`provisioned ${input.name} in ${dc.code}`);
    },
  }),

  deprovisionInstance: action({
    mutates: true,
    input: ZDeprovision,
    target: instanceTarget,
    check: async (ctx, input) => ((await findInstance(ctx.sql, input.instanceId)) ? null : done("already gone")),
    apply: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId);
      if (row.role === "PRIMARY")
        throw new ActionError(`${row.name} is a primary: it cannot be destroyed`, { retryable: false });
      if (row.registered)
        throw new ActionError(`${row.name} is still registered (traffic is routed to it): unregister it first`, {
          retryable: false,
        });
      const links = await ctx.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM replication_link WHERE source_id = $1 OR target_id = $1`,
        [row.id],
      );
      if ((links.rows[0]?.n ?? 0) > 0)
        throw new ActionError(`${row.name} still has replication links: drop them first`, { retryable: false });
      await ctx.sql.query(`DELETE FROM instance WHERE id = $1`, [row.id]);
      return changed(`destroyed ${row.name}`);
    },
  }),

  registerInstance: action({
    mutates: true,
    input: ZRegister,
    target: instanceTarget,
    check: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId, false);
      return row.registered && row.role === input.role ? done(`${row.name} is already registered as ${row.role}`) : null;
    },
    apply: async (ctx, input) => {
      const { rows } = await ctx.sql.query<{ name: string }>(
        `WITH updated AS (
           UPDATE instance SET role = $2::"InstanceRole", health = CASE WHEN health = 'UNKNOWN' THEN 'UP'::"HealthStatus" ELSE health END,
                  updated_at = now()
            WHERE id = $1 AND cluster_id = $3 RETURNING id, name
         ), state AS (
           INSERT INTO fleet_instance_state (instance_id, registered) SELECT id, true FROM updated
           ON CONFLICT (instance_id) DO UPDATE SET registered = true, updated_at = now()
         )
         SELECT name FROM updated`,
        [input.instanceId, input.role, input.clusterId],
      );
      const name = rows[0]?.name;
      if (!name) throw new ActionError(`Instance ${input.instanceId} is not part of cluster ${input.clusterId}`, { retryable: false });
      return changed(`registered ${name} as ${input.role}`);
    },
  }),

  unregisterInstance: action({
    mutates: true,
    input: ZInstanceRef,
    target: instanceTarget,
    check: async (ctx, input) => {
      const row = await findInstance(ctx.sql, input.instanceId);
      return !row || !row.registered ? done("not registered") : null;
    },
    apply: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId);
      await setState(ctx.sql, row.id, { registered: false });
      return changed(`unregistered ${row.name}`);
    },
  }),

  createLink: action({
    mutates: true,
    input: ZCreateLink,
    target: linkTarget,
    check: async (ctx, input) => {
      const link = await findLink(ctx.sql, input.linkId);
      if (!link) return null;
      if (link.source_id !== input.sourceInstanceId || link.target_id !== input.targetInstanceId)
        throw new ActionError(`Link ${input.linkId} exists between other instances`, { retryable: false });
      return done("link already exists");
    },
    apply: async (ctx, input) => {
      const { rows } = await ctx.sql.query<{ id: string; name: string }>(
        `SELECT id, name FROM instance WHERE id IN ($1, $2) AND cluster_id = $3`,
        [input.sourceInstanceId, input.targetInstanceId, input.clusterId],
      );
      const source = rows.find((r) => r.id === input.sourceInstanceId);
      const target = rows.find((r) => r.id === input.targetInstanceId);
      if (!source || !target)
        throw new ActionError(`Instance ${source ? input.targetInstanceId : input.sourceInstanceId} is not part of the cluster`, {
          retryable: false,
        });
      const link = { id: input.linkId, sourceId: source.id, targetId: target.id, mode: input.mode };
      await writeLast(ctx, INSERT_LINK, insertLinkValues(link, false), linkClash(link));
      return changed(`replicating ${source.name} -> ${target.name} (${input.mode}), catching up`);
    },
  }),

  dropLink: action({
    mutates: true,
    input: ZLinkRef,
    target: linkTarget,
    check: async (ctx, input) => ((await findLink(ctx.sql, input.linkId)) ? null : done("link already gone")),
    apply: async (ctx, input) => {
      await ctx.sql.query(`DELETE FROM replication_link WHERE id = $1`, [input.linkId]);
      return changed("replication stopped, link removed");
    },
  }),

  repointLink: action({
    mutates: true,
    input: ZRepoint,
    target: linkTarget,
    check: async (ctx, input) => {
      const link = await findLink(ctx.sql, input.linkId);
      if (!link) throw new ActionError(`Link ${input.linkId} does not exist`, { retryable: false });
      if (link.source_id === input.toSourceId) return done("already follows the new source");
      if (link.source_id !== input.fromSourceId)
        throw new ActionError(`Link ${input.linkId} follows neither the old nor the new source`, { retryable: false });
      return null;
    },
    apply: async (ctx, input) => {
      const to = await mustFindInstance(ctx.sql, input.toSourceId, input.clusterId, false);
      try {
        await ctx.sql.query(`UPDATE replication_link SET source_id = $2, updated_at = now() WHERE id = $1`, [
          input.linkId,
          to.id,
        ]);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new ActionError(`Another link already replicates ${to.name} -> ${input.targetInstanceId}`, { retryable: false });
        throw error;
      }
      return changed(`now follows ${to.name}`);
    },
  }),

  fenceWrites: action({
    mutates: true,
    input: ZFence,
    target: instanceTarget,
    check: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId, false);
      if (row.writes_fenced) return done(`writes on ${row.name} are already fenced`);
      if (row.health === "DOWN") {
        if (input.bestEffort) return done(`${row.name} is unreachable (DOWN): not fenced, best effort`);
        throw new ActionError(`${row.name} is DOWN: cannot fence its writes`);
      }
      return null;
    },
    apply: async (ctx, input) => {
      await setState(ctx.sql, input.instanceId, { writes_fenced: true });
      return changed("writes fenced");
    },
  }),

  unfenceWrites: action({
    mutates: true,
    input: ZInstanceRef,
    target: instanceTarget,
    check: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId, false);
      if (!row.writes_fenced) return done(`writes on ${row.name} are open`);
      if (row.health === "DOWN") throw new ActionError(`${row.name} is DOWN: cannot open its writes`);
      return null;
    },
    apply: async (ctx, input) => {
      await setState(ctx.sql, input.instanceId, { writes_fenced: false });
      return changed("writes open");
    },
  }),

  promoteReplica: action({
    mutates: true,
    input: ZPromote,
    target: instanceTarget,
    check: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId, false);
      const detachPending = input.detachLinkId ? await findLink(ctx.sql, input.detachLinkId) : null;
      return row.role === "PRIMARY" && !detachPending ? done(`${row.name} is already the primary`) : null;
    },
    apply: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId);
      if (row.health === "DOWN") throw new ActionError(`${row.name} is DOWN: it cannot be promoted`);
      const former = await findInstance(ctx.sql, input.formerPrimaryId, true);
      if (former && former.id !== row.id && former.role === "PRIMARY" && !former.writes_fenced && former.health !== "DOWN" && !input.force)
        throw new ActionError(`${former.name} is still a writable primary: promoting ${row.name} would make two`, {
          retryable: false,
          humanAction: `Fence writes on ${former.name} first`,
        });
      if (input.detachLinkId) await ctx.sql.query(`DELETE FROM replication_link WHERE id = $1`, [input.detachLinkId]);
      await ctx.sql.query(`UPDATE instance SET role = 'PRIMARY', updated_at = now() WHERE id = $1`, [row.id]);
      // A freshly promoted primary takes application writes once they are opened (unfenceWrites).
      await setState(ctx.sql, row.id, { writes_fenced: true, registered: true });
      return changed(`${row.name} promoted to primary (writes fenced until opened)`);
    },
  }),

  demoteToReplica: action({
    mutates: true,
    input: ZDemote,
    target: instanceTarget,
    check: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId, false);
      const linkMissing = input.linkId ? !(await findLink(ctx.sql, input.linkId)) : false;
      return row.role === "REPLICA" && !linkMissing ? done(`${row.name} is already a replica`) : null;
    },
    apply: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId);
      const source = await mustFindInstance(ctx.sql, input.sourceInstanceId, input.clusterId, false);
      await ctx.sql.query(`UPDATE instance SET role = 'REPLICA', updated_at = now() WHERE id = $1`, [row.id]);
      await setState(ctx.sql, row.id, { writes_fenced: false });
      if (input.linkId && !(await findLink(ctx.sql, input.linkId))) {
        const existing = await ctx.sql.query(`SELECT 1 FROM replication_link WHERE source_id = $1 AND target_id = $2`, [
          source.id,
          row.id,
        ]);
        // Demoted with writes fenced (switchover, or undoing a promotion): it holds the same data
        // as its new source, so it follows it caught up, without a new initial copy.
        if (existing.rows.length === 0)
          await insertLink(ctx.sql, { id: input.linkId, sourceId: source.id, targetId: row.id, mode: input.mode }, true);
      }
      return changed(`${row.name} is now a replica of ${source.name}`);
    },
  }),

  detachInstance: action({
    mutates: true,
    input: ZDetach,
    target: instanceTarget,
    check: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId, false);
      return row.detached ? done(`${row.name} is already detached`) : null;
    },
    apply: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId);
      const { rows } = await ctx.sql.query<TLinkRow>(
        `DELETE FROM replication_link WHERE source_id = $1 OR target_id = $1
         RETURNING id, source_id, target_id, mode::text AS mode, status::text AS status, lag_seconds`,
        [row.id],
      );
      const saved: TSavedLink[] = rows.map((l) => ({ id: l.id, sourceId: l.source_id, targetId: l.target_id, mode: l.mode }));
      await ctx.sql.query(`UPDATE instance SET role = 'STANDBY', updated_at = now() WHERE id = $1`, [row.id]);
      await setState(ctx.sql, row.id, { detached: true, registered: false, detached_links: saved });
      return changed(`${row.name} detached (${saved.length} link(s) removed)${input.reason ? `: ${input.reason}` : ""}`);
    },
  }),

  attachInstance: action({
    mutates: true,
    input: ZAttach,
    target: instanceTarget,
    check: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId, false);
      return row.detached ? null : done(`${row.name} is attached`);
    },
    apply: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId);
      let restored = 0;
      for (const link of row.detached_links ?? []) {
        const clash = await ctx.sql.query(
          `SELECT 1 FROM replication_link WHERE id = $1 OR (source_id = $2 AND target_id = $3)`,
          [link.id, link.sourceId, link.targetId],
        );
        const ends = await ctx.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM instance WHERE id IN ($1, $2)`, [
          link.sourceId,
          link.targetId,
        ]);
        if (clash.rows.length === 0 && ends.rows[0]?.n === 2) {
          await insertLink(ctx.sql, link, false);
          restored += 1;
        }
      }
      await ctx.sql.query(`UPDATE instance SET role = $2::"InstanceRole", updated_at = now() WHERE id = $1`, [row.id, input.role]);
      await setState(ctx.sql, row.id, { detached: false, registered: true, detached_links: null });
      return changed(`${row.name} attached as ${input.role} (${restored} link(s) restored)`);
    },
  }),

  applySchemaChange: action({
    mutates: true,
    input: ZSchemaChange,
    target: instanceTarget,
    check: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId, false);
      const hash = input.statementsHash ?? statementsHashOf(input.statements);
      return row.schema_changes.includes(hash) ? done(`${row.name} already has this change`) : null;
    },
    apply: async (ctx, input) => {
      const row = await mustFindInstance(ctx.sql, input.instanceId, input.clusterId);
      if (row.health === "DOWN") throw new ActionError(`${row.name} is DOWN`);
      // A compensation runs the approved rollback SQL, which undoes by dropping what was added.
      if (ctx.phase === "run" && !input.allowDrop && input.statements.some((s) => /\bdrop\b/i.test(s)))
        throw new ActionError("A statement drops something and the change does not allow it", { retryable: false });
      const hash = input.statementsHash ?? statementsHashOf(input.statements);
      input.statements.forEach((s, i) => ctx.log(`statement ${i + 1}/${input.statements.length}: ${s.slice(0, 200)}`));
      await setState(ctx.sql, row.id, { schema_changes: [...row.schema_changes, hash] });
      return changed(`${input.statements.length} statement(s) applied on ${row.name}`, { statementsHash: hash });
    },
  }),

  setDataCenterStatus: action({
    mutates: true,
    input: ZDataCenterStatus,
    target: dcTarget,
    check: async (ctx, input) => {
      const { rows } = await ctx.sql.query<{ code: string; status: string }>(
        `SELECT code, status::text AS status FROM data_center WHERE id = $1`,
        [input.dataCenterId],
      );
      const dc = rows[0];
      if (!dc) throw new ActionError(`Data center ${input.dataCenterId} does not exist`, { retryable: false });
      return dc.status === input.status ? done(`${dc.code} is already ${dc.status}`) : null;
    },
    apply: async (ctx, input) => {
      await ctx.sql.query(`UPDATE data_center SET status = $2::"DataCenterStatus", updated_at = now() WHERE id = $1`, [
        input.dataCenterId,
        input.status,
      ]);
      return changed(`status set to ${input.status}${input.reason ? ` (${input.reason})` : ""}`);
    },
  }),

  manualIntervention: action({
    mutates: false,
    input: ZManual,
    target: () => "person",
    apply: async (_ctx, input) => {
      throw new ActionError(`Manual intervention needed: ${input.instructions}`, {
        retryable: false,
        humanAction: input.instructions,
      });
    },
  }),
};

export const SIMULATED_ACTION_NAMES = Object.keys(SIMULATED_ACTIONS);

/** Whether each simulated action changes something (must agree with the plan format's `mutates`). */
export const SIMULATED_ACTION_MUTATES: Record<string, boolean> = Object.fromEntries(
  Object.entries(SIMULATED_ACTIONS).map(([name, spec]) => [name, spec.mutates]),
);
