import { createCallerFactory, createTRPCRouter } from "./trpc";
import { meRouter } from "./routers/me";
import { inventoryRouter } from "./routers/inventory";

/** Every domain router, merged. One folder per domain under routers/. */
export const appRouter = createTRPCRouter({
  me: meRouter,
  inventory: inventoryRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
