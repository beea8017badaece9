import pg from "pg";
import { env } from "@meridian/db";

const globalForEngine = globalThis as unknown as { meridianEnginePool?: pg.Pool };

/**
 * The process-wide pool for engine calls from the API and the console (enqueue, operator
 * actions, progress reads) on DATABASE_URL. Survives hot reload. Workers have their own pools.
 */
export function getEnginePool(): pg.Pool {
  if (!globalForEngine.meridianEnginePool) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start Meridian with `npm start` or set it");
    const pool = new pg.Pool({ connectionString: url, max: 5, application_name: "meridian-engine-api" });
    pool.on("error", () => {}); // an idle connection dropped: the pool replaces it
    globalForEngine.meridianEnginePool = pool;
  }
  return globalForEngine.meridianEnginePool;
}
