import { describe, expect, it } from "vitest";
import {
  DATA_CLASSIFICATIONS,
  evaluateResidency,
  worstResidencyVerdict,
  type TDataClassification,
  type TResidencyInput,
  type TResidencyVerdict,
} from "./index";

const cluster = (classification: TDataClassification, allowed: string[], home = "EU") => ({
  name: "payments-eu-01",
  classification,
  homeJurisdiction: home,
  allowedJurisdictions: allowed,
});

describe("evaluateResidency", () => {
  it("blocks replicating a PII cluster outside its allowed jurisdictions, with the exact rule", () => {
    const result = evaluateResidency({ cluster: cluster("PII", ["EU"]), placements: ["US"] });
    expect(result).toEqual({
      verdict: "BLOCKED",
      rule: "residency/allowed-jurisdictions: cluster payments-eu-01 (PII) may live in EU only; the change would replicate to US",
      jurisdictionsTouched: ["US"],
      forbiddenJurisdictions: ["US"],
      needsCompliance: false,
      summary: "Blocked: payments-eu-01 may not hold data in US.",
    });
  });

  it("names data centers and 'place data in' when a primary would move there", () => {
    const result = evaluateResidency({
      cluster: cluster("REGULATED", ["EU", "UK"]),
      placements: [
        { jurisdiction: "US", dataCenterCode: "iad1", action: "place" },
        { jurisdiction: "uk", dataCenterCode: "lon1" },
        { jurisdiction: "BR", dataCenterCode: "gru1" },
      ],
    });
    expect(result.verdict).toBe("BLOCKED");
    expect(result.rule).toBe(
      "residency/allowed-jurisdictions: cluster payments-eu-01 (REGULATED) may live in EU, UK only; the change would place data in BR (gru1), US (iad1)",
    );
    expect(result.jurisdictionsTouched).toEqual(["BR", "UK", "US"]);
  });

  // classification x (placements relative to policy) -> verdict, compliance
  const placementCases: [string, string[], string[], TResidencyVerdict][] = [
    ["no placement", ["EU"], [], "WITHIN_HOME"],
    ["home only", ["EU"], ["EU", "EU"], "WITHIN_HOME"],
    ["home missing from allowed list still counts as allowed", [], ["EU"], "WITHIN_HOME"],
    ["another allowed jurisdiction", ["EU", "UK"], ["UK"], "CROSSES_WITHIN_POLICY"],
    ["home and another allowed one", ["EU", "UK"], ["EU", "UK"], "CROSSES_WITHIN_POLICY"],
    ["one allowed, one forbidden", ["EU", "UK"], ["UK", "US"], "BLOCKED"],
    ["forbidden only", ["EU"], ["SG"], "BLOCKED"],
    ["lower-case codes", ["eu", "uk"], ["uk"], "CROSSES_WITHIN_POLICY"],
  ];
  const cases = DATA_CLASSIFICATIONS.flatMap((c) => placementCases.map((p) => [c, ...p] as const));

  it.each(cases)("%s, %s", (classification, _label, allowed, placements, verdict) => {
    const input: TResidencyInput = { cluster: cluster(classification, allowed), placements };
    const result = evaluateResidency(input);
    expect(result.verdict).toBe(verdict);
    expect(result.rule === null).toBe(verdict !== "BLOCKED");
    const sensitive = classification === "PII" || classification === "REGULATED";
    expect(result.needsCompliance).toBe(verdict === "CROSSES_WITHIN_POLICY" && sensitive);
    if (verdict === "CROSSES_WITHIN_POLICY")
      expect(result.summary.includes("compliance officer")).toBe(sensitive);
  });

  it("keeps the worst verdict across clusters", () => {
    expect(worstResidencyVerdict([])).toBe("WITHIN_HOME");
    expect(worstResidencyVerdict(["WITHIN_HOME", "CROSSES_WITHIN_POLICY"])).toBe("CROSSES_WITHIN_POLICY");
    expect(worstResidencyVerdict(["CROSSES_WITHIN_POLICY", "BLOCKED", "WITHIN_HOME"])).toBe("BLOCKED");
  });
});
