import { type TChangeKind } from "./change-kinds";
import {
  type TDataClassification,
  type THealthStatus,
  type TRiskLevel,
  type TTier,
  maxRisk,
  riskRank,
} from "./domain";

/**
 * Risk scoring. Points add up from the kind, the cluster's tier and data classification, the
 * size of the change, the cluster's current health and lag, and the time; every point comes
 * with a human reason ("T0 cluster (+3)"). The score maps to a level, and some kinds have a
 * floor (FAILOVER and DRAIN_DATACENTER are at least HIGH; SCHEMA_CHANGE on T0 at least MEDIUM;
 * MOVE_PRIMARY_REGION at least MEDIUM). Time is passed in: nothing here reads the clock.
 */
export const KIND_POINTS: Record<TChangeKind, number> = {
  ADD_REPLICA: 1,
  ADD_LINK: 1,
  REMOVE_LINK: 2,
  REMOVE_REPLICA: 2,
  SCHEMA_CHANGE: 2,
  SWITCHOVER: 3,
  MOVE_PRIMARY_REGION: 4,
  FAILOVER: 5,
  DRAIN_DATACENTER: 5,
};

export const TIER_POINTS: Record<TTier, number> = { T0: 3, T1: 2, T2: 1, T3: 0 };

export const CLASSIFICATION_POINTS: Record<TDataClassification, number> = {
  PUBLIC: 0,
  INTERNAL: 0,
  CONFIDENTIAL: 1,
  PII: 2,
  REGULATED: 2,
};

/** Inclusive upper score of each level; above HIGH's bound is CRITICAL. */
export const RISK_THRESHOLDS = { LOW: 3, MEDIUM: 6, HIGH: 9 } as const;

/** Business hours in UTC (or in the data center's local time when an offset is given). */
export const BUSINESS_HOURS = { startHour: 6, endHour: 20 } as const;

export interface TRiskInput {
  kind: TChangeKind;
  tier: TTier;
  classification: TDataClassification;
  /** Instances the change acts on (created, removed, promoted, repointed ...). */
  instancesTouched: number;
  /** Distinct data centers the change acts on. */
  dataCentersTouched: number;
  /** Current health of every instance of the cluster(s). */
  clusterHealth: readonly THealthStatus[];
  /** Worst replication lag into the cluster now, in seconds; null without links or data. */
  maxLagSeconds: number | null;
  /** The cluster's recovery point objective, in seconds. */
  rpoSeconds: number;
  /** The change places or replicates data outside the home jurisdiction. */
  crossesJurisdiction?: boolean;
  /** Offset of the data center's local time from UTC, in minutes (e.g. +60 for CET); UTC when omitted. */
  utcOffsetMinutes?: number;
}

export interface TRiskResult {
  level: TRiskLevel;
  score: number;
  /** One line per point added ("T0 cluster (+3)"), then any floor that raised the level. */
  reasons: string[];
}

export function levelForScore(score: number): TRiskLevel {
  if (score <= RISK_THRESHOLDS.LOW) return "LOW";
  if (score <= RISK_THRESHOLDS.MEDIUM) return "MEDIUM";
  if (score <= RISK_THRESHOLDS.HIGH) return "HIGH";
  return "CRITICAL";
}

/** The lowest level a change may have, whatever its score. */
export function riskFloor(kind: TChangeKind, tier: TTier): { level: TRiskLevel; reason: string } | null {
  if (kind === "FAILOVER") return { level: "HIGH", reason: "a failover is always at least HIGH risk" };
  if (kind === "DRAIN_DATACENTER")
    return { level: "HIGH", reason: "draining a data center is always at least HIGH risk" };
  if (kind === "SCHEMA_CHANGE" && tier === "T0")
    return { level: "MEDIUM", reason: "a schema change on a T0 cluster is at least MEDIUM risk" };
  if (kind === "MOVE_PRIMARY_REGION")
    return { level: "MEDIUM", reason: "moving the primary is always at least MEDIUM risk" };
  return null;
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function formatOffset(minutes: number): string {
  if (minutes === 0) return "UTC";
  const sign = minutes > 0 ? "+" : "-";
  const abs = Math.abs(minutes);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function finite(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

export function scoreRisk(input: TRiskInput, now: Date): TRiskResult {
  const reasons: string[] = [];
  let score = 0;
  const add = (points: number, reason: string) => {
    if (points <= 0) return;
    score += points;
    reasons.push(`${reason} (+${points})`);
  };

  add(KIND_POINTS[input.kind], `${input.kind.toLowerCase().replaceAll("_", " ")} change`);
  add(TIER_POINTS[input.tier], `${input.tier} cluster`);
  add(CLASSIFICATION_POINTS[input.classification], `${input.classification} data`);

  const instances = Math.floor(finite(input.instancesTouched));
  if (instances >= 10) add(3, `${instances} instances touched`);
  else if (instances >= 6) add(2, `${instances} instances touched`);
  else if (instances >= 3) add(1, `${instances} instances touched`);

  const dcs = Math.floor(finite(input.dataCentersTouched));
  if (dcs >= 5) add(2, `${dcs} data centers touched`);
  else if (dcs >= 3) add(1, `${dcs} data centers touched`);

  const down = input.clusterHealth.filter((h) => h === "DOWN").length;
  const degraded = input.clusterHealth.filter((h) => h === "DEGRADED").length;
  const unknown = input.clusterHealth.filter((h) => h === "UNKNOWN").length;
  if (down > 0) add(3, `${down} instance${down > 1 ? "s" : ""} DOWN in the cluster`);
  if (degraded > 0) add(2, `${degraded} instance${degraded > 1 ? "s" : ""} DEGRADED in the cluster`);
  if (down === 0 && degraded === 0 && unknown > 0)
    add(1, `health of ${unknown} instance${unknown > 1 ? "s" : ""} unknown`);

  if (input.maxLagSeconds !== null && Number.isFinite(input.maxLagSeconds)) {
    const lag = Math.max(0, input.maxLagSeconds);
    const rpo = Math.max(0, input.rpoSeconds);
    if (lag > rpo) add(3, `replication lag ${round(lag)} s exceeds the RPO of ${rpo} s`);
    else if (rpo > 0 && lag > rpo / 2) add(1, `replication lag ${round(lag)} s is above half the RPO of ${rpo} s`);
  }

  if (input.crossesJurisdiction) add(1, "data crosses a jurisdiction border");

  const offset = input.utcOffsetMinutes ?? 0;
  const local = new Date(now.getTime() + offset * 60_000);
  const day = local.getUTCDay();
  const hour = local.getUTCHours();
  const clock = `${pad(hour)}:${pad(local.getUTCMinutes())} ${formatOffset(offset)}`;
  if (day === 0 || day === 6) add(2, `weekend (${WEEKDAYS[day]} ${clock})`);
  if (hour < BUSINESS_HOURS.startHour || hour >= BUSINESS_HOURS.endHour)
    add(
      1,
      `outside business hours (${clock}; business hours ${pad(BUSINESS_HOURS.startHour)}:00-${pad(BUSINESS_HOURS.endHour)}:00)`,
    );

  let level = levelForScore(score);
  const floor = riskFloor(input.kind, input.tier);
  if (floor && riskRank(floor.level) > riskRank(level)) {
    level = maxRisk(level, floor.level);
    reasons.push(`raised to ${floor.level}: ${floor.reason}`);
  }
  return { level, score, reasons };
}

function round(n: number): string {
  return n >= 10 ? String(Math.round(n)) : String(Math.round(n * 10) / 10);
}
