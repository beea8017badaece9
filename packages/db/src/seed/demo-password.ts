import type { PrismaClient } from "../generated/prisma/client";
import { generatePassword, hashPassword, isLoopbackHost, verifyPassword } from "../passwords";
import { DEFAULT_DEMO_PASSWORD } from "./demo-users";

export interface TDemoPasswordPlan {
  /** The password the seeded users get. */
  password: string;
  /** True when generated for this install (print it once; never log it). */
  generated: boolean;
  /** The seeded users must choose a new password at their first sign-in. */
  mustChangePassword: boolean;
  /** Why the published password is not used (null when it is). */
  reason: string | null;
}

/**
 * The published demo password (`meridian-demo`) is only for a console that nobody else can
 * reach: listening on loopback, with the embedded metadata database. Otherwise a password is
 * generated for this install and must be changed at the first sign-in. A password the operator
 * chose (MERIDIAN_DEMO_PASSWORD set to anything but the published one) is used as given.
 */
export function planDemoPassword(input: { host: string; externalDatabase: boolean; configuredPassword: string }): TDemoPasswordPlan {
  const exposed = !isLoopbackHost(input.host);
  if (input.configuredPassword !== DEFAULT_DEMO_PASSWORD) {
    return { password: input.configuredPassword, generated: false, mustChangePassword: false, reason: null };
  }
  if (!exposed && !input.externalDatabase) {
    return { password: DEFAULT_DEMO_PASSWORD, generated: false, mustChangePassword: false, reason: null };
  }
  const reason = exposed
    ? `the console listens on ${input.host}, beyond this machine`
    : "the metadata database is an external one (DATABASE_URL)";
  return { password: generatePassword(), generated: true, mustChangePassword: true, reason };
}

/**
 * For a database seeded earlier with the published password and now served beyond loopback (or
 * from an external server): gives every account that still has it the new one-time password,
 * to be changed at first sign-in. Returns the emails changed.
 */
export async function replacePublishedPassword(prisma: PrismaClient, password: string): Promise<string[]> {
  const users = await prisma.user.findMany({ where: { passwordHash: { not: null } }, select: { id: true, email: true, passwordHash: true } });
  const still: { id: string; email: string }[] = [];
  for (const u of users) if (u.passwordHash && (await verifyPassword(DEFAULT_DEMO_PASSWORD, u.passwordHash))) still.push(u);
  if (still.length === 0) return [];
  const passwordHash = await hashPassword(password);
  await prisma.user.updateMany({
    where: { id: { in: still.map((u) => u.id) } },
    data: { passwordHash, mustChangePassword: true, sessionVersion: { increment: 1 } },
  });
  return still.map((u) => u.email);
}
