import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@meridian/api/client";

type TOut = inferRouterOutputs<AppRouter>["topology"];

export type TClusterGraph = TOut["clusterGraph"];
export type TGraphInstance = TClusterGraph["instances"][number];
export type TGraphLink = TClusterGraph["links"][number];
export type TGraphDataCenter = TClusterGraph["dataCenters"][number];
export type TFleetGraph = TOut["fleetGraph"];
export type TFleetDataCenter = TFleetGraph["dataCenters"][number];
export type TFleetCluster = TFleetGraph["clusters"][number];
export type TFleetEdge = TFleetGraph["edges"][number];
export type TSearchHit = TOut["search"]["hits"][number];
