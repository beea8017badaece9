import type pg from "pg";
import { ActionError, abortReason, sleep, type TActionContext, type TDeferredWrite, type TJsonObject, type TPrefetch, type TSql, type TStepDriver } from "@meridian/fleet";
import { derivedId } from "../core/plan";
import {
  CancelledError,
  InfrastructureError,
  isInfrastructureError,
  LeaseLostError,
  messageOf,
  StepTimeoutError,
  WorkerStoppingError,
  formatMs,
} from "./errors";
import { decideNext, type TExecutionStatus, type TStepStatus } from "./execution-state";
import {
  beginAttemptAndTransaction,
  commitAttempt,
  finishExecution,
  heartbeat,
  holdForFreeze,
  moveExecution,
  recordAttemptFailure,
  releaseLease,
  type TClaimedExecution,
  type TFence,
  type TPhase,
  type TPoolLike,
  type TFinishArgs,
  type TFirstAttempt,
  type TStartedAttempt,
  type TStepState,
} from "./execution-store";
import { preparingQuery } from "./prepared";
import {
  compensationPolicy,
  decideAfterFailure,
  describeFailure,
  mayStartAttempt,
  runPolicy,
  type TPhasePolicy,
} from "./retry-policy";

/** What the engine reports as it works (logs, tests, the crash harness). Called synchronously. */
export type TEngineEvent =
  | { type: "claimed"; executionId: string; workerId: string; fencingToken: string; status: TExecutionStatus }
  | {
      type: "step";
      point: "attempt-started" | "before-commit" | "committed" | "attempt-failed";
      executionId: string;
      index: number;
      phase: TPhase;
      attempt: number;
      message?: string;
    }
  | { type: "lease-lost"; executionId: string; fencingToken: string }
  | {
      type: "released";
      executionId: string;
      reason: "paused" | "stopping" | "infrastructure" | "frozen" | "waiting";
      /** "waiting": the execution may be claimed again in this many ms (a retry's durable backoff). */
      wakeInMs?: number;
    }
  | { type: "finished"; executionId: string; status: "SUCCEEDED" | "ROLLED_BACK" | "FAILED" }
  | { type: "infrastructure-error"; executionId: string | null; message: string }
  | { type: "bug"; executionId: string | null; message: string };

export interface TRunnerDeps {
  pool: TPoolLike;
  driver: TStepDriver;
  workerId: string;
  leaseMs: number;
  onEvent: (event: TEngineEvent) => void;
  /** True once the worker is stopping: no new step starts, the lease is released. */
  isStopping: () => boolean;
  /** Aborted when the worker's grace period is over: running attempts are abandoned. */
  hardStop: AbortSignal;
}

/**
 * A retry's backoff at least this long lets go of the lease (the wait is in the database:
 * `not_before`; any worker continues once it is over). Shorter ones are waited out in memory,
 * holding the lease; the database still has the wait, so a crash does not shorten it either.
 */
export const RELEASE_WAIT_MS = 1_000;

/** The deterministic id of the change a step applies: (execution, step, phase). */
export function sideEffectId(executionId: string, stepId: string, phase: TPhase): string {
  return derivedId("side-effect", executionId, stepId, phase);
}

type TAttemptOutcome =
  | { kind: "not-started" }
  | { kind: "frozen"; freeze: string }
  | {
      kind: "succeeded";
      status: TExecutionStatus;
      attempt: number;
      startedNext: { index: number; phase: TPhase } | null;
      /** The execution was settled with the step's commit. */
      finished: "SUCCEEDED" | "ROLLED_BACK" | "FAILED" | null;
    }
  | { kind: "cancelled"; attempt: number; logLines: string[] }
  | { kind: "failed"; attempt: number; retryable: boolean; message: string; humanAction?: string; logLines: string[] };

/**
 * Runs one claimed execution until it settles, is paused, or this worker must let go of it.
 * Never throws: lease loss, infrastructure failure and stopping all end here (reported as
 * events); whatever is not committed is rolled back and the execution is picked up again from
 * what the database says.
 */
export async function runClaimedExecution(deps: TRunnerDeps, claim: TClaimedExecution & { started?: TStartedAttempt }): Promise<void> {
  await new ExecutionRunner(deps, claim).run();
}

/** The attempt a worker's claim should start in its own round trip (see claimNextExecution's `startFirst`). */
export function firstAttemptOf(deps: TRunnerDeps, claim: TClaimedExecution): TFirstAttempt | null {
  return new ExecutionRunner(deps, claim).firstAttempt();
}

class ExecutionRunner {
  private status: TExecutionStatus;
  private readonly steps: TStepState[];
  private readonly fence: TFence;
  private lost = false;
  private runningPhase: TPhase | null = null;
  private attemptController: AbortController | null = null;
  private waitController: AbortController | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private heartbeatBusy = false;
  /** Set when this worker let go of the execution on purpose (a freeze, a long backoff): the loop ends. */
  private letGo = false;
  /** Set when the last step's commit also settled the execution. */
  private finished: "SUCCEEDED" | "ROLLED_BACK" | "FAILED" | null = null;
  /** The next attempt, already started in the previous step's commit round trip, with its open transaction. */
  private pending: {
    index: number;
    phase: TPhase;
    attempt: number;
    client: pg.PoolClient;
    onIdleError: () => void;
    prefetched: pg.QueryResultRow[] | undefined;
  } | null = null;

  constructor(
    private readonly deps: TRunnerDeps,
    private readonly claim: TClaimedExecution & { started?: TStartedAttempt },
  ) {
    this.status = claim.status;
    this.steps = claim.steps.map((s) => ({ ...s }));
    this.fence = { executionId: claim.executionId, fencingToken: claim.fencingToken };
    const started = claim.started;
    const step = started ? this.steps[started.index] : undefined;
    if (started && step) {
      this.markStarted(step, started.phase, started.attempt);
      const onIdleError = () => {};
      started.client.on("error", onIdleError);
      this.pending = { ...started, onIdleError };
    }
  }

  async run(): Promise<void> {
    const { onEvent } = this.deps;
    onEvent({
      type: "claimed",
      executionId: this.claim.executionId,
      workerId: this.deps.workerId,
      fencingToken: this.claim.fencingToken,
      status: this.status,
    });
    const started = this.claim.started;
    if (started && this.pending)
      onEvent({ type: "step", point: "attempt-started", executionId: this.fence.executionId, index: started.index, phase: started.phase, attempt: started.attempt });
    this.startHeartbeat();
    try {
      await this.loop();
    } catch (error) {
      if (error instanceof LeaseLostError || this.lost) {
        onEvent({ type: "lease-lost", executionId: this.fence.executionId, fencingToken: this.fence.fencingToken });
      } else if (error instanceof WorkerStoppingError) {
        await this.release("stopping");
      } else if (isInfrastructureError(error)) {
        onEvent({ type: "infrastructure-error", executionId: this.fence.executionId, message: messageOf(error) });
        await this.release("infrastructure");
      } else {
        // A bug: keep the lease until it expires rather than spin on the same execution.
        onEvent({ type: "bug", executionId: this.fence.executionId, message: error instanceof Error ? (error.stack ?? error.message) : messageOf(error) });
      }
    } finally {
      await this.dropPending();
      this.stopHeartbeat();
    }
  }

  private markStarted(step: TStepState, phase: TPhase, attempt: number): void {
    if (phase === "run") {
      step.attempt = attempt;
      step.status = "RUNNING";
    } else {
      step.compensationAttempts = attempt;
      step.status = "COMPENSATING";
    }
  }

  /** Rolls back and returns the connection of a pre-started attempt that will not run now. */
  private async dropPending(): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    let broken = false;
    try {
      await pending.client.query("ROLLBACK");
    } catch {
      broken = true;
    }
    pending.client.removeListener("error", pending.onIdleError);
    pending.client.release(broken ? true : undefined);
  }

  /** The attempt to start together with this step's commit: the next step of the same phase, if it is the next move. */
  private chainAfter(step: TStepState, phase: TPhase): TFirstAttempt | null {
    if (this.deps.isStopping() || this.lost) return null;
    const views = this.views().map((v) =>
      v.index === step.index ? { ...v, status: (phase === "run" ? "SUCCEEDED" : "COMPENSATED") as TStepStatus } : v,
    );
    const move = decideNext(this.status, views);
    if (move.kind !== phase) return null;
    return this.attemptFor(move);
  }

  /** How the execution settles if this step's success is the last move (committed with it). */
  private finishAfter(step: TStepState, phase: TPhase): TFinishArgs | null {
    if (this.lost) return null;
    const views = this.views().map((v) =>
      v.index === step.index ? { ...v, status: (phase === "run" ? "SUCCEEDED" : "COMPENSATED") as TStepStatus } : v,
    );
    const move = decideNext(this.status, views);
    if (move.kind !== "finish") return null;
    return { from: this.status, status: move.status, error: this.finishError(move), workerId: this.deps.workerId };
  }

  private finishError(move: Extract<ReturnType<typeof decideNext>, { kind: "finish" }>): string | null | undefined {
    return move.status === "SUCCEEDED" ? null : move.status === "FAILED" ? this.failureReason(move.failedIndex) : undefined;
  }

  /** The attempt the claim starts in its own round trip: the first move, if it is an attempt. */
  firstAttempt(): TFirstAttempt | null {
    if (this.deps.isStopping()) return null;
    return this.attemptFor(decideNext(this.status, this.views()));
  }

  private attemptFor(move: ReturnType<typeof decideNext>): TFirstAttempt | null {
    if (move.kind !== "run" && move.kind !== "compensate") return null;
    const next = this.steps[move.index];
    if (!next) return null;
    const nextPhase: TPhase = move.kind;
    const attempt = (nextPhase === "run" ? next.attempt : next.compensationAttempts) + 1;
    const comp = next.planStep.compensation;
    const policy = nextPhase === "run" ? runPolicy(next.planStep) : comp ? compensationPolicy(comp.action) : null;
    if (!policy || !mayStartAttempt(attempt, policy.retry)) return null;
    const label = nextPhase === "run" ? "attempt" : "compensation attempt";
    return {
      index: next.index,
      phase: nextPhase,
      logLine: `${label} ${attempt} started by ${this.deps.workerId}`,
      prefetch: this.prefetchFor(next, nextPhase),
    };
  }

  /** The driver's read for an attempt of `step`, sent with the attempt's start. */
  private prefetchFor(step: TStepState, phase: TPhase): TPrefetch | null {
    const comp = step.planStep.compensation;
    const action = phase === "run" ? step.planStep.action : comp?.action;
    const input = (phase === "run" ? step.planStep.input : comp?.input) as TJsonObject | undefined;
    if (!action || !input || !this.deps.driver.prefetch) return null;
    try {
      return this.deps.driver.prefetch(action, input);
    } catch {
      return null; // the action reads it itself
    }
  }

  private async release(reason: "paused" | "stopping" | "infrastructure" | "waiting", wakeInMs?: number): Promise<void> {
    try {
      if (await releaseLease(this.deps.pool, this.fence))
        this.deps.onEvent({ type: "released", executionId: this.fence.executionId, reason, ...(wakeInMs === undefined ? {} : { wakeInMs }) });
    } catch {
      // The lease expires by itself.
    }
  }

  private views() {
    return this.steps.map((s) => ({ index: s.index, status: s.status, compensable: s.planStep.compensation !== null }));
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.lost) throw new LeaseLostError(this.fence.executionId, this.fence.fencingToken);
      if (this.deps.isStopping()) throw new WorkerStoppingError();
      const move = decideNext(this.status, this.views());
      if (this.pending && !((move.kind === "run" || move.kind === "compensate") && move.index === this.pending.index && move.kind === this.pending.phase))
        await this.dropPending();
      switch (move.kind) {
        case "release":
          if (move.reason === "paused") await this.release("paused");
          return;
        case "start-rollback": {
          const failed = this.steps[move.failedIndex] as TStepState;
          const reason = `Step ${failed.index + 1} "${failed.name}" failed: ${failed.error ?? "unknown error"}`;
          this.status = await moveExecution(this.deps.pool, this.fence, ["QUEUED", "RUNNING"], "COMPENSATING", reason);
          continue;
        }
        case "finish": {
          const finished = await finishExecution(this.deps.pool, this.fence, {
            from: this.status,
            status: move.status,
            error: this.finishError(move),
            workerId: this.deps.workerId,
          });
          if (!finished) {
            // An operator moved it first (paused): look again.
            this.status = await heartbeat(this.deps.pool, this.fence, this.deps.leaseMs);
            continue;
          }
          this.deps.onEvent({ type: "finished", executionId: this.fence.executionId, status: move.status });
          return;
        }
        case "run":
        case "compensate":
          await this.runStep(this.steps[move.index] as TStepState, move.kind);
          if (this.letGo) return;
          if (this.finished) {
            this.deps.onEvent({ type: "finished", executionId: this.fence.executionId, status: this.finished });
            return;
          }
          continue;
      }
    }
  }

  private failureReason(index: number | null): string {
    const step = index === null ? undefined : this.steps[index];
    if (!step) return "A compensation failed";
    return `Rollback stopped at step ${step.index + 1} "${step.name}": ${step.error ?? "its compensation failed"}`;
  }

  private async runStep(step: TStepState, phase: TPhase): Promise<void> {
    const { pool, workerId, onEvent } = this.deps;
    const compensation = step.planStep.compensation;
    if (phase === "compensate" && !compensation) throw new Error(`Step ${step.stepId} has no compensation`);
    const action = phase === "run" ? step.planStep.action : (compensation?.action as string);
    const input = (phase === "run" ? step.planStep.input : compensation?.input) as TJsonObject;
    const policy: TPhasePolicy = phase === "run" ? runPolicy(step.planStep) : compensationPolicy(compensation!.action);
    const expected: TExecutionStatus = phase === "run" ? "RUNNING" : "COMPENSATING";
    const label = phase === "run" ? "attempt" : "compensation attempt";

    for (;;) {
      const previous = phase === "run" ? step.attempt : step.compensationAttempts;
      const next = previous + 1;
      if (!mayStartAttempt(next, policy.retry)) {
        const message = `The worker running this step was lost too often (${previous} attempts started, ${policy.retry.maxAttempts} allowed)`;
        await this.recordFinalFailure(step, phase, message, undefined, [message]);
        return;
      }
      const outcome = await this.attempt(step, phase, action, input, policy.timeoutMs, `${label} ${next} started by ${workerId}`);
      if (outcome.kind === "not-started") return; // paused or cancelled meanwhile: decide again
      if (outcome.kind === "frozen") {
        // A change freeze began: pause before this step; the claim skips the execution until it ends.
        this.letGo = true;
        if (await holdForFreeze(pool, this.fence, step.index, outcome.freeze))
          onEvent({ type: "released", executionId: this.fence.executionId, reason: "frozen" });
        return;
      }
      if (outcome.kind === "succeeded") {
        step.status = phase === "run" ? "SUCCEEDED" : "COMPENSATED";
        step.error = null;
        this.status = outcome.status;
        this.finished = outcome.finished;
        onEvent({ type: "step", point: "committed", executionId: this.fence.executionId, index: step.index, phase, attempt: outcome.attempt });
        const next = outcome.startedNext ? this.steps[outcome.startedNext.index] : undefined;
        if (outcome.startedNext && next)
          onEvent({
            type: "step",
            point: "attempt-started",
            executionId: this.fence.executionId,
            index: next.index,
            phase: outcome.startedNext.phase,
            attempt: outcome.startedNext.phase === "run" ? next.attempt : next.compensationAttempts,
          });
        return;
      }
      if (outcome.kind === "cancelled") {
        // Cancelled while running forward: the attempt was rolled back; the rollback starts.
        this.status = await recordAttemptFailure(pool, this.fence, step.index, {
          stepStatus: "PENDING",
          error: null,
          logLines: [...outcome.logLines, `${label} ${outcome.attempt} stopped: the execution was cancelled`],
        });
        step.status = "PENDING";
        return;
      }

      const decision = decideAfterFailure({ attempt: outcome.attempt, retry: policy.retry, retryable: outcome.retryable });
      const line = describeFailure({ attempt: outcome.attempt, maxAttempts: policy.retry.maxAttempts, message: outcome.message, decision });
      onEvent({
        type: "step",
        point: "attempt-failed",
        executionId: this.fence.executionId,
        index: step.index,
        phase,
        attempt: outcome.attempt,
        message: outcome.message,
      });
      if (decision.kind === "give-up") {
        await this.recordFinalFailure(step, phase, outcome.message, outcome.humanAction, [...outcome.logLines, line]);
        return;
      }
      // The backoff is written with the failure (durable): no worker starts the next attempt before it is over.
      this.status = await recordAttemptFailure(pool, this.fence, step.index, {
        stepStatus: phase === "run" ? "PENDING" : "COMPENSATING",
        error: outcome.message,
        logLines: [...outcome.logLines, line],
        retryInMs: decision.delayMs,
      });
      step.status = phase === "run" ? "PENDING" : "COMPENSATING";
      step.error = outcome.message;
      if (this.status !== expected) return;
      if (decision.delayMs >= RELEASE_WAIT_MS) {
        this.letGo = true;
        await this.release("waiting", decision.delayMs);
        return;
      }
      await this.wait(decision.delayMs);
      if (this.status !== expected) return;
    }
  }

  private async recordFinalFailure(
    step: TStepState,
    phase: TPhase,
    message: string,
    humanAction: string | undefined,
    logLines: string[],
  ): Promise<void> {
    let error = message;
    if (phase === "compensate") {
      const comp = step.planStep.compensation;
      const what =
        humanAction ??
        `undo "${step.name}" by hand (${comp?.action ?? "?"} ${JSON.stringify(comp?.input ?? {})}), then mark this step resolved; or fix the cause and retry the step`;
      error = `Compensation failed: ${message}. What to do: ${what}`;
    } else if (humanAction) {
      error = `${message}. What to do: ${humanAction}`;
    }
    const stepStatus: TStepStatus = phase === "run" ? "FAILED" : "COMPENSATION_FAILED";
    this.status = await recordAttemptFailure(this.deps.pool, this.fence, step.index, { stepStatus, error, logLines });
    step.status = stepStatus;
    step.error = error;
  }

  /** Waits between attempts; cut short when the lease is lost, the worker stops or an operator acts. */
  private async wait(ms: number): Promise<void> {
    const controller = new AbortController();
    this.waitController = controller;
    const onStop = () => controller.abort(new WorkerStoppingError());
    this.deps.hardStop.addEventListener("abort", onStop, { once: true });
    try {
      await sleep(ms, controller.signal);
    } catch (error) {
      if (error instanceof LeaseLostError || this.lost) throw new LeaseLostError(this.fence.executionId, this.fence.fencingToken);
      if (error instanceof WorkerStoppingError) throw error;
      // Otherwise an operator changed the status: the caller re-decides.
    } finally {
      this.deps.hardStop.removeEventListener("abort", onStop);
      this.waitController = null;
    }
    if (this.deps.isStopping()) throw new WorkerStoppingError();
  }

  /**
   * One attempt in one transaction: start it (committed at once, with BEGIN of the step's
   * transaction in the same round trip), the driver's changes and ledger row, the step result
   * with the fenced check, COMMIT.
   */
  private async attempt(
    step: TStepState,
    phase: TPhase,
    action: string,
    input: TJsonObject,
    timeoutMs: number,
    startLine: string,
  ): Promise<TAttemptOutcome> {
    const { pool, driver, onEvent } = this.deps;
    const controller = new AbortController();
    const logLines: string[] = [];
    let timer: NodeJS.Timeout | null = null;
    const onHardStop = () => controller.abort(new WorkerStoppingError());
    this.deps.hardStop.addEventListener("abort", onHardStop, { once: true });
    this.attemptController = controller;

    let client: pg.PoolClient | null = null;
    let broken = false;
    let keepClient = false;
    let attempt = 0;
    let prefetched: pg.QueryResultRow[] | undefined;
    const onClientError = (error: Error) => {
      broken = true;
      controller.abort(new InfrastructureError(error));
    };
    try {
      const pending = this.pending;
      if (pending && pending.index === step.index && pending.phase === phase) {
        // Started in the previous step's commit round trip.
        this.pending = null;
        client = pending.client;
        client.removeListener("error", pending.onIdleError);
        client.on("error", onClientError);
        attempt = pending.attempt;
        prefetched = pending.prefetched;
      } else {
        await this.dropPending();
        try {
          client = await pool.connect();
        } catch (error) {
          throw new InfrastructureError(error);
        }
        client.on("error", onClientError);
        const begin = await beginAttemptAndTransaction(client, this.fence, step.index, phase, startLine, this.prefetchFor(step, phase));
        prefetched = begin.prefetched;
        this.status = begin.status === "QUEUED" && !begin.frozen ? "RUNNING" : begin.status;
        if (begin.attempt === null) {
          await client.query("ROLLBACK");
          return begin.frozen ? { kind: "frozen", freeze: begin.frozen } : { kind: "not-started" };
        }
        attempt = begin.attempt;
        this.markStarted(step, phase, attempt);
        onEvent({ type: "step", point: "attempt-started", executionId: this.fence.executionId, index: step.index, phase, attempt });
      }
      const tx = client;
      this.runningPhase = phase;
      const started = performance.now();
      timer = setTimeout(() => controller.abort(new StepTimeoutError(timeoutMs)), timeoutMs);

      // Single statements with parameters go as named statements: parsed and planned once per connection.
      const send = preparingQuery(tx);
      const sql: TSql = {
        query: <R extends Record<string, unknown>>(text: string, values?: unknown[]) =>
          controller.signal.aborted ? Promise.reject(abortReason(controller.signal)) : send<R>(text, values),
      };
      const deferred: TDeferredWrite[] = [];
      const ctx: TActionContext = {
        sql,
        executionId: this.fence.executionId,
        stepId: step.stepId,
        stepIndex: step.index,
        phase,
        attempt,
        sideEffectId: sideEffectId(this.fence.executionId, step.stepId, phase),
        signal: controller.signal,
        log: (line) => logLines.push(line),
        ...(prefetched ? { prefetched } : {}),
        defer: (statement) => {
          if (controller.signal.aborted) throw abortReason(controller.signal);
          deferred.push(statement);
        },
      };
      const handler = driver.actions[action];
      if (!handler) throw new ActionError(`The ${driver.name} driver cannot do "${action}"`, { retryable: false });
      const output = await untilAborted(handler.run(ctx, input), controller.signal);
      if (controller.signal.aborted) throw abortReason(controller.signal);
      onEvent({ type: "step", point: "before-commit", executionId: this.fence.executionId, index: step.index, phase, attempt });
      const verb = phase === "run" ? "succeeded" : "compensated";
      const chain = this.chainAfter(step, phase);
      const finish = chain ? null : this.finishAfter(step, phase);
      const committed = await commitAttempt(
        tx,
        this.fence,
        step.index,
        phase,
        output,
        [...logLines, `${verb} in ${formatMs(Math.round(performance.now() - started))}`],
        chain ?? undefined,
        deferred,
        finish ?? undefined,
      );
      if (chain && committed.next) {
        this.status = committed.next.status;
        if (committed.next.attempt === null) {
          await tx.query("ROLLBACK"); // the execution left the phase meanwhile (paused, cancelled)
        } else {
          const next = this.steps[chain.index] as TStepState;
          this.markStarted(next, chain.phase, committed.next.attempt);
          this.pending = {
            index: chain.index,
            phase: chain.phase,
            attempt: committed.next.attempt,
            client: tx,
            onIdleError: () => {},
            prefetched: committed.next.prefetched,
          };
          keepClient = true;
        }
      }
      const finished = finish && committed.finished ? finish.status : null;
      return {
        kind: "succeeded",
        status: finished ?? committed.next?.status ?? committed.status,
        attempt,
        startedNext: keepClient ? chain : null,
        finished,
      };
    } catch (caught) {
      const reason = controller.signal.aborted ? abortReason(controller.signal) : caught;
      if (client && !broken) {
        if (controller.signal.aborted) {
          broken = true; // the driver may still hold the connection: drop it (the server rolls back)
        } else {
          try {
            await client.query("ROLLBACK");
          } catch {
            broken = true;
          }
        }
      }
      if (reason instanceof LeaseLostError) {
        this.lost = true;
        throw reason;
      }
      if (reason instanceof WorkerStoppingError) throw reason;
      if (reason instanceof CancelledError) return { kind: "cancelled", attempt, logLines };
      if (isInfrastructureError(reason)) throw reason instanceof InfrastructureError ? reason : new InfrastructureError(reason);
      if (reason instanceof StepTimeoutError) return { kind: "failed", attempt, retryable: true, message: reason.message, logLines };
      if (reason instanceof ActionError)
        return {
          kind: "failed",
          attempt,
          retryable: reason.retryable,
          message: reason.message,
          ...(reason.humanAction ? { humanAction: reason.humanAction } : {}),
          logLines,
        };
      return { kind: "failed", attempt, retryable: true, message: messageOf(reason), logLines };
    } finally {
      if (timer) clearTimeout(timer);
      this.deps.hardStop.removeEventListener("abort", onHardStop);
      this.attemptController = null;
      this.runningPhase = null;
      if (client) {
        client.removeListener("error", onClientError);
        if (!keepClient) client.release(broken ? true : undefined);
        else if (this.pending) client.on("error", this.pending.onIdleError); // idle between two steps: an error surfaces on its next query
      }
    }
  }

  private startHeartbeat(): void {
    const every = Math.max(50, Math.floor(this.deps.leaseMs / 3));
    this.heartbeatTimer = setInterval(() => void this.beat(), every);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private async beat(): Promise<void> {
    if (this.heartbeatBusy || this.lost) return;
    this.heartbeatBusy = true;
    try {
      const status = await heartbeat(this.deps.pool, this.fence, this.deps.leaseMs);
      if (status === "COMPENSATING" && this.runningPhase === "run") this.attemptController?.abort(new CancelledError());
      if (this.waitController && status !== this.status) {
        this.status = status;
        this.waitController.abort(new Error("status changed"));
      }
    } catch (error) {
      if (error instanceof LeaseLostError) {
        this.lost = true;
        this.attemptController?.abort(error);
        this.waitController?.abort(error);
      }
      // Anything else (the database is unreachable): try again at the next beat.
    } finally {
      this.heartbeatBusy = false;
    }
  }
}

/** Resolves with the promise, or rejects as soon as `signal` aborts (the promise is left to settle alone). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => {});
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
