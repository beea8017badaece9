import { env } from "@meridian/db";
import { parseCredentialKey } from "@meridian/fleet/registry";
import { AppError } from "../../errors";

/** The credential key of this process (the launcher passes it to the console). */
export function credentialKeyOrThrow(): Buffer {
  const text = env().MERIDIAN_CREDENTIAL_KEY;
  if (!text)
    throw new AppError(
      "PRECONDITION_FAILED",
      "MERIDIAN_CREDENTIAL_KEY is not set on the console: Meridian cannot store credentials (set it, or start with npm start)",
    );
  try {
    return parseCredentialKey(text);
  } catch (error) {
    throw new AppError("PRECONDITION_FAILED", error instanceof Error ? error.message : "MERIDIAN_CREDENTIAL_KEY is not a valid key");
  }
}
