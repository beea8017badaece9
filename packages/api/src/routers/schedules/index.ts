import { createTRPCRouter } from "../../trpc";
import { createMaintenanceWindow } from "./create-maintenance-window";
import { deleteMaintenanceWindow } from "./delete-maintenance-window";
import { listMaintenanceWindows } from "./list-maintenance-windows";

/** Maintenance windows and change freezes: a visible calendar; DBAs and admins edit it. */
export const schedulesRouter = createTRPCRouter({
  list: listMaintenanceWindows,
  create: createMaintenanceWindow,
  delete: deleteMaintenanceWindow,
});
