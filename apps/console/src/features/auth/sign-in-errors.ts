/** Sign-in error codes (next-auth's and ours) in words, for the sign-in page. */
export const SIGN_IN_ERRORS: Record<string, string> = {
  CredentialsSignin: "Wrong email or password",
  AccountDisabled: "This account is disabled. Ask an administrator to re-enable it.",
  OidcNoEmail: "Your identity provider did not share an email address, so Meridian cannot find your account.",
  SessionRequired: "Sign in to continue.",
};

/** `TooManyAttempts.<minutes>`: the account or this address is blocked for a while. */
export function tooManyAttemptsMessage(code: string): string | null {
  const match = /^TooManyAttempts(?:\.(\d+))?$/.exec(code);
  if (!match) return null;
  const minutes = Math.max(1, Number(match[1] ?? 15));
  return `Too many attempts, try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

export function signInErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  const throttled = tooManyAttemptsMessage(code);
  if (throttled) return throttled;
  return SIGN_IN_ERRORS[code] ?? "Sign-in failed. Try again, or ask an administrator.";
}
