import { routeApprovals, type TApprovalRoute, type TRoutingRequest, type TStoredApprovalPolicy } from "@meridian/policy";
import { type TDb } from "../audit/append-audit-event";
import { toAppError } from "./errors";

/** The approval policies as stored (the admin page edits them). */
export async function loadApprovalPolicies(db: TDb): Promise<TStoredApprovalPolicy[]> {
  const rows = await db.approvalPolicy.findMany({ orderBy: [{ priority: "asc" }, { name: "asc" }] });
  return rows.map((p) => ({
    name: p.name,
    priority: p.priority,
    kinds: p.kinds,
    minRisk: p.minRisk,
    classifications: p.classifications,
    crossesJurisdiction: p.crossesJurisdiction,
    stages: p.stages,
    enabled: p.enabled,
  }));
}

/** Routes a planned request through the stored policies (and the invariants of policy's routing). */
export async function routeRequest(db: TDb, routing: TRoutingRequest, breakGlass: boolean): Promise<TApprovalRoute> {
  const policies = await loadApprovalPolicies(db);
  try {
    return routeApprovals(policies, { ...routing, breakGlass });
  } catch (error) {
    throw toAppError(error);
  }
}

/** What the request page says about how its stages were chosen. */
export function routingNotesOf(route: TApprovalRoute): string[] {
  return [
    `Routed by policy "${route.policyName}"${route.fallback ? " (built-in default: no stored policy matched)" : ""}`,
    ...route.adjustments,
    ...route.invalidPolicies.map((p) => `Policy "${p.name}" was skipped: ${p.message}`),
    ...(route.reviewAfterwards ? ["Break-glass: the change must be reviewed after it ran"] : []),
  ];
}
