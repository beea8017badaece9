import { type Prisma, type PrismaClient } from "@meridian/db";
import { type z } from "zod";
import { type TSessionUser } from "../../context";
import { AppError } from "../../errors";
import { type ZAuditEventV1Schema, type ZWhoAmIV1Schema } from "../../routers/v1/team-api.schema";
import { auditTeamIdsOf, decodeCursor, encodeCursor, type TTeamScope } from "./scope";
import { type TPageV1 } from "./fleet";

type TAuditEventV1 = z.output<typeof ZAuditEventV1Schema>;

/**
 * Audit events of the team's clusters: the events of their change requests and of the team's
 * API tokens. Newest first, by cursor.
 */
export async function listAuditEventsV1(
  prisma: PrismaClient,
  user: TSessionUser,
  scope: TTeamScope,
  input: { cursor?: string; limit: number },
): Promise<TPageV1<TAuditEventV1>> {
  const before = decodeCursor<string>(input.cursor, "string");
  if (before !== undefined && !/^\d{1,19}$/.test(before))
    throw new AppError("INVALID", "This cursor is not one the API gave out", { cursor: ["Use the nextCursor of a previous page"] });
  const teamIds = await auditTeamIdsOf(prisma, scope, user);
  let where: Prisma.AuditEventWhereInput = {};
  if (teamIds) {
    const [requests, tokens] = await Promise.all([
      prisma.changeRequest.findMany({ where: { cluster: { teamId: { in: teamIds } } }, select: { id: true } }),
      prisma.apiToken.findMany({ where: { teamId: { in: teamIds } }, select: { id: true } }),
    ]);
    where = {
      OR: [
        { targetType: "changeRequest", targetId: { in: requests.map((r) => r.id) } },
        { targetType: "apiToken", targetId: { in: tokens.map((t) => t.id) } },
      ],
    };
  }
  const rows = await prisma.auditEvent.findMany({
    where: { AND: [where, before ? { id: { lt: BigInt(before) } } : {}] },
    orderBy: { id: "desc" },
    take: input.limit + 1,
    select: { id: true, occurredAt: true, actorEmail: true, action: true, targetType: true, targetId: true, before: true, after: true, hash: true },
  });
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  return {
    items: page.map((e) => ({
      id: e.id.toString(),
      occurredAt: e.occurredAt.toISOString(),
      actorEmail: e.actorEmail,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      before: e.before,
      after: e.after,
      hash: e.hash,
    })),
    nextCursor: more ? encodeCursor(page[page.length - 1]!.id.toString()) : null,
  };
}

export async function whoAmIV1(prisma: PrismaClient, user: TSessionUser, scope: TTeamScope): Promise<z.output<typeof ZWhoAmIV1Schema>> {
  const token = scope.token;
  if (!token) return { token: null, team: null, clusters: [], user: { name: user.name, email: user.email } };
  const [team, clusters] = await Promise.all([
    prisma.team.findUnique({ where: { id: token.teamId }, select: { slug: true, name: true } }),
    prisma.cluster.findMany({
      where: { teamId: token.teamId, ...(token.clusterIds.length ? { id: { in: token.clusterIds } } : {}) },
      orderBy: { name: "asc" },
      select: { name: true },
    }),
  ]);
  return {
    token: { id: token.id, name: token.name, prefix: token.prefix, scopes: token.scopes, expiresAt: token.expiresAt?.toISOString() ?? null },
    team,
    clusters: clusters.map((c) => c.name),
    user: { name: user.name, email: user.email },
  };
}
