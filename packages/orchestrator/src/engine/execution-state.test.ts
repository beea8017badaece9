import { describe, expect, it } from "vitest";
import {
  EXECUTION_STATUSES,
  EXECUTION_TRANSITIONS,
  STEP_STATUSES,
  STEP_TRANSITIONS,
  canExecutionMove,
  decideNext,
  isClaimableExecution,
  isTerminalExecution,
  progressOf,
  type TStepStatus,
  type TStepView,
} from "./execution-state";

/** Steps of a 5-step plan; steps 1, 2 and 4 (0-based) change something. */
function steps(...statuses: TStepStatus[]): TStepView[] {
  return statuses.map((status, index) => ({ index, status, compensable: index === 1 || index === 2 || index === 4 }));
}

describe("decideNext", () => {
  it("runs the first step that has not succeeded, in order", () => {
    expect(decideNext("QUEUED", steps("PENDING", "PENDING", "PENDING", "PENDING", "PENDING"))).toEqual({ kind: "run", index: 0 });
    expect(decideNext("RUNNING", steps("SUCCEEDED", "SUCCEEDED", "PENDING", "PENDING", "PENDING"))).toEqual({ kind: "run", index: 2 });
  });

  it("resumes an attempt that was interrupted (step left RUNNING by a dead worker)", () => {
    expect(decideNext("RUNNING", steps("SUCCEEDED", "RUNNING", "PENDING", "PENDING", "PENDING"))).toEqual({ kind: "run", index: 1 });
  });

  it("succeeds when every step succeeded", () => {
    expect(decideNext("RUNNING", steps("SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"))).toEqual({
      kind: "finish",
      status: "SUCCEEDED",
      failedIndex: null,
    });
  });

  it("starts the rollback when a step failed for good", () => {
    expect(decideNext("RUNNING", steps("SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED", "PENDING"))).toEqual({
      kind: "start-rollback",
      failedIndex: 3,
    });
  });

  it("undoes completed steps that have a compensation, last first, skipping read-only ones", () => {
    const s = steps("SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED", "PENDING");
    expect(decideNext("COMPENSATING", s)).toEqual({ kind: "compensate", index: 2 });
    s[2]!.status = "COMPENSATED";
    expect(decideNext("COMPENSATING", s)).toEqual({ kind: "compensate", index: 1 });
    s[1]!.status = "COMPENSATED";
    // Step 0 changed nothing: nothing to undo.
    expect(decideNext("COMPENSATING", s)).toEqual({ kind: "finish", status: "ROLLED_BACK", failedIndex: 3 });
  });

  it("continues an interrupted compensation first", () => {
    expect(decideNext("COMPENSATING", steps("SUCCEEDED", "SUCCEEDED", "COMPENSATING", "FAILED", "PENDING"))).toEqual({
      kind: "compensate",
      index: 2,
    });
  });

  it("does not undo a step whose attempt never completed (cancelled while it ran)", () => {
    expect(decideNext("COMPENSATING", steps("SUCCEEDED", "SUCCEEDED", "RUNNING", "PENDING", "PENDING"))).toEqual({
      kind: "compensate",
      index: 1,
    });
  });

  it("ends FAILED as soon as a compensation failed for good, leaving earlier steps alone", () => {
    expect(decideNext("COMPENSATING", steps("SUCCEEDED", "SUCCEEDED", "COMPENSATION_FAILED", "FAILED", "PENDING"))).toEqual({
      kind: "finish",
      status: "FAILED",
      failedIndex: 2,
    });
  });

  it("lets go of paused and settled executions", () => {
    expect(decideNext("PAUSED", steps("SUCCEEDED", "PENDING", "PENDING", "PENDING", "PENDING"))).toEqual({ kind: "release", reason: "paused" });
    for (const status of ["SUCCEEDED", "FAILED", "ROLLED_BACK", "CANCELLED"] as const)
      expect(decideNext(status, steps("SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"))).toEqual({
        kind: "release",
        reason: "settled",
      });
  });

  it("never decides to run a step whose predecessor has not succeeded", () => {
    // Exhaustive over the forward statuses of a 3-step plan.
    const forward: TStepStatus[] = ["PENDING", "RUNNING", "SUCCEEDED", "FAILED"];
    for (const a of forward)
      for (const b of forward)
        for (const c of forward) {
          const view = [a, b, c].map((status, index) => ({ index, status, compensable: true }));
          const move = decideNext("RUNNING", view);
          if (move.kind === "run") expect(view.slice(0, move.index).every((s) => s.status === "SUCCEEDED")).toBe(true);
          if (move.kind === "finish") expect(view.every((s) => s.status === "SUCCEEDED")).toBe(true);
        }
  });
});

describe("transition tables", () => {
  it("cover every status and only name known statuses", () => {
    expect(Object.keys(EXECUTION_TRANSITIONS).sort()).toEqual([...EXECUTION_STATUSES].sort());
    expect(Object.keys(STEP_TRANSITIONS).sort()).toEqual([...STEP_STATUSES].sort());
    for (const targets of Object.values(EXECUTION_TRANSITIONS)) for (const t of targets) expect(EXECUTION_STATUSES).toContain(t);
    for (const targets of Object.values(STEP_TRANSITIONS)) for (const t of targets) expect(STEP_STATUSES).toContain(t);
  });

  it("make SUCCEEDED, ROLLED_BACK and CANCELLED final, and FAILED recoverable only by rolling back", () => {
    expect(["SUCCEEDED", "ROLLED_BACK", "CANCELLED"].every((s) => isTerminalExecution(s as "SUCCEEDED"))).toBe(true);
    expect(isTerminalExecution("FAILED")).toBe(false);
    expect(EXECUTION_TRANSITIONS.FAILED).toEqual(["COMPENSATING"]);
    expect(canExecutionMove("RUNNING", "CANCELLED")).toBe(false); // a running change is cancelled by rolling it back
    expect(canExecutionMove("COMPENSATING", "PAUSED")).toBe(false);
  });

  it("let workers claim only executions that have work", () => {
    expect(EXECUTION_STATUSES.filter(isClaimableExecution)).toEqual(["QUEUED", "RUNNING", "COMPENSATING"]);
  });
});

describe("progressOf", () => {
  it("counts forward steps, then undo progress during a rollback", () => {
    expect(progressOf("RUNNING", steps("SUCCEEDED", "SUCCEEDED", "RUNNING", "PENDING", "PENDING"))).toEqual({
      done: 2,
      total: 5,
      percent: 40,
      direction: "forward",
    });
    expect(progressOf("COMPENSATING", steps("SUCCEEDED", "SUCCEEDED", "COMPENSATED", "FAILED", "PENDING"))).toEqual({
      done: 1,
      total: 2,
      percent: 50,
      direction: "rollback",
    });
  });
});
