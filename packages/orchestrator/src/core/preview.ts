import {
  evaluateResidency,
  mostCriticalTier,
  mostSensitiveClassification,
  reviewSchemaChange,
  scoreRisk,
  worstResidencyVerdict,
  type TChangeParams,
  type TDataClassification,
  type TResidencyResult,
  type TResidencyVerdict,
  type TRiskResult,
  type TRoutingRequest,
  type TSchemaReview,
  type TTier,
} from "@meridian/policy";
import { parsePlanningParams, PLANNERS } from "./planners";
import { DEFAULT_CONTEXT } from "./planners/common";
import { type TPlannedChange } from "./session";
import { type TClusterSnapshot, type TFleetSnapshot } from "./snapshot";

export interface TPreviewOptions {
  /** Injected clock for the time-of-day part of the risk score. */
  now: Date;
  /** The change request's id (salts the ids of created instances and links). */
  requestId?: string;
  /** SCHEMA_CHANGE: the change will run inside a maintenance window (relaxes the lock rules on T0). */
  inMaintenanceWindow?: boolean;
}

export interface TResidencySummary {
  verdict: TResidencyVerdict;
  /** The rule(s) that block the change, or null. */
  rule: string | null;
  needsCompliance: boolean;
  jurisdictionsTouched: string[];
  perCluster: ({ clusterId: string; clusterName: string } & TResidencyResult)[];
}

export interface TChangePreview extends TPlannedChange {
  params: TChangeParams;
  residency: TResidencySummary;
  risk: TRiskResult;
  /** What approval routing needs (pass it to routeApprovals with the stored policies). */
  routing: TRoutingRequest;
  /** SCHEMA_CHANGE only: the SQL review. */
  schemaReview: TSchemaReview | null;
}

function involvedClusters(snapshot: TFleetSnapshot, planned: TPlannedChange): TClusterSnapshot[] {
  const ids = new Set([...planned.blastRadius.clusters.map((c) => c.id), ...planned.placements.map((p) => p.clusterId)]);
  return snapshot.clusters.filter((c) => ids.has(c.id)).sort((a, b) => a.name.localeCompare(b.name));
}

export function residencyOf(snapshot: TFleetSnapshot, planned: TPlannedChange): TResidencySummary {
  const placementsOf = new Map<string, TPlannedChange["placements"]>();
  for (const p of planned.placements) {
    const list = placementsOf.get(p.clusterId);
    if (list) list.push(p);
    else placementsOf.set(p.clusterId, [p]);
  }
  const perCluster = involvedClusters(snapshot, planned).map((cluster) => ({
    clusterId: cluster.id,
    clusterName: cluster.name,
    ...evaluateResidency({
      cluster: {
        name: cluster.name,
        classification: cluster.classification,
        homeJurisdiction: cluster.homeJurisdiction,
        allowedJurisdictions: cluster.allowedJurisdictions,
      },
      placements: (placementsOf.get(cluster.id) ?? []).map((p) => ({ jurisdiction: p.jurisdiction, dataCenterCode: p.dataCenterCode, action: p.action })),
    }),
  }));
  const rules = perCluster.map((r) => r.rule).filter((r): r is string => r !== null);
  return {
    verdict: worstResidencyVerdict(perCluster.map((r) => r.verdict)),
    rule: rules.length ? rules.join("; ") : null,
    needsCompliance: perCluster.some((r) => r.needsCompliance),
    jurisdictionsTouched: [...new Set(perCluster.flatMap((r) => r.jurisdictionsTouched))].sort(),
    perCluster,
  };
}

function siteOffset(params: TChangeParams, snapshot: TFleetSnapshot, clusters: TClusterSnapshot[]): number | undefined {
  const dcId =
    "dataCenterId" in params
      ? params.dataCenterId
      : "targetDataCenterId" in params
        ? params.targetDataCenterId
        : clusters[0]?.instances.find((i) => i.role === "PRIMARY")?.dataCenterId;
  return snapshot.dataCenters.find((d) => d.id === dcId)?.utcOffsetMinutes;
}

/**
 * Everything the request page shows before submission, from one pure call: the plan and its
 * hash, blast radius, residency verdict, risk with reasons, the SQL review for schema changes,
 * and the input for approval routing. Throws PlanningError when the change cannot be planned.
 */
export function previewChange(params: unknown, snapshot: TFleetSnapshot, options: TPreviewOptions): TChangePreview {
  const parsed = parsePlanningParams(params);
  const context = { requestId: options.requestId ?? DEFAULT_CONTEXT.requestId };
  const planner = PLANNERS[parsed.kind] as (p: TChangeParams, s: TFleetSnapshot, c: typeof context) => TPlannedChange;
  const planned = planner(parsed, snapshot, context);
  const clusters = involvedClusters(snapshot, planned);
  const residency = residencyOf(snapshot, planned);

  const tier = clusters.reduce<TTier>((t, c) => mostCriticalTier(t, c.tier), "T3");
  const classification = clusters.reduce<TDataClassification>(
    (k, c) => mostSensitiveClassification(k, c.classification),
    "PUBLIC",
  );
  // The cluster closest to breaking its RPO decides the lag factor.
  let lag: { maxLagSeconds: number | null; rpoSeconds: number } = {
    maxLagSeconds: null,
    rpoSeconds: clusters[0]?.rpoSeconds ?? 0,
  };
  let worstRatio = -1;
  for (const c of clusters) {
    const lags = c.links.map((l) => l.lagSeconds).filter((s): s is number => s !== null);
    if (lags.length === 0) continue;
    const max = Math.max(...lags);
    const ratio = c.rpoSeconds > 0 ? max / c.rpoSeconds : max > 0 ? Number.POSITIVE_INFINITY : 0;
    if (ratio > worstRatio) {
      worstRatio = ratio;
      lag = { maxLagSeconds: max, rpoSeconds: c.rpoSeconds };
    }
  }

  const risk = scoreRisk(
    {
      kind: parsed.kind,
      tier,
      classification,
      instancesTouched: planned.blastRadius.instances.length,
      dataCentersTouched: planned.blastRadius.dataCenters.length,
      clusterHealth: clusters.flatMap((c) => c.instances.map((i) => i.health)),
      ...lag,
      crossesJurisdiction: residency.verdict === "CROSSES_WITHIN_POLICY",
      utcOffsetMinutes: siteOffset(parsed, snapshot, clusters),
    },
    options.now,
  );

  const schemaReview =
    parsed.kind === "SCHEMA_CHANGE"
      ? reviewSchemaChange({
          sql: parsed.sql,
          allowDrop: parsed.allowDrop,
          tier,
          inMaintenanceWindow: options.inMaintenanceWindow ?? false,
          hasRollbackSql: Boolean(parsed.rollbackSql),
        })
      : null;

  return {
    ...planned,
    params: parsed,
    residency,
    risk,
    routing: {
      kind: parsed.kind,
      risk: risk.level,
      classification,
      crossesJurisdiction: residency.verdict === "CROSSES_WITHIN_POLICY",
      residencyVerdict: residency.verdict,
    },
    schemaReview,
  };
}
