import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { type TRole } from "@meridian/policy";
import { appRouter, createCaller } from "../../root";

/**
 * The inventory procedures against a real, migrated PostgreSQL, on a small hand-made fleet
 * whose every count and roll-up is known:
 *
 *   fra1 (EU, capacity 4)   pay-eu: primary UP, replica DOWN (lag 90 s, 14.2 MiB, BROKEN)
 *                           web-eu: primary DOWN
 *   lon1 (UK, capacity 2)   pay-eu: standby DEGRADED (lag 1.5 s)   web-eu: replica UP
 *   nyc1 (US, capacity 1)   nothing
 */
let db: TTestDatabase;
const ids: Record<string, string> = {};

function caller(roles: TRole[]) {
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
      { code: "uk-south", name: "UK South", jurisdictionCode: "UK" },
      { code: "us-east", name: "US East", jurisdictionCode: "US" },
    ],
  });
  const dc = async (code: string, region: string, j: string, capacitySlots: number, city: string) =>
    (
      await p.dataCenter.create({
        data: { code, name: `${city} 1`, city, country: j === "EU" ? "DE" : j === "UK" ? "GB" : "US", latitude: 0, longitude: 0, regionCode: region, jurisdictionCode: j, provider: "aws", capacitySlots },
      })
    ).id;
  ids.fra1 = await dc("fra1", "eu-central", "EU", 4, "Frankfurt");
  ids.lon1 = await dc("lon1", "uk-south", "UK", 2, "London");
  ids.nyc1 = await dc("nyc1", "us-east", "US", 1, "New York");
  const team = await p.team.create({ data: { slug: "payments", name: "Payments" } });
  const cluster = async (name: string, tier: "T0" | "T2") =>
    (
      await p.cluster.create({
        data: {
          name,
          engine: "POSTGRESQL",
          engineVersion: "16.4",
          teamId: team.id,
          tier,
          classification: "PII",
          homeJurisdictionCode: "EU",
          allowedJurisdictions: ["EU", "UK"],
          rpoSeconds: 60,
          rtoSeconds: 600,
        },
      })
    ).id;
  ids.payEu = await cluster("pay-eu", "T0");
  ids.webEu = await cluster("web-eu", "T2");
  const instance = async (name: string, clusterId: string, dataCenterId: string, role: "PRIMARY" | "REPLICA" | "STANDBY", health: "UP" | "DOWN" | "DEGRADED") =>
    (
      await p.instance.create({
        data: { name, clusterId, dataCenterId, role, health, endpoint: `${name}.internal:5432`, version: "16.4", credentialCiphertext: "secret-ciphertext-never-sent" },
      })
    ).id;
  ids.payP = await instance("pay-eu-1", ids.payEu, ids.fra1, "PRIMARY", "UP");
  ids.payR = await instance("pay-eu-2", ids.payEu, ids.fra1, "REPLICA", "DOWN");
  ids.payS = await instance("pay-eu-3", ids.payEu, ids.lon1, "STANDBY", "DEGRADED");
  ids.webP = await instance("web-eu-1", ids.webEu, ids.fra1, "PRIMARY", "DOWN");
  ids.webR = await instance("web-eu-2", ids.webEu, ids.lon1, "REPLICA", "UP");
  await p.replicationLink.createMany({
    data: [
      { sourceId: ids.payP, targetId: ids.payR, mode: "PHYSICAL", status: "BROKEN", lagSeconds: 90, lagBytes: BigInt(Math.round(14.2 * 1024 * 1024)) },
      { sourceId: ids.payP, targetId: ids.payS, mode: "LOGICAL", status: "ACTIVE", lagSeconds: 1.5, lagBytes: 2048n },
      { sourceId: ids.webP, targetId: ids.webR, mode: "PHYSICAL", status: "ACTIVE", lagSeconds: 0.2, lagBytes: 10n },
    ],
  });
});

afterAll(async () => {
  await db?.drop();
});

describe("inventory procedures", () => {
  it("declare a permission each (default deny)", () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { permission?: string } } }>;
    const inventory = Object.entries(procedures).filter(([path]) => path.startsWith("inventory."));
    expect(inventory.length).toBe(8);
    for (const [path, proc] of inventory) {
      expect(proc._def.meta?.permission, path).toBe(path === "inventory.updateDataCenterStatus" ? "dataCenter.updateStatus" : "inventory.read");
    }
  });

  it("refuse callers without a session", async () => {
    const anonymous = createCaller({ prisma: db.prisma, user: null });
    await expectCode(anonymous.inventory.listDataCenters({}), "UNAUTHORIZED");
  });

  it("list data centers with instance counts, capacity and health roll-up", async () => {
    const page = await caller(["VIEWER"]).inventory.listDataCenters({});
    expect(page.total).toBe(3);
    expect(page.items.map((d) => d.code)).toEqual(["fra1", "lon1", "nyc1"]);
    const [fra1, lon1, nyc1] = page.items;
    expect(fra1).toMatchObject({ instanceCount: 3, capacitySlots: 4, capacityFree: 1, utilisation: 0.75, clusterCount: 2, health: "DEGRADED" });
    expect(fra1?.healthCounts).toEqual({ up: 1, degraded: 0, down: 2, unknown: 0 });
    expect(lon1).toMatchObject({ instanceCount: 2, capacityFree: 0, health: "DEGRADED" });
    expect(nyc1).toMatchObject({ instanceCount: 0, capacityFree: 1, health: "UNKNOWN" });
  });

  it("sort, filter, search and page data centers", async () => {
    const c = caller(["DBA"]);
    expect((await c.inventory.listDataCenters({ sort: "instances", order: "desc" })).items[0]?.code).toBe("fra1");
    expect((await c.inventory.listDataCenters({ sort: "free", order: "asc" })).items[0]?.code).toBe("lon1");
    expect((await c.inventory.listDataCenters({ jurisdiction: "UK" })).items.map((d) => d.code)).toEqual(["lon1"]);
    expect((await c.inventory.listDataCenters({ health: "UNKNOWN" })).items.map((d) => d.code)).toEqual(["nyc1"]);
    expect((await c.inventory.listDataCenters({ q: "lond" })).items.map((d) => d.code)).toEqual(["lon1"]);
    // LIKE wildcards in the search are literal.
    expect((await c.inventory.listDataCenters({ q: "%" })).total).toBe(0);
    const second = await c.inventory.listDataCenters({ pageSize: 2, page: 2 });
    expect(second).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(second.items.map((d) => d.code)).toEqual(["nyc1"]);
    // Past the end: no rows, but the total still says how many matched.
    expect(await c.inventory.listDataCenters({ pageSize: 2, page: 5 })).toMatchObject({ items: [], total: 3 });
  });

  it("reject bad list input with field messages", async () => {
    const c = caller(["DBA"]);
    await expectCode(c.inventory.listDataCenters({ pageSize: 500 }), "BAD_REQUEST");
    await expectCode(c.inventory.listDataCenters({ page: 0 }), "BAD_REQUEST");
    await expectCode(c.inventory.listDataCenters({ sort: "id; drop table x" as never }), "BAD_REQUEST");
  });

  it("list clusters with the primary's data center, worst lag and a roll-up that is down when the primary is", async () => {
    const page = await caller(["VIEWER"]).inventory.listClusters({ sort: "lag", order: "desc" });
    expect(page.items.map((c) => c.name)).toEqual(["pay-eu", "web-eu"]);
    const [pay, web] = page.items;
    expect(pay).toMatchObject({
      teamSlug: "payments",
      instanceCount: 3,
      dataCenterCount: 2,
      primaryDataCenterCode: "fra1",
      maxLagSeconds: 90,
      maxLagBytes: Math.round(14.2 * 1024 * 1024),
      linkCount: 2,
      brokenLinkCount: 1,
      health: "DEGRADED",
    });
    expect(typeof pay?.maxLagBytes).toBe("number");
    expect(web).toMatchObject({ primaryDataCenterCode: "fra1", health: "DOWN" });
    const inLon = await caller(["VIEWER"]).inventory.listClusters({ dataCenter: "lon1", health: "DOWN" });
    expect(inLon.items.map((c) => c.name)).toEqual(["web-eu"]);
  });

  it("list instances with their worst incoming lag as plain numbers", async () => {
    const c = caller(["ENGINEER"]);
    const page = await c.inventory.listInstances({ sort: "lag", order: "desc" });
    expect(page.total).toBe(5);
    expect(page.items[0]).toMatchObject({ name: "pay-eu-2", maxLagSeconds: 90, maxLagBytes: Math.round(14.2 * 1024 * 1024), dataCenterCode: "fra1", clusterName: "pay-eu" });
    // Primaries have no incoming link: no lag (sorted last when descending).
    expect(page.items.at(-1)?.maxLagSeconds).toBeNull();
    expect((await c.inventory.listInstances({ role: "PRIMARY" })).items.map((i) => i.name)).toEqual(["pay-eu-1", "web-eu-1"]);
    expect((await c.inventory.listInstances({ cluster: "web-eu", dataCenter: "lon1" })).items.map((i) => i.name)).toEqual(["web-eu-2"]);
    expect((await c.inventory.listInstances({ jurisdiction: "UK", health: "DEGRADED" })).items.map((i) => i.name)).toEqual(["pay-eu-3"]);
    expect(JSON.stringify(page)).not.toContain("secret-ciphertext");
  });

  it("list clusters and instances by name with the same figures as sorted by lag, and page with a total", async () => {
    const c = caller(["VIEWER"]);
    const byName = await c.inventory.listClusters({});
    const byLag = await c.inventory.listClusters({ sort: "lag", order: "desc" });
    expect(byName.items.map((x) => x.name)).toEqual(["pay-eu", "web-eu"]);
    expect(byName.total).toBe(2);
    const sortedByName = (items: typeof byLag.items) => [...items].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName.items).toEqual(sortedByName(byLag.items));
    expect(await c.inventory.listClusters({ pageSize: 1, page: 2 })).toMatchObject({ items: [{ name: "web-eu" }], total: 2 });
    expect(await c.inventory.listClusters({ q: "web", pageSize: 1, page: 3 })).toMatchObject({ items: [], total: 1 });

    const instancesByName = await c.inventory.listInstances({});
    const instancesByLag = await c.inventory.listInstances({ sort: "lag", order: "desc" });
    expect(instancesByName.items.map((i) => i.name)).toEqual(["pay-eu-1", "pay-eu-2", "pay-eu-3", "web-eu-1", "web-eu-2"]);
    expect(instancesByName.items).toEqual([...instancesByLag.items].sort((a, b) => a.name.localeCompare(b.name)));
    expect(await c.inventory.listInstances({ dataCenter: "fra1", pageSize: 2, page: 2 })).toMatchObject({ items: [{ name: "web-eu-1" }], total: 3 });
  });

  it("show a data center with its clusters, and answer NOT_FOUND for an unknown code", async () => {
    const c = caller(["VIEWER"]);
    const fra1 = await c.inventory.getDataCenter({ code: "FRA1" });
    expect(fra1).toMatchObject({ code: "fra1", instanceCount: 3, health: "DEGRADED", crossDataCenterLinks: { outgoing: 2, incoming: 0 } });
    expect(fra1.clusters.map((x) => [x.name, x.instancesHere, x.primaries, x.replicas])).toEqual([
      ["pay-eu", 2, 1, 1],
      ["web-eu", 1, 1, 0],
    ]);
    await expectCode(c.inventory.getDataCenter({ code: "nope" }), "NOT_FOUND");
  });

  it("show a cluster by name or id with its instances and links", async () => {
    const c = caller(["VIEWER"]);
    const byName = await c.inventory.getCluster({ ref: "pay-eu" });
    const byId = await c.inventory.getCluster({ ref: ids.payEu! });
    expect(byId.id).toBe(byName.id);
    expect(byName.instances.map((i) => [i.name, i.role, i.maxLagSeconds])).toEqual([
      ["pay-eu-1", "PRIMARY", null],
      ["pay-eu-2", "REPLICA", 90],
      ["pay-eu-3", "STANDBY", 1.5],
    ]);
    expect(byName.links[0]).toMatchObject({ lagSeconds: 90, status: "BROKEN", crossesDataCenter: false, crossesJurisdiction: false });
    expect(byName.links[1]).toMatchObject({ crossesDataCenter: true, crossesJurisdiction: true, lagBytes: 2048 });
    expect(JSON.stringify(byName)).not.toContain("secret-ciphertext");
    await expectCode(c.inventory.getCluster({ ref: "00000000-0000-4000-8000-000000000000" }), "NOT_FOUND");
  });

  it("show an instance with its links in and out, never its credential", async () => {
    const c = caller(["VIEWER"]);
    const primary = await c.inventory.getInstance({ ref: "pay-eu-1" });
    expect(primary.incomingLinks).toEqual([]);
    expect(primary.outgoingLinks.map((l) => l.target.name)).toEqual(["pay-eu-2", "pay-eu-3"]);
    expect(primary.peers.map((p) => p.name)).toEqual(["pay-eu-2", "pay-eu-3"]);
    expect(JSON.stringify(primary)).not.toContain("secret-ciphertext");
    expect(primary).not.toHaveProperty("credentialCiphertext");
    const replica = await c.inventory.getInstance({ ref: ids.payR! });
    expect(replica.incomingLinks.map((l) => [l.source.name, l.lagBytes])).toEqual([["pay-eu-1", Math.round(14.2 * 1024 * 1024)]]);
  });

  it("give the filter dropdowns every jurisdiction, region, team and enum value", async () => {
    const options = await caller(["VIEWER"]).inventory.filterOptions();
    expect(options.jurisdictions.map((j) => j.code)).toEqual(["EU", "UK", "US"]);
    expect(options.teams).toEqual([{ slug: "payments", name: "Payments" }]);
    expect(options.providers).toEqual(["aws"]);
    expect(options.healths).toEqual(["UP", "DEGRADED", "DOWN", "UNKNOWN"]);
  });
});

describe("updateDataCenterStatus", () => {
  it("is refused to the read-only leadership role and to engineers", async () => {
    await expectCode(caller(["VIEWER"]).inventory.updateDataCenterStatus({ code: "nyc1", status: "OFFLINE" }), "FORBIDDEN");
    await expectCode(caller(["ENGINEER"]).inventory.updateDataCenterStatus({ code: "nyc1", status: "OFFLINE" }), "FORBIDDEN");
    expect((await db.prisma.dataCenter.findUniqueOrThrow({ where: { code: "nyc1" } })).status).toBe("ACTIVE");
  });

  it("lets a DBA change the status, conditionally on the status they saw", async () => {
    const dba = caller(["DBA"]);
    const changed = await dba.inventory.updateDataCenterStatus({ code: "nyc1", status: "DRAINING", expectedStatus: "ACTIVE" });
    expect(changed).toMatchObject({ code: "nyc1", previousStatus: "ACTIVE", status: "DRAINING" });
    // Someone else saw ACTIVE too: refused, not overwritten.
    await expectCode(dba.inventory.updateDataCenterStatus({ code: "nyc1", status: "OFFLINE", expectedStatus: "ACTIVE" }), "CONFLICT");
    expect((await db.prisma.dataCenter.findUniqueOrThrow({ where: { code: "nyc1" } })).status).toBe("DRAINING");
    await expectCode(dba.inventory.updateDataCenterStatus({ code: "nyc1", status: "GONE" as never }), "BAD_REQUEST");
    await expectCode(dba.inventory.updateDataCenterStatus({ code: "zzz9", status: "ACTIVE" }), "NOT_FOUND");
    await caller(["ADMIN"]).inventory.updateDataCenterStatus({ code: "nyc1", status: "ACTIVE" });
  });
});
