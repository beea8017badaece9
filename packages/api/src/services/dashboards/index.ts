export { getFleetHealth, type TFleetHealth, type TFleetHealthPoint, type TFleetHealthNowRow, type TFleetHealthRegionRow } from "./fleet-health";
export { getReplicationLag, type TReplicationLag, type TLagPoint, type TLagSummaryRow, type TWorstLink } from "./replication-lag";
export { getChangeDelivery, CHANGE_OUTCOMES, type TChangeDelivery, type TChangeWeek, type TTeamDelivery, type TWaitingApproval } from "./change-delivery";
export { getResidencyPosture, type TResidencyPosture, type TResidencyFindingView, type TJurisdictionPair, type TBlockedRequest } from "./residency-posture";
export { getCapacity, type TCapacity, type TDataCenterCapacity } from "./capacity";
export { sweepResidency, type TResidencySweepResult } from "./residency-sweep";
export { rollUpSamples, type TRollupOptions, type TRollupResult } from "./rollup-samples";
export { startDashboardJobs, kickResidencySweep, type TDashboardJobs, type TDashboardJobOptions } from "./dashboard-jobs";
export { resolveWindow, type TDashboardWindow, type TGrain } from "./window";
