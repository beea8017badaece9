import { createTRPCRouter } from "../../trpc";
import { filterOptions } from "./filter-options";
import { getCluster } from "./get-cluster";
import { getDataCenter } from "./get-data-center";
import { getInstance } from "./get-instance";
import { listClusters } from "./list-clusters";
import { listDataCenters } from "./list-data-centers";
import { listInstances } from "./list-instances";
import { updateDataCenterStatus } from "./update-data-center-status";

/** Data centers, clusters and instances: read by everyone, status changes by DBAs and admins. */
export const inventoryRouter = createTRPCRouter({
  listDataCenters,
  getDataCenter,
  listClusters,
  getCluster,
  listInstances,
  getInstance,
  filterOptions,
  updateDataCenterStatus,
});
