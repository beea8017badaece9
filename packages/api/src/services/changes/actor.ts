import { type TRole } from "@meridian/policy";
import { type TDb } from "../audit/append-audit-event";

/** The signed-in user with what the rules need: team memberships. */
export interface TActor {
  id: string;
  email: string;
  name: string;
  roles: TRole[];
  /** API token: acts for these teams only (never as an approver). */
  teamIds?: string[];
}

export interface TActorTeams {
  /** Teams the actor belongs to (any team role). */
  memberOfTeamIds: string[];
  /** Teams in which the actor is an APPROVER. */
  approverOfTeamIds: string[];
}

export async function loadActorTeams(db: TDb, actorOrUserId: string | Pick<TActor, "id" | "teamIds">): Promise<TActorTeams> {
  if (typeof actorOrUserId !== "string" && actorOrUserId.teamIds)
    return { memberOfTeamIds: [...actorOrUserId.teamIds], approverOfTeamIds: [] };
  const userId = typeof actorOrUserId === "string" ? actorOrUserId : actorOrUserId.id;
  const rows = await db.teamMembership.findMany({ where: { userId }, select: { teamId: true, role: true } });
  return {
    memberOfTeamIds: rows.map((r) => r.teamId),
    approverOfTeamIds: rows.filter((r) => r.role === "APPROVER").map((r) => r.teamId),
  };
}

/** DBAs and administrators act on any cluster; others only on their teams' clusters. */
export function actsFleetWide(roles: readonly TRole[]): boolean {
  return roles.includes("DBA") || roles.includes("ADMIN");
}
