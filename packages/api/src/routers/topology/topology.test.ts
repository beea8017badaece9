import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { ROLES, type TRole } from "@meridian/policy";
import { appRouter, createCaller } from "../../root";

/**
 * The topology procedures against a real, migrated PostgreSQL, on a small hand-made fleet
 * whose every route, roll-up and edge is known:
 *
 *   fra1 (EU, eu-central)  pay-eu-1 PRIMARY UP, pay-eu-2 REPLICA DOWN
 *   ams1 (EU, eu-west)     pay-eu-3 STANDBY UP, ana-uk-2 REPLICA UP
 *   lon1 (UK, uk-south)    pay-eu-4 REPLICA DEGRADED, ana-uk-1 PRIMARY UP
 *   nyc1 (US, OFFLINE)     nothing
 *
 *   pay-eu-1 -> pay-eu-2  PHYSICAL  BROKEN       90 s   (inside fra1)
 *   pay-eu-1 -> pay-eu-3  PHYSICAL  ACTIVE       0.4 s  fra1 -> ams1
 *   pay-eu-1 -> pay-eu-4  LOGICAL   CATCHING_UP  12 s   fra1 -> lon1 (crosses EU -> UK)
 *   pay-eu-1 -> ana-uk-1  CDC       ACTIVE       3 s    fra1 -> lon1 (crosses, feeds analytics)
 *   ana-uk-1 -> ana-uk-2  PHYSICAL  ACTIVE       0.2 s  lon1 -> ams1 (crosses UK -> EU)
 */
let db: TTestDatabase;
const ids: Record<string, string> = {};

function caller(roles: TRole[] = ["VIEWER"]) {
  return createCaller({ prisma: db.prisma, user: { id: "00000000-0000-4000-8000-000000000001", email: "t@x", name: "T", roles } });
}

async function expectCode(promise: Promise<unknown>, code: TRPCError["code"]) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
}

beforeAll(async () => {
  db = await createTestDatabase();
  const p = db.prisma;
  await p.jurisdiction.createMany({
    data: [
      { code: "EU", name: "European Union" },
      { code: "UK", name: "United Kingdom" },
      { code: "US", name: "United States" },
    ],
  });
  await p.region.createMany({
    data: [
      { code: "eu-central", name: "EU Central", jurisdictionCode: "EU" },
      { code: "eu-west", name: "EU West", jurisdictionCode: "EU" },
      { code: "uk-south", name: "UK South", jurisdictionCode: "UK" },
      { code: "us-east", name: "US East", jurisdictionCode: "US" },
    ],
  });
  const dc = async (code: string, regionCode: string, jurisdictionCode: string, capacitySlots: number, city: string, status: "ACTIVE" | "OFFLINE" = "ACTIVE") =>
    (
      await p.dataCenter.create({
        data: { code, name: `${city} 1`, city, country: "XX", latitude: 50, longitude: 5, regionCode, jurisdictionCode, provider: "aws", capacitySlots, status },
      })
    ).id;
  ids.fra1 = await dc("fra1", "eu-central", "EU", 4, "Frankfurt");
  ids.ams1 = await dc("ams1", "eu-west", "EU", 3, "Amsterdam");
  ids.lon1 = await dc("lon1", "uk-south", "UK", 2, "London");
  ids.nyc1 = await dc("nyc1", "us-east", "US", 1, "New York", "OFFLINE");
  const payments = await p.team.create({ data: { slug: "payments", name: "Payments" } });
  const analytics = await p.team.create({ data: { slug: "analytics", name: "Analytics" } });
  ids.payEu = (
    await p.cluster.create({
      data: { name: "pay-eu", engine: "POSTGRESQL", engineVersion: "16.4", teamId: payments.id, tier: "T0", classification: "PII", homeJurisdictionCode: "EU", allowedJurisdictions: ["EU", "UK"], rpoSeconds: 0, rtoSeconds: 60 },
    })
  ).id;
  ids.anaUk = (
    await p.cluster.create({
      data: { name: "ana-uk", engine: "MYSQL", engineVersion: "8.4.3", teamId: analytics.id, tier: "T2", classification: "INTERNAL", homeJurisdictionCode: "UK", allowedJurisdictions: ["UK", "EU"], rpoSeconds: 300, rtoSeconds: 1800 },
    })
  ).id;
  const instance = async (name: string, clusterId: string, dataCenterId: string, role: "PRIMARY" | "REPLICA" | "STANDBY", health: "UP" | "DOWN" | "DEGRADED") =>
    (await p.instance.create({ data: { name, clusterId, dataCenterId, role, health, endpoint: `${name}.internal:5432`, version: "16.4", credentialCiphertext: "secret-ciphertext-never-sent" } })).id;
  ids.pay1 = await instance("pay-eu-1", ids.payEu, ids.fra1, "PRIMARY", "UP");
  ids.pay2 = await instance("pay-eu-2", ids.payEu, ids.fra1, "REPLICA", "DOWN");
  ids.pay3 = await instance("pay-eu-3", ids.payEu, ids.ams1, "STANDBY", "UP");
  ids.pay4 = await instance("pay-eu-4", ids.payEu, ids.lon1, "REPLICA", "DEGRADED");
  ids.ana1 = await instance("ana-uk-1", ids.anaUk, ids.lon1, "PRIMARY", "UP");
  ids.ana2 = await instance("ana-uk-2", ids.anaUk, ids.ams1, "REPLICA", "UP");
  await p.replicationLink.createMany({
    data: [
      { sourceId: ids.pay1, targetId: ids.pay2, mode: "PHYSICAL", status: "BROKEN", lagSeconds: 90, lagBytes: 14_000_000n },
      { sourceId: ids.pay1, targetId: ids.pay3, mode: "PHYSICAL", status: "ACTIVE", lagSeconds: 0.4, lagBytes: 2048n },
      { sourceId: ids.pay1, targetId: ids.pay4, mode: "LOGICAL", status: "CATCHING_UP", lagSeconds: 12, lagBytes: 1_048_576n },
      { sourceId: ids.pay1, targetId: ids.ana1, mode: "CDC", status: "ACTIVE", lagSeconds: 3, lagBytes: 4096n },
      { sourceId: ids.ana1, targetId: ids.ana2, mode: "PHYSICAL", status: "ACTIVE", lagSeconds: 0.2, lagBytes: 10n },
    ],
  });
});

afterAll(async () => {
  await db?.drop();
});

describe("topology procedures: access", () => {
  it("declare topology.read each and let every role read", async () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { permission?: string } } }>;
    const topology = Object.entries(procedures).filter(([path]) => path.startsWith("topology."));
    expect(topology.map(([path]) => path).sort()).toEqual(
      ["topology.clusterGraph", "topology.dataCenterPanel", "topology.fleetGraph", "topology.mapOverview", "topology.search"],
    );
    for (const [path, proc] of topology) expect(proc._def.meta?.permission, path).toBe("topology.read");
    for (const role of ROLES) await expect(caller([role]).topology.mapOverview({})).resolves.toBeDefined();
  });

  it("refuse callers without a session", async () => {
    const anonymous = createCaller({ prisma: db.prisma, user: null });
    await expectCode(anonymous.topology.mapOverview({}), "UNAUTHORIZED");
    await expectCode(anonymous.topology.clusterGraph({ cluster: "pay-eu" }), "UNAUTHORIZED");
  });

  it("refuse unknown filter keys and bad values with BAD_REQUEST", async () => {
    await expectCode(caller().topology.mapOverview({ jurisdicton: "EU" } as never), "BAD_REQUEST");
    await expectCode(caller().topology.fleetGraph({ engine: "DB2" } as never), "BAD_REQUEST");
    await expectCode(caller().topology.search({ q: "  " }), "BAD_REQUEST");
  });
});

describe("topology.mapOverview", () => {
  it("places every data center with its roll-up, empty and offline ones included", async () => {
    const map = await caller().topology.mapOverview({});
    expect(map.dataCenters.map((d) => d.code)).toEqual(["ams1", "fra1", "lon1", "nyc1"]);
    const by = Object.fromEntries(map.dataCenters.map((d) => [d.code, d]));
    expect(by.fra1).toMatchObject({ instanceCount: 2, capacityUsed: 2, capacityFree: 2, utilisation: 0.5, clusterCount: 1, primaryCount: 1, health: "DEGRADED" });
    expect(by.fra1?.healthCounts).toEqual({ up: 1, degraded: 0, down: 1, unknown: 0 });
    expect(by.ams1).toMatchObject({ instanceCount: 2, clusterCount: 2, health: "UP" });
    expect(by.lon1).toMatchObject({ instanceCount: 2, capacityFree: 0, health: "DEGRADED" });
    expect(by.nyc1).toMatchObject({ instanceCount: 0, status: "OFFLINE", health: "UNKNOWN", latitude: 50, longitude: 5 });
    expect(map.contextDataCenters).toEqual([]);
    expect(map.filtered).toBe(false);
  });

  it("aggregates cross-data-center links into routes per pair: count, direction, worst lag, jurisdictions", async () => {
    const map = await caller().topology.mapOverview({});
    expect(map.routes.map((r) => r.id)).toEqual(["ams1~fra1", "ams1~lon1", "fra1~lon1"]);
    const [amsFra, amsLon, fraLon] = map.routes;
    expect(amsFra).toMatchObject({ a: "ams1", b: "fra1", linkCount: 1, aToB: 0, bToA: 1, maxLagSeconds: 0.4, crossesJurisdiction: false, brokenCount: 0 });
    expect(amsLon).toMatchObject({ linkCount: 1, aToB: 0, bToA: 1, maxLagSeconds: 0.2, crossesJurisdiction: true });
    expect(fraLon).toMatchObject({ linkCount: 2, aToB: 2, bToA: 0, maxLagSeconds: 12, maxLagBytes: 1_048_576, impairedCount: 1, crossesJurisdiction: true });
    expect(fraLon?.modes).toEqual({ PHYSICAL: 0, LOGICAL: 1, CDC: 1 });
    // The broken link inside fra1 is no route.
    expect(map.totals).toEqual({ dataCenters: 4, instances: 6, crossDataCenterLinks: 4, crossJurisdictionLinks: 3 });
  });

  it("filters by jurisdiction, keeping routes that leave it with their far end as context", async () => {
    const map = await caller().topology.mapOverview({ jurisdiction: "UK" });
    expect(map.dataCenters.map((d) => d.code)).toEqual(["lon1"]);
    expect(map.routes.map((r) => r.id)).toEqual(["ams1~lon1", "fra1~lon1"]);
    expect(map.contextDataCenters.map((d) => d.code)).toEqual(["ams1", "fra1"]);
    expect(map.filtered).toBe(true);
    expect((await caller().topology.mapOverview({ region: "eu-west" })).dataCenters.map((d) => d.code)).toEqual(["ams1"]);
  });

  it("filters by team, classification and engine: only data centers running matching instances", async () => {
    const team = await caller().topology.mapOverview({ team: "analytics" });
    expect(team.dataCenters.map((d) => [d.code, d.instanceCount, d.capacityUsed])).toEqual([
      ["ams1", 1, 2],
      ["lon1", 1, 2],
    ]);
    // The analytics replication, and the CDC feed into analytics from fra1 (context).
    expect(team.routes.map((r) => [r.id, r.linkCount])).toEqual([
      ["ams1~lon1", 1],
      ["fra1~lon1", 1],
    ]);
    expect(team.contextDataCenters.map((d) => d.code)).toEqual(["fra1"]);
    expect((await caller().topology.mapOverview({ classification: "PII" })).dataCenters.map((d) => d.code)).toEqual(["ams1", "fra1", "lon1"]);
    const none = await caller().topology.mapOverview({ engine: "ORACLE" });
    expect(none).toMatchObject({ dataCenters: [], routes: [], contextDataCenters: [] });
  });

  it("shows a health change at once (no cache)", async () => {
    await db.prisma.instance.update({ where: { id: ids.ana2! }, data: { health: "DOWN" } });
    try {
      const ams1 = (await caller().topology.mapOverview({})).dataCenters.find((d) => d.code === "ams1");
      expect(ams1).toMatchObject({ health: "DEGRADED", healthCounts: { up: 1, degraded: 0, down: 1, unknown: 0 } });
    } finally {
      await db.prisma.instance.update({ where: { id: ids.ana2! }, data: { health: "UP" } });
    }
  });
});

describe("topology.dataCenterPanel", () => {
  it("lists the clusters and instances there, with lag into each instance, and links in and out", async () => {
    const panel = await caller().topology.dataCenterPanel({ code: "FRA1" });
    expect(panel).toMatchObject({
      code: "fra1",
      jurisdiction: { code: "EU", name: "European Union" },
      region: { code: "eu-central", name: "EU Central" },
      capacitySlots: 4,
      capacityUsed: 2,
      capacityFree: 2,
      instanceCount: 2,
      health: "DEGRADED",
      internalLinkCount: 1,
    });
    expect(panel.clusters.map((c) => c.name)).toEqual(["pay-eu"]);
    expect(panel.clusters[0]?.instances).toEqual([
      { id: ids.pay1, name: "pay-eu-1", role: "PRIMARY", health: "UP", lagSeconds: null, lagBytes: null, linkStatus: null },
      { id: ids.pay2, name: "pay-eu-2", role: "REPLICA", health: "DOWN", lagSeconds: 90, lagBytes: 14_000_000, linkStatus: "BROKEN" },
    ]);
    expect(panel.links.map((l) => [l.direction, l.dataCenter.code, l.linkCount, l.maxLagSeconds, l.crossesJurisdiction])).toEqual([
      ["out", "lon1", 2, 12, true],
      ["out", "ams1", 1, 0.4, false],
    ]);
    const lon1 = await caller().topology.dataCenterPanel({ code: "lon1" });
    expect(lon1.links.map((l) => [l.direction, l.dataCenter.code, l.linkCount])).toEqual([
      ["out", "ams1", 1],
      ["in", "fra1", 2],
    ]);
    expect(lon1.clusters.map((c) => c.name)).toEqual(["pay-eu", "ana-uk"]); // T0 before T2
    expect(lon1).toMatchObject({ clusterCount: 2, matchingClusterCount: 2, nextCursor: null });
  });

  it("pages the cluster list on the server, with the totals and roll-up of the whole data center", async () => {
    const first = await caller().topology.dataCenterPanel({ code: "lon1", limit: 1 });
    expect(first.clusters.map((c) => c.name)).toEqual(["pay-eu"]);
    expect(first.clusters[0]?.instances.map((i) => i.name)).toEqual(["pay-eu-4"]);
    expect(first).toMatchObject({ clusterCount: 2, matchingClusterCount: 2, instanceCount: 2, healthCounts: { up: 1, degraded: 1, down: 0, unknown: 0 } });
    expect(first.nextCursor).not.toBeNull();
    // As the console's infinite query asks for it (tRPC adds the direction).
    const second = await caller().topology.dataCenterPanel({ code: "lon1", limit: 1, cursor: first.nextCursor, direction: "forward" });
    expect(second.clusters.map((c) => c.name)).toEqual(["ana-uk"]);
    expect(second.nextCursor).toBeNull();
    expect((await caller().topology.dataCenterPanel({ code: "lon1", cursor: 5 })).clusters).toEqual([]);
    await expectCode(caller().topology.dataCenterPanel({ code: "lon1", limit: 0 }), "BAD_REQUEST");
  });

  it("filters the cluster list by cluster, team or instance name, keeping every instance of a matching cluster", async () => {
    const byInstance = await caller().topology.dataCenterPanel({ code: "ams1", q: "ANA-UK-2" });
    expect(byInstance.clusters.map((c) => c.name)).toEqual(["ana-uk"]);
    expect(byInstance).toMatchObject({ clusterCount: 2, matchingClusterCount: 1, instanceCount: 2, nextCursor: null });
    const byTeam = await caller().topology.dataCenterPanel({ code: "fra1", q: "payments" });
    expect(byTeam.clusters[0]?.instances.map((i) => i.name)).toEqual(["pay-eu-1", "pay-eu-2"]);
    expect((await caller().topology.dataCenterPanel({ code: "ams1", q: "pay" })).clusters.map((c) => c.name)).toEqual(["pay-eu"]);
    // LIKE's wildcards are the user's text, not patterns.
    expect(await caller().topology.dataCenterPanel({ code: "ams1", q: "%" })).toMatchObject({ clusters: [], matchingClusterCount: 0, clusterCount: 2 });
  });

  it("applies the map's filters and reports unknown codes as NOT_FOUND", async () => {
    const lon1 = await caller().topology.dataCenterPanel({ code: "lon1", team: "analytics" });
    expect(lon1.clusters.map((c) => c.name)).toEqual(["ana-uk"]);
    expect(lon1.filtered).toBe(true);
    expect(lon1.capacityUsed).toBe(2);
    const empty = await caller().topology.dataCenterPanel({ code: "nyc1" });
    expect(empty).toMatchObject({ instanceCount: 0, clusterCount: 0, matchingClusterCount: 0, clusters: [], nextCursor: null, links: [], health: "UNKNOWN", status: "OFFLINE" });
    await expectCode(caller().topology.dataCenterPanel({ code: "nope1" }), "NOT_FOUND");
  });
});

describe("topology.clusterGraph", () => {
  it("returns the cluster's instances by data center and every link, CDC feeds with their external end", async () => {
    const graph = await caller().topology.clusterGraph({ cluster: "pay-eu" });
    expect(graph.cluster).toMatchObject({ name: "pay-eu", teamSlug: "payments", tier: "T0", health: "DEGRADED", rpoSeconds: 0 });
    expect(graph.dataCenters.map((d) => [d.code, d.jurisdictionCode, d.health])).toEqual([
      ["ams1", "EU", "UP"],
      ["fra1", "EU", "DEGRADED"],
      ["lon1", "UK", "DEGRADED"],
    ]);
    expect(graph.instances.map((i) => [i.name, i.role, i.dataCenterCode, i.external])).toEqual([
      ["pay-eu-3", "STANDBY", "ams1", false],
      ["pay-eu-1", "PRIMARY", "fra1", false],
      ["pay-eu-2", "REPLICA", "fra1", false],
      ["ana-uk-1", "PRIMARY", "lon1", true],
      ["pay-eu-4", "REPLICA", "lon1", false],
    ]);
    const edges = graph.links
      .map((l) => [graph.instances.find((i) => i.id === l.sourceId)?.name, graph.instances.find((i) => i.id === l.targetId)?.name, l.mode, l.status, l.lagSeconds, l.crossesDataCenter, l.crossesJurisdiction])
      .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    expect(edges).toEqual([
      ["pay-eu-1", "ana-uk-1", "CDC", "ACTIVE", 3, true, true],
      ["pay-eu-1", "pay-eu-2", "PHYSICAL", "BROKEN", 90, false, false],
      ["pay-eu-1", "pay-eu-3", "PHYSICAL", "ACTIVE", 0.4, true, false],
      ["pay-eu-1", "pay-eu-4", "LOGICAL", "CATCHING_UP", 12, true, true],
    ]);
    // The same cluster by id; credentials never leave the server.
    const byId = await caller().topology.clusterGraph({ cluster: ids.payEu! });
    expect(byId.cluster.name).toBe("pay-eu");
    expect(JSON.stringify(byId)).not.toContain("secret-ciphertext");
  });

  it("reports an unknown cluster as NOT_FOUND", async () => {
    await expectCode(caller().topology.clusterGraph({ cluster: "no-such-cluster" }), "NOT_FOUND");
  });
});

describe("topology.fleetGraph", () => {
  type TFleet = Awaited<ReturnType<ReturnType<typeof caller>["topology"]["fleetGraph"]>>;
  /** The columns read back as rows, enums and data-center indexes decoded as the console does. */
  const clusterRows = (f: TFleet) =>
    f.clusters.name.map((name, i) => ({
      name,
      dataCenterCode: f.dataCenters[f.clusters.dataCenter[i]!]!.code,
      tier: f.codes.tier[f.clusters.tier[i]!],
      engine: f.codes.engine[f.clusters.engine[i]!],
      instanceCount: f.clusters.instanceCount[i],
      health: f.codes.health[f.clusters.health[i]!],
      down: f.clusters.down[i],
      degraded: f.clusters.degraded[i],
      maxLagSeconds: f.clusters.maxLagSeconds[i],
      brokenLinks: f.clusters.brokenLinks[i],
    }));
  const edgeRows = (f: TFleet) =>
    f.edges.source.map((s, i) => [`${f.dataCenters[s]!.code}>${f.dataCenters[f.edges.target[i]!]!.code}`, f.edges.linkCount[i], f.edges.maxLagSeconds[i], f.edges.brokenCount[i], f.edges.impairedCount[i]]);

  it("puts each cluster in its primary's data center and adds up links between data centers", async () => {
    const fleet = await caller().topology.fleetGraph({});
    expect(fleet.dataCenters.map((d) => [d.code, d.clusterCount, d.instanceCount, d.health])).toEqual([
      ["ams1", 0, 2, "UP"],
      ["fra1", 1, 2, "DEGRADED"],
      ["lon1", 1, 2, "DEGRADED"],
      ["nyc1", 0, 0, "UNKNOWN"],
    ]);
    // In grid order: by data center (fra1 before lon1), whatever the names.
    expect(clusterRows(fleet)).toEqual([
      { name: "pay-eu", dataCenterCode: "fra1", tier: "T0", engine: "POSTGRESQL", instanceCount: 4, health: "DEGRADED", down: 1, degraded: 1, maxLagSeconds: 90, brokenLinks: 1 },
      { name: "ana-uk", dataCenterCode: "lon1", tier: "T2", engine: "MYSQL", instanceCount: 2, health: "UP", down: 0, degraded: 0, maxLagSeconds: 3, brokenLinks: 0 },
    ]);
    expect(edgeRows(fleet)).toEqual([
      ["fra1>ams1", 1, 0.4, 0, 0],
      ["fra1>lon1", 2, 12, 0, 1],
      ["lon1>ams1", 1, 0.2, 0, 0],
    ]);
    expect(fleet.totals).toEqual({ dataCenters: 4, clusters: 2, instances: 6, links: 4 });
  });

  it("sends clusters and edges as columns: every field once, not once per row", async () => {
    const fleet = await caller().topology.fleetGraph({});
    for (const column of Object.values(fleet.clusters)) expect(column).toHaveLength(fleet.totals.clusters);
    for (const column of Object.values(fleet.edges)) expect(column).toHaveLength(3);
    const json = JSON.stringify(fleet);
    expect(json.match(/"name"/g)).toHaveLength(fleet.dataCenters.length + 1);
    // Enums travel as indexes into one dictionary each.
    expect(json.match(/POSTGRESQL/g)).toHaveLength(1);
  });

  it("counts an instance fed by two links once in its cluster", async () => {
    // A second feed into pay-eu-4 (a CDC from ana-uk-1, inside lon1), taken out again after.
    const extra = await db.prisma.replicationLink.create({ data: { sourceId: ids.ana1!, targetId: ids.pay4!, mode: "CDC", status: "BROKEN", lagSeconds: 200, lagBytes: 1n } });
    try {
      const pay = clusterRows(await caller().topology.fleetGraph({})).find((c) => c.name === "pay-eu");
      expect(pay).toMatchObject({ instanceCount: 4, down: 1, degraded: 1, maxLagSeconds: 200, brokenLinks: 2 });
    } finally {
      await db.prisma.replicationLink.delete({ where: { id: extra.id } });
    }
  });

  it("orders the clusters of one data center by tier, then name (the order their cards are drawn in)", async () => {
    // Three more clusters with their primary in fra1, taken out again after.
    const team = await db.prisma.team.findFirstOrThrow({ where: { slug: "payments" } });
    const made: string[] = [];
    try {
      for (const [name, tier] of [["zz-first-tier", "T0"], ["Aa-upper", "T1"], ["aa-lower", "T1"]] as const) {
        const c = await db.prisma.cluster.create({
          data: { name, engine: "POSTGRESQL", engineVersion: "16.4", teamId: team.id, tier, classification: "INTERNAL", homeJurisdictionCode: "EU", allowedJurisdictions: ["EU"], rpoSeconds: 0, rtoSeconds: 60 },
        });
        made.push(c.id);
        await db.prisma.instance.create({ data: { name: `${name}-1`, clusterId: c.id, dataCenterId: ids.fra1!, role: "PRIMARY", health: "UP", endpoint: `${name}-1.internal:5432`, version: "16.4" } });
      }
      const fleet = await caller().topology.fleetGraph({});
      expect(clusterRows(fleet).map((c) => [c.dataCenterCode, c.tier, c.name])).toEqual([
        ["fra1", "T0", "pay-eu"],
        ["fra1", "T0", "zz-first-tier"],
        ["fra1", "T1", "Aa-upper"],
        ["fra1", "T1", "aa-lower"],
        ["lon1", "T2", "ana-uk"],
      ]);
      expect(fleet.dataCenters.find((d) => d.code === "fra1")?.clusterCount).toBe(4);
    } finally {
      await db.prisma.instance.deleteMany({ where: { clusterId: { in: made } } });
      await db.prisma.cluster.deleteMany({ where: { id: { in: made } } });
    }
  });

  it("with filters, keeps the matching part and counts links that leave it", async () => {
    const eu = await caller().topology.fleetGraph({ jurisdiction: "EU" });
    expect(eu.dataCenters.map((d) => [d.code, d.linksOutsideView])).toEqual([
      ["ams1", 1],
      ["fra1", 2],
    ]);
    expect(eu.clusters.name).toEqual(["pay-eu"]);
    expect(clusterRows(eu)[0]?.dataCenterCode).toBe("fra1");
    expect(edgeRows(eu).map((e) => e[0])).toEqual(["fra1>ams1"]);
    const team = await caller().topology.fleetGraph({ team: "payments" });
    expect(team.clusters.name).toEqual(["pay-eu"]);
    expect(team.dataCenters.map((d) => d.code)).toEqual(["ams1", "fra1", "lon1"]);
  });
});

describe("topology.search", () => {
  it("finds clusters, instances and data centers, best matches first", async () => {
    const pay = await caller().topology.search({ q: "pay-eu" });
    expect(pay.hits.filter((h) => h.kind === "cluster").map((h) => [h.key, h.health, h.dataCenterCode])).toEqual([["pay-eu", "DEGRADED", "fra1"]]);
    expect(pay.hits.filter((h) => h.kind === "instance").map((h) => [h.key, h.clusterName])).toEqual([
      ["pay-eu-1", "pay-eu"],
      ["pay-eu-2", "pay-eu"],
      ["pay-eu-3", "pay-eu"],
      ["pay-eu-4", "pay-eu"],
    ]);
    const dc = await caller().topology.search({ q: "lond" });
    expect(dc.hits.map((h) => [h.kind, h.key])).toEqual([["dataCenter", "lon1"]]);
    const exact = await caller().topology.search({ q: "ana-uk-2", kinds: ["instance"] });
    expect(exact.hits.map((h) => [h.key, h.role, h.dataCenterCode])).toEqual([["ana-uk-2", "REPLICA", "ams1"]]);
    // LIKE wildcards are literal; the limit holds per kind.
    expect((await caller().topology.search({ q: "%" })).hits).toEqual([]);
    expect((await caller().topology.search({ q: "-", limit: 2, kinds: ["instance"] })).hits).toHaveLength(2);
  });
});
