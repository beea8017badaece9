import { describe, expect, it } from "vitest";
import { blockRange, decodeFleetGraph, fleetGraphDecoder, pairEdges, visibleCardBlocks } from "./fleet-model";
import { type TFleetGraphWire } from "./types";

const dc = (code: string, jurisdictionCode: string): TFleetGraphWire["dataCenters"][number] => ({
  code,
  name: code,
  city: code,
  latitude: 0,
  longitude: 0,
  regionCode: "r",
  jurisdictionCode,
  status: "ACTIVE",
  capacitySlots: 10,
  capacityUsed: 2,
  instanceCount: 2,
  clusterCount: 1,
  healthCounts: { up: 2, degraded: 0, down: 0, unknown: 0 },
  health: "UP",
  linksOutsideView: 0,
});

/** Two data centers in two jurisdictions, a cluster in each, links both ways. */
function wire(payHealth = 0): TFleetGraphWire {
  return {
    dataCenters: [dc("fra1", "EU"), dc("lon1", "UK")],
    clusters: {
      name: ["pay-eu", "ana-uk"],
      dataCenter: [0, 1],
      tier: [0, 2],
      engine: [0, 1],
      health: [payHealth, 0],
      instanceCount: [4, 2],
      down: [0, 0],
      degraded: [0, 0],
      maxLagSeconds: [90, null],
      brokenLinks: [1, 0],
    },
    edges: { source: [0, 1], target: [1, 0], linkCount: [2, 1], maxLagSeconds: [12, 0.2], brokenCount: [0, 0], impairedCount: [1, 0] },
    codes: { tier: ["T0", "T1", "T2", "T3"], engine: ["POSTGRESQL", "MYSQL", "MARIADB", "SQLSERVER", "ORACLE"], health: ["UP", "DEGRADED", "DOWN", "UNKNOWN"] },
    totals: { dataCenters: 2, clusters: 2, instances: 4, links: 3 },
    filtered: false,
    generatedAt: new Date(0),
  };
}

describe("decodeFleetGraph", () => {
  it("reads the columns back as the clusters and edges the fleet view draws", () => {
    const g = decodeFleetGraph(wire());
    expect(g.clusters).toEqual([
      { name: "pay-eu", dataCenterCode: "fra1", tier: "T0", engine: "POSTGRESQL", instanceCount: 4, health: "UP", down: 0, degraded: 0, maxLagSeconds: 90, brokenLinks: 1 },
      { name: "ana-uk", dataCenterCode: "lon1", tier: "T2", engine: "MYSQL", instanceCount: 2, health: "UP", down: 0, degraded: 0, maxLagSeconds: null, brokenLinks: 0 },
    ]);
    expect(g.edges.map((e) => [e.id, e.linkCount, e.crossesJurisdiction])).toEqual([
      ["fra1>lon1", 2, true],
      ["lon1>fra1", 1, true],
    ]);
    expect(pairEdges(g.edges)).toMatchObject([{ id: "fra1~lon1", aToB: 2, bToA: 1, linkCount: 3, maxLagSeconds: 12 }]);
  });

  it("keeps the rows of a refresh that changed nothing, and only the changed cluster otherwise", () => {
    const decode = fleetGraphDecoder();
    const first = decode(wire());
    const same = decode(wire());
    expect(same.clusters).toBe(first.clusters);
    expect(same.edges).toBe(first.edges);
    const degraded = decode(wire(1));
    expect(degraded.clusters).not.toBe(first.clusters);
    expect(degraded.clusters[0]).toMatchObject({ name: "pay-eu", health: "DEGRADED" });
    expect(degraded.clusters[1]).toBe(first.clusters[1]);
  });
});

describe("visibleCardBlocks", () => {
  // One data center of 100 clusters on 5 columns: 20 rows, 5 blocks of 4 rows.
  const layout = {
    dataCenters: { fra1: { x: 0, y: 0, width: 1000, height: 1200, cols: 5 } },
    jurisdictions: {},
    clusters: {},
    bounds: { x: 0, y: 0, width: 1000, height: 1200 },
  };
  const counts = new Map([["fra1", 100]]);

  it("opens only the blocks of rows near the screen, nearest first", () => {
    // The top of the data center on screen: the header and the first rows.
    expect(visibleCardBlocks(layout, counts, { x: 0, y: 0, width: 1000, height: 200 }, 0)).toEqual(["fra1:0"]);
    // The middle rows (y 500-700, widened by a quarter of the screen: 450-750; blocks are 216 high from y 84).
    const middle = visibleCardBlocks(layout, counts, { x: 0, y: 500, width: 1000, height: 200 });
    expect(middle[0]).toBe("fra1:2");
    expect([...middle].sort()).toEqual(["fra1:1", "fra1:2", "fra1:3"]);
    // Off screen, or no clusters: nothing.
    expect(visibleCardBlocks(layout, counts, { x: 2000, y: 0, width: 500, height: 500 })).toEqual([]);
    expect(visibleCardBlocks(layout, new Map([["fra1", 0]]), { x: 0, y: 0, width: 1000, height: 1200 })).toEqual([]);
  });

  it("a block holds whole rows, the last one what is left", () => {
    expect(blockRange(0, 5, 100)).toEqual([0, 20]);
    expect(blockRange(4, 5, 100)).toEqual([80, 100]);
    expect(blockRange(2, 5, 45)).toEqual([40, 45]);
  });
});
