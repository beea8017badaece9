import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@meridian/api/client";

type TOut = inferRouterOutputs<AppRouter>["topology"];

export type TClusterGraph = TOut["clusterGraph"];
export type TGraphInstance = TClusterGraph["instances"][number];
export type TGraphLink = TClusterGraph["links"][number];
export type TGraphDataCenter = TClusterGraph["dataCenters"][number];
/** `topology.fleetGraph` as it travels: clusters and edges as columns (decoded by `decodeFleetGraph`). */
export type TFleetGraphWire = TOut["fleetGraph"];
export type TFleetDataCenter = TFleetGraphWire["dataCenters"][number];
type TCodes = TFleetGraphWire["codes"];
export type TFleetCluster = {
  name: string;
  dataCenterCode: string;
  tier: TCodes["tier"][number];
  engine: TCodes["engine"][number];
  instanceCount: number;
  health: TCodes["health"][number];
  down: number;
  degraded: number;
  /** Worst lag into any of its instances; null without links. */
  maxLagSeconds: number | null;
  brokenLinks: number;
};
/** Replication from one data center to another, all clusters added up. */
export type TFleetEdge = {
  /** `${source}>${target}` */
  id: string;
  source: string;
  target: string;
  linkCount: number;
  maxLagSeconds: number;
  brokenCount: number;
  impairedCount: number;
  crossesJurisdiction: boolean;
};
/** The fleet graph as the views use it: rows. */
export type TFleetGraph = Omit<TFleetGraphWire, "clusters" | "edges" | "codes"> & { clusters: TFleetCluster[]; edges: TFleetEdge[] };
export type TSearchHit = TOut["search"]["hits"][number];
