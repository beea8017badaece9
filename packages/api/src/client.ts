// Types only: the browser bundle imports nothing of the server through this entry.
export type { AppRouter } from "./root";
// Output shapes of the inventory procedures (types only).
export type * from "./services/inventory";
export type * from "./routers/inventory/inventory.schema";
