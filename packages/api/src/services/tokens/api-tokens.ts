import { type PrismaClient } from "@meridian/db";
import { type TRole } from "@meridian/policy";
import { type TSessionUser, type TTokenPrincipal } from "../../context";
import { AppError } from "../../errors";
import {
  type TCreateApiTokenRequest,
  type TListApiTokensRequest,
  type TRevokeApiTokenRequest,
  type TTokenScope,
} from "../../routers/tokens/api-token.schema";
import { appendAuditEvent } from "../audit/append-audit-event";
import { type TActor } from "../changes/actor";
import { generateTokenSecret, tokenMatchesHash, tokenPrefixOf } from "./token-secret";

/** A token as the console lists it: never the secret, never its hash. */
export interface TApiTokenView {
  id: string;
  name: string;
  prefix: string;
  team: { id: string; slug: string; name: string };
  scopes: string[];
  clusters: { id: string; name: string }[];
  expiresAt: Date | null;
  createdAt: Date;
  createdBy: { id: string; name: string; email: string } | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  status: "ACTIVE" | "EXPIRED" | "REVOKED";
}

export interface TCreatedApiToken {
  token: TApiTokenView;
  /** Shown once; only its sha256 is stored. */
  secret: string;
}

/** Roles a token acts with: `read` reads like a viewer; `changes:write` files like an engineer. Never an approver. */
export function rolesOfScopes(scopes: readonly string[]): TRole[] {
  const roles: TRole[] = [];
  if (scopes.includes("read") || scopes.includes("changes:write")) roles.push("VIEWER");
  if (scopes.includes("changes:write")) roles.push("ENGINEER");
  return roles;
}

export function hasScope(token: Pick<TTokenPrincipal, "scopes">, scope: TTokenScope): boolean {
  return token.scopes.includes(scope);
}

/** Admins manage every team's tokens; team approvers the tokens of teams they approve for. */
async function assertMayManage(prisma: PrismaClient, actor: TActor, teamId: string): Promise<void> {
  if (actor.roles.includes("ADMIN")) return;
  const membership = await prisma.teamMembership.findUnique({ where: { teamId_userId: { teamId, userId: actor.id } } });
  if (membership?.role !== "APPROVER")
    throw new AppError("FORBIDDEN", "Only the team's approvers and administrators manage its API tokens", {
      teamId: ["You do not manage this team's tokens"],
    });
}

function statusOf(row: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): TApiTokenView["status"] {
  if (row.revokedAt) return "REVOKED";
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return "EXPIRED";
  return "ACTIVE";
}

async function viewsOf(prisma: PrismaClient, rows: Awaited<ReturnType<PrismaClient["apiToken"]["findMany"]>>, now: Date): Promise<TApiTokenView[]> {
  const teamIds = [...new Set(rows.map((r) => r.teamId))];
  const userIds = [...new Set(rows.map((r) => r.createdById))];
  const clusterIds = [...new Set(rows.flatMap((r) => r.clusterIds))];
  const [teams, users, clusters] = await Promise.all([
    prisma.team.findMany({ where: { id: { in: teamIds } }, select: { id: true, slug: true, name: true } }),
    prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } }),
    prisma.cluster.findMany({ where: { id: { in: clusterIds } }, select: { id: true, name: true } }),
  ]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    team: teams.find((t) => t.id === r.teamId) ?? { id: r.teamId, slug: "?", name: "?" },
    scopes: r.scopes,
    clusters: r.clusterIds.map((id) => clusters.find((c) => c.id === id) ?? { id, name: "?" }),
    expiresAt: r.expiresAt,
    createdAt: r.createdAt,
    createdBy: users.find((u) => u.id === r.createdById) ?? null,
    lastUsedAt: r.lastUsedAt,
    revokedAt: r.revokedAt,
    status: statusOf(r, now),
  }));
}

/** Creates a token for a team; the secret is returned once. Audited (`apiToken.created`). */
export async function createApiToken(
  prisma: PrismaClient,
  actor: TActor,
  input: TCreateApiTokenRequest,
  options: { now: Date },
): Promise<TCreatedApiToken> {
  const team = await prisma.team.findUnique({ where: { id: input.teamId }, select: { id: true, slug: true } });
  if (!team) throw new AppError("NOT_FOUND", "No such team", { teamId: ["No such team"] });
  await assertMayManage(prisma, actor, team.id);
  const clusterIds = [...new Set(input.clusterIds)];
  if (clusterIds.length > 0) {
    const owned = await prisma.cluster.findMany({ where: { id: { in: clusterIds }, teamId: team.id }, select: { id: true } });
    if (owned.length !== clusterIds.length)
      throw new AppError("INVALID", "A token can only be restricted to the team's own clusters", {
        clusterIds: ["Not all of these clusters belong to the team"],
      });
  }
  const { token, prefix, hash } = generateTokenSecret();
  const expiresAt = input.expiresInDays === null ? null : new Date(options.now.getTime() + input.expiresInDays * 86_400_000);
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        teamId: team.id,
        name: input.name,
        scopes: [...input.scopes].sort(),
        clusterIds,
        prefix,
        secretHash: hash,
        expiresAt,
        createdById: actor.id,
        createdAt: options.now,
      },
    });
    await appendAuditEvent(tx, {
      actor: { id: actor.id, email: actor.email },
      action: "apiToken.created",
      targetType: "apiToken",
      targetId: created.id,
      after: { team: team.slug, name: created.name, prefix, scopes: created.scopes, clusterIds, expiresAt },
    });
    return created;
  });
  const [view] = await viewsOf(prisma, [row], options.now);
  return { token: view!, secret: token };
}

export async function listApiTokens(
  prisma: PrismaClient,
  actor: TActor,
  input: TListApiTokensRequest,
  options: { now: Date },
): Promise<TApiTokenView[]> {
  let teamIds: string[] | null = null;
  if (!actor.roles.includes("ADMIN")) {
    const rows = await prisma.teamMembership.findMany({ where: { userId: actor.id, role: "APPROVER" }, select: { teamId: true } });
    teamIds = rows.map((r) => r.teamId);
  }
  if (input.teamId) teamIds = teamIds ? teamIds.filter((id) => id === input.teamId) : [input.teamId];
  const rows = await prisma.apiToken.findMany({
    where: teamIds ? { teamId: { in: teamIds } } : {},
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    take: 500,
  });
  return viewsOf(prisma, rows, options.now);
}

/** Revokes at once: the next request with the token is refused. Audited (`apiToken.revoked`). */
export async function revokeApiToken(
  prisma: PrismaClient,
  actor: TActor,
  input: TRevokeApiTokenRequest,
  options: { now: Date },
): Promise<TApiTokenView> {
  const row = await prisma.apiToken.findUnique({ where: { id: input.id } });
  if (!row) throw new AppError("NOT_FOUND", "No such API token");
  await assertMayManage(prisma, actor, row.teamId);
  const updated = await prisma.$transaction(async (tx) => {
    const res = await tx.apiToken.updateMany({
      where: { id: row.id, revokedAt: null },
      data: { revokedAt: options.now, revokedById: actor.id },
    });
    if (res.count === 0) throw new AppError("CONFLICT", `Token ${row.name} is already revoked`);
    await appendAuditEvent(tx, {
      actor: { id: actor.id, email: actor.email },
      action: "apiToken.revoked",
      targetType: "apiToken",
      targetId: row.id,
      before: { revokedAt: null },
      after: { name: row.name, prefix: row.prefix, revokedAt: options.now },
    });
    return tx.apiToken.findUniqueOrThrow({ where: { id: row.id } });
  });
  const [view] = await viewsOf(prisma, [updated], options.now);
  return view!;
}

export type TTokenFailure = "missing" | "malformed" | "unknown" | "revoked" | "expired" | "disabled";

export type TAuthentication =
  | { ok: true; principal: TTokenPrincipal; user: TSessionUser }
  | { ok: false; reason: TTokenFailure; detail: string };

/** Minimum time between two `last_used_at` writes of one token (the first use is always written). */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Authenticates `Authorization: Bearer mrd_...`. The token acts as its team with the roles of
 * its scopes; the user it carries is its creator (the requester of what it files). The first
 * use is audited (`apiToken.firstUsed`); `last_used_at` is kept to the minute.
 */
export async function authenticateApiToken(
  prisma: PrismaClient,
  authorization: string | null,
  options: { now: Date },
): Promise<TAuthentication> {
  if (!authorization) return { ok: false, reason: "missing", detail: "Send an API token: Authorization: Bearer mrd_..." };
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  const token = m?.[1] ?? "";
  const prefix = tokenPrefixOf(token);
  if (!prefix) return { ok: false, reason: "malformed", detail: "The Authorization header must be Bearer mrd_<prefix>_<secret>" };
  // One round trip: the token and its creator.
  const rows = await prisma.$queryRaw<
    {
      id: string;
      team_id: string;
      name: string;
      scopes: string[];
      cluster_ids: string[];
      prefix: string;
      secret_hash: string;
      expires_at: Date | null;
      created_by_id: string;
      last_used_at: Date | null;
      revoked_at: Date | null;
      creator_email: string | null;
      creator_name: string | null;
      creator_disabled: boolean | null;
    }[]
  >`SELECT t.id, t.team_id, t.name, t.scopes, t.cluster_ids, t.prefix, t.secret_hash, t.expires_at, t.created_by_id,
           t.last_used_at, t.revoked_at, u.email AS creator_email, u.name AS creator_name, u.disabled AS creator_disabled
      FROM api_token t LEFT JOIN app_user u ON u.id = t.created_by_id
     WHERE t.prefix = ${prefix}`;
  const found = rows[0];
  if (!found || !tokenMatchesHash(token, found.secret_hash)) return { ok: false, reason: "unknown", detail: "This API token is not valid" };
  const row = {
    id: found.id,
    teamId: found.team_id,
    name: found.name,
    scopes: found.scopes ?? [],
    clusterIds: found.cluster_ids ?? [],
    prefix: found.prefix,
    expiresAt: found.expires_at,
    createdById: found.created_by_id,
    lastUsedAt: found.last_used_at,
    revokedAt: found.revoked_at,
  };
  if (row.revokedAt) return { ok: false, reason: "revoked", detail: `API token ${row.name} was revoked at ${row.revokedAt.toISOString()}` };
  if (row.expiresAt && row.expiresAt.getTime() <= options.now.getTime())
    return { ok: false, reason: "expired", detail: `API token ${row.name} expired at ${row.expiresAt.toISOString()}` };
  if (found.creator_email === null || found.creator_disabled)
    return { ok: false, reason: "disabled", detail: `The account that created API token ${row.name} is disabled` };
  const creator = { id: row.createdById, email: found.creator_email, name: found.creator_name ?? found.creator_email };

  if (!row.lastUsedAt) {
    await prisma.$transaction(async (tx) => {
      const first = await tx.apiToken.updateMany({ where: { id: row.id, lastUsedAt: null }, data: { lastUsedAt: options.now } });
      if (first.count === 1)
        await appendAuditEvent(tx, {
          actor: { id: creator.id, email: creator.email },
          action: "apiToken.firstUsed",
          targetType: "apiToken",
          targetId: row.id,
          after: { name: row.name, prefix: row.prefix, at: options.now },
        });
    });
  } else if (options.now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await prisma.apiToken.updateMany({ where: { id: row.id, lastUsedAt: { lt: options.now } }, data: { lastUsedAt: options.now } });
  }

  const principal: TTokenPrincipal = {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    teamId: row.teamId,
    scopes: row.scopes,
    clusterIds: row.clusterIds,
    createdById: row.createdById,
    expiresAt: row.expiresAt,
  };
  const user: TSessionUser = {
    id: creator.id,
    email: creator.email,
    name: `${row.name} (API token of ${creator.name})`,
    roles: rolesOfScopes(row.scopes),
    teamIds: [row.teamId],
  };
  return { ok: true, principal, user };
}
