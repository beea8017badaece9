import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  APPROVAL_DECISIONS,
  CHANGE_KINDS,
  CHANGE_STATUSES,
  DATA_CENTER_STATUSES,
  DATA_CLASSIFICATIONS,
  HEALTH_STATUSES,
  INSTANCE_ROLES,
  LINK_STATUSES,
  REPLICATION_MODES,
  RESIDENCY_VERDICTS,
  RISK_LEVELS,
  ROLES,
  TIERS,
  maxRisk,
  mostCriticalTier,
  mostSensitiveClassification,
  riskAtLeast,
} from "./index";

// Test-only: the rules themselves never read files. This keeps the enums in step with the
// metadata schema, so a value added to schema.prisma cannot silently miss a rule.
const schema = readFileSync(new URL("../../../prisma/schema.prisma", import.meta.url), "utf8");

function prismaEnum(name: string): string[] {
  const match = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(schema);
  if (!match?.[1]) throw new Error(`enum ${name} not found in schema.prisma`);
  return match[1]
    .split("\n")
    .map((line) => line.replace(/\/\/.*$/, "").trim())
    .filter(Boolean);
}

describe("domain enums mirror schema.prisma", () => {
  it.each([
    ["Tier", TIERS],
    ["DataClassification", DATA_CLASSIFICATIONS],
    ["HealthStatus", HEALTH_STATUSES],
    ["InstanceRole", INSTANCE_ROLES],
    ["DataCenterStatus", DATA_CENTER_STATUSES],
    ["ReplicationMode", REPLICATION_MODES],
    ["LinkStatus", LINK_STATUSES],
    ["RiskLevel", RISK_LEVELS],
    ["ResidencyVerdict", RESIDENCY_VERDICTS],
    ["ApprovalDecision", APPROVAL_DECISIONS],
    ["ChangeKind", CHANGE_KINDS],
    ["ChangeStatus", CHANGE_STATUSES],
    ["Role", ROLES],
  ] as const)("%s", (name, values) => {
    expect([...values]).toEqual(prismaEnum(name));
  });
});

describe("orderings", () => {
  it("orders risk from LOW to CRITICAL", () => {
    expect(riskAtLeast("HIGH", "MEDIUM")).toBe(true);
    expect(riskAtLeast("MEDIUM", "HIGH")).toBe(false);
    expect(riskAtLeast("CRITICAL", "CRITICAL")).toBe(true);
    expect(maxRisk("LOW", "HIGH")).toBe("HIGH");
    expect(maxRisk("CRITICAL", "MEDIUM")).toBe("CRITICAL");
  });

  it("treats T0 as the most critical tier and REGULATED as the most sensitive data", () => {
    expect(mostCriticalTier("T2", "T0")).toBe("T0");
    expect(mostCriticalTier("T1", "T3")).toBe("T1");
    expect(mostSensitiveClassification("PII", "REGULATED")).toBe("REGULATED");
    expect(mostSensitiveClassification("INTERNAL", "PUBLIC")).toBe("INTERNAL");
  });
});
