import { describe, expect, it } from "vitest";
import {
  CHANGE_KINDS,
  DATA_CLASSIFICATIONS,
  RISK_LEVELS,
  TIERS,
  riskAtLeast,
  riskRank,
  scoreRisk,
  type TRiskInput,
  type TRiskLevel,
} from "./index";

const WEDNESDAY_NOON = new Date("2025-06-11T12:00:00Z");
const SATURDAY_NOON = new Date("2025-06-14T12:00:00Z");
const WEDNESDAY_2130 = new Date("2025-06-11T21:30:00Z");
const SUNDAY_0300 = new Date("2025-06-15T03:00:00Z");

const base: TRiskInput = {
  kind: "ADD_REPLICA",
  tier: "T3",
  classification: "INTERNAL",
  instancesTouched: 1,
  dataCentersTouched: 1,
  clusterHealth: ["UP", "UP"],
  maxLagSeconds: 0,
  rpoSeconds: 60,
};

function pointsIn(reasons: string[]): number {
  return reasons.reduce((sum, r) => sum + Number(/\(\+(\d+)\)$/.exec(r)?.[1] ?? 0), 0);
}

describe("scoreRisk", () => {
  const table: [string, Partial<TRiskInput>, Date, TRiskLevel, number, string[]][] = [
    ["a replica for a T3 internal cluster on a weekday", {}, WEDNESDAY_NOON, "LOW", 1, ["add replica change (+1)"]],
    [
      "a replica for a T0 PII cluster",
      { tier: "T0", classification: "PII" },
      WEDNESDAY_NOON,
      "MEDIUM",
      6,
      ["add replica change (+1)", "T0 cluster (+3)", "PII data (+2)"],
    ],
    [
      "a switchover on a T1 internal cluster of three instances",
      { kind: "SWITCHOVER", tier: "T1", instancesTouched: 3, dataCentersTouched: 2 },
      WEDNESDAY_NOON,
      "MEDIUM",
      6,
      ["switchover change (+3)", "T1 cluster (+2)", "3 instances touched (+1)"],
    ],
    [
      "a switchover on a T0 regulated cluster",
      { kind: "SWITCHOVER", tier: "T0", classification: "REGULATED" },
      WEDNESDAY_NOON,
      "HIGH",
      8,
      ["switchover change (+3)", "T0 cluster (+3)", "REGULATED data (+2)"],
    ],
    [
      "a failover of a T0 PII cluster with its primary down and lag over RPO",
      { kind: "FAILOVER", tier: "T0", classification: "PII", clusterHealth: ["DOWN", "UP"], maxLagSeconds: 90 },
      WEDNESDAY_NOON,
      "CRITICAL",
      16,
      [
        "failover change (+5)",
        "T0 cluster (+3)",
        "PII data (+2)",
        "1 instance DOWN in the cluster (+3)",
        "replication lag 90 s exceeds the RPO of 60 s (+3)",
      ],
    ],
    [
      "a failover of a small T3 cluster is still HIGH",
      { kind: "FAILOVER" },
      WEDNESDAY_NOON,
      "HIGH",
      5,
      ["failover change (+5)", "raised to HIGH: a failover is always at least HIGH risk"],
    ],
    [
      "a T0 schema change is at least MEDIUM",
      { kind: "SCHEMA_CHANGE", tier: "T0", classification: "PUBLIC" },
      WEDNESDAY_NOON,
      "MEDIUM",
      5,
      ["schema change change (+2)", "T0 cluster (+3)"],
    ],
    [
      "a T1 schema change of public data stays LOW",
      { kind: "SCHEMA_CHANGE", tier: "T2", classification: "PUBLIC" },
      WEDNESDAY_NOON,
      "LOW",
      3,
      ["schema change change (+2)", "T2 cluster (+1)"],
    ],
    [
      "a drain of a data center with many instances",
      { kind: "DRAIN_DATACENTER", instancesTouched: 12, dataCentersTouched: 5 },
      WEDNESDAY_NOON,
      "CRITICAL",
      10,
      ["drain datacenter change (+5)", "12 instances touched (+3)", "5 data centers touched (+2)"],
    ],
    [
      "a weekend change",
      {},
      SATURDAY_NOON,
      "LOW",
      3,
      ["add replica change (+1)", "weekend (Saturday 12:00 UTC) (+2)"],
    ],
    [
      "a Sunday night change",
      { tier: "T1" },
      SUNDAY_0300,
      "MEDIUM",
      6,
      [
        "add replica change (+1)",
        "T1 cluster (+2)",
        "weekend (Sunday 03:00 UTC) (+2)",
        "outside business hours (03:00 UTC; business hours 06:00-20:00) (+1)",
      ],
    ],
    [
      "an evening change",
      {},
      WEDNESDAY_2130,
      "LOW",
      2,
      ["add replica change (+1)", "outside business hours (21:30 UTC; business hours 06:00-20:00) (+1)"],
    ],
    [
      "an evening in UTC that is morning in Tokyo",
      { utcOffsetMinutes: 540 },
      WEDNESDAY_2130,
      "LOW",
      1,
      ["add replica change (+1)"],
    ],
    [
      "noon UTC that is night in Honolulu",
      { utcOffsetMinutes: -600 },
      WEDNESDAY_NOON,
      "LOW",
      2,
      ["add replica change (+1)", "outside business hours (02:00 UTC-10:00; business hours 06:00-20:00) (+1)"],
    ],
    [
      "degraded and unknown instances, lag above half the RPO, crossing a border",
      { clusterHealth: ["DEGRADED", "UNKNOWN", "UP"], maxLagSeconds: 40, crossesJurisdiction: true },
      WEDNESDAY_NOON,
      "MEDIUM",
      5,
      [
        "add replica change (+1)",
        "1 instance DEGRADED in the cluster (+2)",
        "replication lag 40 s is above half the RPO of 60 s (+1)",
        "data crosses a jurisdiction border (+1)",
      ],
    ],
    [
      "unknown health alone",
      { clusterHealth: ["UNKNOWN", "UNKNOWN"], maxLagSeconds: null },
      WEDNESDAY_NOON,
      "LOW",
      2,
      ["add replica change (+1)", "health of 2 instances unknown (+1)"],
    ],
    [
      "moving the primary of a T3 public cluster is at least MEDIUM",
      { kind: "MOVE_PRIMARY_REGION", classification: "PUBLIC" },
      WEDNESDAY_NOON,
      "MEDIUM",
      4,
      ["move primary region change (+4)"],
    ],
    [
      "a zero RPO with any lag",
      { rpoSeconds: 0, maxLagSeconds: 0.4 },
      WEDNESDAY_NOON,
      "MEDIUM",
      4,
      ["add replica change (+1)", "replication lag 0.4 s exceeds the RPO of 0 s (+3)"],
    ],
  ];

  it.each(table)("%s", (_label, overrides, now, level, score, reasons) => {
    const result = scoreRisk({ ...base, ...overrides }, now);
    expect(result).toEqual({ level, score, reasons });
  });

  it("gives a reason for every point it adds", () => {
    for (const [, overrides, now] of table) {
      const result = scoreRisk({ ...base, ...overrides }, now);
      expect(pointsIn(result.reasons)).toBe(result.score);
    }
  });

  const grid = CHANGE_KINDS.flatMap((kind) =>
    TIERS.flatMap((tier) => DATA_CLASSIFICATIONS.map((classification) => ({ kind, tier, classification }))),
  );

  it("applies the floors to every kind x tier x classification", () => {
    for (const g of grid) {
      const { level } = scoreRisk({ ...base, ...g }, WEDNESDAY_NOON);
      const label = JSON.stringify(g);
      if (g.kind === "FAILOVER" || g.kind === "DRAIN_DATACENTER") expect(riskAtLeast(level, "HIGH"), label).toBe(true);
      if (g.kind === "SCHEMA_CHANGE" && g.tier === "T0") expect(riskAtLeast(level, "MEDIUM"), label).toBe(true);
      if (g.kind === "MOVE_PRIMARY_REGION") expect(riskAtLeast(level, "MEDIUM"), label).toBe(true);
      expect(RISK_LEVELS).toContain(level);
    }
  });

  it("never lowers the level when a factor gets worse", () => {
    const worse: Partial<TRiskInput>[] = [
      { instancesTouched: 8 },
      { dataCentersTouched: 4 },
      { clusterHealth: ["DOWN"] },
      { maxLagSeconds: 600 },
      { crossesJurisdiction: true },
    ];
    for (const g of grid) {
      const calm = scoreRisk({ ...base, ...g }, WEDNESDAY_NOON);
      for (const w of worse) {
        const stormy = scoreRisk({ ...base, ...g, ...w }, WEDNESDAY_NOON);
        expect(riskRank(stormy.level)).toBeGreaterThanOrEqual(riskRank(calm.level));
        expect(stormy.score).toBeGreaterThan(calm.score);
      }
      expect(scoreRisk({ ...base, ...g }, SUNDAY_0300).score).toBe(calm.score + 3);
    }
  });

  it("ranks a more critical tier and more sensitive data at least as risky", () => {
    for (const kind of CHANGE_KINDS) {
      const levels = TIERS.map((tier) => riskRank(scoreRisk({ ...base, kind, tier }, WEDNESDAY_NOON).level));
      expect([...levels].sort((a, b) => b - a)).toEqual(levels);
      const byData = DATA_CLASSIFICATIONS.map((classification) =>
        scoreRisk({ ...base, kind, classification }, WEDNESDAY_NOON).score,
      );
      expect([...byData].sort((a, b) => a - b)).toEqual(byData);
    }
  });
});
