import { createTRPCRouter } from "../../trpc";
import { clusterGraph } from "./cluster-graph";
import { dataCenterPanel } from "./data-center-panel";
import { fleetGraph } from "./fleet-graph";
import { mapOverview } from "./map-overview";
import { search } from "./search";

/** The world map and the replication topology: read-only, for every role. */
export const topologyRouter = createTRPCRouter({
  mapOverview,
  dataCenterPanel,
  clusterGraph,
  fleetGraph,
  search,
});
