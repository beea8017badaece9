import { PolicyError } from "./errors";

/**
 * The change request status machine. `CHANGE_STATUS_TRANSITIONS` is the one table of legal
 * moves; every other move is refused by `assertTransition`. Status predicates live here and
 * nowhere else.
 *
 *   DRAFT ──submit──▶ PENDING_APPROVAL ──approvals──▶ APPROVED ──▶ SCHEDULED ──▶ RUNNING ──▶ SUCCEEDED
 *     ▲  ◀──withdraw──┘   │  │                          │  ▲           │                 ├──▶ FAILED ──▶ RUNNING (retry)
 *     │                   │  └─reject─▶ REJECTED       │  └─unschedule┘                 └──▶ ROLLED_BACK
 *     └─── BLOCKED ◀──────┴── policy forbids (residency) from DRAFT, PENDING_APPROVAL, APPROVED, SCHEDULED
 *   plan changed after approval: APPROVED | SCHEDULED ──▶ PENDING_APPROVAL (earlier approvals are voided)
 *   CANCELLED from every state before RUNNING (a running change is cancelled by rolling it back)
 */
export const CHANGE_STATUSES = [
  "DRAFT",
  "PENDING_APPROVAL",
  "APPROVED",
  "SCHEDULED",
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "ROLLED_BACK",
  "REJECTED",
  "CANCELLED",
  "BLOCKED",
] as const;
export type TChangeStatus = (typeof CHANGE_STATUSES)[number];

export const CHANGE_STATUS_TRANSITIONS = {
  DRAFT: ["PENDING_APPROVAL", "CANCELLED", "BLOCKED"],
  // DRAFT: the requester withdraws the request to edit it; approvals given so far are voided.
  PENDING_APPROVAL: ["APPROVED", "REJECTED", "CANCELLED", "BLOCKED", "DRAFT"],
  // PENDING_APPROVAL: the plan changed (edit, re-plan), earlier approvals are voided.
  APPROVED: ["SCHEDULED", "RUNNING", "CANCELLED", "PENDING_APPROVAL", "BLOCKED"],
  // APPROVED: the schedule was removed; PENDING_APPROVAL: the plan changed.
  SCHEDULED: ["RUNNING", "CANCELLED", "APPROVED", "PENDING_APPROVAL", "BLOCKED"],
  RUNNING: ["SUCCEEDED", "FAILED", "ROLLED_BACK"],
  // A failed run (a compensation failed too) may be retried, or finish its rollback by hand.
  FAILED: ["RUNNING", "ROLLED_BACK"],
  // A blocked request can be edited (back to DRAFT) or abandoned.
  BLOCKED: ["DRAFT", "CANCELLED"],
  SUCCEEDED: [],
  ROLLED_BACK: [],
  REJECTED: [],
  CANCELLED: [],
} as const satisfies Record<TChangeStatus, readonly TChangeStatus[]>;

export const CHANGE_STATUS_LABELS: Record<TChangeStatus, string> = {
  DRAFT: "Draft",
  PENDING_APPROVAL: "Pending approval",
  APPROVED: "Approved",
  SCHEDULED: "Scheduled",
  RUNNING: "Running",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  ROLLED_BACK: "Rolled back",
  REJECTED: "Rejected",
  CANCELLED: "Cancelled",
  BLOCKED: "Blocked by policy",
};

export function isChangeStatus(value: unknown): value is TChangeStatus {
  return typeof value === "string" && (CHANGE_STATUSES as readonly string[]).includes(value);
}

/** Statuses reachable from `from` in one move. */
export function nextStatuses(from: TChangeStatus): readonly TChangeStatus[] {
  return CHANGE_STATUS_TRANSITIONS[from];
}

export function canTransition(from: TChangeStatus, to: TChangeStatus): boolean {
  return (CHANGE_STATUS_TRANSITIONS[from] as readonly TChangeStatus[]).includes(to);
}

export class IllegalTransitionError extends PolicyError {
  constructor(
    public readonly from: TChangeStatus,
    public readonly to: TChangeStatus,
  ) {
    const allowed = nextStatuses(from);
    super(
      "ILLEGAL_TRANSITION",
      from === to
        ? `The change request is already ${CHANGE_STATUS_LABELS[from].toLowerCase()}`
        : `A change request that is ${CHANGE_STATUS_LABELS[from].toLowerCase()} cannot become ${CHANGE_STATUS_LABELS[to].toLowerCase()}` +
            (allowed.length
              ? ` (it can become: ${allowed.map((s) => CHANGE_STATUS_LABELS[s].toLowerCase()).join(", ")})`
              : " (it is final)"),
    );
    this.name = "IllegalTransitionError";
  }
}

/** Throws an IllegalTransitionError (code ILLEGAL_TRANSITION) unless the move is in the table. */
export function assertTransition(from: TChangeStatus, to: TChangeStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

/** Final: no move leaves this status. */
export function isTerminalStatus(status: TChangeStatus): boolean {
  return CHANGE_STATUS_TRANSITIONS[status].length === 0;
}

export const TERMINAL_STATUSES: readonly TChangeStatus[] = CHANGE_STATUSES.filter(isTerminalStatus);

/** Still open: not final (FAILED is open: it can be retried or rolled back by hand). */
export function isOpenStatus(status: TChangeStatus): boolean {
  return !isTerminalStatus(status);
}

/** Approvers may act only while the request waits for approval. */
export function isAwaitingApproval(status: TChangeStatus): boolean {
  return status === "PENDING_APPROVAL";
}

/** The executor may start a request in these statuses (after re-checking approvals and plan hash). */
export function isRunnable(status: TChangeStatus): boolean {
  return status === "APPROVED" || status === "SCHEDULED";
}

/** An execution exists and has not settled. */
export function isExecuting(status: TChangeStatus): boolean {
  return status === "RUNNING";
}

/** The requester may still cancel (a running change is cancelled by rolling it back instead). */
export function isCancellable(status: TChangeStatus): boolean {
  return canTransition(status, "CANCELLED");
}

/**
 * Where a request goes when its parameters or plan are edited: DRAFT and BLOCKED go (back) to
 * DRAFT, a request awaiting or holding approvals goes to PENDING_APPROVAL (and its approvals
 * are voided). Null: the request can no longer be edited.
 */
export function statusAfterPlanChange(status: TChangeStatus): TChangeStatus | null {
  switch (status) {
    case "DRAFT":
    case "BLOCKED":
      return "DRAFT";
    case "PENDING_APPROVAL":
    case "APPROVED":
    case "SCHEDULED":
      return "PENDING_APPROVAL";
    default:
      return null;
  }
}

/** True when an edit in this status voids the approvals recorded so far. */
export function planChangeVoidsApprovals(status: TChangeStatus): boolean {
  return status === "PENDING_APPROVAL" || status === "APPROVED" || status === "SCHEDULED";
}

/**
 * Badge families: one colour per family.
 * - active: being prepared by the requester (DRAFT)
 * - waiting: waiting for people or a window (PENDING_APPROVAL, APPROVED, SCHEDULED)
 * - in_progress: an execution runs (RUNNING)
 * - done: closed without harm (SUCCEEDED, CANCELLED)
 * - failed: ended badly or was turned down (FAILED, ROLLED_BACK, REJECTED)
 * - blocked: a policy forbids it (BLOCKED)
 */
export const STATUS_FAMILIES = ["active", "waiting", "in_progress", "done", "failed", "blocked"] as const;
export type TStatusFamily = (typeof STATUS_FAMILIES)[number];

export const CHANGE_STATUS_FAMILY: Record<TChangeStatus, TStatusFamily> = {
  DRAFT: "active",
  PENDING_APPROVAL: "waiting",
  APPROVED: "waiting",
  SCHEDULED: "waiting",
  RUNNING: "in_progress",
  SUCCEEDED: "done",
  CANCELLED: "done",
  FAILED: "failed",
  ROLLED_BACK: "failed",
  REJECTED: "failed",
  BLOCKED: "blocked",
};

export function statusFamily(status: TChangeStatus): TStatusFamily {
  return CHANGE_STATUS_FAMILY[status];
}

export const STATUS_FAMILY_LABELS: Record<TStatusFamily, string> = {
  active: "Active",
  waiting: "Waiting",
  in_progress: "In progress",
  done: "Done",
  failed: "Failed",
  blocked: "Blocked",
};
