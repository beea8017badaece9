import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { type PrismaClient } from "@meridian/db";
import { type TRole } from "@meridian/policy";
import { appRouter } from "../root";
import { type TSessionUser } from "../context";

/** Calls a procedure through tRPC's real HTTP handler, as the browser would. */
export async function callHttp(
  prisma: PrismaClient,
  user: TSessionUser | null,
  path: string,
  type: "query" | "mutation",
  input: unknown,
): Promise<{ status: number; body: unknown }> {
  const payload = input === undefined ? undefined : JSON.stringify({ json: input });
  const url = new URL(`http://meridian.test/api/trpc/${path}`);
  if (type === "query" && payload !== undefined) url.searchParams.set("input", payload);
  const req = new Request(url, {
    method: type === "query" ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: type === "mutation" ? (payload ?? "{}") : undefined,
  });
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => ({ prisma, user }),
    onError: () => {},
  });
  return { status: res.status, body: await res.json() };
}

export function userWithRoles(roles: TRole[], id = "00000000-0000-4000-8000-000000000001"): TSessionUser {
  return { id, email: `${roles.join("-").toLowerCase() || "none"}@meridian.test`, name: "Test", roles };
}

/** Every procedure of the app router with its path, type and metadata. */
export function listProcedures(): Array<{ path: string; type: "query" | "mutation" | "subscription"; meta: Record<string, unknown> | undefined; hasInput: boolean }> {
  const procedures = (appRouter._def as unknown as { procedures: Record<string, { _def: { type: "query" | "mutation" | "subscription"; meta?: Record<string, unknown>; inputs: unknown[] } }> }).procedures;
  return Object.entries(procedures).map(([path, proc]) => ({
    path,
    type: proc._def.type,
    meta: proc._def.meta,
    hasInput: proc._def.inputs.length > 0,
  }));
}
