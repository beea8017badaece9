// Types only: the browser bundle imports nothing of the server through this entry.
export type { AppRouter } from "./root";
