import { createTRPCRouter } from "../../trpc";

// Placeholder until the inventory procedures land (data centers, clusters, instances).
export const inventoryRouter = createTRPCRouter({});
