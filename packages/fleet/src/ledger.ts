import { DuplicateSideEffectError, type TActionContext, type TJsonObject, type TSql } from "./driver";

/**
 * The fleet's own tables live in the metadata schema (prisma/schema.prisma, migration
 * 20261207140000_fleet_drivers_drift_sign_in):
 * - fleet_side_effect: the side-effect ledger. One row per change a step applied, keyed by the
 *   step's deterministic side-effect id; the UNIQUE constraint makes a second application of
 *   the same change fail loudly instead of happening. Both drivers write it.
 * - fleet_instance_state: per instance, what a real server would know about itself and the
 *   inventory does not model (registered, writes fenced, detached with its links, schema changes).
 *
 * `assertFleetSchema()` is what a worker's `prepare()` calls: it only checks that the
 * migration ran, and says what to do when it did not.
 */
export async function assertFleetSchema(sql: TSql): Promise<void> {
  const { rows } = await sql.query<{ ledger: string | null; state: string | null }>(
    "SELECT to_regclass('fleet_side_effect')::text AS ledger, to_regclass('fleet_instance_state')::text AS state",
  );
  const row = rows[0];
  if (!row?.ledger || !row.state)
    throw new Error("The metadata database has no fleet tables (fleet_side_effect, fleet_instance_state): run `pnpm db:migrate` first");
}

/**
 * Records the change a step applied under its deterministic side-effect id, in the step's
 * transaction: it commits with the step's result or not at all. A second application of the
 * same id is a bug somewhere and fails loudly.
 */
export async function recordSideEffect(
  ctx: TActionContext,
  action: string,
  target: string,
  detail: TJsonObject,
): Promise<void> {
  const text = `INSERT INTO fleet_side_effect (effect_id, execution_id, step_id, phase, action, target, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`;
  const values = [ctx.sideEffectId, ctx.executionId, ctx.stepId, ctx.phase, action, target, JSON.stringify(detail)];
  const duplicate = (error: unknown) =>
    isUniqueViolation(error) && String((error as { constraint?: unknown }).constraint).startsWith("fleet_side_effect")
      ? new DuplicateSideEffectError(ctx.sideEffectId, `${ctx.phase} ${action} ${target}`)
      : undefined;
  if (ctx.defer) {
    // Written with the step's result, in its commit round trip.
    ctx.defer({ text, values, mapError: duplicate });
    return;
  }
  try {
    await ctx.sql.query(text, values);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateSideEffectError(ctx.sideEffectId, `${ctx.phase} ${action} ${target}`);
    throw error;
  }
}

/** PostgreSQL's unique_violation (23505). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

export interface TSideEffectRow {
  seq: number;
  effectId: string;
  executionId: string;
  stepId: string;
  phase: "run" | "compensate";
  action: string;
  target: string;
  detail: unknown;
  appliedAt: Date;
}

/** The ledger, oldest first; optionally one execution's rows only. */
export async function listSideEffects(sql: TSql, executionId?: string): Promise<TSideEffectRow[]> {
  const { rows } = await sql.query<{
    seq: string;
    effect_id: string;
    execution_id: string;
    step_id: string;
    phase: "run" | "compensate";
    action: string;
    target: string;
    detail: unknown;
    applied_at: Date;
  }>(
    `SELECT seq, effect_id, execution_id, step_id, phase, action, target, detail, applied_at
       FROM fleet_side_effect ${executionId ? "WHERE execution_id = $1" : ""} ORDER BY seq`,
    executionId ? [executionId] : [],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    effectId: r.effect_id,
    executionId: r.execution_id,
    stepId: r.step_id,
    phase: r.phase,
    action: r.action,
    target: r.target,
    detail: r.detail,
    appliedAt: r.applied_at,
  }));
}
