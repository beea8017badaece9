import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@meridian/api/client";

type TOut = inferRouterOutputs<AppRouter>["topology"];
type TIn = inferRouterInputs<AppRouter>["topology"];

export type TMapOverview = TOut["mapOverview"];
export type TMapDataCenter = TMapOverview["dataCenters"][number];
export type TMapContextDataCenter = TMapOverview["contextDataCenters"][number];
export type TMapRoute = TMapOverview["routes"][number];
export type TDataCenterPanel = TOut["dataCenterPanel"];
export type TMapOverviewInput = TIn["mapOverview"];
