import { PLAN_ACTIONS, type TPlanAction, type TPlanStep, type TRetryPolicy } from "../core/plan";

/**
 * Retry and timeout decisions (pure). A forward step uses the retry policy and timeout the plan
 * gives it (approved with the plan); a compensation uses its action's defaults from
 * PLAN_ACTIONS (the plan format gives compensations no policy of their own).
 */

/** No wait between attempts is longer than this, whatever the doubling gives. */
export const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Attempts lost with their worker (killed, disconnected) count as attempts, but an interrupted
 * attempt is always followed by another one; this many extra attempts are allowed on top of
 * `maxAttempts` for that, after which the step fails (a step that kills its worker every time).
 */
export const INTERRUPTED_ATTEMPT_ALLOWANCE = 3;

export interface TPhasePolicy {
  retry: TRetryPolicy;
  timeoutMs: number;
}

export function runPolicy(step: Pick<TPlanStep, "retry" | "timeoutMs">): TPhasePolicy {
  return { retry: step.retry, timeoutMs: step.timeoutMs };
}

export function compensationPolicy(action: TPlanAction): TPhasePolicy {
  const spec = PLAN_ACTIONS[action];
  return { retry: { ...spec.retry }, timeoutMs: spec.timeoutMs };
}

/** Wait before the attempt after failed attempt `failedAttempt` (1-based): backoff, doubled each time, capped. */
export function backoffDelayMs(retry: TRetryPolicy, failedAttempt: number): number {
  if (retry.backoffMs <= 0) return 0;
  const exponent = Math.max(0, failedAttempt - 1);
  return Math.min(MAX_BACKOFF_MS, retry.backoffMs * 2 ** Math.min(exponent, 30));
}

export type TAfterFailure =
  | { kind: "retry"; delayMs: number; nextAttempt: number }
  | { kind: "give-up"; why: "exhausted" | "not-retryable" };

/** After attempt `attempt` (1-based) failed: try again (after a delay), or give up. */
export function decideAfterFailure(args: { attempt: number; retry: TRetryPolicy; retryable: boolean }): TAfterFailure {
  if (!args.retryable) return { kind: "give-up", why: "not-retryable" };
  if (args.attempt >= args.retry.maxAttempts) return { kind: "give-up", why: "exhausted" };
  return { kind: "retry", delayMs: backoffDelayMs(args.retry, args.attempt), nextAttempt: args.attempt + 1 };
}

/** May attempt number `attempt` (1-based) start at all? False once interrupted attempts used up the allowance. */
export function mayStartAttempt(attempt: number, retry: TRetryPolicy): boolean {
  return attempt <= retry.maxAttempts + INTERRUPTED_ATTEMPT_ALLOWANCE;
}

/** One line for the step's log and the people reading it. */
export function describeFailure(args: {
  attempt: number;
  maxAttempts: number;
  message: string;
  decision: TAfterFailure;
}): string {
  const head = `attempt ${args.attempt}/${args.maxAttempts} failed: ${args.message}`;
  if (args.decision.kind === "retry") return `${head}; retrying in ${formatDelay(args.decision.delayMs)}`;
  return args.decision.why === "not-retryable" ? `${head}; not retryable` : `${head}; no attempt left`;
}

function formatDelay(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
