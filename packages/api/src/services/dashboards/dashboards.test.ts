import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { HISTORY_LAG_SLO_SECONDS, seedDemo } from "@meridian/db/seed";
import { LAG_SLO_SECONDS } from "@meridian/policy";
import { createCaller } from "../../root";
import { userWithRoles } from "../../test/http";
import { rollUpSamples } from "./rollup-samples";
import { sweepResidency } from "./residency-sweep";
import { computeFleetHealth } from "./fleet-health";
import { dashboardCacheKey, refreshDashboard } from "./result-cache";
import { ZDashboardFilterSchema } from "../../routers/dashboards/dashboard.schema";

/** The seeded history ends at the current hour. */
const NOW = new Date();

let db: TTestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemo(db.prisma, { instances: 300, history: true });
});
afterAll(async () => {
  await db.drop();
});

const leadership = () => createCaller({ prisma: db.prisma, user: userWithRoles(["VIEWER"]) });

async function openFindings(): Promise<{ subject: string; subject_id: string }[]> {
  return db.prisma.$queryRawUnsafe("SELECT subject::text, subject_id::text FROM residency_finding WHERE resolved_at IS NULL ORDER BY 1, 2");
}

describe("residency sweep", () => {
  it("finds nothing on the seeded fleet, which is within policy", async () => {
    const r = await sweepResidency(db.prisma);
    expect(r).toMatchObject({ open: 0, opened: 0, closed: 0 });
  });

  it("opens findings for exactly the instances and links a narrowed policy puts out, and closes them when widened back", async () => {
    // A cluster with an instance outside its home jurisdiction (allowed by its list today).
    const [target] = await db.prisma.$queryRawUnsafe<{ id: string; home: string; allowed: string[] }[]>(
      `SELECT c.id::text AS id, c.home_jurisdiction_code AS home, c.allowed_jurisdictions AS allowed
         FROM cluster c JOIN instance i ON i.cluster_id = c.id JOIN data_center dc ON dc.id = i.data_center_id
        WHERE dc.jurisdiction_code <> c.home_jurisdiction_code
        GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1`,
    );
    expect(target, "the seeded fleet has a cluster replicating abroad").toBeDefined();
    const { id, home, allowed } = target!;

    // What should be out of policy once only the home jurisdiction is allowed, computed independently.
    const expectedInstances = await db.prisma.$queryRawUnsafe<{ id: string }[]>(
      `SELECT i.id::text AS id FROM instance i JOIN data_center dc ON dc.id = i.data_center_id
        WHERE i.cluster_id = $1::uuid AND dc.jurisdiction_code <> $2 ORDER BY 1`,
      id,
      home,
    );
    const expectedLinks = await db.prisma.$queryRawUnsafe<{ id: string }[]>(
      `SELECT l.id::text AS id FROM replication_link l JOIN instance s ON s.id = l.source_id
         JOIN instance t ON t.id = l.target_id JOIN data_center dc ON dc.id = t.data_center_id
        WHERE s.cluster_id = $1::uuid AND dc.jurisdiction_code <> $2 ORDER BY 1`,
      id,
      home,
    );
    expect(expectedInstances.length).toBeGreaterThan(0);
    const outboxBefore = await db.prisma.webhookOutbox.count({ where: { event: "residency_finding.opened" } });

    // Read (and cached) before: the sweep must make the dashboard show the change at once.
    expect((await leadership().dashboards.residencyPosture({ range: "7d" })).openFindingCount).toBe(0);
    await db.prisma.cluster.update({ where: { id }, data: { allowedJurisdictions: [home] } });
    const narrowed = await sweepResidency(db.prisma);
    expect(narrowed.opened).toBe(expectedInstances.length + expectedLinks.length);
    const open = await openFindings();
    expect(open.filter((f) => f.subject === "INSTANCE").map((f) => f.subject_id)).toEqual(expectedInstances.map((r) => r.id));
    expect(open.filter((f) => f.subject === "LINK").map((f) => f.subject_id)).toEqual(expectedLinks.map((r) => r.id));
    expect(await db.prisma.webhookOutbox.count({ where: { event: "residency_finding.opened" } })).toBe(outboxBefore + narrowed.opened);

    // Idempotent: nothing opens or closes the second time, no new webhook.
    const again = await sweepResidency(db.prisma);
    expect(again).toMatchObject({ opened: 0, closed: 0, open: narrowed.open });
    expect(await db.prisma.webhookOutbox.count({ where: { event: "residency_finding.opened" } })).toBe(outboxBefore + narrowed.opened);

    // The dashboard shows them to leadership.
    const posture = await leadership().dashboards.residencyPosture({ range: "7d" });
    expect(posture.openFindingCount).toBe(narrowed.open);
    expect(posture.clustersOutOfPolicy).toBe(1);

    await db.prisma.cluster.update({ where: { id }, data: { allowedJurisdictions: allowed } });
    const widened = await sweepResidency(db.prisma);
    expect(widened).toMatchObject({ closed: narrowed.opened, opened: 0, open: 0 });
    expect(await openFindings()).toEqual([]);
    expect(await db.prisma.webhookOutbox.count({ where: { event: "residency_finding.resolved" } })).toBe(narrowed.opened);

    // Narrowed again: the same findings reopen (one row per subject, resolved_at cleared).
    await db.prisma.cluster.update({ where: { id }, data: { allowedJurisdictions: [home] } });
    expect((await sweepResidency(db.prisma)).opened).toBe(narrowed.opened);
    expect(await db.prisma.residencyFinding.count()).toBe(narrowed.opened);
    await db.prisma.cluster.update({ where: { id }, data: { allowedJurisdictions: allowed } });
    await sweepResidency(db.prisma);
  });
});

describe("dashboard procedures on the seeded history", () => {
  it("the seed's SLOs are policy's", () => {
    expect(HISTORY_LAG_SLO_SECONDS).toEqual(LAG_SLO_SECONDS);
  });

  it("fleet health: a point per hour over 7 days, shares adding up to 100 %, now by region", async () => {
    const r = await leadership().dashboards.fleetHealth({ range: "7d" });
    expect(r.window.grain).toBe("hour");
    expect(r.series.length).toBeGreaterThanOrEqual(7 * 24);
    const withData = r.series.filter((p) => p.minutes > 0);
    expect(withData.length).toBeGreaterThanOrEqual(7 * 24 - 1);
    for (const p of withData) expect(p.up + p.degraded + p.down + p.unknown).toBeCloseTo(100, 1);
    expect(r.nowByRegion.reduce((s, g) => s + g.total, 0)).toBe(300);
    expect(r.byRegion.length).toBeGreaterThan(0);
  });

  it("fleet health over 90 days is per day and matches SQL over the daily rollup", async () => {
    const r = await leadership().dashboards.fleetHealth({ range: "90d" });
    expect(r.window.grain).toBe("day");
    const withData = r.series.filter((p) => p.minutes > 0);
    expect(withData.length).toBeGreaterThanOrEqual(89);
    const [sql] = await db.prisma.$queryRawUnsafe<{ minutes: number }[]>(
      "SELECT sum(up_minutes + degraded_minutes + down_minutes + unknown_minutes)::float8 AS minutes FROM health_sample_daily WHERE bucket >= $1",
      r.window.bucketFrom,
    );
    expect(withData.reduce((s, p) => s + p.minutes, 0)).toBe(sql!.minutes);
  });

  it("a region filter narrows the fleet", async () => {
    const all = await leadership().dashboards.fleetHealth({ range: "24h" });
    const region = all.nowByRegion[0]!.code;
    const one = await leadership().dashboards.fleetHealth({ range: "24h", region });
    expect(one.nowByRegion.map((g) => g.code)).toEqual([region]);
    expect(one.byRegion.map((g) => g.regionCode)).toEqual([region]);
  });

  it("replication lag: p50 <= p95 per bucket, tiers against their SLOs, ten worst links", async () => {
    const r = await leadership().dashboards.replicationLag({ range: "30d" });
    expect(r.slos.map((s) => s.seconds)).toEqual([5, 30, 120, 600]);
    const points = r.series.filter((p) => p.p50 !== null);
    expect(points.length).toBeGreaterThanOrEqual(29);
    for (const p of points) expect(p.p50!).toBeLessThanOrEqual(p.p95!);
    expect(r.byTier.map((t) => t.key)).toEqual(["T0", "T1", "T2", "T3"]);
    expect(r.byTier.some((t) => (t.shareAboveSlo ?? 0) > 0)).toBe(true);
    expect(r.worstLinks).toHaveLength(10);
    for (let i = 1; i < r.worstLinks.length; i++) expect(r.worstLinks[i - 1]!.sloRatio).toBeGreaterThanOrEqual(r.worstLinks[i]!.sloRatio);
  });

  it("change delivery: weekly counts add up to the requests filed, failure rate from SQL", async () => {
    const r = await leadership().dashboards.changeDelivery({ range: "90d" });
    expect(r.filed).toBeGreaterThan(300);
    expect(r.weeks.reduce((s, w) => s + w.total, 0)).toBe(r.filed);
    const [sql] = await db.prisma.$queryRawUnsafe<{ failed: number; finished: number }[]>(
      `SELECT (count(*) FILTER (WHERE status IN ('FAILED','ROLLED_BACK')))::int AS failed,
              (count(*) FILTER (WHERE status IN ('SUCCEEDED','FAILED','ROLLED_BACK')))::int AS finished
         FROM change_request WHERE created_at >= $1`,
      r.window.from,
    );
    expect(r.failureRate.failed).toBe(sql!.failed);
    expect(r.failureRate.finished).toBe(sql!.finished);
    expect(r.leadTimes.filedToApproved.p50!).toBeGreaterThan(0);
    expect(r.leadTimes.filedToDone.p90!).toBeGreaterThanOrEqual(r.leadTimes.filedToDone.p50!);
  });

  it("residency posture lists blocked requests with their rule, and the cross-jurisdiction matrix", async () => {
    const r = await leadership().dashboards.residencyPosture({ range: "90d" });
    expect(r.blockedCount).toBeGreaterThan(0);
    expect(r.blocked[0]!.rule).toMatch(/^residency\/allowed-jurisdictions/);
    expect(r.matrix.length).toBeGreaterThan(0);
    for (const m of r.matrix) expect(m.from).not.toBe(m.to);
  });

  it("capacity: used + free = slots for every data center", async () => {
    const r = await leadership().dashboards.capacity({ range: "24h" });
    expect(r.dataCenters.length).toBeGreaterThan(0);
    for (const d of r.dataCenters) expect(d.used + d.free).toBe(d.slots);
    expect(r.totals.used).toBe(300);
  });

  it("refuses a custom range without dates, with a field message", async () => {
    await expect(leadership().dashboards.fleetHealth({ range: "custom" })).rejects.toThrow();
  });
});

describe("rollup job", () => {
  it("folds raw collector samples into the hourly rollup, samples the simulated fleet, and is idempotent", async () => {
    const inst = await db.prisma.instance.findFirstOrThrow({ orderBy: { name: "asc" } });
    await db.prisma.instance.update({ where: { id: inst.id }, data: { driver: "POSTGRES" } });
    const hour = new Date(Math.floor(NOW.getTime() / 3_600_000) * 3_600_000);
    const at = (m: number) => new Date(hour.getTime() + m * 60_000);
    // Twelve one-minute samples: 9 up, 3 degraded.
    await db.prisma.healthSample.createMany({
      data: Array.from({ length: 12 }, (_, m) => ({ instanceId: inst.id, at: at(m), health: m < 9 ? "UP" : "DEGRADED" })),
    });
    const now = at(15);
    const first = await rollUpSamples(db.prisma, { now, sampleIntervalMs: 60_000, rawHours: 48 });
    expect(first.skipped).toBe(false);
    const row = await db.prisma.healthSampleHourly.findUniqueOrThrow({ where: { instanceId_bucket: { instanceId: inst.id, bucket: hour } } });
    expect([row.upMinutes, row.degradedMinutes]).toEqual([9, 3]);
    // The simulated instances got the 15 minutes of this hour.
    const sim = await db.prisma.healthSampleHourly.findFirstOrThrow({ where: { bucket: hour, instanceId: { not: inst.id } } });
    expect(sim.upMinutes + sim.degradedMinutes + sim.downMinutes + sim.unknownMinutes).toBe(15);

    const again = await rollUpSamples(db.prisma, { now, sampleIntervalMs: 60_000 });
    expect(again.skipped).toBe(false);
    const same = await db.prisma.healthSampleHourly.findUniqueOrThrow({ where: { instanceId_bucket: { instanceId: inst.id, bucket: hour } } });
    expect([same.upMinutes, same.degradedMinutes]).toEqual([9, 3]);
    const simAgain = await db.prisma.healthSampleHourly.findFirstOrThrow({ where: { bucket: hour, instanceId: sim.instanceId } });
    expect(simAgain.upMinutes + simAgain.degradedMinutes + simAgain.downMinutes + simAgain.unknownMinutes).toBe(15);
  });

  it("prunes raw samples older than 48 hours", async () => {
    const inst = await db.prisma.instance.findFirstOrThrow({ orderBy: { name: "desc" } });
    await db.prisma.healthSample.create({ data: { instanceId: inst.id, at: new Date(NOW.getTime() - 49 * 3_600_000), health: "UP" } });
    const r = await rollUpSamples(db.prisma, { now: NOW, sampleIntervalMs: 60_000 });
    expect(r.prunedRaw).toBeGreaterThanOrEqual(1);
    expect(await db.prisma.healthSample.count({ where: { at: { lt: new Date(NOW.getTime() - 48 * 3_600_000) } } })).toBe(0);
  });
});

describe("result cache", () => {
  it("the jobs' refresh feeds what the procedures serve (the same key)", async () => {
    const filter = ZDashboardFilterSchema.parse({ range: "24h" });
    const at = new Date("2026-01-05T10:00:00.000Z");
    await refreshDashboard(db.prisma, dashboardCacheKey("fleetHealth", filter), () => computeFleetHealth(db.prisma, filter, at));
    const served = await leadership().dashboards.fleetHealth({ range: "24h" });
    expect(served.generatedAt.toISOString()).toBe(at.toISOString());
  });
});
