import { describe, expect, it } from "vitest";
import { PERMISSIONS, ROLES, can, permissionsOf, type TPermission } from "./index";

describe("permission table", () => {
  it("denies unknown permissions to every role (default deny)", () => {
    for (const role of ROLES) expect(can([role], "cluster.delete")).toBe(false);
    expect(can(["ADMIN"], "")).toBe(false);
  });

  it("never gives the read-only leadership role a permission that mutates", () => {
    const mutating = (Object.keys(PERMISSIONS) as TPermission[]).filter((p) => PERMISSIONS[p].mutates);
    expect(mutating.length).toBeGreaterThan(0);
    for (const p of mutating) expect(can(["VIEWER"], p)).toBe(false);
    expect(permissionsOf(["VIEWER"]).every((p) => !PERMISSIONS[p].mutates)).toBe(true);
  });

  it("lets DBAs change data center status and engineers not", () => {
    expect(can(["DBA"], "dataCenter.updateStatus")).toBe(true);
    expect(can(["ENGINEER"], "dataCenter.updateStatus")).toBe(false);
    expect(can(["ENGINEER", "DBA"], "dataCenter.updateStatus")).toBe(true);
  });

  it("lets no role with no roles do anything", () => {
    for (const p of Object.keys(PERMISSIONS)) expect(can([], p)).toBe(false);
  });
});
