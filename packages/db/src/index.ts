export { createPrismaClient, getPrisma } from "./client";
export { env, resetEnvCache, type TEnv } from "./env";
export * from "./generated/prisma/client";
