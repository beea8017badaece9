import { randomUUID } from "node:crypto";
import { type Prisma, type PrismaClient } from "@meridian/db";
import { type z } from "zod";
import { type TSessionUser } from "../../context";
import { AppError } from "../../errors";
import {
  type TChangeFile,
  type ZChangeDetailV1Schema,
  type ZChangePlanV1Schema,
  type ZChangeSummaryV1Schema,
  type ZExecutionV1Schema,
} from "../../routers/v1/team-api.schema";
import { assertMayFileFor, createChangeRequest } from "../changes/create-change-request";
import { getChangeRequest } from "../changes/get-change-request";
import { cancelChangeRequest } from "../changes/cancel-change-request";
import { submitChangeRequest } from "../changes/submit-change-request";
import { updateChangeRequest } from "../changes/update-change-request";
import { planRequest, type TStoredPreview } from "../changes/plan-request";
import { requestExecutions } from "../executions/request-executions";
import { parseChangeParams } from "@meridian/policy";
import { toAppError } from "../changes/errors";
import { assertTokenMayChange, decodeCursor, encodeCursor, type TTeamScope } from "./scope";
import { type TPageV1 } from "./fleet";

type TChangeSummaryV1 = z.output<typeof ZChangeSummaryV1Schema>;
type TChangeDetailV1 = z.output<typeof ZChangeDetailV1Schema>;
type TChangePlanV1 = z.output<typeof ZChangePlanV1Schema>;
type TExecutionV1 = z.output<typeof ZExecutionV1Schema>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATA_CENTER_FIELDS = ["dataCenterId", "targetDataCenterId"];
const INSTANCE_FIELDS = ["instanceId", "sourceInstanceId", "targetInstanceId", "replicaInstanceId"];

/** Field names of the change-request services, as the file format calls them. */
function fileFieldOf(key: string): string {
  if (key === "params.clusterId") return "target.cluster";
  if (key === "params.kind") return "kind";
  if (key.startsWith("params.")) return `parameters.${key.slice("params.".length)}`;
  if (key === "description") return "reason";
  if (key === "maintenanceWindowId") return "schedule.maintenanceWindowId";
  return key;
}

/** Renames the field errors of a service error to the file format's fields. */
async function inFileTerms<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const mapped = toAppError(error, { paramsFields: true });
    if (mapped instanceof AppError && mapped.fieldErrors) {
      const fields: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(mapped.fieldErrors)) (fields[fileFieldOf(k)] ??= []).push(...v);
      throw new AppError(mapped.code, mapped.message, fields);
    }
    throw mapped;
  }
}

function clusterWhere(scope: TTeamScope): Prisma.ChangeRequestWhereInput {
  // Only single-cluster requests of the team's clusters: a fleet-wide drain shows other teams' clusters.
  return scope.teamIds ? { cluster: { teamId: { in: scope.teamIds } } } : {};
}

/** Resolves a change file to the change-request parameters: names and codes become ids. */
export async function resolveChangeFile(
  prisma: PrismaClient,
  scope: TTeamScope,
  file: Pick<TChangeFile, "kind" | "target" | "parameters">,
): Promise<{ params: Record<string, unknown>; cluster: { id: string; name: string; teamId: string } | null }> {
  const params: Record<string, unknown> = { ...file.parameters, kind: file.kind };
  delete params.clusterId;
  let cluster: { id: string; name: string; teamId: string } | null = null;
  if (file.kind === "DRAIN_DATACENTER") {
    if (file.target.dataCenter) params.dataCenterId = file.target.dataCenter;
  } else {
    const ref = file.target.cluster;
    if (!ref) throw new AppError("INVALID", "Name the target cluster", { "target.cluster": ["Required for this kind"] });
    cluster = await prisma.cluster.findFirst({
      where: UUID_RE.test(ref) ? { OR: [{ id: ref }, { name: ref }] } : { name: ref },
      select: { id: true, name: true, teamId: true },
    });
    // Another team's cluster is forbidden for a token, with a clear word; an unknown one is a field error.
    if (!cluster) throw new AppError("INVALID", `No cluster ${ref}`, { "target.cluster": [`No cluster ${ref}`] });
    params.clusterId = cluster.id;
  }
  assertTokenMayChange(scope, cluster);
  const fields: Record<string, string[]> = {};
  for (const key of DATA_CENTER_FIELDS) {
    const v = params[key];
    if (typeof v !== "string" || UUID_RE.test(v)) continue;
    const dc = await prisma.dataCenter.findUnique({ where: { code: v }, select: { id: true } });
    if (dc) params[key] = dc.id;
    else fields[key === "dataCenterId" && file.kind === "DRAIN_DATACENTER" ? "target.dataCenter" : `parameters.${key}`] = [`No data center ${v}`];
  }
  for (const key of INSTANCE_FIELDS) {
    const v = params[key];
    if (typeof v !== "string" || UUID_RE.test(v)) continue;
    const inst = await prisma.instance.findFirst({ where: { name: v, ...(cluster ? { clusterId: cluster.id } : {}) }, select: { id: true } });
    if (inst) params[key] = inst.id;
    else fields[`parameters.${key}`] = [`No instance ${v}${cluster ? ` in ${cluster.name}` : ""}`];
  }
  if (Object.keys(fields).length > 0) throw new AppError("INVALID", Object.values(fields)[0]![0]!, fields);
  return { params, cluster };
}

const SUMMARY_SELECT = {
  id: true,
  number: true,
  kind: true,
  title: true,
  status: true,
  version: true,
  riskLevel: true,
  residencyVerdict: true,
  createdAt: true,
  updatedAt: true,
  cluster: { select: { id: true, name: true, teamId: true } },
  requester: { select: { id: true, name: true, email: true } },
} satisfies Prisma.ChangeRequestSelect;

async function tokensOf(prisma: PrismaClient, requestIds: string[]) {
  const links = await prisma.apiTokenChangeRequest.findMany({ where: { changeRequestId: { in: requestIds } } });
  const tokens = await prisma.apiToken.findMany({
    where: { id: { in: [...new Set(links.map((l) => l.tokenId))] } },
    select: { id: true, name: true, prefix: true },
  });
  return new Map(links.map((l) => [l.changeRequestId, tokens.find((t) => t.id === l.tokenId) ?? null]));
}

function summaryOf(
  r: Prisma.ChangeRequestGetPayload<{ select: typeof SUMMARY_SELECT }>,
  token: { id: string; name: string; prefix: string } | null,
): TChangeSummaryV1 {
  return {
    id: r.id,
    number: r.number,
    kind: r.kind,
    title: r.title,
    status: r.status,
    version: r.version,
    cluster: r.cluster ? { id: r.cluster.id, name: r.cluster.name } : null,
    riskLevel: r.riskLevel,
    residencyVerdict: r.residencyVerdict,
    requester: r.requester,
    filedByToken: token,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function listChangesV1(
  prisma: PrismaClient,
  scope: TTeamScope,
  input: { cursor?: string; limit: number; status?: string; cluster?: string },
): Promise<TPageV1<TChangeSummaryV1>> {
  const before = decodeCursor<number>(input.cursor, "number");
  const rows = await prisma.changeRequest.findMany({
    where: {
      AND: [
        clusterWhere(scope),
        before ? { number: { lt: before } } : {},
        input.status ? { status: input.status as Prisma.EnumChangeStatusFilter["equals"] } : {},
        input.cluster ? { cluster: { name: input.cluster } } : {},
      ],
    },
    orderBy: { number: "desc" },
    take: input.limit + 1,
    select: SUMMARY_SELECT,
  });
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  const tokens = await tokensOf(prisma, page.map((r) => r.id));
  return {
    items: page.map((r) => summaryOf(r, tokens.get(r.id) ?? null)),
    nextCursor: more ? encodeCursor(page[page.length - 1]!.number) : null,
  };
}

/** The request if the caller may see it: another team's request is "not found" for a token. */
async function visibleRequest(prisma: PrismaClient, scope: TTeamScope, number: number) {
  const row = await prisma.changeRequest.findFirst({ where: { AND: [{ number }, clusterWhere(scope)] }, select: SUMMARY_SELECT });
  if (!row) throw new AppError("NOT_FOUND", `No change request CR-${number}`);
  return row;
}

function planSteps(plan: { steps: { id: string; name: string; action: string }[] } | null) {
  return (plan?.steps ?? []).map((s, index) => ({ index, id: s.id, name: s.name, action: s.action }));
}

function residencyOf(preview: TStoredPreview | null, verdict: string | null, rule: string | null) {
  return {
    verdict,
    rule,
    needsCompliance: preview?.residency.needsCompliance ?? false,
    jurisdictionsTouched: preview?.residency.jurisdictionsTouched ?? [],
    perCluster: (preview?.residency.perCluster ?? []).map((c) => ({ clusterName: c.clusterName, verdict: c.verdict, rule: c.rule, summary: c.summary })),
  };
}

function blastRadiusOf(preview: TStoredPreview) {
  const b = preview.blastRadius;
  return {
    clusters: b.clusters.map((c) => c.name),
    instances: b.instances.map((i) => i.name),
    dataCenters: b.dataCenters.map((d) => d.code),
    jurisdictions: b.jurisdictions,
    expectedDowntimeSeconds: b.expectedDowntimeSeconds,
  };
}

export async function getChangeV1(prisma: PrismaClient, user: TSessionUser, scope: TTeamScope, number: number): Promise<TChangeDetailV1> {
  const row = await visibleRequest(prisma, scope, number);
  const detail = await getChangeRequest(prisma, user, number);
  const token = (await tokensOf(prisma, [row.id])).get(row.id) ?? null;
  const preview = detail.preview;
  return {
    ...summaryOf(row, token),
    reason: detail.description,
    parameters: detail.params,
    plan: { hash: detail.planHash, steps: planSteps(detail.plan) },
    risk: { level: detail.riskLevel, reasons: detail.riskReasons, score: preview?.riskScore ?? null },
    residency: residencyOf(preview, detail.residencyVerdict, detail.residencyRule),
    blastRadius: preview ? blastRadiusOf(preview) : null,
    warnings: preview?.warnings ?? [],
    approval: {
      policy: detail.approvalPolicyName,
      stages: detail.stages.map((s) => ({ name: s.name, approvals: s.approvedBy.length, quorum: s.quorum, satisfied: s.satisfied })),
      waitingFor: detail.waitingFor,
    },
    window: detail.window ? { startsAt: detail.window.startsAt.toISOString(), endsAt: detail.window.endsAt.toISOString() } : null,
    submittedAt: detail.submittedAt?.toISOString() ?? null,
    decidedAt: detail.decidedAt?.toISOString() ?? null,
  };
}

/** Dry run: plans a change file exactly as filing would, and writes nothing. */
export async function planChangeV1(prisma: PrismaClient, user: TSessionUser, scope: TTeamScope, file: TChangeFile, now: Date): Promise<TChangePlanV1> {
  return inFileTerms(async () => {
    const { params, cluster } = await resolveChangeFile(prisma, scope, file);
    let parsed;
    try {
      parsed = parseChangeParams(params);
    } catch (error) {
      throw toAppError(error, { paramsFields: true });
    }
    await assertMayFileFor(prisma, user, parsed);
    const planned = await planRequest(prisma, {
      requestId: randomUUID(),
      params: parsed,
      maintenanceWindowId: file.schedule.maintenanceWindowId,
      now,
    });
    return {
      kind: file.kind,
      title: file.title ?? planned.defaultTitle,
      cluster: cluster ? { id: cluster.id, name: cluster.name } : null,
      parameters: planned.params as Record<string, unknown>,
      plan: { hash: planned.planHash, steps: planSteps(planned.plan) },
      risk: { level: planned.riskLevel, reasons: planned.riskReasons, score: planned.preview.riskScore },
      residency: residencyOf(planned.preview, planned.residencyVerdict, planned.residencyRule),
      blastRadius: blastRadiusOf(planned.preview),
      warnings: planned.preview.warnings,
      schedule: planned.preview.schedule,
      blocked: planned.residencyVerdict === "BLOCKED",
    };
  });
}

/** Files a change file as a DRAFT (or BLOCKED when residency forbids it); the token that filed it is recorded. */
export async function fileChangeV1(prisma: PrismaClient, user: TSessionUser, scope: TTeamScope, file: TChangeFile, now: Date): Promise<TChangeDetailV1> {
  const ref = await inFileTerms(async () => {
    const { params } = await resolveChangeFile(prisma, scope, file);
    return createChangeRequest(
      prisma,
      user,
      {
        title: file.title,
        description: file.reason,
        params: params as Parameters<typeof createChangeRequest>[2]["params"],
        maintenanceWindowId: file.schedule.maintenanceWindowId,
        breakGlass: false,
      },
      { now, ...(scope.token ? { filedByTokenId: scope.token.id } : {}) },
    );
  });
  return getChangeV1(prisma, user, scope, ref.number);
}

async function assertMayChangeRequest(prisma: PrismaClient, scope: TTeamScope, number: number): Promise<void> {
  const row = await visibleRequest(prisma, scope, number);
  if (scope.token) {
    const cluster = row.cluster ? { id: row.cluster.id, name: row.cluster.name, teamId: row.cluster.teamId } : null;
    assertTokenMayChange(scope, cluster, "number");
  }
}

export async function updateChangeV1(
  prisma: PrismaClient,
  user: TSessionUser,
  scope: TTeamScope,
  input: { number: number; expectedVersion: number; title?: string; reason?: string; parameters?: Record<string, unknown> },
  now: Date,
): Promise<TChangeDetailV1> {
  await assertMayChangeRequest(prisma, scope, input.number);
  await inFileTerms(async () => {
    let params: Record<string, unknown> | undefined;
    if (input.parameters) {
      const current = await prisma.changeRequest.findUniqueOrThrow({ where: { number: input.number }, select: { kind: true, cluster: { select: { id: true } } } });
      const resolved = await resolveChangeFile(prisma, scope, {
        kind: current.kind,
        target: { cluster: current.cluster?.id },
        parameters: input.parameters,
      });
      params = resolved.params;
    }
    await updateChangeRequest(
      prisma,
      user,
      {
        number: input.number,
        expectedVersion: input.expectedVersion,
        title: input.title,
        description: input.reason,
        params: params as Parameters<typeof updateChangeRequest>[2]["params"],
      },
      { now },
    );
  });
  return getChangeV1(prisma, user, scope, input.number);
}

export async function submitChangeV1(
  prisma: PrismaClient,
  user: TSessionUser,
  scope: TTeamScope,
  input: { number: number; expectedVersion: number },
  now: Date,
): Promise<TChangeDetailV1> {
  await assertMayChangeRequest(prisma, scope, input.number);
  await submitChangeRequest(prisma, user, input, { now });
  return getChangeV1(prisma, user, scope, input.number);
}

export async function cancelChangeV1(
  prisma: PrismaClient,
  user: TSessionUser,
  scope: TTeamScope,
  input: { number: number; expectedVersion: number; reason: string },
  now: Date,
): Promise<TChangeDetailV1> {
  await assertMayChangeRequest(prisma, scope, input.number);
  await cancelChangeRequest(prisma, user, input, { now });
  return getChangeV1(prisma, user, scope, input.number);
}

export async function executionV1(prisma: PrismaClient, user: TSessionUser, scope: TTeamScope, number: number): Promise<TExecutionV1> {
  await visibleRequest(prisma, scope, number);
  const view = await prisma.$transaction((tx) => requestExecutions(tx, user.roles, number), { isolationLevel: "RepeatableRead" });
  const e = view.execution;
  return {
    request: { number: view.request.number, status: view.request.status },
    execution: e
      ? {
          id: e.id,
          attempt: e.attempt,
          status: e.status,
          terminal: e.terminal,
          error: e.error,
          startedAt: e.startedAt?.toISOString() ?? null,
          finishedAt: e.finishedAt?.toISOString() ?? null,
          progress: e.progress,
          steps: e.steps.map((s) => ({
            index: s.index,
            name: s.name,
            status: s.status,
            startedAt: s.startedAt?.toISOString() ?? null,
            finishedAt: s.finishedAt?.toISOString() ?? null,
            error: s.error,
          })),
        }
      : null,
    serverNow: view.serverNow.toISOString(),
  };
}
