export { createChangeRequest, type TChangeRequestRef } from "./create-change-request";
export { updateChangeRequest, type TUpdateResult } from "./update-change-request";
export { submitChangeRequest } from "./submit-change-request";
export { cancelChangeRequest } from "./cancel-change-request";
export { commentOnChangeRequest, type TChangeComment } from "./comment-change-request";
export { reviewChangeRequest } from "./review-change-request";
export { getChangeRequest, type TChangeRequestDetail, type TChangeActions, type TStageView, type TPerson } from "./get-change-request";
export { planNamesOf, type TPlanName } from "./plan-names";
export { listChangeRequests, type TChangeRequestListItem, type TChangeRequestPage } from "./list-change-requests";
export {
  changeFormOptions,
  type TChangeFormOptions,
  type TFormCluster,
  type TFormDataCenter,
  type TFormInstance,
  type TFormLink,
  type TFormSyncTarget,
} from "./change-form-options";
export { loadFleetSnapshot, utcOffsetFromLongitude } from "./fleet-snapshot";
export type { TStoredPreview, TClusterTopology, TTopologyInstance, TTopologyLink } from "./plan-request";
export type { TActor } from "./actor";
