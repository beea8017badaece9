export { createPrismaClient, getPrisma } from "./client";
export { env, resetEnvCache, type TEnv } from "./env";
export { generatePassword, hashPassword, isLoopbackHost, PASSWORD_MIN_LENGTH, verifyPassword } from "./passwords";
export * from "./generated/prisma/client";
