import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { previewChange } from "@meridian/orchestrator";
import { ZCreateChangeRequestRequestSchema } from "../../routers/changes/create-change-request.schema";
import { actorOf, clusterNamed, seedFleet, WEDNESDAY_NOON } from "../../test/change-fixtures";
import { type TActor } from "./actor";
import { changeFormOptions, loadFleetSnapshot } from "./index";

/**
 * Data-sync hosting across clusters, through the services: the source is the primary of
 * payments-settlements-eu-01 (the engineer's team; PII, EU, may also live in JP), made a real
 * server; the targets are registered STANDBY real servers of a cluster of another team.
 */
let db: TTestDatabase;
let engineer: TActor;
let source: { clusterId: string; primaryId: string };
let other: { id: string; name: string };
const standby: Record<"JP" | "US", { id: string; dataCenterId: string }> = {} as never;
const now = WEDNESDAY_NOON;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedFleet(db.prisma);
  engineer = await actorOf(db.prisma, "engineer");
  const cluster = await clusterNamed(db.prisma, "payments-settlements-eu-01");
  const primary = cluster.instances.find((i) => i.role === "PRIMARY")!;
  await db.prisma.instance.update({ where: { id: primary.id }, data: { driver: "POSTGRES" } });
  source = { clusterId: cluster.id, primaryId: primary.id };
  other = await db.prisma.cluster.findFirstOrThrow({ where: { team: { slug: { not: "payments" } } }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  for (const j of ["JP", "US"] as const) {
    const dc = await db.prisma.dataCenter.findFirstOrThrow({ where: { jurisdictionCode: j, status: "ACTIVE" }, orderBy: { code: "asc" }, select: { id: true } });
    const created = await db.prisma.instance.create({
      data: { name: `reporting-${j.toLowerCase()}-s1`, clusterId: other.id, dataCenterId: dc.id, role: "STANDBY", driver: "POSTGRES", endpoint: "127.0.0.1:5999", version: "17", health: "UP" },
      select: { id: true, dataCenterId: true },
    });
    standby[j] = created;
  }
});
afterAll(async () => {
  await db.drop();
});

const addLink = (j: "JP" | "US") =>
  ZCreateChangeRequestRequestSchema.parse({
    params: { kind: "ADD_LINK", clusterId: source.clusterId, sourceInstanceId: source.primaryId, targetDataCenterId: standby[j].dataCenterId, targetInstanceId: standby[j].id },
  });

describe("ADD_LINK into another cluster's registered standby", () => {
  it("the snapshot loads the target's cluster too", async () => {
    const snapshot = await loadFleetSnapshot(db.prisma, addLink("JP").params);
    expect(snapshot.clusters.map((c) => c.id).sort()).toEqual([source.clusterId, other.id].sort());
  });

  // createChangeRequest also preflights the two servers (they must answer): that path runs in
  // the orchestrator's engine test on real servers. Here: the loaded snapshot through the preview.
  it("the preview places the SOURCE cluster's data in the target's data center and names both clusters", async () => {
    const { params } = addLink("JP");
    const preview = previewChange(params, await loadFleetSnapshot(db.prisma, params), { now });
    expect(preview.blastRadius.clusters.map((c) => c.name).sort()).toEqual(["payments-settlements-eu-01", other.name].sort());
    expect(preview.placements.map((p) => [p.clusterId, p.jurisdiction, p.action])).toEqual([[source.clusterId, "JP", "replicate"]]);
    expect(preview.residency.verdict).toBe("CROSSES_WITHIN_POLICY");
    expect(preview.plan.steps.map((s) => s.action)).toEqual(["checkInstance", "preflightLink", "createLink", "waitForCatchUp", "verifyLink"]);
  });

  it("a target outside the SOURCE cluster's allowed jurisdictions is BLOCKED with the rule", async () => {
    const { params } = addLink("US");
    const preview = previewChange(params, await loadFleetSnapshot(db.prisma, params), { now });
    expect(preview.residency.verdict).toBe("BLOCKED");
    expect(preview.residency.rule).toMatch(/^residency\/allowed-jurisdictions: cluster payments-settlements-eu-01 \(PII\) may live in .*; the change would replicate to US/);
  });

  it("the form offers other clusters' registered standbys, labelled with their cluster", async () => {
    const options = await changeFormOptions(db.prisma, engineer, { kind: "ADD_LINK", clusterId: source.clusterId }, { now });
    const offered = options.syncTargets.filter((t) => t.id === standby.JP.id || t.id === standby.US.id);
    expect(offered.map((t) => [t.name, t.clusterName]).sort()).toEqual([["reporting-jp-s1", other.name], ["reporting-us-s1", other.name]]);
    expect(options.syncTargets.every((t) => t.clusterId !== source.clusterId && t.role === "STANDBY")).toBe(true);
  });
});
