import { createTRPCRouter } from "../../trpc";
import { listAuditEventsV1Procedure, whoAmIV1Procedure } from "./audit";
import {
  cancelChangeV1Procedure,
  changeExecutionV1Procedure,
  fileChangeV1Procedure,
  getChangeV1Procedure,
  listChangesV1Procedure,
  planChangeV1Procedure,
  submitChangeV1Procedure,
  updateChangeV1Procedure,
} from "./changes";
import {
  getClusterV1Procedure,
  getDataCenterV1Procedure,
  listClustersV1Procedure,
  listDataCentersV1Procedure,
  listInstancesV1Procedure,
  listLinksV1Procedure,
} from "./fleet";

/**
 * The team API (`/api/v1`, OpenAPI): tRPC procedures with an `openapi` route each, served over
 * REST by `src/rest` with API tokens, and callable over tRPC like any other procedure. The
 * permission check and the validation are the procedures' own; the services are the console's.
 */
export const v1Router = createTRPCRouter({
  me: whoAmIV1Procedure,
  listDataCenters: listDataCentersV1Procedure,
  getDataCenter: getDataCenterV1Procedure,
  listClusters: listClustersV1Procedure,
  getCluster: getClusterV1Procedure,
  listInstances: listInstancesV1Procedure,
  listLinks: listLinksV1Procedure,
  listChanges: listChangesV1Procedure,
  getChange: getChangeV1Procedure,
  planChange: planChangeV1Procedure,
  fileChange: fileChangeV1Procedure,
  updateChange: updateChangeV1Procedure,
  submitChange: submitChangeV1Procedure,
  cancelChange: cancelChangeV1Procedure,
  changeExecution: changeExecutionV1Procedure,
  listAuditEvents: listAuditEventsV1Procedure,
});
