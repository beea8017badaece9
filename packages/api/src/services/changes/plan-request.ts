import {
  previewChange,
  type TBlastRadius,
  type TChangePreview,
  type TFleetSnapshot,
  type TPlan,
} from "@meridian/orchestrator";
import {
  freezesOverlapping,
  isChangeAllowedAt,
  parseChangeParams,
  type TChangeParams,
  type TMaintenanceWindow,
  type TResidencyVerdict,
  type TRiskLevel,
  type TRoutingRequest,
  type TSchemaReview,
} from "@meridian/policy";
import { AppError } from "../../errors";
import { type TDb } from "../audit/append-audit-event";
import { toAppError } from "./errors";
import { loadFleetSnapshot } from "./fleet-snapshot";
import { preflightPlannedLinks } from "../links/preflight";

/** One instance in the before/after topology lists of the request page. */
export interface TTopologyInstance {
  id: string;
  name: string;
  role: string;
  health: string;
  dataCenterCode: string;
  jurisdiction: string;
}
export interface TTopologyLink {
  id: string;
  source: string;
  target: string;
  mode: string;
  status: string;
  lagSeconds: number | null;
  crossesJurisdiction: boolean;
}
export interface TClusterTopology {
  clusterId: string;
  clusterName: string;
  instances: TTopologyInstance[];
  links: TTopologyLink[];
}

/** What the request page shows beyond the plan (stored in change_request.preview). */
export interface TStoredPreview {
  riskScore: number;
  blastRadius: TBlastRadius;
  placements: TChangePreview["placements"];
  warnings: string[];
  residency: {
    verdict: TResidencyVerdict;
    rule: string | null;
    needsCompliance: boolean;
    jurisdictionsTouched: string[];
    perCluster: {
      clusterId: string;
      clusterName: string;
      verdict: TResidencyVerdict;
      rule: string | null;
      summary: string;
      forbiddenJurisdictions: string[];
    }[];
  };
  schemaReview: TSchemaReview | null;
  routing: TRoutingRequest;
  children: { index: number; kind: string; clusterId: string; planHash: string; steps: number }[];
  topology: { before: TClusterTopology[]; after: TClusterTopology[] };
  /** Freeze or window facts at planning time. */
  schedule: { note: string; inWindow: boolean; freezeNow: string | null };
  plannedAt: string;
}

export interface TPlannedRequest {
  params: TChangeParams;
  plan: TPlan;
  planHash: string;
  riskLevel: TRiskLevel;
  riskReasons: string[];
  residencyVerdict: TResidencyVerdict;
  residencyRule: string | null;
  clusterId: string | null;
  ownerTeamIds: string[];
  preview: TStoredPreview;
  routing: TRoutingRequest;
  window: { id: string; startsAt: Date; endsAt: Date } | null;
  /** A plain-words title when the requester gave none. */
  defaultTitle: string;
}

function topologyOf(snapshot: TFleetSnapshot, clusterIds: ReadonlySet<string>): TClusterTopology[] {
  const dcs = new Map(snapshot.dataCenters.map((d) => [d.id, d]));
  // A cross-cluster data-sync link names an instance of another loaded cluster: resolve it too.
  const byId = new Map(snapshot.clusters.flatMap((c) => c.instances.map((i) => [i.id, i] as const)));
  return snapshot.clusters
    .filter((c) => clusterIds.has(c.id))
    .map((c) => {
      const jurisdictionOf = (id: string) => dcs.get(byId.get(id)?.dataCenterId ?? "")?.jurisdiction ?? "?";
      return {
        clusterId: c.id,
        clusterName: c.name,
        instances: c.instances.map((i) => ({
          id: i.id,
          name: i.name,
          role: i.role,
          health: i.health,
          dataCenterCode: dcs.get(i.dataCenterId)?.code ?? "?",
          jurisdiction: dcs.get(i.dataCenterId)?.jurisdiction ?? "?",
        })),
        links: c.links.map((l) => ({
          id: l.id,
          source: byId.get(l.sourceId)?.name ?? l.sourceId,
          target: byId.get(l.targetId)?.name ?? l.targetId,
          mode: l.mode,
          status: l.status,
          lagSeconds: l.lagSeconds,
          crossesJurisdiction: jurisdictionOf(l.sourceId) !== jurisdictionOf(l.targetId),
        })),
      };
    });
}

function defaultTitleOf(params: TChangeParams, snapshot: TFleetSnapshot, preview: TChangePreview): string {
  const cluster = "clusterId" in params ? snapshot.clusters.find((c) => c.id === params.clusterId) : undefined;
  const dc = (id: string | undefined) => snapshot.dataCenters.find((d) => d.id === id)?.code ?? "?";
  const inst = (id: string | undefined) => cluster?.instances.find((i) => i.id === id)?.name ?? "?";
  const name = cluster?.name ?? "?";
  switch (params.kind) {
    case "ADD_REPLICA":
      return `Add a replica of ${name} in ${dc(params.dataCenterId)}`;
    case "REMOVE_REPLICA":
      return `Remove replica ${inst(params.instanceId)} of ${name}`;
    case "ADD_LINK":
      return `Sync ${inst(params.sourceInstanceId)} to ${dc(params.targetDataCenterId)}`;
    case "REMOVE_LINK":
      return `Remove a replication link of ${name}`;
    case "SWITCHOVER":
      return `Switch ${name} over to ${inst(params.replicaInstanceId)}`;
    case "FAILOVER":
      return `Fail ${name} over${params.replicaInstanceId ? ` to ${inst(params.replicaInstanceId)}` : ""}`;
    case "MOVE_PRIMARY_REGION":
      return `Move the primary of ${name} to ${dc(params.targetDataCenterId)}`;
    case "SCHEMA_CHANGE":
      return `Schema change on ${name} (${preview.schemaReview?.statements.length ?? 0} statements)`;
    case "DRAIN_DATACENTER":
      return `Drain ${dc(params.dataCenterId)}`;
  }
}

/**
 * Plans a change request against the fleet as the metadata database has it now: parameters
 * (zod), snapshot, `previewChange` (plan + hash, blast radius, residency, risk, SQL review),
 * the requested window and the freezes. Throws AppError INVALID with the form's field names
 * (`params.sql`, `maintenanceWindowId` ...) when the change cannot be planned.
 */
export async function planRequest(
  db: TDb,
  input: { requestId: string; params: unknown; maintenanceWindowId: string | null; now: Date },
): Promise<TPlannedRequest> {
  let params: TChangeParams;
  try {
    params = parseChangeParams(input.params);
  } catch (error) {
    throw toAppError(error, { paramsFields: true });
  }

  let window: TPlannedRequest["window"] = null;
  if (input.maintenanceWindowId) {
    const w = await db.maintenanceWindow.findUnique({ where: { id: input.maintenanceWindowId } });
    const field = (m: string) => new AppError("INVALID", m, { maintenanceWindowId: [m] });
    if (!w) throw field("No such maintenance window");
    if (w.kind !== "WINDOW") throw field("This is a change freeze, not a maintenance window");
    if (w.endsAt.getTime() <= input.now.getTime()) throw field("This maintenance window is over: pick a later one");
    window = { id: w.id, startsAt: w.startsAt, endsAt: w.endsAt };
  }

  const snapshot = await loadFleetSnapshot(db, params);
  let preview: TChangePreview;
  try {
    preview = previewChange(params, snapshot, {
      now: input.now,
      requestId: input.requestId,
      inMaintenanceWindow: window !== null,
    });
  } catch (error) {
    throw toAppError(error, { paramsFields: true });
  }

  // Real servers: check them now (credentials, wal_level, privileges, keys, conflicts), before anyone approves.
  await preflightPlannedLinks(db, preview.plan);

  const dcIds = preview.blastRadius.dataCenters.map((d) => d.id);
  const windows = await db.maintenanceWindow.findMany({
    where: {
      endsAt: { gt: input.now },
      OR: [{ dataCenterId: null }, { dataCenterId: { in: dcIds } }],
    },
    include: { dataCenter: { select: { code: true } } },
  });
  const asPolicy: TMaintenanceWindow[] = windows.map((w) => ({
    id: w.id,
    dataCenterId: w.dataCenterId,
    dataCenterCode: w.dataCenter?.code ?? null,
    kind: w.kind === "FREEZE" ? "FREEZE" : "WINDOW",
    reason: w.reason,
    startsAt: w.startsAt,
    endsAt: w.endsAt,
  }));
  if (window) {
    const chosen = windows.find((w) => w.id === window.id);
    if (!chosen) {
      const m = "This maintenance window belongs to a data center the change does not touch";
      throw new AppError("INVALID", m, { maintenanceWindowId: [m] });
    }
    const freezes = freezesOverlapping(window.startsAt, window.endsAt, asPolicy, { dataCenterIds: dcIds });
    if (freezes.length > 0) {
      const f = freezes[0]!;
      const m = `The window overlaps the change freeze${f.reason ? ` "${f.reason}"` : ""} ${f.dataCenterId ? `in ${f.dataCenterCode}` : "fleet-wide"} (${f.startsAt.toISOString()} to ${f.endsAt.toISOString()})`;
      throw new AppError("INVALID", m, { maintenanceWindowId: [m] });
    }
  }
  const decision = isChangeAllowedAt(input.now, asPolicy, { dataCenterIds: dcIds });

  if (preview.schemaReview && !preview.schemaReview.ok) {
    const errors = preview.schemaReview.findings
      .filter((f) => f.severity === "error")
      .map((f) => (f.statementIndex > 0 ? `Statement ${f.statementIndex}: ${f.message}` : f.message));
    throw new AppError("INVALID", errors[0] ?? "The SQL does not pass the schema review", { "params.sql": errors });
  }

  const touched = new Set(preview.blastRadius.clusters.map((c) => c.id));
  const ownerTeamIds = [...new Set(snapshot.clusters.filter((c) => touched.has(c.id)).map((c) => c.teamId))].sort();

  const stored: TStoredPreview = {
    riskScore: preview.risk.score,
    blastRadius: preview.blastRadius,
    placements: preview.placements,
    warnings: preview.warnings,
    residency: {
      verdict: preview.residency.verdict,
      rule: preview.residency.rule,
      needsCompliance: preview.residency.needsCompliance,
      jurisdictionsTouched: preview.residency.jurisdictionsTouched,
      perCluster: preview.residency.perCluster.map((r) => ({
        clusterId: r.clusterId,
        clusterName: r.clusterName,
        verdict: r.verdict,
        rule: r.rule,
        summary: r.summary,
        forbiddenJurisdictions: r.forbiddenJurisdictions,
      })),
    },
    schemaReview: preview.schemaReview,
    routing: preview.routing,
    children: preview.children.map((c) => ({
      index: c.index,
      kind: c.kind,
      clusterId: c.clusterId,
      planHash: c.planHash,
      steps: c.plan.steps.length,
    })),
    topology: { before: topologyOf(snapshot, touched), after: topologyOf(preview.after, touched) },
    schedule: {
      note: window
        ? `Asked for the maintenance window ${window.startsAt.toISOString()} to ${window.endsAt.toISOString()}`
        : decision.reason,
      inWindow: window !== null || decision.inWindow,
      freezeNow: decision.freeze ? decision.reason : null,
    },
    plannedAt: input.now.toISOString(),
  };

  return {
    params,
    plan: preview.plan,
    planHash: preview.planHash,
    riskLevel: preview.risk.level,
    riskReasons: preview.risk.reasons,
    residencyVerdict: preview.residency.verdict,
    residencyRule: preview.residency.rule,
    clusterId: "clusterId" in params ? params.clusterId : null,
    ownerTeamIds,
    preview: stored,
    routing: preview.routing,
    window,
    defaultTitle: defaultTitleOf(params, snapshot, preview),
  };
}
