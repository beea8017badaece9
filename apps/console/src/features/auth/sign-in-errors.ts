/** Sign-in error codes (next-auth's and ours) in words, for the sign-in page. */
export const SIGN_IN_ERRORS: Record<string, string> = {
  CredentialsSignin: "Wrong email or password",
  AccountDisabled: "This account is disabled. Ask an administrator to re-enable it.",
  OidcNoEmail: "Your identity provider did not share an email address, so Meridian cannot find your account.",
  SessionRequired: "Sign in to continue.",
};

export function signInErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  return SIGN_IN_ERRORS[code] ?? "Sign-in failed. Try again, or ask an administrator.";
}
