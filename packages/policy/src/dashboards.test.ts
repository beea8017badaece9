import { describe, expect, it } from "vitest";
import {
  LAG_SLO_SECONDS,
  TIERS,
  changeFailureRate,
  changeOutcome,
  isAboveSlo,
  isNearFull,
  leadTimes,
  percentile,
  shareAboveSlo,
  weekStart,
  weekStarts,
  weeklyCounts,
} from "./index";

const at = (iso: string) => new Date(iso);
const H = 3600;

describe("lag SLOs per tier", () => {
  it("is tighter for more critical tiers", () => {
    const values = TIERS.map((t) => LAG_SLO_SECONDS[t]);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(TIERS.length);
  });

  it("counts a lag equal to the SLO as met, one above as broken", () => {
    expect(isAboveSlo("T0", 5)).toBe(false);
    expect(isAboveSlo("T0", 5.1)).toBe(true);
    expect(isAboveSlo("T3", 599)).toBe(false);
    expect(isAboveSlo("T3", 601)).toBe(true);
  });

  it("gives the share of samples above their own tier's SLO", () => {
    // 10 s breaks T0 (5 s) but not T1 (30 s); 700 s breaks T3.
    expect(shareAboveSlo([
      { tier: "T0", lagSeconds: 10 },
      { tier: "T1", lagSeconds: 10 },
      { tier: "T3", lagSeconds: 700 },
      { tier: "T2", lagSeconds: 0 },
    ])).toBe(0.5);
    expect(shareAboveSlo([])).toBeNull();
  });
});

describe("percentile (percentile_cont)", () => {
  it("interpolates between ranks like PostgreSQL", () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 0.9)).toBe(46);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentile([3, 1, 2], 1)).toBe(3);
  });
  it("is null for no values and refuses p outside 0..1", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
  });
});

describe("change failure rate", () => {
  it("is (FAILED + ROLLED_BACK) / finished, ignoring open, rejected, cancelled and blocked requests", () => {
    const r = changeFailureRate(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED", "ROLLED_BACK", "RUNNING", "PENDING_APPROVAL", "REJECTED", "CANCELLED", "BLOCKED"]);
    expect(r).toEqual({ finished: 5, failed: 2, rate: 0.4 });
  });
  it("has no rate when nothing finished (not 0 %)", () => {
    expect(changeFailureRate(["RUNNING", "APPROVED"])).toEqual({ finished: 0, failed: 0, rate: null });
    expect(changeFailureRate([])).toEqual({ finished: 0, failed: 0, rate: null });
  });
  it("maps statuses to chart outcomes", () => {
    expect(changeOutcome("ROLLED_BACK")).toBe("ROLLED_BACK");
    expect(changeOutcome("SCHEDULED")).toBe("OPEN");
    expect(changeOutcome("DRAFT")).toBe("OPEN");
  });
});

describe("lead time", () => {
  const filed = at("2026-01-05T10:00:00Z");
  it("gives median and p90 per stage on known fixtures", () => {
    const lt = leadTimes([
      // approved after 1 h, done 2 h later
      { filedAt: filed, approvedAt: at("2026-01-05T11:00:00Z"), doneAt: at("2026-01-05T13:00:00Z") },
      // approved after 3 h, done 1 h later
      { filedAt: filed, approvedAt: at("2026-01-05T13:00:00Z"), doneAt: at("2026-01-05T14:00:00Z") },
      // approved after 5 h, done 3 h later
      { filedAt: filed, approvedAt: at("2026-01-05T15:00:00Z"), doneAt: at("2026-01-05T18:00:00Z") },
    ]);
    expect(lt.filedToApproved).toEqual({ count: 3, p50: 3 * H, p90: 4.6 * H });
    expect(lt.approvedToDone).toEqual({ count: 3, p50: 2 * H, p90: 2.8 * H });
    expect(lt.filedToDone.p50).toBe(4 * H);
    expect(lt.filedToDone.p90).toBeCloseTo(7.2 * H, 6);
  });

  it("counts a request still open only in the stages it completed", () => {
    const lt = leadTimes([
      { filedAt: filed, approvedAt: at("2026-01-05T12:00:00Z"), doneAt: null }, // approved, not run yet
      { filedAt: filed, approvedAt: null, doneAt: null }, // waiting for approval
      { filedAt: null, approvedAt: null, doneAt: null }, // draft
    ]);
    expect(lt.filedToApproved).toEqual({ count: 1, p50: 2 * H, p90: 2 * H });
    expect(lt.approvedToDone).toEqual({ count: 0, p50: null, p90: null });
    expect(lt.filedToDone).toEqual({ count: 0, p50: null, p90: null });
  });

  it("drops negative spans", () => {
    const lt = leadTimes([{ filedAt: filed, approvedAt: at("2026-01-05T09:00:00Z"), doneAt: null }]);
    expect(lt.filedToApproved.count).toBe(0);
  });
});

describe("weekly buckets", () => {
  it("starts weeks on Monday 00:00 UTC", () => {
    expect(weekStart(at("2026-12-07T13:00:00Z")).toISOString()).toBe("2026-12-07T00:00:00.000Z"); // a Monday
    expect(weekStart(at("2026-12-06T23:59:59Z")).toISOString()).toBe("2026-11-30T00:00:00.000Z"); // Sunday
  });

  it("includes empty weeks as zeros", () => {
    const from = at("2026-11-02T00:00:00Z");
    const to = at("2026-11-29T23:00:00Z");
    expect(weekStarts(from, to)).toHaveLength(4);
    const weeks = weeklyCounts(
      [
        { at: at("2026-11-03T10:00:00Z"), key: "SUCCEEDED" as const },
        { at: at("2026-11-04T10:00:00Z"), key: "FAILED" as const },
        { at: at("2026-11-25T10:00:00Z"), key: "SUCCEEDED" as const },
        { at: at("2026-12-25T10:00:00Z"), key: "SUCCEEDED" as const }, // outside the range
      ],
      ["SUCCEEDED", "FAILED"] as const,
      from,
      to,
    );
    expect(weeks.map((w) => w.total)).toEqual([2, 0, 0, 1]);
    expect(weeks[0]!.counts).toEqual({ SUCCEEDED: 1, FAILED: 1 });
    expect(weeks[1]!.counts).toEqual({ SUCCEEDED: 0, FAILED: 0 });
  });
});

describe("capacity", () => {
  it("flags a data center at 85 % or more as near full", () => {
    expect(isNearFull(84, 100)).toBe(false);
    expect(isNearFull(85, 100)).toBe(true);
    expect(isNearFull(120, 100)).toBe(true);
    expect(isNearFull(0, 0)).toBe(false);
  });
});
