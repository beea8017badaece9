import { randomUUID } from "node:crypto";
import { type PrismaClient } from "@meridian/db";
import { BREAK_GLASS_KINDS, can, clusterIdOf, parseChangeParams, type TChangeStatus } from "@meridian/policy";
import { AppError } from "../../errors";
import { type TCreateChangeRequestRequest } from "../../routers/changes/create-change-request.schema";
import { toJson } from "../audit/append-audit-event";
import { kickWebhookDeliverer } from "../webhooks/deliver-webhooks";
import { actsFleetWide, loadActorTeams, type TActor } from "./actor";
import { toAppError } from "./errors";
import { planRequest, type TPlannedRequest } from "./plan-request";
import { recordChangeEvent } from "./record-event";
import { transitionRequest } from "./transition";

export interface TChangeRequestRef {
  id: string;
  number: number;
  status: TChangeStatus;
  version: number;
}

/** Engineers and team approvers file for their teams' clusters; DBAs and admins for any. */
export async function assertMayFileFor(
  prisma: PrismaClient,
  actor: TActor,
  params: ReturnType<typeof parseChangeParams>,
): Promise<void> {
  if (actsFleetWide(actor.roles)) return;
  const clusterId = clusterIdOf(params);
  if (!clusterId)
    throw new AppError("FORBIDDEN", "Only DBAs and administrators file fleet-wide changes such as draining a data center");
  const [cluster, teams] = await Promise.all([
    prisma.cluster.findUnique({ where: { id: clusterId }, select: { name: true, teamId: true, team: { select: { name: true } } } }),
    loadActorTeams(prisma, actor),
  ]);
  if (!cluster) throw new AppError("NOT_FOUND", `No cluster with id ${clusterId}`, { "params.clusterId": ["No such cluster"] });
  if (!teams.memberOfTeamIds.includes(cluster.teamId))
    throw new AppError(
      "FORBIDDEN",
      `${cluster.name} belongs to team ${cluster.team.name}: you can file changes only for your teams' clusters`,
      { "params.clusterId": [`Not one of your teams' clusters (owned by ${cluster.team.name})`] },
    );
}

export function plannedColumns(planned: TPlannedRequest) {
  return {
    parameters: toJson(planned.params),
    clusterId: planned.clusterId,
    plan: toJson(planned.plan),
    planHash: planned.planHash,
    riskLevel: planned.riskLevel,
    riskReasons: planned.riskReasons,
    residencyVerdict: planned.residencyVerdict,
    residencyRule: planned.residencyRule,
    preview: toJson(planned.preview),
    ownerTeamIds: planned.ownerTeamIds,
    maintenanceWindowId: planned.window?.id ?? null,
    windowStart: planned.window?.startsAt ?? null,
    windowEnd: planned.window?.endsAt ?? null,
  };
}

/**
 * Files a change request as a DRAFT with its plan, plan hash, risk and residency verdict. A
 * change the residency policy forbids is BLOCKED at once, with the rule that blocks it. Bad
 * parameters, or a change that cannot be planned, are a 400 with the form's field names and
 * nothing is written.
 */
export async function createChangeRequest(
  prisma: PrismaClient,
  actor: TActor,
  input: TCreateChangeRequestRequest,
  options: { now: Date; filedByTokenId?: string },
): Promise<TChangeRequestRef> {
  let params;
  try {
    params = parseChangeParams(input.params);
  } catch (error) {
    throw toAppError(error, { paramsFields: true });
  }
  if (input.breakGlass) {
    if (!BREAK_GLASS_KINDS.includes(params.kind))
      throw new AppError("INVALID", `Only ${BREAK_GLASS_KINDS.join(", ")} may use the break-glass path`, {
        breakGlass: [`Break-glass is only for ${BREAK_GLASS_KINDS.join(", ")}`],
      });
    if (!can(actor.roles, "changeRequest.breakGlass"))
      throw new AppError("FORBIDDEN", "Only a DBA can file a change on the break-glass path", {
        breakGlass: ["Only a DBA can use the break-glass path"],
      });
  }
  await assertMayFileFor(prisma, actor, params);

  const id = randomUUID();
  const planned = await planRequest(prisma, {
    requestId: id,
    params,
    maintenanceWindowId: input.maintenanceWindowId,
    now: options.now,
  });
  const title = input.title ?? planned.defaultTitle;
  const blocked = planned.residencyVerdict === "BLOCKED";

  const ref = await prisma.$transaction(async (tx) => {
    const created = await tx.changeRequest.create({
      data: {
        id,
        kind: params.kind,
        title,
        description: input.description,
        requesterId: actor.id,
        status: "DRAFT",
        breakGlass: input.breakGlass,
        reviewRequired: input.breakGlass,
        ...plannedColumns(planned),
      },
      select: { id: true, number: true, version: true },
    });
    if (options.filedByTokenId)
      await tx.apiTokenChangeRequest.create({ data: { changeRequestId: id, tokenId: options.filedByTokenId } });
    const request = { id, number: created.number, title, kind: params.kind, riskLevel: planned.riskLevel };
    await recordChangeEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email, name: actor.name },
        action: "changeRequest.created",
        request,
        from: null,
        to: "DRAFT",
        after: {
          kind: params.kind,
          title,
          params: planned.params,
          planHash: planned.planHash,
          risk: planned.riskLevel,
          residency: planned.residencyVerdict,
          breakGlass: input.breakGlass,
          ...(options.filedByTokenId ? { viaApiToken: options.filedByTokenId } : {}),
        },
      },
      options.now,
    );
    if (!blocked) return { id, number: created.number, status: "DRAFT" as TChangeStatus, version: created.version };
    const version = await transitionRequest(tx, request, { from: "DRAFT", to: "BLOCKED", version: created.version });
    await recordChangeEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email, name: actor.name },
        action: "changeRequest.blocked",
        request,
        from: "DRAFT",
        to: "BLOCKED",
        after: { rule: planned.residencyRule },
        note: planned.residencyRule ?? undefined,
      },
      options.now,
    );
    return { id, number: created.number, status: "BLOCKED" as TChangeStatus, version };
  });
  kickWebhookDeliverer(prisma);
  return ref;
}
