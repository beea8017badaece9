import { getPrisma } from "@meridian/db";
import { migrationStatus, prismaPaths } from "@meridian/db/health";

export const dynamic = "force-dynamic";

/**
 * GET /api/health: database reachability and migration status as JSON.
 * 200 when the database answers and every migration is applied, 503 otherwise.
 */
export async function GET(): Promise<Response> {
  const started = performance.now();
  try {
    const prisma = getPrisma();
    const query = (sql: string) => prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(sql);
    await query("select 1");
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    const migrations = await migrationStatus(query, prismaPaths().migrationsDir);
    const ok = migrations.upToDate;
    return Response.json(
      { status: ok ? "ok" : "degraded", database: { reachable: true, latencyMs }, migrations },
      { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    // Never echo the connection string: only the class of failure.
    const message = error instanceof Error ? error.message.replace(/postgres(ql)?:\/\/\S+/g, "postgresql://…") : "unknown";
    return Response.json(
      { status: "down", database: { reachable: false, error: message.slice(0, 300) }, migrations: null },
      { status: 503, headers: { "cache-control": "no-store" } },
    );
  }
}
