import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { seedDemo } from "@meridian/db/seed";
import { createCaller } from "../../root";
import { userWithRoles } from "../../test/http";
import { sweepResidency } from "./residency-sweep";

/** Residency findings where people look: the map (a count per data center) and the cluster page (the list, with the fix). */

let db: TTestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemo(db.prisma, { instances: 120 });
});
afterAll(async () => {
  await db.drop();
});

const viewer = () => createCaller({ prisma: db.prisma, user: userWithRoles(["VIEWER"]) });

describe("residency findings on the map and the cluster page", () => {
  it("a narrowed policy marks exactly the affected data centers and lists the findings on the cluster page", async () => {
    expect((await sweepResidency(db.prisma)).open).toBe(0);
    const before = await viewer().topology.mapOverview({});
    expect(before.dataCenters.every((d) => d.residencyCount === 0)).toBe(true);

    const [target] = await db.prisma.$queryRawUnsafe<{ id: string; name: string; home: string; allowed: string[] }[]>(
      `SELECT c.id::text AS id, c.name, c.home_jurisdiction_code AS home, c.allowed_jurisdictions AS allowed
         FROM cluster c JOIN instance i ON i.cluster_id = c.id JOIN data_center dc ON dc.id = i.data_center_id
        WHERE dc.jurisdiction_code <> c.home_jurisdiction_code
        GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1`,
    );
    expect(target, "the seeded fleet has a cluster replicating abroad").toBeDefined();
    const { id, name, home, allowed } = target!;

    // Computed independently of the sweep: data centers outside the home jurisdiction that hold an instance of the cluster or receive one of its links.
    const expected = await db.prisma.$queryRawUnsafe<{ code: string; n: number }[]>(
      `SELECT code, count(*)::int AS n FROM (
         SELECT dc.code FROM instance i JOIN data_center dc ON dc.id = i.data_center_id
          WHERE i.cluster_id = $1::uuid AND dc.jurisdiction_code <> $2
         UNION ALL
         SELECT dc.code FROM replication_link l JOIN instance s ON s.id = l.source_id
           JOIN instance t ON t.id = l.target_id JOIN data_center dc ON dc.id = t.data_center_id
          WHERE s.cluster_id = $1::uuid AND dc.jurisdiction_code <> $2) x
        GROUP BY code ORDER BY code`,
      id,
      home,
    );
    const outInstances = await db.prisma.$queryRawUnsafe<{ id: string }[]>(
      `SELECT i.id::text AS id FROM instance i JOIN data_center dc ON dc.id = i.data_center_id
        WHERE i.cluster_id = $1::uuid AND dc.jurisdiction_code <> $2 ORDER BY 1`,
      id,
      home,
    );
    expect(expected.length).toBeGreaterThan(0);

    await db.prisma.cluster.update({ where: { id }, data: { allowedJurisdictions: [] } });
    await sweepResidency(db.prisma);

    const map = await viewer().topology.mapOverview({});
    const marked = map.dataCenters.filter((d) => d.residencyCount > 0).map((d) => ({ code: d.code, n: d.residencyCount }));
    expect(marked.sort((a, b) => (a.code < b.code ? -1 : 1))).toEqual(expected);

    const detail = await viewer().inventory.getCluster({ ref: name });
    const total = expected.reduce((s, e) => s + e.n, 0);
    expect(detail.residencyFindings).toHaveLength(total);
    for (const f of detail.residencyFindings) {
      expect(f.jurisdictionCode).not.toBe(home);
      expect(f.allowedJurisdictions).toEqual([home]);
      expect(f.rule).toMatch(/^residency\/allowed-jurisdictions/);
      if (f.subject === "INSTANCE") expect(f).toMatchObject({ fixKind: "REMOVE_REPLICA", fixTargetId: f.subjectId });
      // A link is removed, unless it is the only link into one of the cluster's replicas (the planner refuses that): then the replica goes.
      else if (f.fixKind === "REMOVE_LINK") expect(f.fixTargetId).toBe(f.subjectId);
      else expect(outInstances.map((i) => i.id)).toContain(f.fixTargetId);
    }
    expect(detail.residencyFindings.filter((f) => f.subject === "INSTANCE").map((f) => f.subjectId).sort()).toEqual(outInstances.map((i) => i.id));
    // The dashboard's list carries the same fix and ids.
    const posture = await viewer().dashboards.residencyPosture({ range: "7d" });
    const link = posture.openFindings.find((f) => f.subject === "LINK");
    if (link) expect(detail.residencyFindings.find((f) => f.id === link.id)).toMatchObject({ fixKind: link.fixKind, fixTargetId: link.fixTargetId });
    expect(posture.openFindings.every((f) => f.clusterId === id)).toBe(true);

    // Another cluster's page shows none.
    const other = await db.prisma.cluster.findFirstOrThrow({ where: { NOT: { id } }, select: { name: true } });
    expect((await viewer().inventory.getCluster({ ref: other.name })).residencyFindings).toEqual([]);

    // Widened back: the markers and the list are gone.
    await db.prisma.cluster.update({ where: { id }, data: { allowedJurisdictions: allowed } });
    await sweepResidency(db.prisma);
    expect((await viewer().topology.mapOverview({})).dataCenters.every((d) => d.residencyCount === 0)).toBe(true);
    expect((await viewer().inventory.getCluster({ ref: name })).residencyFindings).toEqual([]);
  });

  it("an out-of-policy primary is fixed by moving the primary", async () => {
    const [c] = await db.prisma.$queryRawUnsafe<{ id: string; name: string; home: string; allowed: string[]; other: string }[]>(
      `SELECT c.id::text AS id, c.name, c.home_jurisdiction_code AS home, c.allowed_jurisdictions AS allowed, j.code AS other
         FROM cluster c JOIN instance p ON p.cluster_id = c.id AND p.role = 'PRIMARY'
         JOIN data_center dc ON dc.id = p.data_center_id
         JOIN jurisdiction j ON j.code <> dc.jurisdiction_code
        ORDER BY c.name, j.code LIMIT 1`,
    );
    const primary = await db.prisma.instance.findFirstOrThrow({ where: { clusterId: c!.id, role: "PRIMARY" }, select: { id: true } });
    await db.prisma.cluster.update({ where: { id: c!.id }, data: { homeJurisdictionCode: c!.other, allowedJurisdictions: [] } });
    await sweepResidency(db.prisma);
    const detail = await viewer().inventory.getCluster({ ref: c!.name });
    expect(detail.residencyFindings.find((f) => f.subjectId === primary.id)).toMatchObject({ fixKind: "MOVE_PRIMARY_REGION", fixTargetId: null });
    await db.prisma.cluster.update({ where: { id: c!.id }, data: { homeJurisdictionCode: c!.home, allowedJurisdictions: c!.allowed } });
    await sweepResidency(db.prisma);
  });
});
