import { describe, expect, it } from "vitest";
import { clusterMarkers, type TClusterInput } from "./cluster-markers";

const dc = (code: string, x: number, y: number, health: TClusterInput["health"] = "UP", instanceCount = 10): TClusterInput => ({
  code,
  x,
  y,
  instanceCount,
  health,
  status: "ACTIVE",
  driftCount: 0,
});

describe("clusterMarkers", () => {
  const europe = [dc("fra1", 100, 100, "UP", 40), dc("ams1", 104, 96, "DOWN", 20), dc("par1", 95, 106, "DEGRADED", 10), dc("nyc1", 400, 120)];

  it("groups data centers that overlap on screen, with their count and worst health", () => {
    const groups = clusterMarkers(europe);
    expect(groups).toHaveLength(2);
    const cluster = groups.find((g) => g.kind === "cluster");
    expect(cluster).toMatchObject({ kind: "cluster", key: "ams1+fra1+par1", instanceCount: 70, health: "DOWN" });
    expect(cluster?.kind === "cluster" && cluster.members.map((m) => m.code)).toEqual(["fra1", "ams1", "par1"]);
    expect(groups.find((g) => g.kind === "single")).toMatchObject({ item: { code: "nyc1" } });
  });

  it("breaks clusters up when zooming in spreads the markers apart", () => {
    const zoomed = europe.map((d) => ({ ...d, x: d.x * 8, y: d.y * 8 }));
    expect(clusterMarkers(zoomed).every((g) => g.kind === "single")).toBe(true);
  });

  it("never hides the selected data center inside a cluster", () => {
    const groups = clusterMarkers(europe, { keep: "ams1" });
    expect(groups.filter((g) => g.kind === "single").map((g) => (g.kind === "single" ? g.item.code : ""))).toContain("ams1");
    expect(groups.find((g) => g.kind === "cluster")).toMatchObject({ key: "fra1+par1", health: "DEGRADED" });
  });

  it("is deterministic whatever the input order", () => {
    const a = clusterMarkers(europe);
    const b = clusterMarkers([...europe].reverse());
    expect(b).toEqual(a);
  });
});
