/**
 * Errors of the execution engine and how they are told apart (pure: no I/O).
 *
 * Three kinds of trouble while a step runs, handled differently:
 * - the step failed (the driver said so, or it timed out): counted as a failed attempt, retried
 *   per the step's retry policy, then the execution rolls back;
 * - the lease was lost (another worker holds a newer fencing token): this worker stops working
 *   on the execution at once, and its uncommitted work is rolled back;
 * - the infrastructure failed (the metadata database connection dropped, the server restarts):
 *   not the step's fault, so not counted; the worker lets go of the execution and it is picked
 *   up again (by any worker) from what the database says.
 */

export type TEngineErrorCode = "NOT_FOUND" | "CONFLICT" | "PRECONDITION_FAILED" | "INVALID";

/** A refused engine call (operator action, enqueue): `code` maps to the API's error codes. */
export class EngineError extends Error {
  constructor(
    readonly code: TEngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

/** A write was refused because the execution's fencing token is no longer ours. */
export class LeaseLostError extends Error {
  constructor(
    readonly executionId: string,
    readonly fencingToken: string,
  ) {
    super(`Lease on execution ${executionId} lost: fencing token ${fencingToken} is stale`);
    this.name = "LeaseLostError";
  }
}

/** The metadata database failed under us; the execution is left for a later claim. */
export class InfrastructureError extends Error {
  constructor(cause: unknown) {
    super(`Metadata database unavailable: ${messageOf(cause)}`, { cause });
    this.name = "InfrastructureError";
  }
}

/** An attempt ran past its step's timeout. */
export class StepTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Timed out after ${formatMs(timeoutMs)}`);
    this.name = "StepTimeoutError";
  }
}

/** The worker is shutting down; the attempt is abandoned (rolled back) and the lease released. */
export class WorkerStoppingError extends Error {
  constructor() {
    super("The worker is stopping");
    this.name = "WorkerStoppingError";
  }
}

/** An operator cancelled the execution while this attempt was running. */
export class CancelledError extends Error {
  constructor() {
    super("The execution was cancelled while the step was running");
    this.name = "CancelledError";
  }
}

// SQLSTATE classes and codes that mean "the database or the connection failed", not "the SQL
// was wrong": 08 connection exception, 57P0x operator intervention (terminated, shutdown),
// 53 insufficient resources, 40001/40P01 serialization failure and deadlock (retry the whole
// thing), 58 system error, XX internal error.
const INFRA_SQLSTATE = /^(08|53|57P|58|XX)/;
const INFRA_CODES = new Set(["40001", "40P01"]);
const INFRA_MESSAGE =
  /Connection terminated|connection error|Client has encountered a connection error|not queryable|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|terminating connection|Client was closed|timeout exceeded when trying to connect/i;

/** True when `error` says the database or the connection failed (not the step). */
export function isInfrastructureError(error: unknown): boolean {
  if (error instanceof InfrastructureError) return true;
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (INFRA_SQLSTATE.test(code) || INFRA_CODES.has(code))) return true;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code) && INFRA_MESSAGE.test(code)) return true;
  return INFRA_MESSAGE.test(messageOf(error));
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

export function formatMs(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6_000) / 10} min`;
}
