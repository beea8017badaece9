import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { TDeferredWrite, TPrefetch } from "@meridian/fleet";
import { canonicalJson, parseApprovedPlan, PlanIntegrityError, stepIdempotencyKey, type TPlan, type TPlanStep } from "../core/plan";
import { EngineError, LeaseLostError } from "./errors";
import { ensurePrepared, executeSql, namedQuery, preparedStatement, statementsByKey, type TPrepared } from "./prepared";
import { type TExecutionStatus, type TStepStatus } from "./execution-state";
import { changeEventCtes } from "./change-events";

/**
 * The execution store: every read and write of the Execution and ExecutionStep tables, in
 * plain SQL over `pg`. Every write a worker makes is conditional on its fencing token
 * (`WHERE id = $1 AND fencing_token = $2`): a worker whose lease was taken over gets zero rows
 * back, throws LeaseLostError and stops. Operator actions are conditional on the execution's
 * status, so two people (or a person and a worker) can never both win.
 */

/** Anything that runs a query: a pg Pool, a pool client, a Client. */
export interface TQueryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** A pool (for transactions the store opens itself). */
export interface TPoolLike extends TQueryable {
  connect(): Promise<pg.PoolClient>;
}

/** The LISTEN/NOTIFY channel: the payload is an execution id. */
export const EXECUTION_CHANNEL = "meridian_execution";

export interface TStepState {
  /** execution_step.id */
  rowId: string;
  index: number;
  stepId: string;
  name: string;
  status: TStepStatus;
  /** Forward attempts started. */
  attempt: number;
  /** Compensation attempts started. */
  compensationAttempts: number;
  planStep: TPlanStep;
  error: string | null;
}

export interface TClaimedExecution {
  executionId: string;
  requestId: string;
  attempt: number;
  status: TExecutionStatus;
  /** bigint as a decimal string. */
  fencingToken: string;
  workerId: string;
  leaseExpiresAt: Date;
  steps: TStepState[];
}

async function inTransaction<T>(pool: TPoolLike, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const onError = () => {};
  client.on("error", onError);
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch {
      broken = true;
    }
    throw error;
  } finally {
    client.removeListener("error", onError);
    client.release(broken ? true : undefined);
  }
}

/** Runs several statements in one round trip (simple protocol); returns each statement's rows. */
async function multiQuery(client: TQueryable, statements: string[]): Promise<pg.QueryResultRow[][]> {
  const result = (await client.query(statements.join(";\n"))) as unknown as pg.QueryResult | pg.QueryResult[];
  return (Array.isArray(result) ? result : [result]).map((r) => r.rows);
}

// ---------------------------------------------------------------------------
// Enqueue
// ---------------------------------------------------------------------------

/**
 * INSERT of an audit event (the database's trigger chains it: id, time and hashes are set there)
 * for each row of `from`, as SQL text for a CTE. Arguments are SQL expressions.
 */
function auditInsert(action: string, targetId: string, after: string, actorEmail: string, from: string): string {
  return `INSERT INTO audit_event (actor_email, action, target_type, target_id, after, prev_hash, hash)
          SELECT ${actorEmail}, ${action}, 'execution', ${targetId}, ${after}, '', '' FROM ${from} RETURNING 1`;
}

export interface TEnqueueResult {
  executionId: string;
  attempt: number;
  /** False: the request already had an open execution, which is returned. */
  created: boolean;
  status: TExecutionStatus;
}

/**
 * Creates the next execution of an approved change request, with one step row per plan step,
 * and wakes the workers (NOTIFY, delivered at commit). Refused unless the request is APPROVED,
 * or SCHEDULED with a window that has not ended (a worker starts it once the window opens), and
 * its stored plan still has the approved hash. Idempotent: while the request has an open
 * execution, that one is returned.
 */
export async function enqueueExecution(pool: TPoolLike, requestId: string): Promise<TEnqueueResult> {
  return inTransaction(pool, (client) => enqueueExecutionIn(client, requestId));
}

/** Every string in a JSON value that looks like a uuid (ids of data centers, instances, links). */
function uuidsIn(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === "string") {
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) out.add(value.toLowerCase());
  } else if (Array.isArray(value)) {
    for (const v of value) uuidsIn(v, out);
  } else if (value && typeof value === "object") {
    for (const v of Object.values(value)) uuidsIn(v, out);
  }
  return out;
}

/**
 * enqueueExecution inside the caller's transaction (`client` is a connection or a transaction that has
 * begun; the NOTIFY is delivered when the caller commits). The API calls it right after the last
 * approval commits, in a transaction of its own.
 */
export async function enqueueExecutionIn(client: TQueryable, requestId: string): Promise<TEnqueueResult> {
  // The request, locked first: what follows reads with a snapshot taken after the lock, so a
  // concurrent enqueue of the same request that committed meanwhile is seen.
  const { rows } = await namedQuery<{
    status: string;
    plan: unknown;
    plan_hash: string | null;
    window_end: Date | null;
    now: Date;
    approved_for_plan: boolean;
  }>(client, ENQUEUE_LOCK, [requestId]);
  const request = rows[0];
  if (!request) throw new EngineError("NOT_FOUND", `No change request with id ${requestId}`);
  const executions = await namedQuery<{ open_id: string | null; open_attempt: number | null; open_status: TExecutionStatus | null; next_attempt: number }>(
    client,
    ENQUEUE_READ,
    [requestId],
  );
  const known = executions.rows[0];
  if (known?.open_id && known.open_attempt !== null && known.open_status)
    return { executionId: known.open_id, attempt: known.open_attempt, created: false, status: known.open_status };

  if (request.status !== "APPROVED" && request.status !== "SCHEDULED")
    throw new EngineError(
      "PRECONDITION_FAILED",
      `Only an approved (or scheduled) change request can run; this one is ${request.status.toLowerCase().replace("_", " ")}`,
    );
  if (request.status === "SCHEDULED" && request.window_end && request.window_end <= request.now)
    throw new EngineError("PRECONDITION_FAILED", "The change request's window has ended: schedule it again");
  if (!request.plan || !request.plan_hash)
    throw new EngineError("PRECONDITION_FAILED", "The change request has no approved plan");
  if (!request.approved_for_plan)
    throw new EngineError("PRECONDITION_FAILED", "Refused: no approval is recorded for the change request's current plan");
  let plan: TPlan;
  try {
    plan = parseApprovedPlan(request.plan, request.plan_hash);
  } catch (error) {
    if (error instanceof PlanIntegrityError) throw new EngineError("PRECONDITION_FAILED", `Refused: ${error.message}`);
    throw error;
  }

  const attempt = known?.next_attempt ?? 1;
  const executionId = randomUUID();
  const rowsJson = plan.steps.map((step, index) => ({
    id: randomUUID(),
    index,
    name: step.name,
    input: step,
    key: stepIdempotencyKey(executionId, step.id),
  }));
  // The execution, its steps and the wake-up (delivered at commit) in one statement.
  await namedQuery(client, ENQUEUE_WRITE, [
    executionId,
    requestId,
    attempt,
    request.plan_hash,
    [...uuidsIn(plan.steps)],
    JSON.stringify(rowsJson),
    EXECUTION_CHANNEL,
  ]);
  return { executionId, attempt, created: true, status: "QUEUED" as const };
}

const ENQUEUE_LOCK = preparedStatement(
  "enqueue_lock",
  `SELECT status::text AS status, plan, plan_hash, window_end, now() AS now,
          (break_glass OR EXISTS (SELECT 1 FROM approval a WHERE a.request_id = r.id AND a.plan_hash = r.plan_hash
                                    AND a.decision = 'APPROVE' AND NOT a.voided)) AS approved_for_plan
     FROM change_request r WHERE id = $1 FOR UPDATE`,
);

/** The request's open execution, if any, and the next attempt number. */
const ENQUEUE_READ = preparedStatement(
  "enqueue_read",
  `SELECT o.id AS open_id, o.attempt AS open_attempt, o.status::text AS open_status,
          (SELECT COALESCE(max(attempt), 0) + 1 FROM execution WHERE request_id = $1::uuid)::int AS next_attempt
     FROM (SELECT 1) one
     LEFT JOIN LATERAL (
       SELECT id, attempt, status FROM execution
        WHERE request_id = $1::uuid AND status NOT IN ('SUCCEEDED', 'ROLLED_BACK', 'CANCELLED') ORDER BY attempt DESC LIMIT 1
     ) o ON true`,
);

/**
 * The execution with the data centers its plan touches (named directly, or through the
 * instances and links its steps name: a freeze in any of them holds the execution back), its
 * step rows, and the NOTIFY.
 */
const ENQUEUE_WRITE = preparedStatement(
  "enqueue_write",
  `WITH execution_row AS (
     INSERT INTO execution (id, request_id, attempt, status, plan_hash, updated_at, data_center_ids)
     VALUES ($1, $2, $3, 'QUEUED', $4, now(), (
       SELECT COALESCE(array_agg(DISTINCT dc ORDER BY dc), '{}') FROM (
         SELECT d.id AS dc FROM data_center d WHERE d.id = ANY($5::uuid[])
         UNION SELECT i.data_center_id FROM instance i WHERE i.id = ANY($5::uuid[])
         UNION SELECT i.data_center_id FROM replication_link l JOIN instance i ON i.id IN (l.source_id, l.target_id)
                WHERE l.id = ANY($5::uuid[])) x))
     RETURNING id
   ), step_rows AS (
     INSERT INTO execution_step (id, execution_id, index, name, status, attempt, input, idempotency_key, log)
     SELECT (r->>'id')::uuid, e.id, (r->>'index')::int, r->>'name', 'PENDING', 0, r->'input', r->>'key', '{}'
       FROM execution_row e, jsonb_array_elements($6::jsonb) AS r
     RETURNING 1
   )
   SELECT (SELECT count(*) FROM step_rows)::int AS steps FROM (SELECT pg_notify($7, $1::text)) notified`,
);

// ---------------------------------------------------------------------------
// Claim
// ---------------------------------------------------------------------------

/**
 * The claim: one conditional UPDATE over `FOR UPDATE SKIP LOCKED`, so two workers never get the
 * same execution. Re-checks, in the same statement, that the request is still approved (or
 * scheduled with an open window, or already running) and still has the plan hash the execution
 * was created from. A change freeze (fleet-wide, or of a data center the plan touches) holds back
 * executions that have not started and those that paused before a step for it (rollbacks go on);
 * a durable wait (`not_before`: a retry's backoff) holds an execution back until it is over.
 */
/**
 * The request holds an approval given for exactly this plan hash (and not voided), unless it
 * went through the recorded break-glass path. Approval rows carry the hash they approved.
 */
const APPROVED_FOR_PLAN = `(r.break_glass OR EXISTS (
       SELECT 1 FROM approval a
        WHERE a.request_id = r.id AND a.plan_hash = e.plan_hash AND a.decision = 'APPROVE' AND NOT a.voided))`;

/**
 * Change freezes open now that apply to execution `e`: fleet-wide ones, and those of the data
 * centers its plan touches. The latest-ending first.
 */
const ACTIVE_FREEZE = `
  SELECT w.reason, w.ends_at, w.data_center_id, d.code
    FROM maintenance_window w LEFT JOIN data_center d ON d.id = w.data_center_id
   WHERE w.kind = 'FREEZE' AND w.starts_at <= statement_timestamp() AND statement_timestamp() < w.ends_at
     AND (w.data_center_id IS NULL OR w.data_center_id = ANY(e.data_center_ids))
   ORDER BY w.ends_at DESC`;

/** One sentence for a freeze row `f` of ACTIVE_FREEZE. */
const FREEZE_TEXT = `'the change freeze' || CASE WHEN f.reason <> '' THEN ' "' || f.reason || '"' ELSE '' END
  || CASE WHEN f.data_center_id IS NULL THEN ' (fleet-wide)' ELSE ' in ' || COALESCE(f.code, f.data_center_id::text) END
  || ' until ' || to_char(f.ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')`;

const STEP_COLUMNS = `id, index, name, status::text AS status, attempt, input, output, error`;

/** Open executions whose lease is free and whose durable wait is over (on alias `e`). */
const OPEN_AND_FREE = `e.status IN ('QUEUED', 'RUNNING', 'COMPENSATING')
     AND (e.lease_expires_at IS NULL OR e.lease_expires_at < now())
     AND (e.not_before IS NULL OR e.not_before <= now())`;

/** How many of the oldest free executions the claim checks before it looks at the whole queue. */
const CLAIM_HEAD = 64;

/**
 * The claim. Walks open executions oldest first, each checked against its request as it comes
 * (LATERAL ... OFFSET 0 keeps the check per row), and stops at the first it can lock.
 *
 * `head`: only the CLAIM_HEAD oldest free executions are checked, so a claim's cost is bounded
 * whatever plan the database picks (without statistics, e.g. on a server without autovacuum, the
 * planner checked every open execution: 15-17 ms a claim at 500 open). It always answers one row;
 * `head_count` says how many it looked at: when none could be claimed and the head was full, the
 * caller claims again over the whole queue (executions held back by a window or a freeze at the
 * head must not starve the ones behind them).
 */
function claimSql(head: boolean): string {
  return `
WITH ${head ? `head AS MATERIALIZED (
  SELECT e.id FROM execution e
   WHERE ${OPEN_AND_FREE}
   ORDER BY e.created_at, e.id
   LIMIT ${CLAIM_HEAD}
), ` : ""}candidate AS (
  SELECT e.id
    FROM ${head ? "head JOIN execution e ON e.id = head.id" : "execution e"}
   CROSS JOIN LATERAL (
     SELECT 1 FROM change_request r
      WHERE r.id = e.request_id
        AND r.status IN ('APPROVED', 'SCHEDULED', 'RUNNING')
        AND r.plan_hash = e.plan_hash
        AND (e.status = 'COMPENSATING' OR ${APPROVED_FOR_PLAN})
        AND (e.status <> 'QUEUED' OR (
              (r.window_start IS NULL OR r.window_start <= now())
          AND (r.window_end IS NULL OR r.window_end > now())
          AND (r.maintenance_window_id IS NULL OR EXISTS (
                SELECT 1 FROM maintenance_window mw
                 WHERE mw.id = r.maintenance_window_id AND mw.starts_at <= now() AND now() < mw.ends_at))))
     OFFSET 0) runnable
   WHERE ${OPEN_AND_FREE}
     AND (e.status = 'COMPENSATING' OR NOT EXISTS (${ACTIVE_FREEZE}))
   ORDER BY e.created_at, e.id
   FOR UPDATE OF e SKIP LOCKED
   LIMIT 1
), claimed AS (
  UPDATE execution e
     SET lease_owner = $1,
         lease_expires_at = now() + $2 * interval '1 millisecond',
         not_before = NULL,
         fencing_token = e.fencing_token + 1,
         updated_at = now()
    FROM candidate
   WHERE e.id = candidate.id
  RETURNING e.id, e.request_id, e.attempt, e.status::text AS status, e.plan_hash, e.fencing_token::text AS fencing_token,
            e.lease_expires_at
)
SELECT c.*, r.plan,
       (SELECT COALESCE(json_agg(x ORDER BY x.index), '[]'::json)
          FROM (SELECT ${STEP_COLUMNS} FROM execution_step WHERE execution_id = c.id) x) AS steps${
            head ? `,
       (SELECT count(*) FROM head)::int AS head_count
  FROM (SELECT 1) one LEFT JOIN claimed c ON true LEFT JOIN change_request r ON r.id = c.request_id` : `
  FROM claimed c JOIN change_request r ON r.id = c.request_id`}`;
}

/** The claim a worker runs first (over the head of the queue); exported for the benchmark. */
export const CLAIM_SQL = claimSql(true);

const CLAIM = preparedStatement("claim", CLAIM_SQL);
const CLAIM_WHOLE_QUEUE = preparedStatement("claim_all", claimSql(false));

/** Marks the request RUNNING with its audit event and webhook row (the actor names the worker). */
const startedStatement = statementsByKey(
  "started",
  (workerId) => `WITH before AS (
         SELECT id, status::text AS status FROM change_request WHERE id = $1 AND status IN ('APPROVED', 'SCHEDULED') FOR UPDATE
       ), started AS (
         UPDATE change_request r SET status = 'RUNNING', version = r.version + 1, updated_at = now()
           FROM before WHERE r.id = before.id
         RETURNING r.id AS request_id, before.status AS from_status, 'RUNNING'::text AS to_status, NULL::text AS note,
                   $2::text AS execution_id, $3::int AS attempt
       ), execution_audit AS (
         ${auditInsert("'execution.started'", "$2", "jsonb_build_object('requestId', $1::text, 'attempt', $3::int, 'planHash', $4::text)", "$5::text", "started")}
       ), ${changeEventCtes("request", "started", `engine:${workerId}`)}
       SELECT 1`,
);

interface TStepRow extends pg.QueryResultRow {
  id: string;
  index: number;
  name: string;
  status: TStepStatus;
  attempt: number;
  input: unknown;
  output: { compensation?: { attempts?: number } } | null;
  error: string | null;
}

/**
 * Claims the oldest runnable execution whose lease is free or expired, for `leaseMs`. In the
 * same transaction: checks the stored plan against the approved hash and the step rows against
 * the plan (anything altered is refused: a QUEUED execution is CANCELLED with the reason, a
 * started one is PAUSED with it, and null is returned), and marks the request RUNNING.
 * Two round trips: BEGIN + claim (returning the plan and the steps), then the request + COMMIT.
 */
export async function claimNextExecution(
  pool: TPoolLike,
  args: { workerId: string; leaseMs: number },
  /**
   * The first attempt to start in the claim's own round trip (the worker's runner decides it
   * from the claimed state). When it starts, the claim comes back with `started`: the attempt's
   * number and its connection, already inside the attempt's transaction (the caller owns it).
   */
  startFirst?: (claim: TClaimedExecution) => TFirstAttempt | null,
): Promise<(TClaimedExecution & { started?: TStartedAttempt }) | null> {
  const client = await pool.connect();
  const onError = () => {};
  client.on("error", onError);
  let broken = false;
  let keep = false;
  try {
    const started = startedStatement(args.workerId);
    await ensurePrepared(client, [CLAIM, CLAIM_WHOLE_QUEUE, started]);
    const [, claimedRows] = await multiQuery(client, ["BEGIN", executeSql(CLAIM, [args.workerId, args.leaseMs])]);
    let answer = claimedRows?.[0] as { id: string | null; head_count: number } | undefined;
    if (answer && !answer.id && answer.head_count >= CLAIM_HEAD) {
      // Nothing runnable among the oldest: look at the whole queue (same transaction).
      const [rows] = await multiQuery(client, [executeSql(CLAIM_WHOLE_QUEUE, [args.workerId, args.leaseMs])]);
      answer = rows?.[0] as typeof answer;
    }
    const row = (answer?.id ? answer : undefined) as
      | {
          id: string;
          request_id: string;
          attempt: number;
          status: TExecutionStatus;
          plan_hash: string;
          fencing_token: string;
          lease_expires_at: Date | string;
          plan: unknown;
          steps: TStepRow[];
        }
      | undefined;
    if (!row) {
      await client.query("COMMIT");
      return null;
    }

    let plan: TPlan;
    try {
      plan = parseApprovedPlan(row.plan, row.plan_hash);
      if (plan.steps.length !== row.steps.length)
        throw new PlanIntegrityError(`The execution has ${row.steps.length} steps, the approved plan ${plan.steps.length}`);
      row.steps.forEach((step, i) => {
        if (step.index !== i || canonicalJson(step.input) !== canonicalJson(plan.steps[i]))
          throw new PlanIntegrityError(`Step ${i + 1} of the execution differs from the approved plan`);
      });
    } catch (error) {
      if (!(error instanceof PlanIntegrityError)) throw error;
      await refuseClaimed(client, row.id, row.status, `Refused: ${error.message}`);
      await client.query("COMMIT");
      return null;
    }

    const claim: TClaimedExecution = {
      executionId: row.id,
      requestId: row.request_id,
      attempt: row.attempt,
      status: row.status,
      fencingToken: String(row.fencing_token),
      workerId: args.workerId,
      leaseExpiresAt: new Date(row.lease_expires_at),
      steps: row.steps.map((step, i) => toStepState(step, plan.steps[i] as TPlanStep)),
    };
    const first = startFirst?.(claim) ?? null;
    const statements = [executeSql(started, [row.request_id, row.id, row.attempt, row.plan_hash, `engine:${args.workerId}`])];
    const read = first?.prefetch ? preparedRead(first.prefetch.text) : null;
    if (first) {
      // The first attempt starts in the same transaction as the claim: one round trip less.
      await ensurePrepared(client, read ? [...STEP_STATEMENTS, read] : STEP_STATEMENTS);
      statements.push(executeSql(BEGIN_ATTEMPT[first.phase], [row.id, claim.fencingToken, first.index, first.logLine]));
      if (read && first.prefetch) statements.push(executeSql(read, first.prefetch.values));
    }
    statements.push("COMMIT");
    if (first) statements.push("BEGIN");
    const results = await multiQuery(client, statements);
    if (!first) return claim;
    const begun = beginResult({ executionId: row.id, fencingToken: claim.fencingToken }, results[1]?.[0]);
    claim.status = begun.status;
    if (begun.attempt === null) {
      await client.query("ROLLBACK"); // not started (a freeze, or an operator moved it): the runner decides again
      return claim;
    }
    keep = true;
    return {
      ...claim,
      started: { index: first.index, phase: first.phase, attempt: begun.attempt, client, prefetched: read ? (results[2] ?? []) : undefined },
    };
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch {
      broken = true;
    }
    throw error;
  } finally {
    client.removeListener("error", onError);
    if (!keep) client.release(broken ? true : undefined);
  }
}

/** The first attempt a claim starts (see claimNextExecution's `startFirst`). */
export interface TFirstAttempt {
  index: number;
  phase: TPhase;
  logLine: string;
  prefetch: TPrefetch | null;
}

/** An attempt started with the claim: its connection is inside the attempt's open transaction. */
export interface TStartedAttempt {
  index: number;
  phase: TPhase;
  attempt: number;
  client: pg.PoolClient;
  prefetched: pg.QueryResultRow[] | undefined;
}

async function refuseClaimed(client: pg.PoolClient, executionId: string, status: TExecutionStatus, reason: string): Promise<void> {
  await client.query(
    `WITH refused AS (SELECT 1) ${auditInsert("'execution.refused'", "$1::text", "jsonb_build_object('reason', $2::text)", "'engine'", "refused")}`,
    [executionId, reason],
  );
  if (status === "QUEUED") {
    await client.query(
      `UPDATE execution SET status = 'CANCELLED', error = $2, finished_at = now(), lease_owner = NULL, lease_expires_at = NULL,
              updated_at = now() WHERE id = $1`,
      [executionId, reason],
    );
  } else {
    await client.query(
      `UPDATE execution SET status = 'PAUSED', error = $2, lease_owner = NULL, lease_expires_at = NULL, updated_at = now() WHERE id = $1`,
      [executionId, reason],
    );
  }
}

function toStepState(row: TStepRow, planStep: TPlanStep): TStepState {
  return {
    rowId: row.id,
    index: row.index,
    stepId: planStep.id,
    name: row.name,
    status: row.status,
    attempt: row.attempt,
    compensationAttempts: Number(row.output?.compensation?.attempts ?? 0),
    planStep,
    error: row.error,
  };
}

/**
 * QUEUED executions that can never be claimed any more, because their request is no longer
 * approved or its plan hash changed after approval: CANCELLED, with the reason. Returns how many.
 */
export async function refuseStaleExecutions(db: TQueryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH refused AS (
     UPDATE execution e
        SET status = 'CANCELLED', finished_at = now(), updated_at = now(), lease_owner = NULL, lease_expires_at = NULL,
            error = CASE WHEN r.plan_hash IS DISTINCT FROM e.plan_hash
                         THEN 'Refused: the plan changed after approval (approved hash ' || e.plan_hash || ', now ' || COALESCE(r.plan_hash, 'none') || ')'
                         WHEN r.status NOT IN ('APPROVED', 'SCHEDULED', 'RUNNING')
                         THEN 'Refused: the change request is ' || lower(replace(r.status::text, '_', ' ')) || ', not approved'
                         ELSE 'Refused: no approval is recorded for this plan (hash ' || e.plan_hash || ')' END
       FROM change_request r
      WHERE r.id = e.request_id AND e.status = 'QUEUED'
        AND (e.lease_expires_at IS NULL OR e.lease_expires_at < now())
        AND (r.plan_hash IS DISTINCT FROM e.plan_hash OR r.status NOT IN ('APPROVED', 'SCHEDULED', 'RUNNING') OR NOT ${APPROVED_FOR_PLAN})
     RETURNING e.id, e.error
     ), audit AS (${auditInsert("'execution.refused'", "refused.id::text", "jsonb_build_object('reason', refused.error)", "'engine'", "refused")})
     SELECT count(*)::int AS n FROM refused`,
  );
  return rows[0]?.n ?? 0;
}

/**
 * Approved (or scheduled) requests that have no execution for their current plan yet: the
 * worker enqueues them, so that an approval is never lost between the API's commit and its
 * enqueue call. Returns the request ids (oldest first, at most `limit`).
 */
export async function findUnqueuedApprovedRequests(db: TQueryable, limit = 20): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT r.id FROM change_request r
      WHERE r.status IN ('APPROVED', 'SCHEDULED') AND r.plan IS NOT NULL AND r.plan_hash IS NOT NULL
        AND (r.window_end IS NULL OR r.window_end > now())
        AND (r.break_glass OR EXISTS (
              SELECT 1 FROM approval a WHERE a.request_id = r.id AND a.plan_hash = r.plan_hash AND a.decision = 'APPROVE' AND NOT a.voided))
        AND NOT EXISTS (SELECT 1 FROM execution e WHERE e.request_id = r.id AND e.plan_hash = r.plan_hash)
      ORDER BY r.updated_at LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------------------
// Fenced writes of the worker holding the lease
// ---------------------------------------------------------------------------

export interface TFence {
  executionId: string;
  fencingToken: string;
}

function leaseLost(fence: TFence): LeaseLostError {
  return new LeaseLostError(fence.executionId, fence.fencingToken);
}

/** Extends the lease. Returns the execution's status (an operator may have paused or cancelled it). */
export async function heartbeat(db: TQueryable, fence: TFence, leaseMs: number): Promise<TExecutionStatus> {
  const { rows } = await namedQuery<{ status: TExecutionStatus }>(
    db,
    `UPDATE execution SET lease_expires_at = now() + $3 * interval '1 millisecond'
      WHERE id = $1 AND fencing_token = $2 RETURNING status::text AS status`,
    [fence.executionId, fence.fencingToken, leaseMs],
  );
  if (!rows[0]) throw leaseLost(fence);
  return rows[0].status;
}

/**
 * A change freeze holds the execution before step `index`: says so in the step's log and lets go
 * of the lease. The claim skips it while the freeze lasts; any worker continues it afterwards.
 */
export async function holdForFreeze(db: TQueryable, fence: TFence, index: number, freeze: string): Promise<boolean> {
  const { rowCount } = await namedQuery(
    db,
    `WITH released AS (
       UPDATE execution SET lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND fencing_token = $2 RETURNING id
     )
     UPDATE execution_step s SET log = COALESCE(s.log, '{}') || ARRAY['paused before this step: ' || $4::text]
       FROM released WHERE s.execution_id = released.id AND s.index = $3`,
    [fence.executionId, fence.fencingToken, index, freeze],
  );
  return (rowCount ?? 0) > 0;
}

/** Lets go of the lease (another worker may claim the execution at once). */
export async function releaseLease(db: TQueryable, fence: TFence): Promise<boolean> {
  const { rowCount } = await namedQuery(
    db,
    `UPDATE execution SET lease_owner = NULL, lease_expires_at = NULL, updated_at = now() WHERE id = $1 AND fencing_token = $2`,
    [fence.executionId, fence.fencingToken],
  );
  return (rowCount ?? 0) > 0;
}

export type TPhase = "run" | "compensate";

function beginAttemptSql(phase: TPhase): string {
  const stepUpdate =
    phase === "run"
      ? `status = 'RUNNING', attempt = attempt + 1, started_at = clock_timestamp(), finished_at = NULL`
      : `status = 'COMPENSATING', finished_at = NULL,
         output = jsonb_set(COALESCE(output, '{}'::jsonb), '{compensation}',
                  COALESCE(output->'compensation', '{}'::jsonb) || jsonb_build_object('attempts', COALESCE((output->'compensation'->>'attempts')::int, 0) + 1))`;
  const returning = phase === "run" ? "attempt" : "(output->'compensation'->>'attempts')::int";
  // A forward step does not start while a change freeze applies to the plan's data centers
  // (the rollback of a started change is not held back: a half-done change is worse).
  const frozen =
    phase === "run"
      ? `SELECT ${FREEZE_TEXT} AS text FROM execution e, LATERAL (${ACTIVE_FREEZE} LIMIT 1) f WHERE e.id = $1`
      : `SELECT NULL::text AS text WHERE false`;
  return `WITH frozen AS (${frozen}
     ), fence AS (
       UPDATE execution
          SET current_step = $3, updated_at = now(), not_before = NULL,
              status = CASE WHEN status = 'QUEUED' AND ${phase === "run" ? "NOT EXISTS (SELECT 1 FROM frozen)" : "false"} THEN 'RUNNING'::"ExecutionStatus" ELSE status END,
              started_at = CASE WHEN EXISTS (SELECT 1 FROM frozen) THEN started_at ELSE COALESCE(started_at, clock_timestamp()) END
        WHERE id = $1 AND fencing_token = $2
        RETURNING status::text AS status
     ), step AS (
       UPDATE execution_step SET ${stepUpdate}, log = COALESCE(log, '{}') || ARRAY[$4::text]
        WHERE execution_id = $1 AND index = $3 AND NOT EXISTS (SELECT 1 FROM frozen)
          AND EXISTS (SELECT 1 FROM fence WHERE fence.status = '${phase === "run" ? "RUNNING" : "COMPENSATING"}')
        RETURNING ${returning} AS attempt
     )
     SELECT (SELECT status FROM fence) AS status, (SELECT attempt FROM step) AS attempt, (SELECT text FROM frozen) AS frozen`;
}

/** Starts an attempt: $1 execution, $2 fencing token, $3 step index, $4 the log line. */
const BEGIN_ATTEMPT: Record<TPhase, TPrepared> = {
  run: preparedStatement("begin_run", beginAttemptSql("run")),
  compensate: preparedStatement("begin_compensate", beginAttemptSql("compensate")),
};

/** Raised inside the commit statement when the fence fails, so that the COMMIT after it never runs. */
const LEASE_LOST_MARK = "meridian: lease lost";

/**
 * Records a successful attempt: $1 execution, $2 fencing token, $3 step index, $4 the result
 * (json), $5 log lines. The fenced UPDATE of the execution row comes first and locks it until the
 * COMMIT; when the fence fails the statement raises an error, so nothing after it runs.
 */
function commitAttemptSql(phase: TPhase): string {
  const stepUpdate =
    phase === "run"
      ? `status = 'SUCCEEDED', output = jsonb_build_object('result', $4::jsonb), error = NULL, finished_at = clock_timestamp()`
      : `status = 'COMPENSATED', output = jsonb_set(COALESCE(output, '{}'::jsonb), '{compensation,result}', $4::jsonb), error = NULL,
         finished_at = clock_timestamp()`;
  return `WITH fence AS (
       UPDATE execution SET updated_at = now() WHERE id = $1 AND fencing_token = $2 RETURNING status::text AS status
     ), step AS (
       UPDATE execution_step SET ${stepUpdate}, log = COALESCE(log, '{}') || $5::text[]
        WHERE execution_id = $1 AND index = $3 AND EXISTS (SELECT 1 FROM fence)
        RETURNING 1
     )
     SELECT CASE WHEN EXISTS (SELECT 1 FROM fence) THEN (SELECT status FROM fence)
                 ELSE ('${LEASE_LOST_MARK} ' || (SELECT count(*) FROM fence))::int::text END AS status`;
}

const COMMIT_ATTEMPT: Record<TPhase, TPrepared> = {
  run: preparedStatement("commit_run", commitAttemptSql("run")),
  compensate: preparedStatement("commit_compensate", commitAttemptSql("compensate")),
};

/** The statements of the step loop, prepared once on each connection that runs steps. */
const STEP_STATEMENTS = [BEGIN_ATTEMPT.run, BEGIN_ATTEMPT.compensate, COMMIT_ATTEMPT.run, COMMIT_ATTEMPT.compensate];

export interface TBeginResult {
  /** Rows of the driver's prefetch read, sent with the start (when asked for and the attempt started). */
  prefetched?: pg.QueryResultRow[];
  status: TExecutionStatus;
  /** Null: the attempt did not start (the execution left the phase's status, or a freeze holds it). */
  attempt: number | null;
  /** The change freeze that holds the step back ("the change freeze "..." in fra2 until ..."), if any. */
  frozen: string | null;
}

function beginResult(fence: TFence, row: pg.QueryResultRow | undefined): TBeginResult {
  if (!row?.status) throw leaseLost(fence);
  return {
    status: row.status as TExecutionStatus,
    attempt: (row.attempt as number | null) ?? null,
    frozen: (row.frozen as string | null) ?? null,
  };
}

/**
 * Starts an attempt of a step (committed at once, so that the console shows it running).
 * Returns the execution's status and the attempt number; the step is only marked when the
 * execution is in the status the phase needs (RUNNING for "run", COMPENSATING for "compensate"),
 * otherwise `attempt` is null and the caller re-decides from the status.
 */
export async function beginAttempt(
  db: TQueryable,
  fence: TFence,
  index: number,
  phase: TPhase,
  logLine: string,
): Promise<TBeginResult> {
  const { rows } = await namedQuery(db, BEGIN_ATTEMPT[phase], [fence.executionId, fence.fencingToken, index, logLine]);
  return beginResult(fence, rows[0]);
}

/**
 * beginAttempt, committed, then BEGIN of the step's transaction on the same connection: one
 * round trip. On return the connection is inside the new transaction (also when the attempt
 * did not start or the lease is lost: the caller rolls back).
 */
export async function beginAttemptAndTransaction(
  client: TQueryable,
  fence: TFence,
  index: number,
  phase: TPhase,
  logLine: string,
  prefetch?: TPrefetch | null,
): Promise<TBeginResult> {
  const read = prefetch ? preparedRead(prefetch.text) : null;
  await ensurePrepared(client, read ? [...STEP_STATEMENTS, read] : STEP_STATEMENTS);
  const statements = [executeSql(BEGIN_ATTEMPT[phase], [fence.executionId, fence.fencingToken, index, logLine])];
  if (read && prefetch) statements.push(executeSql(read, prefetch.values));
  statements.push("COMMIT", "BEGIN");
  const results = await multiQuery(client, statements);
  const begun = beginResult(fence, results[0]?.[0]);
  if (read && begun.attempt !== null) begun.prefetched = results[1] ?? [];
  return begun;
}

/** A driver's deferred write or prefetch read, prepared once per connection like the engine's own. */
const deferredStatement = statementsByKey("deferred", (text) => text);
const preparedRead = statementsByKey("prefetch", (text) => text);

/**
 * Records a successful attempt and commits the step's transaction (the driver's changes are in
 * it), in one round trip: the driver's deferred statements (its ledger rows), the step's result
 * with the fenced check, COMMIT. When the fence fails the statement raises an error, the COMMIT
 * is not reached, and LeaseLostError is thrown: the caller rolls back.
 *
 * `chain`: in the same transaction, start the next attempt (beginAttempt), then after the COMMIT
 * BEGIN its transaction: a step's start costs no round trip and no commit of its own. `next` is
 * its result (attempt null: the execution is no longer in the phase's status, or a freeze holds
 * it; the caller rolls back the empty transaction and decides again).
 */
export async function commitAttempt(
  tx: TQueryable,
  fence: TFence,
  index: number,
  phase: TPhase,
  output: unknown,
  logLines: string[],
  chain?: { index: number; phase: TPhase; logLine: string; prefetch?: TPrefetch | null },
  deferred: readonly TDeferredWrite[] = [],
  /** This was the last step to run: settle the execution in the same transaction (see finishExecution). */
  finish?: TFinishArgs,
): Promise<{ status: TExecutionStatus; next: TBeginResult | null; finished?: boolean }> {
  const prepared = deferred.map((d) => deferredStatement(d.text));
  const read = chain?.prefetch ? preparedRead(chain.prefetch.text) : null;
  const settle = finish && !chain ? finishStatement(finish.workerId ?? "worker") : null;
  await ensurePrepared(tx, [...STEP_STATEMENTS, ...prepared, ...(read ? [read] : []), ...(settle ? [settle] : [])]);
  const statements = deferred.map((d, i) => executeSql(prepared[i] as TPrepared, d.values));
  const at = statements.length;
  statements.push(executeSql(COMMIT_ATTEMPT[phase], [fence.executionId, fence.fencingToken, index, JSON.stringify(output ?? null), logLines]));
  if (settle && finish) statements.push(executeSql(settle, finishValues(fence, finish)));
  if (chain) statements.push(executeSql(BEGIN_ATTEMPT[chain.phase], [fence.executionId, fence.fencingToken, chain.index, chain.logLine]));
  // The next attempt's prefetch read runs before the COMMIT: if it failed, nothing would be committed.
  if (read && chain?.prefetch) statements.push(executeSql(read, chain.prefetch.values));
  statements.push("COMMIT");
  if (chain) statements.push("BEGIN");
  try {
    const results = await multiQuery(tx, statements);
    const status = results[at]?.[0]?.status as TExecutionStatus | undefined;
    if (!status) throw leaseLost(fence);
    const next = chain ? beginResult(fence, results[at + 1]?.[0]) : null;
    if (next && read && next.attempt !== null) next.prefetched = results[at + 2] ?? [];
    if (settle) return { status, next, finished: Boolean(results[at + 1]?.[0]?.finished) };
    return { status, next };
  } catch (error) {
    if (error instanceof Error && error.message.includes(LEASE_LOST_MARK)) throw leaseLost(fence);
    for (const d of deferred) {
      const mapped = d.mapError?.(error);
      if (mapped) throw mapped;
    }
    throw error;
  }
}

/**
 * Records a failed (or interrupted) attempt. `stepStatus`: PENDING (forward, will retry),
 * FAILED (forward, gave up), COMPENSATING (undo, will retry), COMPENSATION_FAILED (undo, gave up).
 */
export async function recordAttemptFailure(
  db: TQueryable,
  fence: TFence,
  index: number,
  /** `retryInMs`: the next attempt may not start before then (durable: every worker's claim honours it). */
  args: { stepStatus: TStepStatus; error: string | null; logLines: string[]; retryInMs?: number },
): Promise<TExecutionStatus> {
  const final = args.stepStatus === "FAILED" || args.stepStatus === "COMPENSATION_FAILED";
  const { rows } = await namedQuery<{ status: TExecutionStatus | null }>(
    db,
    `WITH fence AS (
       UPDATE execution
          SET updated_at = now(),
              not_before = CASE WHEN $8::int IS NULL THEN not_before ELSE now() + $8::int * interval '1 millisecond' END
        WHERE id = $1 AND fencing_token = $2 RETURNING status::text AS status
     ), step AS (
       UPDATE execution_step SET status = $4::"StepStatus", error = COALESCE($5, error), log = COALESCE(log, '{}') || $6::text[],
              finished_at = CASE WHEN $7 THEN now() ELSE finished_at END
        WHERE execution_id = $1 AND index = $3 AND EXISTS (SELECT 1 FROM fence)
        RETURNING 1
     )
     SELECT (SELECT status FROM fence) AS status`,
    [fence.executionId, fence.fencingToken, index, args.stepStatus, args.error, args.logLines, final, args.retryInMs ?? null],
  );
  const status = rows[0]?.status;
  if (!status) throw leaseLost(fence);
  return status;
}

/**
 * Moves the execution `from` one of the given statuses `to` another (fenced). Returns the status
 * it has afterwards: `to`, or the status it had when it was not in `from` (an operator moved it).
 */
export async function moveExecution(
  db: TQueryable,
  fence: TFence,
  from: readonly TExecutionStatus[],
  to: TExecutionStatus,
  error?: string | null,
): Promise<TExecutionStatus> {
  const { rows } = await namedQuery<{ status: TExecutionStatus }>(
    db,
    `UPDATE execution
        SET status = CASE WHEN status::text = ANY($3::text[]) THEN $4::"ExecutionStatus" ELSE status END,
            error = CASE WHEN status::text = ANY($3::text[]) AND $5::text IS NOT NULL THEN $5 ELSE error END,
            updated_at = now()
      WHERE id = $1 AND fencing_token = $2
      RETURNING status::text AS status`,
    [fence.executionId, fence.fencingToken, from, to, error ?? null],
  );
  if (!rows[0]) throw leaseLost(fence);
  return rows[0].status;
}

export interface TFinishArgs {
  from: TExecutionStatus;
  status: "SUCCEEDED" | "ROLLED_BACK" | "FAILED";
  /** undefined keeps the execution's error (the reason of the rollback). */
  error: string | null | undefined;
  workerId?: string;
}

function finishValues(fence: TFence, args: TFinishArgs): unknown[] {
  return [
    fence.executionId,
    fence.fencingToken,
    args.from,
    args.status,
    args.error ?? null,
    args.error !== undefined,
    `engine:${args.workerId ?? "worker"}`,
  ];
}

const finishStatement = statementsByKey(
  "finish",
  (workerId) => `WITH fenced AS (
       SELECT id, status FROM execution WHERE id = $1 AND fencing_token = $2 FOR UPDATE
     ), done AS (
       UPDATE execution e SET status = $4::"ExecutionStatus", error = CASE WHEN $6 THEN $5 ELSE e.error END, finished_at = now(), lease_owner = NULL,
              lease_expires_at = NULL, updated_at = now()
         FROM fenced WHERE e.id = fenced.id AND fenced.status::text = $3
       RETURNING e.request_id, e.attempt, e.error
     ), skipped AS (
       UPDATE execution_step SET status = 'SKIPPED', finished_at = COALESCE(finished_at, now())
        WHERE execution_id = $1 AND status IN ('PENDING', 'RUNNING') AND EXISTS (SELECT 1 FROM done)
        RETURNING 1
     ), request AS (
       UPDATE change_request SET status = $4::text::"ChangeStatus", version = version + 1, updated_at = now()
        WHERE id = (SELECT request_id FROM done) AND status = 'RUNNING'
        RETURNING id
     ), moved AS (
       SELECT request.id AS request_id, 'RUNNING'::text AS from_status, $4::text AS to_status, done.error AS note,
              $1::text AS execution_id, done.attempt
         FROM request, done
     ), audit AS (${auditInsert("'execution.' || lower($4::text)", "$1::text", "jsonb_build_object('status', $4::text, 'requestId', done.request_id, 'attempt', done.attempt, 'error', done.error)", "$7", "done")}),
     ${changeEventCtes("request", "moved", `engine:${workerId}`)}
     SELECT EXISTS (SELECT 1 FROM fenced) AS fenced, EXISTS (SELECT 1 FROM done) AS finished`,
);

/**
 * Settles the execution (SUCCEEDED, ROLLED_BACK or FAILED) and its change request, in one
 * statement: steps that never ran are SKIPPED, the lease is released. Returns false when the
 * execution was no longer in `from` (an operator moved it first).
 */
export async function finishExecution(db: TQueryable, fence: TFence, args: TFinishArgs): Promise<boolean> {
  const { rows } = await namedQuery<{ fenced: boolean; finished: boolean }>(db, finishStatement(args.workerId ?? "worker"), finishValues(fence, args));
  const row = rows[0];
  if (!row?.fenced) throw leaseLost(fence);
  return row.finished;
}

// ---------------------------------------------------------------------------
// Operator actions (conditional on status; the API checks permissions and audits)
// ---------------------------------------------------------------------------

export interface TActor {
  /** Shown in the step log: an email or a name. */
  label: string;
  userId?: string | null;
}

export interface TOperatorResult {
  executionId: string;
  requestId: string;
  from: TExecutionStatus;
  to: TExecutionStatus;
}

async function currentStatus(db: TQueryable, executionId: string): Promise<{ status: TExecutionStatus; requestId: string }> {
  const { rows } = await db.query<{ status: TExecutionStatus; request_id: string }>(
    `SELECT status::text AS status, request_id FROM execution WHERE id = $1`,
    [executionId],
  );
  const row = rows[0];
  if (!row) throw new EngineError("NOT_FOUND", `No execution with id ${executionId}`);
  return { status: row.status, requestId: row.request_id };
}

const LABEL: Record<TExecutionStatus, string> = {
  QUEUED: "queued",
  RUNNING: "running",
  PAUSED: "paused",
  COMPENSATING: "rolling back",
  SUCCEEDED: "succeeded",
  FAILED: "failed",
  ROLLED_BACK: "rolled back",
  CANCELLED: "cancelled",
};

async function refuse(db: TQueryable, executionId: string, what: string): Promise<never> {
  const { status } = await currentStatus(db, executionId);
  throw new EngineError("CONFLICT", `An execution that is ${LABEL[status]} cannot be ${what}`);
}

/** Appends a line to the log of the execution's current step (who did what, for the console). */
async function logOnCurrentStep(db: TQueryable, executionId: string, line: string): Promise<void> {
  await db.query(
    `UPDATE execution_step s SET log = COALESCE(s.log, '{}') || ARRAY[$2::text]
       FROM execution e WHERE e.id = $1 AND s.execution_id = e.id AND s.index = e.current_step`,
    [executionId, line],
  );
}

async function notify(db: TQueryable, executionId: string): Promise<void> {
  await db.query(`SELECT pg_notify($1, $2)`, [EXECUTION_CHANNEL, executionId]);
}

/**
 * Pause: no new step starts; the step running now finishes (its worker then lets go). From
 * QUEUED or RUNNING. A rollback cannot be paused.
 */
export async function pauseExecution(db: TQueryable, executionId: string, actor: TActor): Promise<TOperatorResult> {
  const { rows } = await db.query<{ request_id: string; from: TExecutionStatus }>(
    `UPDATE execution e SET status = 'PAUSED', updated_at = now()
       FROM (SELECT id, status FROM execution WHERE id = $1 FOR UPDATE) before
      WHERE e.id = before.id AND e.status IN ('QUEUED', 'RUNNING')
      RETURNING e.request_id, before.status::text AS "from"`,
    [executionId],
  );
  const row = rows[0];
  if (!row) return refuse(db, executionId, "paused");
  await logOnCurrentStep(db, executionId, `paused by ${actor.label}`);
  return { executionId, requestId: row.request_id, from: row.from, to: "PAUSED" };
}

/** Resume a paused execution: it goes back to the queue and any worker continues it. */
export async function resumeExecution(db: TQueryable, executionId: string, actor: TActor): Promise<TOperatorResult> {
  const { rows } = await db.query<{ request_id: string; to: TExecutionStatus }>(
    `UPDATE execution SET status = CASE WHEN started_at IS NULL THEN 'QUEUED'::"ExecutionStatus" ELSE 'RUNNING'::"ExecutionStatus" END,
            error = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
      WHERE id = $1 AND status = 'PAUSED'
      RETURNING request_id, status::text AS "to"`,
    [executionId],
  );
  const row = rows[0];
  if (!row) return refuse(db, executionId, "resumed");
  await logOnCurrentStep(db, executionId, `resumed by ${actor.label}`);
  await notify(db, executionId);
  return { executionId, requestId: row.request_id, from: "PAUSED", to: row.to };
}

/**
 * Cancel. Before any step ran (QUEUED, or paused before starting): CANCELLED, and the request
 * too. Once started (RUNNING, PAUSED): the completed steps are rolled back (COMPENSATING, then
 * ROLLED_BACK); a running step is interrupted and rolled back by its worker.
 */
export async function cancelExecution(
  db: TQueryable,
  executionId: string,
  actor: TActor,
  reason = "",
): Promise<TOperatorResult> {
  const note = `Cancelled by ${actor.label}${reason ? `: ${reason}` : ""}`;
  const { rows } = await db.query<{ request_id: string; from: TExecutionStatus; to: TExecutionStatus }>(
    `WITH before AS (SELECT id, status, started_at FROM execution WHERE id = $1 FOR UPDATE),
     moved AS (
       UPDATE execution e
          SET status = CASE WHEN before.started_at IS NULL THEN 'CANCELLED'::"ExecutionStatus" ELSE 'COMPENSATING'::"ExecutionStatus" END,
              finished_at = CASE WHEN before.started_at IS NULL THEN now() ELSE NULL END,
              lease_owner = CASE WHEN before.started_at IS NULL OR before.status = 'PAUSED' THEN NULL ELSE e.lease_owner END,
              lease_expires_at = CASE WHEN before.started_at IS NULL OR before.status = 'PAUSED' THEN NULL ELSE e.lease_expires_at END,
              error = $2, updated_at = now()
         FROM before
        WHERE e.id = before.id AND before.status IN ('QUEUED', 'RUNNING', 'PAUSED')
        RETURNING e.request_id, before.status::text AS "from", e.status::text AS "to"
     ), request AS (
       UPDATE change_request SET status = 'CANCELLED', version = version + 1, updated_at = now()
        WHERE id = (SELECT request_id FROM moved WHERE moved."to" = 'CANCELLED') AND status IN ('APPROVED', 'SCHEDULED', 'RUNNING')
        RETURNING 1
     ), steps AS (
       UPDATE execution_step SET status = 'SKIPPED'
        WHERE execution_id = $1 AND status = 'PENDING' AND EXISTS (SELECT 1 FROM moved WHERE moved."to" = 'CANCELLED')
        RETURNING 1
     )
     SELECT * FROM moved`,
    [executionId, note],
  );
  const row = rows[0];
  if (!row) return refuse(db, executionId, "cancelled");
  await logOnCurrentStep(db, executionId, note.replace(/^Cancelled/, "cancelled"));
  await notify(db, executionId);
  return { executionId, requestId: row.request_id, from: row.from, to: row.to };
}

/**
 * Retry a failed step:
 * - FAILED execution (a compensation failed for good): its compensation runs again and the
 *   rollback continues; the request goes back to RUNNING.
 * - PAUSED execution whose forward step failed (it was paused before the rollback started): the
 *   step runs again (its attempt count starts over) and the execution resumes.
 * `stepIndex` (0-based) names the step; omitted, the failed one is taken.
 */
export async function retryFailedStep(
  db: TQueryable,
  executionId: string,
  actor: TActor,
  stepIndex?: number,
): Promise<TOperatorResult & { stepIndex: number }> {
  const { rows } = await db.query<{ request_id: string; from: TExecutionStatus; to: TExecutionStatus; step_index: number }>(
    `WITH target AS (
       SELECT e.id, e.status, e.request_id, s.index
         FROM execution e JOIN execution_step s ON s.execution_id = e.id
        WHERE e.id = $1
          AND ((e.status = 'FAILED' AND s.status = 'COMPENSATION_FAILED') OR (e.status = 'PAUSED' AND s.status = 'FAILED'))
          AND ($2::int IS NULL OR s.index = $2)
        ORDER BY s.index DESC LIMIT 1
        FOR UPDATE OF e
     ), step AS (
       UPDATE execution_step s
          SET status = CASE WHEN target.status = 'FAILED' THEN 'COMPENSATING'::"StepStatus" ELSE 'PENDING'::"StepStatus" END,
              attempt = CASE WHEN target.status = 'FAILED' THEN s.attempt ELSE 0 END,
              finished_at = NULL,
              log = COALESCE(s.log, '{}') || ARRAY['retry requested by ' || $3::text]
         FROM target WHERE s.execution_id = target.id AND s.index = target.index
        RETURNING s.index
     ), moved AS (
       UPDATE execution e
          SET status = CASE WHEN target.status = 'FAILED' THEN 'COMPENSATING'::"ExecutionStatus" ELSE 'RUNNING'::"ExecutionStatus" END,
              finished_at = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),
              error = CASE WHEN target.status = 'PAUSED' THEN NULL ELSE e.error END
         FROM target WHERE e.id = target.id
        RETURNING e.request_id, target.status::text AS "from", e.status::text AS "to", target.index AS step_index
     ), request AS (
       UPDATE change_request SET status = 'RUNNING', version = version + 1, updated_at = now()
        WHERE id = (SELECT request_id FROM moved) AND status = 'FAILED'
        RETURNING 1
     )
     SELECT * FROM moved`,
    [executionId, stepIndex ?? null, actor.label],
  );
  const row = rows[0];
  if (!row) {
    const { status } = await currentStatus(db, executionId);
    throw new EngineError(
      "CONFLICT",
      status === "FAILED" || status === "PAUSED"
        ? `No failed step${stepIndex === undefined ? "" : ` at position ${stepIndex + 1}`} to retry`
        : `An execution that is ${LABEL[status]} has no failed step to retry`,
    );
  }
  await notify(db, executionId);
  return { executionId, requestId: row.request_id, from: row.from, to: row.to, stepIndex: row.step_index };
}

/**
 * A person undid a step by hand (the compensation failed, or was "manual intervention"): the
 * step is marked COMPENSATED with their note and the rollback continues with the steps before it.
 */
export async function resolveStepManually(
  db: TQueryable,
  executionId: string,
  stepIndex: number,
  actor: TActor,
  note: string,
): Promise<TOperatorResult> {
  const { rows } = await db.query<{ request_id: string }>(
    `WITH target AS (
       SELECT e.id FROM execution e JOIN execution_step s ON s.execution_id = e.id
        WHERE e.id = $1 AND e.status = 'FAILED' AND s.index = $2 AND s.status = 'COMPENSATION_FAILED'
        FOR UPDATE OF e
     ), step AS (
       UPDATE execution_step s SET status = 'COMPENSATED', finished_at = now(),
              log = COALESCE(s.log, '{}') || ARRAY['undone by hand by ' || $3::text || CASE WHEN $4 = '' THEN '' ELSE ': ' || $4 END]
         FROM target WHERE s.execution_id = target.id AND s.index = $2
        RETURNING 1
     ), moved AS (
       UPDATE execution e SET status = 'COMPENSATING', finished_at = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
         FROM target WHERE e.id = target.id
        RETURNING e.request_id
     ), request AS (
       UPDATE change_request SET status = 'RUNNING', version = version + 1, updated_at = now()
        WHERE id = (SELECT request_id FROM moved) AND status = 'FAILED'
        RETURNING 1
     )
     SELECT * FROM moved`,
    [executionId, stepIndex, actor.label, note.trim()],
  );
  const row = rows[0];
  if (!row) {
    await currentStatus(db, executionId);
    throw new EngineError("CONFLICT", `Step ${stepIndex + 1} is not a failed compensation of a failed execution`);
  }
  await notify(db, executionId);
  return { executionId, requestId: row.request_id, from: "FAILED", to: "COMPENSATING" };
}

// ---------------------------------------------------------------------------
// Reads (progress for the console)
// ---------------------------------------------------------------------------

export interface TExecutionStepView {
  index: number;
  stepId: string;
  name: string;
  action: string;
  group: string | null;
  status: TStepStatus;
  attempt: number;
  maxAttempts: number;
  compensationAction: string | null;
  compensationAttempts: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  error: string | null;
  log: string[];
  output: unknown;
}

export interface TExecutionView {
  id: string;
  requestId: string;
  attempt: number;
  status: TExecutionStatus;
  planHash: string;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  fencingToken: string;
  currentStep: number;
  error: string | null;
  /** A retry's durable wait: no worker starts the next attempt before then. */
  notBefore: Date | null;
  /**
   * Why the execution is not moving now, for people: a change freeze holds it ("Paused before
   * step 3 by the change freeze "..." in fra2 until ..."), or a retry waits. Null otherwise.
   */
  waitingFor: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
  steps: TExecutionStepView[];
}

interface TExecutionRow extends pg.QueryResultRow {
  id: string;
  request_id: string;
  attempt: number;
  status: TExecutionStatus;
  plan_hash: string;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  fencing_token: string;
  current_step: number;
  error: string | null;
  not_before: Date | null;
  frozen_by: string | null;
  now: Date;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

const EXECUTION_COLUMNS = `id, request_id, attempt, status::text AS status, plan_hash, lease_owner, lease_expires_at,
  fencing_token::text AS fencing_token, current_step, error, not_before, now() AS now,
  (SELECT ${FREEZE_TEXT} FROM (${ACTIVE_FREEZE} LIMIT 1) f) AS frozen_by,
  created_at, started_at, finished_at, updated_at`;

function waitingFor(row: TExecutionRow): string | null {
  const running = row.status === "RUNNING" || row.status === "QUEUED";
  if (running && row.frozen_by) {
    if (row.lease_owner && row.status === "RUNNING") return `Pausing before the next step for ${row.frozen_by}`;
    return row.status === "QUEUED" ? `Not started: held back by ${row.frozen_by}` : `Paused before step ${row.current_step + 1} by ${row.frozen_by}`;
  }
  if ((running || row.status === "COMPENSATING") && row.not_before && row.not_before > row.now)
    return `Retrying step ${row.current_step + 1} at ${row.not_before.toISOString().slice(11, 19)} UTC (backoff)`;
  return null;
}

function toView(row: TExecutionRow, steps: TExecutionStepView[]): TExecutionView {
  return {
    id: row.id,
    requestId: row.request_id,
    attempt: row.attempt,
    status: row.status,
    planHash: row.plan_hash,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    fencingToken: row.fencing_token,
    currentStep: row.current_step,
    error: row.error,
    notBefore: row.not_before,
    waitingFor: waitingFor(row),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    updatedAt: row.updated_at,
    steps,
  };
}

async function stepsOf(db: TQueryable, executionIds: string[]): Promise<Map<string, TExecutionStepView[]>> {
  const { rows } = await db.query<{
    execution_id: string;
    index: number;
    name: string;
    status: TStepStatus;
    attempt: number;
    input: Partial<TPlanStep> | null;
    output: { compensation?: { attempts?: number } } | null;
    error: string | null;
    log: string[] | null;
    started_at: Date | null;
    finished_at: Date | null;
  }>(
    `SELECT execution_id, index, name, status::text AS status, attempt, input, output, error, log, started_at, finished_at
       FROM execution_step WHERE execution_id = ANY($1::uuid[]) ORDER BY execution_id, index`,
    [executionIds],
  );
  const out = new Map<string, TExecutionStepView[]>();
  for (const r of rows) {
    const list = out.get(r.execution_id) ?? [];
    list.push({
      index: r.index,
      stepId: r.input?.id ?? String(r.index),
      name: r.name,
      action: r.input?.action ?? "?",
      group: r.input?.group ?? null,
      status: r.status,
      attempt: r.attempt,
      maxAttempts: r.input?.retry?.maxAttempts ?? 1,
      compensationAction: r.input?.compensation?.action ?? null,
      compensationAttempts: Number(r.output?.compensation?.attempts ?? 0),
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      durationMs: r.started_at && r.finished_at ? r.finished_at.getTime() - r.started_at.getTime() : null,
      error: r.error,
      log: r.log ?? [],
      output: r.output,
    });
    out.set(r.execution_id, list);
  }
  return out;
}

/** One execution with its steps (status, attempts, timings, log lines, errors). */
export async function getExecution(db: TQueryable, executionId: string): Promise<TExecutionView> {
  const { rows } = await db.query<TExecutionRow>(`SELECT ${EXECUTION_COLUMNS} FROM execution e WHERE id = $1`, [executionId]);
  const row = rows[0];
  if (!row) throw new EngineError("NOT_FOUND", `No execution with id ${executionId}`);
  const steps = await stepsOf(db, [row.id]);
  return toView(row, steps.get(row.id) ?? []);
}

/** The executions of a change request, latest attempt first, with their steps. */
export async function listRequestExecutions(db: TQueryable, requestId: string): Promise<TExecutionView[]> {
  const { rows } = await db.query<TExecutionRow>(
    `SELECT ${EXECUTION_COLUMNS} FROM execution e WHERE request_id = $1 ORDER BY attempt DESC`,
    [requestId],
  );
  if (rows.length === 0) return [];
  const steps = await stepsOf(db, rows.map((r) => r.id));
  return rows.map((r) => toView(r, steps.get(r.id) ?? []));
}

