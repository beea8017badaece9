import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@meridian/db";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { callHttp } from "../../test/http";
import { type TActor } from "../changes/actor";
import { changeOwnPassword, setUserDisabled, setUserRoles } from "../users";
import { checkSession, sessionTimeRefusal, type TSessionClaims } from "./session-check";

let db: TTestDatabase;
let admin: TActor;
let dba: TActor;
const limits = { idleMinutes: 30, maxHours: 12 };
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

async function claimsOf(userId: string, at = NOW): Promise<TSessionClaims> {
  const row = await db.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { sessionVersion: true } });
  return { userId, sessionVersion: row.sessionVersion, authTime: at, lastSeen: at };
}

beforeAll(async () => {
  db = await createTestDatabase();
  const make = async (email: string, roles: ("ADMIN" | "DBA")[]) => {
    const u = await db.prisma.user.create({ data: { email, name: email, roles, passwordHash: await hashPassword("first-password-123") } });
    return { id: u.id, email: u.email, name: u.name, roles } satisfies TActor;
  };
  admin = await make("admin@meridian.test", ["ADMIN"]);
  dba = await make("dba@meridian.test", ["DBA"]);
});
afterAll(async () => {
  await db.drop();
});

describe("session check", () => {
  it("a session ends after the idle timeout and after the absolute lifetime", () => {
    expect(sessionTimeRefusal({ authTime: NOW, lastSeen: NOW }, NOW + 29 * 60_000, limits)).toBeNull();
    expect(sessionTimeRefusal({ authTime: NOW, lastSeen: NOW }, NOW + 31 * 60_000, limits)).toBe("idle");
    // Active all along (seen a minute ago) but signed in 12 h and 1 min ago.
    const late = NOW + 12 * 3_600_000 + 60_000;
    expect(sessionTimeRefusal({ authTime: NOW, lastSeen: late - 60_000 }, late, limits)).toBe("expired");
    expect(sessionTimeRefusal({ authTime: Number.NaN, lastSeen: NOW }, NOW, limits)).toBe("expired");
  });

  it("a role change revokes the user's open sessions at the next request", async () => {
    const before = await claimsOf(dba.id);
    const ok = await checkSession(db.prisma, before, NOW + 1000, limits);
    expect(ok).toMatchObject({ ok: true, user: { roles: ["DBA"], mustChangePassword: false } });

    await setUserRoles(db.prisma, admin, { userId: dba.id, roles: ["VIEWER"] });
    expect(await checkSession(db.prisma, before, NOW + 2000, limits)).toEqual({ ok: false, reason: "revoked" });
    // A new sign-in carries the new version and the new roles.
    const fresh = await checkSession(db.prisma, await claimsOf(dba.id), NOW + 3000, limits);
    expect(fresh).toMatchObject({ ok: true, user: { roles: ["VIEWER"] } });
    const audit = await db.prisma.auditEvent.findFirst({ where: { action: "user.rolesChanged", targetId: dba.id } });
    expect(audit?.before).toEqual({ roles: ["DBA"] });
  });

  it("disabling an account revokes its sessions; enabling it again does not revive them", async () => {
    const claims = await claimsOf(dba.id);
    await setUserDisabled(db.prisma, admin, { userId: dba.id, disabled: true });
    expect(await checkSession(db.prisma, claims, NOW + 1000, limits)).toMatchObject({ ok: false });
    await setUserDisabled(db.prisma, admin, { userId: dba.id, disabled: false });
    expect(await checkSession(db.prisma, claims, NOW + 2000, limits)).toEqual({ ok: false, reason: "revoked" });
  });

  it("an admin cannot lock themselves out", async () => {
    await expect(setUserDisabled(db.prisma, admin, { userId: admin.id, disabled: true })).rejects.toMatchObject({ code: "INVALID" });
    await expect(setUserRoles(db.prisma, admin, { userId: admin.id, roles: ["DBA"] })).rejects.toMatchObject({ code: "INVALID" });
  });

  it("only an admin may change roles, through the HTTP handler; bad input is a 400 with field messages", async () => {
    const dbaUser = { ...dba, roles: ["DBA" as const] };
    const refused = await callHttp(db.prisma, dbaUser, "users.setRoles", "mutation", { userId: admin.id, roles: ["VIEWER"] });
    expect(refused.status).toBe(403);
    const bad = await callHttp(db.prisma, admin, "users.setRoles", "mutation", { userId: dba.id, roles: ["ROOT"] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("fieldErrors");
    const row = await db.prisma.user.findUniqueOrThrow({ where: { id: admin.id }, select: { roles: true } });
    expect(row.roles).toEqual(["ADMIN"]);
  });

  it("a user who must change the password can do nothing else until it is changed", async () => {
    await db.prisma.user.update({ where: { id: admin.id }, data: { mustChangePassword: true } });
    const checked = await checkSession(db.prisma, await claimsOf(admin.id), NOW, limits);
    if (!checked.ok) throw new Error("session refused");
    expect(checked.user.mustChangePassword).toBe(true);
    const me = await callHttp(db.prisma, checked.user, "me.get", "query", undefined);
    expect(me.status).toBe(403);
    expect(JSON.stringify(me.body)).toContain("Choose a new password first");
    await expect(changeOwnPassword(db.prisma, admin, { currentPassword: "nope", newPassword: "a-much-better-password" })).rejects.toMatchObject({ code: "INVALID" });
    await changeOwnPassword(db.prisma, admin, { currentPassword: "first-password-123", newPassword: "a-much-better-password" });
    const after = await checkSession(db.prisma, await claimsOf(admin.id), NOW, limits);
    expect(after).toMatchObject({ ok: true, user: { mustChangePassword: false } });
    if (!after.ok) return;
    expect((await callHttp(db.prisma, after.user, "me.get", "query", undefined)).status).toBe(200);
    await expect(changeOwnPassword(db.prisma, admin, { currentPassword: "first-password-123", newPassword: "another-password-1" })).rejects.toMatchObject({ code: "INVALID" });
  });
});
