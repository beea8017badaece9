/**
 * The execution and step state machines, and the one decision the executor makes over and over:
 * "given the execution's status and its steps' statuses, what comes next?". Pure: no I/O, no
 * clock. The store writes exactly these moves, each as a conditional update.
 *
 * Execution:
 *
 *   QUEUED ──claim──▶ RUNNING ──all steps done──▶ SUCCEEDED
 *     │  │              │  ▲
 *     │  │         pause│  │resume
 *     │  │              ▼  │
 *     │  └──pause────▶ PAUSED ──cancel──┐
 *     │                                 ▼
 *     │     a step failed for good, or cancel ──▶ COMPENSATING ──all undone──▶ ROLLED_BACK
 *     │                                            │   ▲
 *     │                          a compensation    │   │ retry / resolved by hand
 *     │                          failed for good   ▼   │
 *     │                                            FAILED
 *     └──cancel before start / refused (not approved, plan changed)──▶ CANCELLED
 *
 * Step (forward): PENDING ─▶ RUNNING ─▶ SUCCEEDED; RUNNING ─(attempt failed, retry left)─▶ PENDING;
 * RUNNING ─(no retry left)─▶ FAILED; PENDING/RUNNING ─(rollback finished first)─▶ SKIPPED.
 * Step (undo): SUCCEEDED ─▶ COMPENSATING ─▶ COMPENSATED; COMPENSATING ─(no retry left)─▶
 * COMPENSATION_FAILED ─(operator retry)─▶ COMPENSATING, or ─(resolved by hand)─▶ COMPENSATED.
 */

export const EXECUTION_STATUSES = [
  "QUEUED",
  "RUNNING",
  "PAUSED",
  "COMPENSATING",
  "SUCCEEDED",
  "FAILED",
  "ROLLED_BACK",
  "CANCELLED",
] as const;
export type TExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const STEP_STATUSES = [
  "PENDING",
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "SKIPPED",
  "COMPENSATING",
  "COMPENSATED",
  "COMPENSATION_FAILED",
] as const;
export type TStepStatus = (typeof STEP_STATUSES)[number];

/** The one table of legal execution moves. */
export const EXECUTION_TRANSITIONS = {
  QUEUED: ["RUNNING", "PAUSED", "CANCELLED"],
  RUNNING: ["SUCCEEDED", "COMPENSATING", "PAUSED"],
  PAUSED: ["RUNNING", "QUEUED", "COMPENSATING", "CANCELLED"],
  COMPENSATING: ["ROLLED_BACK", "FAILED"],
  FAILED: ["COMPENSATING"],
  SUCCEEDED: [],
  ROLLED_BACK: [],
  CANCELLED: [],
} as const satisfies Record<TExecutionStatus, readonly TExecutionStatus[]>;

/** The one table of legal step moves. */
export const STEP_TRANSITIONS = {
  PENDING: ["RUNNING", "SKIPPED"],
  RUNNING: ["SUCCEEDED", "PENDING", "FAILED", "RUNNING", "SKIPPED"],
  SUCCEEDED: ["COMPENSATING"],
  FAILED: ["PENDING"],
  SKIPPED: [],
  COMPENSATING: ["COMPENSATED", "COMPENSATING", "COMPENSATION_FAILED"],
  COMPENSATED: [],
  COMPENSATION_FAILED: ["COMPENSATING", "COMPENSATED"],
} as const satisfies Record<TStepStatus, readonly TStepStatus[]>;

export function canExecutionMove(from: TExecutionStatus, to: TExecutionStatus): boolean {
  return (EXECUTION_TRANSITIONS[from] as readonly TExecutionStatus[]).includes(to);
}

export function canStepMove(from: TStepStatus, to: TStepStatus): boolean {
  return (STEP_TRANSITIONS[from] as readonly TStepStatus[]).includes(to);
}

/** Final: nothing will ever happen to this execution again. */
export function isTerminalExecution(status: TExecutionStatus): boolean {
  return EXECUTION_TRANSITIONS[status].length === 0;
}

/** A worker may hold this execution and make progress on it. */
export function isClaimableExecution(status: TExecutionStatus): boolean {
  return status === "QUEUED" || status === "RUNNING" || status === "COMPENSATING";
}

/** Not settled: counts as "the request's current execution". FAILED waits for a person. */
export function isOpenExecution(status: TExecutionStatus): boolean {
  return !isTerminalExecution(status);
}

/** The status the change request takes when its execution ends this way. */
export const REQUEST_STATUS_AFTER: Record<"SUCCEEDED" | "ROLLED_BACK" | "FAILED" | "CANCELLED", string> = {
  SUCCEEDED: "SUCCEEDED",
  ROLLED_BACK: "ROLLED_BACK",
  FAILED: "FAILED",
  CANCELLED: "CANCELLED",
};

export interface TStepView {
  index: number;
  status: TStepStatus;
  /** The step has a compensation (it changes something). */
  compensable: boolean;
}

export type TNextMove =
  /** Run (or resume an interrupted attempt of) the forward step. */
  | { kind: "run"; index: number }
  /** Run the compensation of a step that completed. */
  | { kind: "compensate"; index: number }
  /** A step failed for good: switch the execution to COMPENSATING. */
  | { kind: "start-rollback"; failedIndex: number }
  /** Settle the execution. `failedIndex`: the step whose failure (or compensation failure) decided it. */
  | { kind: "finish"; status: "SUCCEEDED" | "ROLLED_BACK" | "FAILED"; failedIndex: number | null }
  /** Nothing for a worker to do (paused, or already settled): let go of the execution. */
  | { kind: "release"; reason: "paused" | "settled" };

/**
 * What the executor does next. Forward: the first step not yet SUCCEEDED runs; a FAILED step
 * starts the rollback. Rollback: steps that completed and have a compensation are undone from
 * the last to the first; a compensation that failed for good ends the execution FAILED (later
 * compensations would act on a state nobody planned for: a person decides).
 */
export function decideNext(status: TExecutionStatus, steps: readonly TStepView[]): TNextMove {
  if (status === "PAUSED") return { kind: "release", reason: "paused" };
  if (!isClaimableExecution(status)) return { kind: "release", reason: "settled" };
  const ordered = [...steps].sort((a, b) => a.index - b.index);

  if (status === "QUEUED" || status === "RUNNING") {
    const failed = ordered.find((s) => s.status === "FAILED" || s.status === "COMPENSATION_FAILED" || s.status === "COMPENSATED" || s.status === "COMPENSATING");
    if (failed) return { kind: "start-rollback", failedIndex: failed.index };
    const next = ordered.find((s) => s.status !== "SUCCEEDED" && s.status !== "SKIPPED");
    if (next) return { kind: "run", index: next.index };
    return { kind: "finish", status: "SUCCEEDED", failedIndex: null };
  }

  // COMPENSATING
  const compensationFailed = ordered.find((s) => s.status === "COMPENSATION_FAILED");
  if (compensationFailed) return { kind: "finish", status: "FAILED", failedIndex: compensationFailed.index };
  for (let i = ordered.length - 1; i >= 0; i--) {
    const step = ordered[i] as TStepView;
    if (step.status === "COMPENSATING" || (step.status === "SUCCEEDED" && step.compensable))
      return { kind: "compensate", index: step.index };
  }
  const failedForward = ordered.find((s) => s.status === "FAILED");
  return { kind: "finish", status: "ROLLED_BACK", failedIndex: failedForward?.index ?? null };
}

/** Share of the work done, for a progress bar: forward steps done, or undo progress while rolling back. */
export function progressOf(
  status: TExecutionStatus,
  steps: readonly TStepView[],
): { done: number; total: number; percent: number; direction: "forward" | "rollback" } {
  const rollingBack = status === "COMPENSATING" || status === "ROLLED_BACK" || (status === "FAILED" && steps.some((s) => s.status === "COMPENSATION_FAILED" || s.status === "COMPENSATED"));
  if (!rollingBack) {
    const done = steps.filter((s) => s.status === "SUCCEEDED").length;
    return { done, total: steps.length, percent: steps.length ? Math.round((100 * done) / steps.length) : 100, direction: "forward" };
  }
  const toUndo = steps.filter(
    (s) => s.compensable && (s.status === "SUCCEEDED" || s.status === "COMPENSATING" || s.status === "COMPENSATED" || s.status === "COMPENSATION_FAILED"),
  );
  const done = toUndo.filter((s) => s.status === "COMPENSATED").length;
  return { done, total: toUndo.length, percent: toUndo.length ? Math.round((100 * done) / toUndo.length) : 100, direction: "rollback" };
}
