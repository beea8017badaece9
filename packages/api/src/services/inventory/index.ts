export { listDataCenters, getDataCenter, updateDataCenterStatus } from "./data-centers";
export type { TDataCenterListItem, TDataCenterDetail, TDataCenterClusterRow, TDataCenterStatusChange } from "./data-centers";
export { listClusters, getCluster } from "./clusters";
export type { TClusterListItem, TClusterDetail, TClusterInstance } from "./clusters";
export { listInstances, getInstance } from "./instances";
export type { TInstanceListItem, TInstanceDetail } from "./instances";
export { getFilterOptions, type TFilterOptions } from "./filter-options";
export type { TReplicationLinkView, TLinkEnd } from "./links";
export type { THealthCounts } from "./health";
