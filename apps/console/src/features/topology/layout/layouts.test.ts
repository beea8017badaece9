import { describe, expect, it } from "vitest";
import { cellPosition, CLUSTER_CELL, dataCenterSize, INSTANCE_NODE, layoutCluster, layoutFleet, layoutKey, type TBox } from "./layouts";

function overlaps(a: TBox, b: TBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

const cluster = {
  groups: ["ams1", "fra1", "lon1"],
  nodes: [
    { id: "p", group: "fra1" },
    { id: "r1", group: "fra1" },
    { id: "s1", group: "ams1" },
    { id: "r2", group: "lon1" },
    { id: "r3", group: "lon1" },
  ],
  edges: [
    { source: "p", target: "r1" },
    { source: "p", target: "s1" },
    { source: "p", target: "r2" },
    { source: "p", target: "r3" },
  ],
};

describe("layoutCluster", () => {
  it("is stable: the same structure gives the same positions", () => {
    expect(layoutCluster(cluster)).toEqual(layoutCluster(structuredClone(cluster)));
    expect(layoutKey({ kind: "cluster", input: cluster })).toBe(layoutKey({ kind: "cluster", input: structuredClone(cluster) }));
  });

  it("puts every instance inside its data center's box and boxes apart, the primary above its replicas", () => {
    const layout = layoutCluster(cluster);
    for (const n of cluster.nodes) {
      const box = layout.groups[n.group]!;
      const pos = layout.nodes[n.id]!;
      expect(pos.x).toBeGreaterThanOrEqual(0);
      expect(pos.y).toBeGreaterThanOrEqual(0);
      expect(pos.x + INSTANCE_NODE.width).toBeLessThanOrEqual(box.width);
      expect(pos.y + INSTANCE_NODE.height).toBeLessThanOrEqual(box.height);
    }
    const boxes = Object.values(layout.groups);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!)).toBe(false);
    const absY = (id: string, group: string) => layout.groups[group]!.y + layout.nodes[id]!.y;
    expect(absY("p", "fra1")).toBeLessThan(absY("r2", "lon1"));
  });
});

describe("layoutFleet", () => {
  const dcs = [
    { code: "ams1", jurisdiction: "EU", clusterCount: 3, longitude: 4.9 },
    { code: "fra1", jurisdiction: "EU", clusterCount: 40, longitude: 8.7 },
    { code: "lon1", jurisdiction: "UK", clusterCount: 7, longitude: -0.1 },
    { code: "nyc1", jurisdiction: "US", clusterCount: 0, longitude: -74 },
  ];
  const clusters = dcs.flatMap((d) => Array.from({ length: d.clusterCount }, (_, i) => ({ name: `${d.code}-c${i}`, dc: d.code })));
  const input = {
    dataCenters: dcs,
    clusters,
    edges: [
      { source: "fra1", target: "ams1", weight: 30 },
      { source: "fra1", target: "lon1", weight: 5 },
      { source: "lon1", target: "ams1", weight: 2 },
    ],
  };

  it("is stable and keeps data centers and jurisdictions apart", () => {
    const layout = layoutFleet(input);
    expect(layoutFleet(structuredClone(input))).toEqual(layout);
    const boxes = Object.values(layout.dataCenters);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!)).toBe(false);
    const jur = Object.values(layout.jurisdictions);
    for (let i = 0; i < jur.length; i++) for (let j = i + 1; j < jur.length; j++) expect(overlaps(jur[i]!, jur[j]!)).toBe(false);
    // Each data center inside its jurisdiction's box.
    for (const d of dcs) {
      const box = layout.dataCenters[d.code]!;
      const j = layout.jurisdictions[d.jurisdiction]!;
      expect(box.x).toBeGreaterThanOrEqual(j.x);
      expect(box.y).toBeGreaterThanOrEqual(j.y);
      expect(box.x + box.width).toBeLessThanOrEqual(j.x + j.width);
      expect(box.y + box.height).toBeLessThanOrEqual(j.y + j.height);
    }
  });

  it("reads west to east like the map", () => {
    const layout = layoutFleet({ ...input, aspect: 10 });
    const { US, UK, EU } = layout.jurisdictions;
    expect(US!.x).toBeLessThan(UK!.x);
    expect(UK!.x).toBeLessThan(EU!.x);
  });

  it("lays clusters on a grid inside their data center", () => {
    const layout = layoutFleet(input);
    for (const c of clusters) {
      const box = layout.dataCenters[c.dc]!;
      const pos = layout.clusters[c.name]!;
      expect(pos.x + CLUSTER_CELL.width).toBeLessThanOrEqual(box.width);
      expect(pos.y + CLUSTER_CELL.height).toBeLessThanOrEqual(box.height);
    }
    expect(layout.clusters["fra1-c1"]).toEqual(cellPosition(1, layout.dataCenters.fra1!.cols));
    // Bigger data centers get bigger boxes, empty ones still room for their header.
    expect(dataCenterSize(300).width).toBeGreaterThan(dataCenterSize(10).width);
    expect(layout.dataCenters.nyc1!.height).toBeGreaterThan(0);
  });
});
