import { type PrismaClient } from "@meridian/db";
import { type TActor } from "../changes/actor";
import { TOKEN_SCOPES } from "../../routers/tokens/api-token.schema";

export interface TTokenFormOptions {
  teams: { id: string; slug: string; name: string; clusters: { id: string; name: string }[] }[];
  scopes: { value: string; label: string }[];
}

const SCOPE_LABELS: Record<(typeof TOKEN_SCOPES)[number], string> = {
  read: "read: fleet, the team's clusters, change requests, executions, audit events",
  "changes:write": "changes:write: file, edit, submit and cancel change requests for the team's clusters",
};

export async function tokenFormOptions(prisma: PrismaClient, actor: TActor): Promise<TTokenFormOptions> {
  const where = actor.roles.includes("ADMIN")
    ? {}
    : { memberships: { some: { userId: actor.id, role: "APPROVER" as const } } };
  const teams = await prisma.team.findMany({
    where,
    orderBy: { name: "asc" },
    select: { id: true, slug: true, name: true, clusters: { select: { id: true, name: true }, orderBy: { name: "asc" } } },
  });
  return { teams, scopes: TOKEN_SCOPES.map((value) => ({ value, label: SCOPE_LABELS[value] })) };
}
