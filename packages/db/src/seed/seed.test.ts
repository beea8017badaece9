import { createHash } from "node:crypto";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DataClassification,
  Engine,
  InstanceRole,
  Role,
  TeamRole,
  Tier,
  type PrismaClient,
} from "../generated/prisma/client";
import { createTestDatabase, type TTestDatabase } from "../testing";
import {
  DEMO_TEAM_SLUG,
  DEMO_USERS,
  SeedError,
  generateDemoData,
  isSeeded,
  seedDemo,
  type TApprovalStageSeed,
  type TSeedSummary,
} from "./index";

const PASSWORD = "correct-horse-battery";

/** What a user sees of the fleet: names, placements, roles, health, links and their ids. */
async function fleetDigest(prisma: PrismaClient): Promise<string> {
  const hash = createHash("sha256");
  const dcs = await prisma.dataCenter.findMany({ orderBy: { code: "asc" } });
  for (const d of dcs)
    hash.update(`dc ${d.id} ${d.code} ${d.latitude} ${d.longitude} ${d.status} ${d.capacitySlots}\n`);
  const clusters = await prisma.cluster.findMany({ orderBy: { name: "asc" }, include: { team: true } });
  for (const c of clusters) {
    hash.update(
      `cluster ${c.id} ${c.name} ${c.team.slug} ${c.engine} ${c.tier} ${c.classification} ${c.allowedJurisdictions.join(",")}\n`,
    );
  }
  const instances = await prisma.instance.findMany({
    orderBy: { name: "asc" },
    include: { dataCenter: true },
  });
  for (const i of instances)
    hash.update(`instance ${i.id} ${i.name} ${i.role} ${i.dataCenter.code} ${i.health} ${i.endpoint}\n`);
  const links = await prisma.replicationLink.findMany({ orderBy: { id: "asc" } });
  for (const l of links)
    hash.update(
      `link ${l.id} ${l.sourceId} ${l.targetId} ${l.mode} ${l.status} ${l.lagBytes} ${l.lagSeconds}\n`,
    );
  const users = await prisma.user.findMany({ orderBy: { email: "asc" } });
  for (const u of users) hash.update(`user ${u.id} ${u.email} ${u.roles.join(",")}\n`);
  return hash.digest("hex");
}

describe("seedDemo (1,200 instances)", () => {
  let db: TTestDatabase;
  let prisma: PrismaClient;
  let summary: TSeedSummary;
  const logLines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = db.prisma;
    expect(await isSeeded(prisma)).toBe(false);
    summary = await seedDemo(prisma, {
      seed: 42,
      demoPassword: PASSWORD,
      log: (line) => logLines.push(line),
    });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("fills every table to at least the documented minimums and reports the counts", async () => {
    const [jurisdictions, dataCenters, teams, clusters, instances, links, policies, users] =
      await Promise.all([
        prisma.jurisdiction.count(),
        prisma.dataCenter.count(),
        prisma.team.count(),
        prisma.cluster.count(),
        prisma.instance.count(),
        prisma.replicationLink.count(),
        prisma.approvalPolicy.count(),
        prisma.user.count(),
      ]);
    expect(jurisdictions).toBeGreaterThanOrEqual(9);
    expect(dataCenters).toBeGreaterThanOrEqual(28);
    expect(teams).toBeGreaterThanOrEqual(12);
    expect(clusters).toBeGreaterThanOrEqual(300);
    expect(instances).toBe(1200);
    expect(links).toBeGreaterThanOrEqual(instances - clusters);
    expect(policies).toBeGreaterThanOrEqual(4);
    expect(users).toBe(DEMO_USERS.length);
    expect(summary).toMatchObject({
      jurisdictions,
      dataCenters,
      teams,
      clusters,
      instances,
      replicationLinks: links,
      approvalPolicies: policies,
      users,
    });
    const usedJurisdictions = await prisma.dataCenter.groupBy({ by: ["jurisdictionCode"] });
    expect(usedJurisdictions.length).toBeGreaterThanOrEqual(9);
    expect(logLines.at(-1)).toMatch(
      /seeded \d+ data centers, \d+ teams, \d+ clusters, 1200 instances, \d+ links/,
    );
  });

  it("places data centers at real city coordinates, mostly active", async () => {
    const dcs = await prisma.dataCenter.findMany();
    const byCity = new Map(dcs.map((d) => [d.city, d]));
    expect(byCity.get("Frankfurt")?.latitude).toBeCloseTo(50.11, 1);
    expect(byCity.get("Frankfurt")?.longitude).toBeCloseTo(8.68, 1);
    expect(byCity.get("Ashburn")?.latitude).toBeCloseTo(39.04, 1);
    expect(byCity.get("Ashburn")?.longitude).toBeCloseTo(-77.49, 1);
    expect(byCity.get("São Paulo")?.latitude).toBeLessThan(0);
    expect(byCity.get("Sydney")?.latitude).toBeLessThan(0);
    const active = dcs.filter((d) => d.status === "ACTIVE").length;
    expect(active).toBeGreaterThanOrEqual(dcs.length - 2);
    expect(active).toBeLessThan(dcs.length);
  });

  it("covers every engine, tier and data classification", async () => {
    const [engines, tiers, classifications] = await Promise.all([
      prisma.cluster.groupBy({ by: ["engine"] }),
      prisma.cluster.groupBy({ by: ["tier"] }),
      prisma.cluster.groupBy({ by: ["classification"] }),
    ]);
    expect(engines.map((g) => g.engine).sort()).toEqual(Object.values(Engine).sort());
    expect(tiers.map((g) => g.tier).sort()).toEqual(Object.values(Tier).sort());
    expect(classifications.map((g) => g.classification).sort()).toEqual(
      Object.values(DataClassification).sort(),
    );
  });

  it("gives every cluster exactly one primary, in its home jurisdiction, and replicas in other data centers", async () => {
    const clusters = await prisma.cluster.findMany({
      include: { instances: { include: { dataCenter: true } } },
    });
    for (const c of clusters) {
      const primaries = c.instances.filter((i) => i.role === InstanceRole.PRIMARY);
      expect(primaries, c.name).toHaveLength(1);
      const primary = primaries[0]!;
      expect(primary.dataCenter.jurisdictionCode, c.name).toBe(c.homeJurisdictionCode);
      for (const i of c.instances) {
        if (i !== primary) expect(i.dataCenterId, i.name).not.toBe(primary.dataCenterId);
        if (i.role === InstanceRole.STANDBY)
          expect(i.dataCenter.jurisdictionCode, i.name).toBe(c.homeJurisdictionCode);
      }
    }
  });

  it("never places or replicates a cluster's data outside its allowed jurisdictions", async () => {
    const clusters = await prisma.cluster.findMany({
      include: { instances: { include: { dataCenter: true } } },
    });
    let abroad = 0;
    for (const c of clusters) {
      expect(c.allowedJurisdictions, c.name).toContain(c.homeJurisdictionCode);
      for (const i of c.instances) {
        expect(c.allowedJurisdictions, i.name).toContain(i.dataCenter.jurisdictionCode);
        if (i.dataCenter.jurisdictionCode !== c.homeJurisdictionCode) abroad++;
      }
    }
    expect(abroad).toBeGreaterThan(0);
    // Personal and regulated data mostly stays at home.
    const personal = clusters.filter((c) => c.classification === "PII" || c.classification === "REGULATED");
    const personalAtHomeOnly = personal.filter((c) => c.allowedJurisdictions.length === 1).length;
    expect(personalAtHomeOnly / personal.length).toBeGreaterThan(0.75);

    // A link carries the source cluster's data to the target's location.
    const links = await prisma.replicationLink.findMany({
      include: {
        source: { include: { cluster: true, dataCenter: true } },
        target: { include: { dataCenter: true } },
      },
    });
    let crossDc = 0;
    let crossJurisdiction = 0;
    for (const l of links) {
      expect(l.source.cluster.allowedJurisdictions, l.id).toContain(l.target.dataCenter.jurisdictionCode);
      expect(l.source.role, l.id).toBe(InstanceRole.PRIMARY);
      if (l.source.dataCenterId !== l.target.dataCenterId) crossDc++;
      if (l.source.dataCenter.jurisdictionCode !== l.target.dataCenter.jurisdictionCode) crossJurisdiction++;
    }
    expect(crossDc).toBeGreaterThan(links.length / 2);
    expect(crossJurisdiction).toBeGreaterThan(0);
  });

  it("links every replica to its cluster's primary, with mostly small lag", async () => {
    const replicas = await prisma.instance.findMany({
      where: { role: { not: InstanceRole.PRIMARY } },
      include: { incomingLinks: { include: { source: true } } },
    });
    for (const r of replicas) {
      const fromPrimary = r.incomingLinks.filter(
        (l) => l.source.clusterId === r.clusterId && l.source.role === InstanceRole.PRIMARY,
      );
      expect(fromPrimary, r.name).toHaveLength(1);
    }
    const links = await prisma.replicationLink.findMany();
    const active = links.filter((l) => l.status === "ACTIVE");
    expect(active.length / links.length).toBeGreaterThan(0.85);
    const small = links.filter((l) => l.lagSeconds < 5).length;
    expect(small / links.length).toBeGreaterThan(0.85);
    expect(links.some((l) => l.lagSeconds > 60)).toBe(true);
    expect(new Set(links.map((l) => l.mode))).toEqual(new Set(["PHYSICAL", "LOGICAL", "CDC"]));
  });

  it("keeps every data center within its capacity, with headroom overall", async () => {
    const dcs = await prisma.dataCenter.findMany({ include: { _count: { select: { instances: true } } } });
    for (const d of dcs) expect(d._count.instances, d.code).toBeLessThanOrEqual(d.capacitySlots);
    const capacity = dcs.reduce((sum, d) => sum + d.capacitySlots, 0);
    expect(capacity).toBeGreaterThan(1200 * 1.2);
  });

  it("shows mostly healthy instances with a few degraded or down", async () => {
    const health = await prisma.instance.groupBy({ by: ["health"], _count: { _all: true } });
    const count = (h: string): number => health.find((g) => g.health === h)?._count._all ?? 0;
    expect(count("UP") / 1200).toBeGreaterThan(0.9);
    expect(count("DEGRADED")).toBeGreaterThan(0);
    expect(count("DOWN")).toBeGreaterThan(0);
  });

  it("creates one demo user per persona whose password verifies against the demo password", async () => {
    const personas = DEMO_USERS.map((u) => u.persona);
    expect(new Set(personas).size).toBe(personas.length);
    for (const demo of DEMO_USERS) {
      const user = await prisma.user.findUnique({ where: { email: demo.email } });
      expect(user, demo.email).not.toBeNull();
      expect(user!.roles.slice().sort()).toEqual([...demo.roles].sort());
      expect(user!.passwordHash).toMatch(/^\$2[aby]\$10\$/);
      expect(await bcrypt.compare(PASSWORD, user!.passwordHash!)).toBe(true);
      expect(await bcrypt.compare("wrong-password", user!.passwordHash!)).toBe(false);
    }
    const dbas = await prisma.user.findMany({ where: { roles: { has: Role.DBA } } });
    expect(dbas.length).toBeGreaterThanOrEqual(2);
    for (const role of Object.values(Role)) {
      expect(await prisma.user.count({ where: { roles: { has: role } } }), role).toBeGreaterThan(0);
    }
  });

  it("makes the engineer and the team approver members of one team that owns many clusters", async () => {
    const team = await prisma.team.findUniqueOrThrow({
      where: { slug: DEMO_TEAM_SLUG },
      include: { memberships: { include: { user: true } }, _count: { select: { clusters: true } } },
    });
    const roleOf = (email: string): TeamRole | undefined =>
      team.memberships.find((m) => m.user.email === email)?.role;
    expect(roleOf("engineer@meridian.local")).toBe(TeamRole.MEMBER);
    expect(roleOf("approver@meridian.local")).toBe(TeamRole.APPROVER);
    expect(team._count.clusters).toBeGreaterThanOrEqual(20);
  });

  it("routes approvals by risk, with two DBAs for HIGH and compliance for personal data crossing jurisdictions", async () => {
    const policies = await prisma.approvalPolicy.findMany({ orderBy: { priority: "asc" } });
    const stagesOf = (p: (typeof policies)[number]): TApprovalStageSeed[] => p.stages as TApprovalStageSeed[];
    const low = policies.find((p) => p.minRisk === "LOW" && p.crossesJurisdiction === null);
    expect(stagesOf(low!)).toEqual([expect.objectContaining({ role: "DBA", quorum: 1 })]);
    const high = policies.find((p) => p.minRisk === "HIGH" && p.crossesJurisdiction === null);
    expect(stagesOf(high!)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: "TEAM_APPROVER", team: "owner" }),
        expect.objectContaining({ role: "DBA", quorum: 2 }),
      ]),
    );
    const crossing = policies.filter((p) => p.crossesJurisdiction === true);
    expect(crossing.length).toBeGreaterThan(0);
    for (const p of crossing) {
      expect(p.classifications.slice().sort()).toEqual(["PII", "REGULATED"]);
      expect(stagesOf(p).some((s) => s.role === "COMPLIANCE")).toBe(true);
      // The crossing rules win over the plain risk ladder.
      expect(p.priority).toBeLessThan(high!.priority);
    }
  });

  it("refuses to seed over existing data and leaves it untouched", async () => {
    const before = await fleetDigest(prisma);
    expect(await isSeeded(prisma)).toBe(true);
    const attempt = seedDemo(prisma, { seed: 7, demoPassword: PASSWORD });
    await expect(attempt).rejects.toBeInstanceOf(SeedError);
    await expect(attempt).rejects.toMatchObject({
      code: "ALREADY_SEEDED",
      message: expect.stringMatching(/reset/),
    });
    expect(await fleetDigest(prisma)).toBe(before);
  });

  it("rejects invalid options with a readable error", async () => {
    await expect(seedDemo(prisma, { instances: 3, reset: true })).rejects.toMatchObject({
      code: "INVALID_OPTIONS",
      message: expect.stringMatching(/instances/),
    });
    await expect(seedDemo(prisma, { demoPassword: "short", reset: true })).rejects.toMatchObject({
      code: "INVALID_OPTIONS",
    });
  });

  describe("determinism and reset", () => {
    let other: TTestDatabase;
    beforeAll(async () => {
      other = await createTestDatabase();
    });
    afterAll(async () => {
      await other?.drop();
    });

    it("gives identical names, placements and ids for the same seed, and a different fleet for another seed", async () => {
      await seedDemo(other.prisma, { seed: 42, demoPassword: PASSWORD });
      expect(await fleetDigest(other.prisma)).toBe(await fleetDigest(prisma));

      await seedDemo(other.prisma, { seed: 7, demoPassword: PASSWORD, reset: true });
      expect(await fleetDigest(other.prisma)).not.toBe(await fleetDigest(prisma));
    });

    it("reset deletes dependent rows but keeps the append-only audit trail", async () => {
      const user = await other.prisma.user.findUniqueOrThrow({ where: { email: "engineer@meridian.local" } });
      const cluster = await other.prisma.cluster.findFirstOrThrow({ orderBy: { name: "asc" } });
      await other.prisma.changeRequest.create({
        data: {
          kind: "ADD_REPLICA",
          title: "add a replica",
          parameters: {},
          clusterId: cluster.id,
          requesterId: user.id,
        },
      });
      await other.prisma.auditEvent.create({
        data: { action: "test.reset", targetType: "test", prevHash: "0".repeat(64), hash: "a".repeat(64) },
      });

      const summary = await seedDemo(other.prisma, { seed: 42, demoPassword: PASSWORD, reset: true });
      expect(summary.instances).toBe(1200);
      expect(await other.prisma.changeRequest.count()).toBe(0);
      expect(await other.prisma.auditEvent.count({ where: { action: "test.reset" } })).toBe(1);
      expect(await fleetDigest(other.prisma)).toBe(await fleetDigest(prisma));
    });
  });
});

describe("seedDemo at scale", () => {
  let db: TTestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("seeds 10,000 instances well within 30 seconds, never over capacity", { timeout: 120_000 }, async () => {
    const started = performance.now();
    const summary = await seedDemo(db.prisma, { seed: 3, instances: 10_000, demoPassword: PASSWORD });
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeLessThan(30);
    expect(summary.instances).toBe(10_000);
    expect(await db.prisma.instance.count()).toBe(10_000);
    expect(summary.replicationLinks).toBeGreaterThanOrEqual(7_500);
    expect(summary.replicationLinks).toBeLessThanOrEqual(10_000);
    const overfull = await db.prisma.$queryRaw<Array<{ code: string }>>`
      select d.code from data_center d join instance i on i.data_center_id = d.id
      group by d.id, d.code, d.capacity_slots having count(*) > d.capacity_slots`;
    expect(overfull).toEqual([]);
  });
});

describe("generateDemoData", () => {
  it("is a pure function of the seed and the instance count", () => {
    const a = generateDemoData({ seed: 11, instances: 500, passwordHash: "x" });
    const b = generateDemoData({ seed: 11, instances: 500, passwordHash: "x" });
    const c = generateDemoData({ seed: 12, instances: 500, passwordHash: "x" });
    const digest = (d: typeof a): string =>
      createHash("sha256")
        .update(
          JSON.stringify({
            ...d,
            replicationLinks: d.replicationLinks.map((l) => ({ ...l, lagBytes: String(l.lagBytes) })),
          }),
        )
        .digest("hex");
    expect(digest(a)).toBe(digest(b));
    expect(digest(a)).not.toBe(digest(c));
    expect(new Set(a.instances.map((i) => i.id)).size).toBe(500);
    for (const id of [...a.clusters.map((x) => x.id), ...a.instances.map((x) => x.id)]) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it("still covers every engine, tier and classification in a tiny fleet", () => {
    const d = generateDemoData({ seed: 5, instances: 20, passwordHash: "x" });
    expect(new Set(d.clusters.map((c) => c.engine)).size).toBe(Object.values(Engine).length);
    expect(new Set(d.clusters.map((c) => c.tier)).size).toBe(Object.values(Tier).length);
    expect(new Set(d.clusters.map((c) => c.classification)).size).toBe(
      Object.values(DataClassification).length,
    );
    expect(d.instances).toHaveLength(20);
  });
});
