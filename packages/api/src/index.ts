export { appRouter, createCaller, type AppRouter } from "./root";
export { createContext, type TContext, type TSessionUser } from "./context";
export { AppError } from "./errors";
export type { TMeta } from "./trpc";
export * as inventorySchemas from "./routers/inventory/schemas";
export type * from "./services/inventory";
