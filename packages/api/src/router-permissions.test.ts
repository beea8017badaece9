import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { PERMISSIONS, ROLES, can, isPermission } from "@meridian/policy";
import { callHttp, listProcedures, userWithRoles } from "./test/http";

/** Inputs no procedure accepts: each must be refused with a 400 carrying field messages. */
const MALFORMED: unknown[] = [
  "not an object",
  42,
  [],
  { page: -3, pageSize: 100000, sort: "password_hash; drop table cluster", id: 12, code: { $ne: null } },
];

let db: TTestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const procedures = listProcedures();

describe("router walk: default deny", () => {
  it("finds the procedures of every domain router", () => {
    expect(procedures.map((p) => p.path)).toEqual(expect.arrayContaining(["me.get", "inventory.listDataCenters"]));
  });

  it.each(procedures.map((p) => [p.path, p] as const))("%s declares a permission from the table", (_path, p) => {
    expect(p.meta?.public === true || isPermission(p.meta?.permission)).toBe(true);
  });

  it("gives the read-only leadership role no mutation at all", () => {
    for (const p of procedures.filter((x) => x.type === "mutation")) {
      const permission = String(p.meta?.permission);
      expect(isPermission(permission) && PERMISSIONS[permission].mutates, `${p.path} must be a mutating permission`).toBe(true);
      expect(can(["VIEWER"], permission)).toBe(false);
    }
  });
});

describe("role x procedure matrix over HTTP", () => {
  const cases = procedures.flatMap((p) => ROLES.map((role) => [p.path, role, p] as const));

  it.each(cases)("%s as %s", async (path, role, p) => {
    const permission = String(p.meta?.permission);
    // Malformed input: an allowed role gets past the permission check and is stopped by
    // validation (400, nothing read or written); a denied role is refused first (403).
    const res = await callHttp(db.prisma, userWithRoles([role]), path, p.type === "mutation" ? "mutation" : "query", p.hasInput ? 42 : undefined);
    if (can([role], permission)) {
      expect(res.status, JSON.stringify(res.body)).toBe(p.hasInput ? 400 : 200);
    } else {
      expect(res.status).toBe(403);
    }
  });

  it.each(procedures.map((p) => [p.path, p] as const))("%s refuses a caller with no session (401)", async (path, p) => {
    const res = await callHttp(db.prisma, null, path, p.type === "mutation" ? "mutation" : "query", p.hasInput ? {} : undefined);
    expect(res.status).toBe(p.meta?.public ? 200 : 401);
  });
});

describe("malformed payloads", () => {
  const withInput = procedures.filter((p) => p.hasInput);
  const cases = withInput.flatMap((p) => MALFORMED.map((input, i) => [p.path, i, input, p] as const));

  it.each(cases)("%s rejects malformed payload #%i with 400 and field messages", async (path, _i, input, p) => {
    const res = await callHttp(db.prisma, userWithRoles(["ADMIN"]), path, p.type === "mutation" ? "mutation" : "query", input);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    const error = (res.body as { error: { json: { message: string; data: { fieldErrors: Record<string, string[]> | null } } } }).error.json;
    expect(error.message).toBe("Invalid input");
    expect(Object.keys(error.data.fieldErrors ?? {}).length).toBeGreaterThan(0);
    expect(Object.values(error.data.fieldErrors ?? {}).flat().every((m) => typeof m === "string" && m.length > 0)).toBe(true);
  });
});
