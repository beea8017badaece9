import { generatePassword, isLoopbackHost } from "../passwords";
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
