import { type TSql } from "../driver";

/**
 * Tables of the simulated fleet that the metadata schema (prisma/schema.prisma) has no column
 * for yet. Created by `ensureFleetSchema()` (idempotent, safe to call from many processes at
 * once) until a migration adds them; see packages/fleet/README.md.
 *
 * - fleet_side_effect: the side-effect ledger. One row per change a step applied, keyed by the
 *   step's deterministic side-effect id; the UNIQUE constraint makes a second application of
 *   the same change fail loudly instead of happening.
 * - fleet_instance_state: per simulated instance, what a real server would know about itself
 *   and the inventory does not model: is it registered (traffic routed to it), are its writes
 *   fenced, is it detached from the topology (with the links it had), which schema changes it
 *   has applied.
 */
export const FLEET_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS fleet_side_effect (
  seq          BIGSERIAL PRIMARY KEY,
  effect_id    TEXT NOT NULL,
  execution_id UUID NOT NULL,
  step_id      TEXT NOT NULL,
  phase        TEXT NOT NULL CHECK (phase IN ('run', 'compensate')),
  action       TEXT NOT NULL,
  target       TEXT NOT NULL,
  detail       JSONB NOT NULL DEFAULT '{}'::jsonb,
  applied_at   TIMESTAMPTZ(3) NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT fleet_side_effect_effect_id_key UNIQUE (effect_id)
);
CREATE INDEX IF NOT EXISTS fleet_side_effect_execution_idx ON fleet_side_effect (execution_id, seq);

CREATE TABLE IF NOT EXISTS fleet_instance_state (
  instance_id    UUID PRIMARY KEY REFERENCES instance (id) ON DELETE CASCADE,
  registered     BOOLEAN NOT NULL DEFAULT true,
  writes_fenced  BOOLEAN NOT NULL DEFAULT false,
  detached       BOOLEAN NOT NULL DEFAULT false,
  detached_links JSONB,
  schema_changes TEXT[] NOT NULL DEFAULT '{}',
  updated_at     TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
`;

/**
 * Creates the simulated fleet's own tables when missing. One multi-statement query (so one
 * connection and one implicit transaction, also through a pool), serialised by an advisory
 * lock: concurrent `CREATE TABLE IF NOT EXISTS` can otherwise collide on the catalog.
 */
export async function ensureFleetSchema(sql: TSql): Promise<void> {
  await sql.query(`SELECT pg_advisory_xact_lock(hashtext('meridian_fleet_schema'));${FLEET_SCHEMA_SQL}`);
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
