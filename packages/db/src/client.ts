import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { env } from "./env";

export function createPrismaClient(url: string, options: { max?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: url, max: options.max ?? 10 });
  return new PrismaClient({ adapter });
}

const globalForPrisma = globalThis as unknown as { meridianPrisma?: PrismaClient };

/** The process-wide client for DATABASE_URL (one pool per process, survives hot reload). */
export function getPrisma(): PrismaClient {
  if (!globalForPrisma.meridianPrisma) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start Meridian with `npm start` or set it");
    globalForPrisma.meridianPrisma = createPrismaClient(url);
  }
  return globalForPrisma.meridianPrisma;
}
