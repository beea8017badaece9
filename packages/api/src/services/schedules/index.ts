export {
  createMaintenanceWindow,
  deleteMaintenanceWindow,
  listMaintenanceWindows,
  type TMaintenanceWindowView,
} from "./maintenance-windows";
