import { describe, expect, it } from "vitest";
import {
  CHANGE_STATUSES,
  CHANGE_STATUS_FAMILY,
  IllegalTransitionError,
  PolicyError,
  STATUS_FAMILIES,
  TERMINAL_STATUSES,
  assertTransition,
  canTransition,
  isAwaitingApproval,
  isCancellable,
  isRunnable,
  isTerminalStatus,
  planChangeVoidsApprovals,
  statusAfterPlanChange,
  statusFamily,
  type TChangeStatus,
} from "./index";

/** The legal moves, written out independently of the implementation's table. */
const LEGAL = new Set([
  "DRAFT>PENDING_APPROVAL",
  "DRAFT>CANCELLED",
  "DRAFT>BLOCKED",
  "PENDING_APPROVAL>APPROVED",
  "PENDING_APPROVAL>REJECTED",
  "PENDING_APPROVAL>CANCELLED",
  "PENDING_APPROVAL>BLOCKED",
  "PENDING_APPROVAL>DRAFT",
  "APPROVED>SCHEDULED",
  "APPROVED>RUNNING",
  "APPROVED>CANCELLED",
  "APPROVED>PENDING_APPROVAL",
  "APPROVED>BLOCKED",
  "SCHEDULED>RUNNING",
  "SCHEDULED>CANCELLED",
  "SCHEDULED>APPROVED",
  "SCHEDULED>PENDING_APPROVAL",
  "SCHEDULED>BLOCKED",
  "RUNNING>SUCCEEDED",
  "RUNNING>FAILED",
  "RUNNING>ROLLED_BACK",
  "FAILED>RUNNING",
  "FAILED>ROLLED_BACK",
  "BLOCKED>DRAFT",
  "BLOCKED>CANCELLED",
]);

const PAIRS = CHANGE_STATUSES.flatMap((from) => CHANGE_STATUSES.map((to) => [from, to] as [TChangeStatus, TChangeStatus]));

describe("change request status machine", () => {
  it.each(PAIRS)("%s -> %s is legal only if listed", (from, to) => {
    const legal = LEGAL.has(`${from}>${to}`);
    expect(canTransition(from, to)).toBe(legal);
    if (legal) expect(() => assertTransition(from, to)).not.toThrow();
    else expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
  });

  it("refuses with a typed, readable error naming both states and the allowed moves", () => {
    try {
      assertTransition("APPROVED", "SUCCEEDED");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyError);
      const e = error as IllegalTransitionError;
      expect(e.code).toBe("ILLEGAL_TRANSITION");
      expect(e.from).toBe("APPROVED");
      expect(e.to).toBe("SUCCEEDED");
      expect(e.message).toBe(
        "A change request that is approved cannot become succeeded (it can become: scheduled, running, cancelled, pending approval, blocked by policy)",
      );
    }
    expect(() => assertTransition("SUCCEEDED", "RUNNING")).toThrow("(it is final)");
    expect(() => assertTransition("RUNNING", "RUNNING")).toThrow("already running");
  });

  it("walks the happy path and the rejection path", () => {
    const happy: TChangeStatus[] = ["DRAFT", "PENDING_APPROVAL", "APPROVED", "SCHEDULED", "RUNNING", "SUCCEEDED"];
    for (let i = 1; i < happy.length; i++) assertTransition(happy[i - 1]!, happy[i]!);
    assertTransition("PENDING_APPROVAL", "REJECTED");
    expect(isTerminalStatus("REJECTED")).toBe(true);
  });

  it("never lets a request skip approval or run twice", () => {
    for (const from of ["DRAFT", "PENDING_APPROVAL", "BLOCKED", "REJECTED", "CANCELLED"] as const)
      expect(canTransition(from, "RUNNING")).toBe(false);
    for (const from of ["DRAFT", "BLOCKED", "REJECTED", "CANCELLED", "FAILED"] as const)
      expect(canTransition(from, "APPROVED")).toBe(false);
    expect(canTransition("SUCCEEDED", "RUNNING")).toBe(false);
  });

  it("calls final exactly the statuses without outgoing moves", () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(["CANCELLED", "REJECTED", "ROLLED_BACK", "SUCCEEDED"]);
    expect(isTerminalStatus("FAILED")).toBe(false);
    expect(isTerminalStatus("BLOCKED")).toBe(false);
  });

  it("answers the questions the service asks", () => {
    const table: [TChangeStatus, boolean, boolean, boolean][] = [
      // status, awaiting approval, runnable, cancellable
      ["DRAFT", false, false, true],
      ["PENDING_APPROVAL", true, false, true],
      ["APPROVED", false, true, true],
      ["SCHEDULED", false, true, true],
      ["RUNNING", false, false, false],
      ["SUCCEEDED", false, false, false],
      ["FAILED", false, false, false],
      ["ROLLED_BACK", false, false, false],
      ["REJECTED", false, false, false],
      ["CANCELLED", false, false, false],
      ["BLOCKED", false, false, true],
    ];
    expect(table.map((r) => r[0])).toEqual([...CHANGE_STATUSES]);
    for (const [status, awaiting, runnable, cancellable] of table) {
      expect(isAwaitingApproval(status), status).toBe(awaiting);
      expect(isRunnable(status), status).toBe(runnable);
      expect(isCancellable(status), status).toBe(cancellable);
    }
  });

  it("sends an edited request back for approval and voids approvals once it has them", () => {
    const table: [TChangeStatus, TChangeStatus | null, boolean][] = [
      ["DRAFT", "DRAFT", false],
      ["BLOCKED", "DRAFT", false],
      ["PENDING_APPROVAL", "PENDING_APPROVAL", true],
      ["APPROVED", "PENDING_APPROVAL", true],
      ["SCHEDULED", "PENDING_APPROVAL", true],
      ["RUNNING", null, false],
      ["SUCCEEDED", null, false],
      ["FAILED", null, false],
      ["ROLLED_BACK", null, false],
      ["REJECTED", null, false],
      ["CANCELLED", null, false],
    ];
    for (const [status, after, voids] of table) {
      expect(statusAfterPlanChange(status), status).toBe(after);
      expect(planChangeVoidsApprovals(status), status).toBe(voids);
      if (after && after !== status) expect(canTransition(status, after), status).toBe(true);
    }
  });

  it("puts every status in one badge family", () => {
    expect(Object.keys(CHANGE_STATUS_FAMILY).sort()).toEqual([...CHANGE_STATUSES].sort());
    for (const s of CHANGE_STATUSES) expect(STATUS_FAMILIES).toContain(statusFamily(s));
    expect(statusFamily("RUNNING")).toBe("in_progress");
    expect(statusFamily("PENDING_APPROVAL")).toBe("waiting");
    expect(statusFamily("BLOCKED")).toBe("blocked");
    expect(statusFamily("ROLLED_BACK")).toBe("failed");
    expect(statusFamily("SUCCEEDED")).toBe("done");
    expect(statusFamily("DRAFT")).toBe("active");
  });
});
