import { type PrismaClient } from "@meridian/db";
import { type TContext, type TSessionUser, type TTokenPrincipal } from "../../context";
import { AppError } from "../../errors";
import { actsFleetWide, loadActorTeams } from "../changes/actor";

/**
 * What a caller of the team API may see and touch. An API token: its team's clusters (reads)
 * and, when restricted, only some of them (filing). A browser session: what the console shows
 * (every cluster), except for audit events, which engineers see for their teams only.
 */
export interface TTeamScope {
  token: TTokenPrincipal | null;
  /** Teams whose clusters are visible; null: every team. */
  teamIds: string[] | null;
}

export function scopeOf(ctx: Pick<TContext, "token">): TTeamScope {
  const token = ctx.token ?? null;
  return { token, teamIds: token ? [token.teamId] : null };
}

/** Teams whose audit events the caller may read: a token's team; for a session its teams, or all for DBAs and admins. */
export async function auditTeamIdsOf(prisma: PrismaClient, scope: TTeamScope, user: TSessionUser): Promise<string[] | null> {
  if (scope.teamIds) return scope.teamIds;
  if (actsFleetWide(user.roles) || user.roles.includes("COMPLIANCE")) return null;
  return (await loadActorTeams(prisma, user)).memberOfTeamIds;
}

export function clusterVisible(scope: TTeamScope, cluster: { teamId: string }): boolean {
  return scope.teamIds === null || scope.teamIds.includes(cluster.teamId);
}

/** A token files, edits and cancels only for its team's clusters, and only those it is restricted to. */
export function assertTokenMayChange(scope: TTeamScope, cluster: { id: string; name: string; teamId: string } | null, field = "target.cluster"): void {
  const token = scope.token;
  if (!token) return;
  if (!cluster)
    throw new AppError("FORBIDDEN", `API token ${token.name} files changes for its team's clusters only, not fleet-wide changes`, {
      [field]: ["A token cannot file fleet-wide changes"],
    });
  if (cluster.teamId !== token.teamId)
    throw new AppError("FORBIDDEN", `Cluster ${cluster.name} is not one of this token's team's clusters`, {
      [field]: [`Forbidden cluster: ${cluster.name} belongs to another team`],
    });
  if (token.clusterIds.length > 0 && !token.clusterIds.includes(cluster.id))
    throw new AppError("FORBIDDEN", `API token ${token.name} is restricted to other clusters than ${cluster.name}`, {
      [field]: [`Forbidden cluster: this token may not act on ${cluster.name}`],
    });
}

export function encodeCursor(value: string | number): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

export function decodeCursor<T extends string | number>(cursor: string | undefined, kind: "string" | "number"): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof value === kind) return value as T;
  } catch {
    // fall through
  }
  throw new AppError("INVALID", "This cursor is not one the API gave out", { cursor: ["Use the nextCursor of a previous page"] });
}
