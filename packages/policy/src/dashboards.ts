import { type TTier } from "./domain";

/**
 * Dashboard arithmetic: lag SLOs per tier, percentiles, change lead time, change failure rate
 * and weekly buckets. Pure: no clock (times are passed in), no I/O.
 */

// ---- lag SLOs --------------------------------------------------------------------------------

/**
 * Replication lag objective per cluster tier, in seconds: a link of a T0 cluster is out of SLO
 * when its lag exceeds 5 s; T3 tolerates 10 minutes. Tighter for more critical tiers.
 */
export const LAG_SLO_SECONDS: Readonly<Record<TTier, number>> = { T0: 5, T1: 30, T2: 120, T3: 600 };

export function lagSloSeconds(tier: TTier): number {
  return LAG_SLO_SECONDS[tier];
}

/** True when a lag sample breaks its tier's SLO (a lag equal to the SLO still meets it). */
export function isAboveSlo(tier: TTier, lagSeconds: number): boolean {
  return lagSeconds > LAG_SLO_SECONDS[tier];
}

/** Share of samples above their tier's SLO (0..1), or null when there is no sample. */
export function shareAboveSlo(samples: readonly { tier: TTier; lagSeconds: number }[]): number | null {
  if (samples.length === 0) return null;
  return samples.filter((s) => isAboveSlo(s.tier, s.lagSeconds)).length / samples.length;
}

/**
 * Percentile with linear interpolation between closest ranks (PostgreSQL's percentile_cont):
 * p in 0..1. Null for an empty list.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  if (p < 0 || p > 1 || Number.isNaN(p)) throw new RangeError("percentile p must be within 0..1");
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

// ---- change delivery ---------------------------------------------------------------------------

/** Statuses in which a change is finished after running (the denominator of the failure rate). */
export const FINISHED_CHANGE_STATUSES = ["SUCCEEDED", "FAILED", "ROLLED_BACK"] as const;
/** Finished statuses that count as a failed change. */
export const FAILED_CHANGE_STATUSES = ["FAILED", "ROLLED_BACK"] as const;

/** Outcome of a change for the weekly chart. */
export type TChangeOutcome = "SUCCEEDED" | "FAILED" | "ROLLED_BACK" | "REJECTED" | "CANCELLED" | "BLOCKED" | "OPEN";

export function changeOutcome(status: string): TChangeOutcome {
  switch (status) {
    case "SUCCEEDED":
    case "FAILED":
    case "ROLLED_BACK":
    case "REJECTED":
    case "CANCELLED":
    case "BLOCKED":
      return status;
    default:
      return "OPEN";
  }
}

export interface TChangeFailureRate {
  finished: number;
  failed: number;
  /** failed / finished, or null when nothing finished (no rate rather than a fake 0 %). */
  rate: number | null;
}

/** Change failure rate = (FAILED + ROLLED_BACK) / (SUCCEEDED + FAILED + ROLLED_BACK). */
export function changeFailureRate(statuses: readonly string[]): TChangeFailureRate {
  let finished = 0;
  let failed = 0;
  for (const s of statuses) {
    if ((FINISHED_CHANGE_STATUSES as readonly string[]).includes(s)) finished += 1;
    if ((FAILED_CHANGE_STATUSES as readonly string[]).includes(s)) failed += 1;
  }
  return { finished, failed, rate: finished === 0 ? null : failed / finished };
}

/** The milestones of one change request; null where it has not got there (yet). */
export interface TChangeMilestones {
  /** Submitted for approval (filed). */
  filedAt: Date | null;
  /** Approval complete. */
  approvedAt: Date | null;
  /** Execution finished (succeeded, failed or rolled back). */
  doneAt: Date | null;
}

export interface TDurationStats {
  /** Requests that reached both milestones. */
  count: number;
  /** Seconds; null when count is 0. */
  p50: number | null;
  p90: number | null;
}

export interface TLeadTimes {
  filedToApproved: TDurationStats;
  approvedToDone: TDurationStats;
  filedToDone: TDurationStats;
}

function stats(durations: number[]): TDurationStats {
  return { count: durations.length, p50: percentile(durations, 0.5), p90: percentile(durations, 0.9) };
}

/**
 * Lead time, median and p90, per stage. A request still open counts only in the stages it
 * completed (filed and approved but not done: in filed->approved only). Negative spans (clock
 * skew in imported data) are dropped rather than averaged in.
 */
export function leadTimes(requests: readonly TChangeMilestones[]): TLeadTimes {
  const fa: number[] = [];
  const ad: number[] = [];
  const fd: number[] = [];
  const span = (from: Date | null, to: Date | null, into: number[]) => {
    if (!from || !to) return;
    const s = (to.getTime() - from.getTime()) / 1000;
    if (s >= 0) into.push(s);
  };
  for (const r of requests) {
    span(r.filedAt, r.approvedAt, fa);
    span(r.approvedAt, r.doneAt, ad);
    span(r.filedAt, r.doneAt, fd);
  }
  return { filedToApproved: stats(fa), approvedToDone: stats(ad), filedToDone: stats(fd) };
}

// ---- time buckets ------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

/** Monday 00:00 UTC of the ISO week holding `at`. */
export function weekStart(at: Date): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const dow = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
  return new Date(day - dow * DAY_MS);
}

/** Every week start from the week of `from` to the week of `to`, inclusive: empty weeks included. */
export function weekStarts(from: Date, to: Date): Date[] {
  const out: Date[] = [];
  if (to.getTime() < from.getTime()) return out;
  for (let w = weekStart(from).getTime(); w <= to.getTime(); w += 7 * DAY_MS) out.push(new Date(w));
  return out;
}

export interface TWeeklyCount<K extends string> {
  weekStart: Date;
  counts: Record<K, number>;
  total: number;
}

/**
 * Counts items per ISO week and key over [from, to]; weeks with nothing get zeros, so a chart
 * shows a gap as a zero rather than skipping it. Items outside the range are ignored.
 */
export function weeklyCounts<K extends string>(
  items: readonly { at: Date; key: K }[],
  keys: readonly K[],
  from: Date,
  to: Date,
): TWeeklyCount<K>[] {
  const weeks = weekStarts(from, to).map((w) => ({
    weekStart: w,
    counts: Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>,
    total: 0,
  }));
  const index = new Map(weeks.map((w, i) => [w.weekStart.getTime(), i]));
  for (const item of items) {
    if (item.at.getTime() < from.getTime() || item.at.getTime() > to.getTime()) continue;
    const i = index.get(weekStart(item.at).getTime());
    if (i === undefined) continue;
    const week = weeks[i]!;
    if (!(item.key in week.counts)) continue;
    week.counts[item.key] += 1;
    week.total += 1;
  }
  return weeks;
}

// ---- capacity ----------------------------------------------------------------------------------

/** A data center at or above this share of its slots is "near full". */
export const NEAR_FULL_UTILISATION = 0.85;

export function isNearFull(used: number, slots: number): boolean {
  return slots <= 0 ? used > 0 : used / slots >= NEAR_FULL_UTILISATION;
}
