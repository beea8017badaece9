import { createTRPCRouter } from "../../trpc";
import { capacity } from "./capacity";
import { changeDelivery } from "./change-delivery";
import { fleetHealth } from "./fleet-health";
import { replicationLag } from "./replication-lag";
import { residencyPosture } from "./residency-posture";
import { runResidencySweep } from "./run-residency-sweep";

/** Leadership dashboards (read-only for every role) and the residency sweep. */
export const dashboardsRouter = createTRPCRouter({
  fleetHealth,
  replicationLag,
  changeDelivery,
  residencyPosture,
  capacity,
  runResidencySweep,
});
