import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { DEMO_TEAM_SLUG } from "@meridian/db/seed";
import { callHttp } from "../../test/http";
import { actorOf, seedFleet } from "../../test/change-fixtures";
import { type TActor } from "../changes/actor";
import { authenticateApiToken, createApiToken, listApiTokens, revokeApiToken } from "./api-tokens";
import { tokenSecretOf } from "./token-secret";

let db: TTestDatabase;
let approver: TActor;
let engineer: TActor;
let admin: TActor;
let teamId: string;
let otherTeamId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedFleet(db.prisma);
  [approver, engineer, admin] = await Promise.all([actorOf(db.prisma, "team-approver"), actorOf(db.prisma, "engineer"), actorOf(db.prisma, "admin")]);
  teamId = (await db.prisma.team.findUniqueOrThrow({ where: { slug: DEMO_TEAM_SLUG } })).id;
  otherTeamId = (await db.prisma.team.findFirstOrThrow({ where: { slug: { not: DEMO_TEAM_SLUG } } })).id;
});
afterAll(async () => {
  await db.drop();
});

describe("API tokens in the console", () => {
  it("never grants changes:approve, with a readable field message, and writes nothing", async () => {
    const before = await db.prisma.apiToken.count();
    const res = await callHttp(db.prisma, { ...approver }, "tokens.create", "mutation", { teamId, name: "deploy", scopes: ["read", "changes:approve"] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("changes:approve is never granted to a token: a machine never approves");
    expect(await db.prisma.apiToken.count()).toBe(before);
  });

  it("lets a team approver manage their team's tokens only; engineers none", async () => {
    const other = await callHttp(db.prisma, approver, "tokens.create", "mutation", { teamId: otherTeamId, name: "deploy", scopes: ["read"] });
    expect(other.status).toBe(403);
    const asEngineer = await callHttp(db.prisma, engineer, "tokens.create", "mutation", { teamId, name: "deploy", scopes: ["read"] });
    expect(asEngineer.status).toBe(403);
    const foreignCluster = await db.prisma.cluster.findFirstOrThrow({ where: { teamId: otherTeamId } });
    const restricted = await callHttp(db.prisma, approver, "tokens.create", "mutation", { teamId, name: "deploy", scopes: ["read"], clusterIds: [foreignCluster.id] });
    expect(restricted.status).toBe(400);
  });

  it("shows the secret once, stores only its hash, lists without it, and revokes at once", async () => {
    const now = new Date();
    const created = await createApiToken(db.prisma, approver, { teamId, name: "pipeline", scopes: ["changes:write", "read"], expiresInDays: 30, clusterIds: [] }, { now });
    expect(created.secret).toMatch(/^mrd_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    const row = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: created.token.id } });
    expect(JSON.stringify(row)).not.toContain(tokenSecretOf(created.secret)!);
    const listed = await listApiTokens(db.prisma, approver, {}, { now });
    expect(JSON.stringify(listed)).not.toContain(tokenSecretOf(created.secret)!);
    expect(listed.find((t) => t.id === created.token.id)).toMatchObject({ status: "ACTIVE", lastUsedAt: null, scopes: ["changes:write", "read"] });
    // The admin sees every team's tokens; the approver only their teams'.
    const adminToken = await createApiToken(db.prisma, admin, { teamId: otherTeamId, name: "other-team", scopes: ["read"], expiresInDays: null, clusterIds: [] }, { now });
    expect((await listApiTokens(db.prisma, approver, {}, { now })).some((t) => t.id === adminToken.token.id)).toBe(false);
    expect((await listApiTokens(db.prisma, admin, {}, { now })).some((t) => t.id === adminToken.token.id)).toBe(true);

    const ok = await authenticateApiToken(db.prisma, `Bearer ${created.secret}`, { now });
    expect(ok.ok && ok.user.roles).toEqual(["VIEWER", "ENGINEER"]);
    expect(ok.ok && ok.user.teamIds).toEqual([teamId]);
    await revokeApiToken(db.prisma, approver, { id: created.token.id }, { now });
    const after = await authenticateApiToken(db.prisma, `Bearer ${created.secret}`, { now });
    expect(after).toMatchObject({ ok: false, reason: "revoked" });
    await expect(revokeApiToken(db.prisma, approver, { id: created.token.id }, { now })).rejects.toThrow(/already revoked/);
    const tampered = created.secret.slice(0, -1) + (created.secret.endsWith("A") ? "B" : "A");
    expect(await authenticateApiToken(db.prisma, `Bearer ${tampered}`, { now })).toMatchObject({ ok: false, reason: "unknown" });
  });
});
