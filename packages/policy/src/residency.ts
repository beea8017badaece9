import { type TDataClassification, type TResidencyVerdict, isSensitive } from "./domain";

/**
 * Data residency. A change places or replicates a cluster's data in some jurisdictions (the
 * planner lists them). Any jurisdiction outside the cluster's allowed list BLOCKS the change
 * before approval, with the rule that blocked it; leaving the home jurisdiction within policy
 * is allowed but, for PII or REGULATED data, needs a compliance stage.
 */
export interface TResidencyCluster {
  name: string;
  classification: TDataClassification;
  homeJurisdiction: string;
  /** Jurisdictions the cluster's data may live in; the home jurisdiction is always allowed. */
  allowedJurisdictions: readonly string[];
}

/** How data reaches a jurisdiction: replicated to it, or placed there (a primary moves). */
export type TPlacementAction = "replicate" | "place";

export interface TPlacement {
  jurisdiction: string;
  /** Code of the data center involved, named in the rule text when given. */
  dataCenterCode?: string;
  action?: TPlacementAction;
}

export interface TResidencyInput {
  cluster: TResidencyCluster;
  /** Where the change would place or replicate data (jurisdiction codes or placements). */
  placements: readonly (string | TPlacement)[];
}

export interface TResidencyResult {
  verdict: TResidencyVerdict;
  /** The rule that blocked the change ("residency/allowed-jurisdictions: ..."), or null. */
  rule: string | null;
  /** Distinct jurisdictions the change places or replicates data in, sorted. */
  jurisdictionsTouched: string[];
  /** Jurisdictions outside the allowed list, sorted (empty unless BLOCKED). */
  forbiddenJurisdictions: string[];
  /** True when the change crosses the home border within policy with PII or REGULATED data. */
  needsCompliance: boolean;
  /** One sentence for the request page. */
  summary: string;
}

export const RESIDENCY_RULE_ALLOWED = "residency/allowed-jurisdictions";

const norm = (code: string) => code.trim().toUpperCase();

function listOf(codes: readonly string[]): string {
  return codes.join(", ");
}

export function evaluateResidency(input: TResidencyInput): TResidencyResult {
  const { cluster } = input;
  const home = norm(cluster.homeJurisdiction);
  const allowed = new Set([home, ...cluster.allowedJurisdictions.map(norm)]);
  const placements: TPlacement[] = input.placements
    .map((p) => (typeof p === "string" ? { jurisdiction: p } : p))
    .map((p) => ({ ...p, jurisdiction: norm(p.jurisdiction) }))
    .filter((p) => p.jurisdiction.length > 0);

  const touched = [...new Set(placements.map((p) => p.jurisdiction))].sort();
  const forbidden = touched.filter((j) => !allowed.has(j));

  if (forbidden.length > 0) {
    const allowedList = [...allowed].sort();
    const offending = placements.filter((p) => forbidden.includes(p.jurisdiction));
    const places = offending.some((p) => p.action === "place");
    const where = forbidden
      .map((j) => {
        const dcs = [
          ...new Set(offending.filter((p) => p.jurisdiction === j && p.dataCenterCode).map((p) => p.dataCenterCode)),
        ];
        return dcs.length ? `${j} (${dcs.join(", ")})` : j;
      })
      .join(", ");
    const rule =
      `${RESIDENCY_RULE_ALLOWED}: cluster ${cluster.name} (${cluster.classification}) may live in ` +
      `${listOf(allowedList)} only; the change would ${places ? "place data in" : "replicate to"} ${where}`;
    return {
      verdict: "BLOCKED",
      rule,
      jurisdictionsTouched: touched,
      forbiddenJurisdictions: forbidden,
      needsCompliance: false,
      summary: `Blocked: ${cluster.name} may not hold data in ${listOf(forbidden)}.`,
    };
  }

  const crossing = touched.filter((j) => j !== home);
  if (crossing.length === 0) {
    return {
      verdict: "WITHIN_HOME",
      rule: null,
      jurisdictionsTouched: touched,
      forbiddenJurisdictions: [],
      needsCompliance: false,
      summary: touched.length
        ? `Data stays in the home jurisdiction ${home}.`
        : "The change places no data in a new jurisdiction.",
    };
  }
  const needsCompliance = isSensitive(cluster.classification);
  return {
    verdict: "CROSSES_WITHIN_POLICY",
    rule: null,
    jurisdictionsTouched: touched,
    forbiddenJurisdictions: [],
    needsCompliance,
    summary:
      `Data of ${cluster.name} would leave its home ${home} for ${listOf(crossing)}, which its policy allows` +
      (needsCompliance ? `; ${cluster.classification} data needs a compliance officer's approval.` : "."),
  };
}

/** The worst of several verdicts (BLOCKED > CROSSES_WITHIN_POLICY > WITHIN_HOME). */
export function worstResidencyVerdict(verdicts: readonly TResidencyVerdict[]): TResidencyVerdict {
  if (verdicts.includes("BLOCKED")) return "BLOCKED";
  if (verdicts.includes("CROSSES_WITHIN_POLICY")) return "CROSSES_WITHIN_POLICY";
  return "WITHIN_HOME";
}
