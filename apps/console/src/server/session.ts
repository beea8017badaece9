import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { getPrisma } from "@meridian/db";
import { isRole } from "@meridian/policy";
import { type TSessionUser } from "@meridian/api";
import { getAuthOptions } from "./auth";

/** Header set by proxy.ts with the requested path and query, for sign-in redirects. */
export const REQUEST_URL_HEADER = "x-meridian-url";

/**
 * The signed-in user, read from the session cookie and then from the database (so a disabled
 * user or a role change takes effect on the next request). Null when not signed in. Cached
 * for one server render.
 */
export const getCurrentUser = cache(async (): Promise<TSessionUser | null> => {
  // Per request by nature: never prerendered at build time (no secret, no database there).
  await connection();
  const session = await getServerSession(getAuthOptions());
  const id = session?.user?.id;
  if (!id) return null;
  const user = await getPrisma().user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, roles: true, disabled: true },
  });
  if (!user || user.disabled) return null;
  return { id: user.id, email: user.email, name: user.name, roles: user.roles.filter(isRole) };
});

/** A same-origin path safe to come back to after signing in. */
export function safeCallbackUrl(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (value.startsWith("/signin") || value.startsWith("/api/")) return "/";
  return value;
}

/** The signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
export async function requireUser(): Promise<TSessionUser> {
  const user = await getCurrentUser();
  if (user) return user;
  const requested = safeCallbackUrl((await headers()).get(REQUEST_URL_HEADER));
  redirect(`/signin?callbackUrl=${encodeURIComponent(requested)}`);
}
