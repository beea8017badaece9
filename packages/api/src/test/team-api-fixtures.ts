import { type PrismaClient } from "@meridian/db";
import { DEMO_TEAM_SLUG, DEMO_USERS, seedDemo } from "@meridian/db/seed";
import { isRole } from "@meridian/policy";
import { type TChangeFileInput } from "../routers/v1/team-api.schema";
import { createApiToken, revokeApiToken } from "../services/tokens";
import { type TActor } from "../services/changes/actor";
import { getChangeRequest } from "../services/changes/get-change-request";
import { decideChangeRequest } from "../services/approvals";
import { createSimulatedDriver, SIMULATED_DURATIONS_MS, type TFaultInput } from "@meridian/fleet";
import { startWorker, type TWorker } from "@meridian/orchestrator/engine";

/**
 * A seeded fleet with API tokens of every kind the team API must tell apart, and change files
 * that plan cleanly or are blocked by residency. Shared by the API's and the CLI's tests.
 */
export interface TTeamApiFixture {
  team: { id: string; slug: string };
  otherTeam: { id: string; slug: string };
  tokens: {
    right: string;
    readOnly: string;
    other: string;
    revoked: string;
    expired: string;
    restricted: string;
  };
  restrictedTo: string;
  creator: TActor;
  /** Clusters of the team, and names that belong to other teams only. */
  teamClusters: string[];
  foreignClusters: string[];
  foreignTeamSlugs: string[];
  /** A SWITCHOVER of a team cluster to a healthy replica: plans and files cleanly. */
  switchoverFile: TChangeFileInput;
  /** An ADD_LINK of a team cluster to a jurisdiction its residency policy forbids. */
  blockedFile: TChangeFileInput | null;
  /** The same switchover aimed at another team's cluster. */
  foreignFile: TChangeFileInput;
}

async function actor(prisma: PrismaClient, persona: string): Promise<TActor> {
  const email = DEMO_USERS.find((u) => u.persona === persona)!.email;
  const u = await prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true, email: true, name: true, roles: true } });
  return { id: u.id, email: u.email, name: u.name, roles: u.roles.filter(isRole) };
}

async function switchoverOf(prisma: PrismaClient, teamId: string): Promise<TChangeFileInput> {
  const clusters = await prisma.cluster.findMany({
    where: { teamId },
    orderBy: { name: "asc" },
    select: { name: true, instances: { select: { name: true, role: true, health: true }, orderBy: { name: "asc" } } },
  });
  for (const c of clusters) {
    const primary = c.instances.find((i) => i.role === "PRIMARY" && i.health === "UP");
    const replica = c.instances.find((i) => i.role === "REPLICA" && i.health === "UP");
    if (primary && replica)
      return {
        kind: "SWITCHOVER",
        target: { cluster: c.name },
        parameters: { replicaInstanceId: replica.name, maxLagSeconds: 3600 },
        reason: "Move the primary for the quarterly failover drill",
      };
  }
  throw new Error("no cluster with a healthy primary and replica");
}

export async function setupTeamApiFixture(prisma: PrismaClient, options: { now?: Date; instances?: number } = {}): Promise<TTeamApiFixture> {
  const now = options.now ?? new Date();
  await seedDemo(prisma, { instances: options.instances ?? 400 });
  const approver = await actor(prisma, "team-approver");
  const admin = await actor(prisma, "admin");
  const team = await prisma.team.findUniqueOrThrow({ where: { slug: DEMO_TEAM_SLUG }, select: { id: true, slug: true } });
  const otherTeam = await prisma.team.findFirstOrThrow({
    where: { slug: { not: DEMO_TEAM_SLUG }, clusters: { some: {} } },
    orderBy: { slug: "asc" },
    select: { id: true, slug: true },
  });
  const clusters = await prisma.cluster.findMany({ select: { id: true, name: true, teamId: true, team: { select: { slug: true } } }, orderBy: { name: "asc" } });
  const teamClusters = clusters.filter((c) => c.teamId === team.id);
  const switchoverFile = await switchoverOf(prisma, team.id);
  const restrictedCluster = teamClusters.find((c) => c.name !== switchoverFile.target.cluster)!;

  const make = async (by: TActor, teamId: string, scopes: ("read" | "changes:write")[], extra: { expiresInDays?: number; clusterIds?: string[]; at?: Date } = {}) =>
    createApiToken(
      prisma,
      by,
      { teamId, name: `token-${Math.random().toString(36).slice(2, 8)}`, scopes, expiresInDays: extra.expiresInDays ?? null, clusterIds: extra.clusterIds ?? [] },
      { now: extra.at ?? now },
    );
  const right = await make(approver, team.id, ["read", "changes:write"]);
  const readOnly = await make(approver, team.id, ["read"]);
  const other = await make(admin, otherTeam.id, ["read", "changes:write"]);
  const revoked = await make(approver, team.id, ["read", "changes:write"]);
  await revokeApiToken(prisma, approver, { id: revoked.token.id }, { now });
  const expired = await make(approver, team.id, ["read", "changes:write"], { expiresInDays: 1, at: new Date(now.getTime() - 3 * 86_400_000) });
  const restricted = await make(approver, team.id, ["read", "changes:write"], { clusterIds: [restrictedCluster.id] });

  // A jurisdiction outside the team cluster's residency policy, for a BLOCKED plan.
  let blockedFile: TChangeFileInput | null = null;
  const target = await prisma.cluster.findFirstOrThrow({
    where: { name: switchoverFile.target.cluster! },
    select: { name: true, allowedJurisdictions: true, instances: { where: { role: "PRIMARY" }, select: { name: true } } },
  });
  const outside = await prisma.dataCenter.findFirst({
    where: { jurisdictionCode: { notIn: target.allowedJurisdictions }, status: "ACTIVE" },
    orderBy: { code: "asc" },
    select: { code: true },
  });
  if (outside && target.instances[0])
    blockedFile = {
      kind: "ADD_LINK",
      target: { cluster: target.name },
      parameters: { sourceInstanceId: target.instances[0].name, targetDataCenterId: outside.code },
      reason: "Analytics copy in another jurisdiction",
    };

  const foreign = clusters.filter((c) => c.teamId !== team.id);
  const otherSwitchover = await switchoverOf(prisma, otherTeam.id);
  return {
    team,
    otherTeam,
    tokens: {
      right: right.secret,
      readOnly: readOnly.secret,
      other: other.secret,
      revoked: revoked.secret,
      expired: expired.secret,
      restricted: restricted.secret,
    },
    restrictedTo: restrictedCluster.name,
    creator: approver,
    teamClusters: teamClusters.map((c) => c.name),
    foreignClusters: foreign.map((c) => c.name).filter((n) => !teamClusters.some((t) => t.name.includes(n))),
    foreignTeamSlugs: [...new Set(foreign.map((c) => c.team.slug))],
    switchoverFile,
    blockedFile,
    foreignFile: otherSwitchover,
  };
}

/** An API token of a team created by a demo persona (the persona is the requester of what it files). */
export async function createTeamToken(
  prisma: PrismaClient,
  persona: "admin" | "team-approver",
  teamSlug: string,
  scopes: ("read" | "changes:write")[],
  options: { expiresInDays?: number | null; now?: Date } = {},
): Promise<string> {
  const by = await actor(prisma, persona);
  const team = await prisma.team.findUniqueOrThrow({ where: { slug: teamSlug }, select: { id: true } });
  const created = await createApiToken(
    prisma,
    by,
    { teamId: team.id, name: `cli-${Math.random().toString(36).slice(2, 8)}`, scopes, expiresInDays: options.expiresInDays ?? null, clusterIds: [] },
    { now: options.now ?? new Date() },
  );
  return created.secret;
}

/** Approves a submitted request stage by stage as the policy's approvers would (team approver, DBAs, compliance, admin). */
export async function approveAsPolicyApprovers(prisma: PrismaClient, number: number): Promise<string> {
  const approvers = await Promise.all((["team-approver", "dba", "second-dba", "compliance", "admin"] as const).map((p) => actor(prisma, p)));
  for (let round = 0; round < 8; round++) {
    const r = await prisma.changeRequest.findUniqueOrThrow({ where: { number }, select: { status: true, planHash: true } });
    if (r.status !== "PENDING_APPROVAL") return r.status;
    let decided = false;
    for (const a of approvers) {
      const detail = await getChangeRequest(prisma, a, number);
      const stage = detail.actions.approvableStages[0];
      if (!stage || detail.status !== "PENDING_APPROVAL") continue;
      await decideChangeRequest(prisma, a, { number, stage, decision: "APPROVE", planHash: r.planHash!, comment: "" }, { now: new Date() });
      decided = true;
      break;
    }
    if (!decided) break;
  }
  return (await prisma.changeRequest.findUniqueOrThrow({ where: { number }, select: { status: true } })).status;
}

/** The engine's worker in this process with the simulated driver (instant steps), optionally failing steps. */
export function startSimulatedWorker(databaseUrl: string, faults: TFaultInput[] = []): TWorker {
  return startWorker({
    databaseUrl,
    driver: createSimulatedDriver({
      durationsMs: Object.fromEntries(Object.keys(SIMULATED_DURATIONS_MS).map((k) => [k, 20])),
      faults,
    }),
    concurrency: 2,
    leaseMs: 5_000,
    pollMs: 100,
    log: () => {},
  });
}
