/**
 * The driver port: what the orchestration engine needs from a driver to carry out one plan
 * step. A driver is a registry of actions keyed by the plan's action names
 * (`PLAN_ACTIONS` in @meridian/orchestrator). The engine owns retries, timeouts, leases and
 * compensation; a driver only does one attempt of one action, idempotently:
 *
 * - it checks the current state first ("the link already exists" is success, not an error);
 * - anything it creates uses the ids given in the input (the planner derives them);
 * - each change it applies is recorded under `ctx.sideEffectId`, which the engine derives from
 *   (execution, step, phase), so that the same step can never apply its change twice.
 *
 * `ctx.sql` is the metadata-database transaction in which the engine commits the step's result
 * (fenced by the execution's token). A driver whose fleet lives in that database (the simulated
 * one) makes its changes there, so that the change, the ledger row and the step's new status
 * commit together or not at all.
 */

export type TJsonValue = string | number | boolean | null | TJsonValue[] | { [key: string]: TJsonValue };
export type TJsonObject = { [key: string]: TJsonValue };

/** The part of a pg client a driver may use. */
export interface TSql {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

/** A step runs forwards ("run") or is undone ("compensate"). */
export type TStepPhase = "run" | "compensate";

export interface TActionContext {
  /** The transaction the step's result commits in (metadata database). */
  sql: TSql;
  executionId: string;
  /** The plan step's id ("02-provision-..."). */
  stepId: string;
  /** 0-based position of the step in the plan. */
  stepIndex: number;
  phase: TStepPhase;
  /** 1-based attempt of this phase of this step (survives worker crashes). */
  attempt: number;
  /** Deterministic id of the change this step applies: derived from (execution, step, phase). */
  sideEffectId: string;
  /** Aborted when the step times out, the lease is lost or the worker stops. */
  signal: AbortSignal;
  /** A line for the step's log in the console. */
  log: (line: string) => void;
  /**
   * Runs a write in the step's commit round trip, in the same transaction, just before the
   * step's result (the engine saves a round trip per step). `mapError` turns its failure into the
   * attempt's error. Absent when an action runs outside the engine: write at once.
   */
  defer?: (statement: TDeferredWrite) => void;
  /** The rows of the driver's `prefetch` read for this attempt, when the engine ran it. */
  prefetched?: Record<string, unknown>[];
}

/** A read the engine runs for an attempt in the round trip that starts it (see TStepDriver.prefetch). */
export interface TPrefetch {
  text: string;
  values: unknown[];
}

/** A write deferred to the step's commit (see TActionContext.defer). */
export interface TDeferredWrite {
  text: string;
  values: unknown[];
  mapError?: (error: unknown) => Error | undefined;
}

export interface TDriverAction {
  /** One attempt: check the state, act if needed, return what was done (shown to people). */
  run: (ctx: TActionContext, input: TJsonObject) => Promise<TJsonObject>;
}

export interface TStepDriver {
  /** "simulated", "postgres", ... */
  readonly name: string;
  readonly actions: Readonly<Record<string, TDriverAction>>;
  /** Called once when a worker starts (e.g. to create the driver's own tables). */
  prepare?: (sql: TSql) => Promise<void>;
  /**
   * A read the action needs first (e.g. which driver owns the step's instances), as SQL the
   * engine can send in the round trip that starts the attempt; its rows reach the action as
   * `ctx.prefetched`. Must not fail on any input (return null to read it in the action instead).
   */
  prefetch?: (action: string, input: TJsonObject) => TPrefetch | null;
}

/**
 * A failed attempt. `retryable: false` stops the retries at once (bad input, a precondition
 * that waiting cannot fix, a person is needed). `humanAction` says what a person must do.
 */
export class ActionError extends Error {
  readonly retryable: boolean;
  readonly humanAction: string | undefined;

  constructor(message: string, options: { retryable?: boolean; humanAction?: string } = {}) {
    super(message);
    this.name = "ActionError";
    this.retryable = options.retryable ?? true;
    this.humanAction = options.humanAction;
  }
}

/** The same change was about to be applied a second time: a bug somewhere, never retried. */
export class DuplicateSideEffectError extends ActionError {
  constructor(sideEffectId: string, what: string) {
    super(`Side effect ${sideEffectId} (${what}) was already applied: refusing to apply it twice`, {
      retryable: false,
      humanAction: "Report this: a step ran twice. Check the fleet by hand before retrying anything.",
    });
    this.name = "DuplicateSideEffectError";
  }
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error(typeof reason === "string" ? reason : "aborted");
}
