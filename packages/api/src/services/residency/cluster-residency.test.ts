import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { seedDemo } from "@meridian/db/seed";
import { createCaller } from "../../root";
import { userWithRoles } from "../../test/http";

let db: TTestDatabase;
let cluster: { name: string; home: string; allowed: string[]; abroad: number };
beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemo(db.prisma, { instances: 300 });
  const [row] = await db.prisma.$queryRawUnsafe<{ name: string; home: string; allowed: string[]; abroad: number }[]>(
    `SELECT c.name, c.home_jurisdiction_code AS home, c.allowed_jurisdictions AS allowed,
            (count(*) FILTER (WHERE dc.jurisdiction_code <> c.home_jurisdiction_code))::int AS abroad
       FROM cluster c JOIN instance i ON i.cluster_id = c.id JOIN data_center dc ON dc.id = i.data_center_id
      GROUP BY c.id ORDER BY abroad DESC, c.name LIMIT 1`,
  );
  cluster = row!;
});
afterAll(async () => {
  await db.drop();
});

const as = async (persona: "admin" | "leadership" | "dba") => {
  const email = { admin: "admin@meridian.local", leadership: "leadership@meridian.local", dba: "dba@meridian.local" }[persona];
  const u = await db.prisma.user.findFirst({ where: { email }, select: { id: true, email: true, name: true, roles: true } });
  return createCaller({ prisma: db.prisma, user: u ? { id: u.id, email: u.email, name: u.name, roles: u.roles } : userWithRoles(["VIEWER"]) });
};

describe("cluster residency policy", () => {
  it("previews, before saving, exactly what a narrowed list puts out of policy", async () => {
    expect(cluster.abroad).toBeGreaterThan(0);
    const admin = await as("admin");
    const preview = await admin.residency.previewClusterResidency({ cluster: cluster.name, allowedJurisdictions: [] });
    expect(preview.proposed).toEqual([cluster.home]);
    expect(preview.outOfPolicy.filter((p) => p.subject === "INSTANCE")).toHaveLength(cluster.abroad);
    expect(preview.newlyOutOfPolicy).toEqual(preview.outOfPolicy);
    expect(preview.outOfPolicy.every((p) => p.jurisdictionCode !== cluster.home)).toBe(true);
    // Nothing was written.
    const after = await db.prisma.cluster.findUniqueOrThrow({ where: { name: cluster.name }, select: { allowedJurisdictions: true } });
    expect(after.allowedJurisdictions).toEqual(cluster.allowed);
  });

  it("saves an audited change, sweeps at once, and refuses a stale form", async () => {
    const admin = await as("admin");
    const saved = await admin.residency.updateClusterResidency({
      cluster: cluster.name,
      allowedJurisdictions: [],
      expectedAllowedJurisdictions: cluster.allowed,
      reason: "test",
    });
    expect(saved.after).toEqual([cluster.home]);
    expect(saved.sweep.opened).toBeGreaterThanOrEqual(cluster.abroad);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "cluster.residencyPolicyChanged" }, orderBy: { id: "desc" } });
    expect(audit.actorEmail).toBe("admin@meridian.local");
    expect(await db.prisma.webhookOutbox.count({ where: { event: "cluster.residency_policy_changed" } })).toBe(1);

    // The form still shows the old list: conflict, nothing changes.
    await expect(
      admin.residency.updateClusterResidency({ cluster: cluster.name, allowedJurisdictions: cluster.allowed, expectedAllowedJurisdictions: cluster.allowed }),
    ).rejects.toMatchObject({ code: "CONFLICT" });

    const back = await admin.residency.updateClusterResidency({ cluster: cluster.name, allowedJurisdictions: cluster.allowed });
    expect(back.sweep.closed).toBe(saved.sweep.opened);
    expect(back.sweep.open).toBe(0);
  });

  it("refuses unknown jurisdictions with a field message, and refuses leadership and DBAs", async () => {
    const admin = await as("admin");
    await expect(admin.residency.updateClusterResidency({ cluster: cluster.name, allowedJurisdictions: ["ZZ"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect((await as("leadership")).residency.updateClusterResidency({ cluster: cluster.name, allowedJurisdictions: [] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect((await as("dba")).residency.previewClusterResidency({ cluster: cluster.name, allowedJurisdictions: [] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const unchanged = await db.prisma.cluster.findUniqueOrThrow({ where: { name: cluster.name }, select: { allowedJurisdictions: true } });
    expect(unchanged.allowedJurisdictions).toEqual(cluster.allowed);
  });
});
