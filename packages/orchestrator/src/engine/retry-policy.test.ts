import { describe, expect, it } from "vitest";
import { PLAN_ACTIONS } from "../core/plan";
import {
  INTERRUPTED_ATTEMPT_ALLOWANCE,
  MAX_BACKOFF_MS,
  backoffDelayMs,
  compensationPolicy,
  decideAfterFailure,
  describeFailure,
  mayStartAttempt,
} from "./retry-policy";

describe("retry decisions", () => {
  const retry = { maxAttempts: 3, backoffMs: 1_000 };

  it("waits the backoff before the 2nd attempt and doubles it after", () => {
    expect(decideAfterFailure({ attempt: 1, retry, retryable: true })).toEqual({ kind: "retry", delayMs: 1_000, nextAttempt: 2 });
    expect(decideAfterFailure({ attempt: 2, retry, retryable: true })).toEqual({ kind: "retry", delayMs: 2_000, nextAttempt: 3 });
  });

  it("gives up after the last attempt, or at once when the failure is not retryable", () => {
    expect(decideAfterFailure({ attempt: 3, retry, retryable: true })).toEqual({ kind: "give-up", why: "exhausted" });
    expect(decideAfterFailure({ attempt: 1, retry, retryable: false })).toEqual({ kind: "give-up", why: "not-retryable" });
    expect(decideAfterFailure({ attempt: 1, retry: { maxAttempts: 1, backoffMs: 0 }, retryable: true })).toEqual({ kind: "give-up", why: "exhausted" });
  });

  it("caps the backoff", () => {
    expect(backoffDelayMs({ maxAttempts: 100, backoffMs: 60_000 }, 50)).toBe(MAX_BACKOFF_MS);
    expect(backoffDelayMs({ maxAttempts: 3, backoffMs: 0 }, 2)).toBe(0);
  });

  it("always allows another attempt after an interrupted one, up to an allowance", () => {
    expect(mayStartAttempt(3, retry)).toBe(true);
    expect(mayStartAttempt(3 + INTERRUPTED_ATTEMPT_ALLOWANCE, retry)).toBe(true);
    expect(mayStartAttempt(4 + INTERRUPTED_ATTEMPT_ALLOWANCE, retry)).toBe(false);
  });

  it("gives compensations their action's policy from the plan format", () => {
    expect(compensationPolicy("deprovisionInstance")).toEqual({
      retry: PLAN_ACTIONS.deprovisionInstance.retry,
      timeoutMs: PLAN_ACTIONS.deprovisionInstance.timeoutMs,
    });
    expect(compensationPolicy("manualIntervention").retry.maxAttempts).toBe(1);
  });

  it("says what happens next in the step log", () => {
    const decision = decideAfterFailure({ attempt: 1, retry, retryable: true });
    expect(describeFailure({ attempt: 1, maxAttempts: 3, message: "boom", decision })).toBe("attempt 1/3 failed: boom; retrying in 1 s");
    expect(describeFailure({ attempt: 3, maxAttempts: 3, message: "boom", decision: { kind: "give-up", why: "exhausted" } })).toBe(
      "attempt 3/3 failed: boom; no attempt left",
    );
  });
});
