import { credentialKeyText } from "@meridian/db/credential-key";
import { parseCredentialKey, type TPostgresAccess, type TSql } from "@meridian/fleet";
import { AppError } from "../../errors";
import { type TDb } from "../audit/append-audit-event";
import { engineDb } from "../executions/engine-db";

/**
 * How the API reaches managed servers: the credential key of this process (the launcher hands
 * MERIDIAN_CREDENTIAL_KEY to the console) and plain SQL on the metadata database through Prisma.
 */
export function postgresAccess(): TPostgresAccess {
  let text: string;
  try {
    text = credentialKeyText({ embedded: false });
  } catch {
    throw new AppError(
      "PRECONDITION_FAILED",
      "MERIDIAN_CREDENTIAL_KEY is not set on the console: Meridian cannot reach real servers (set it, or start with npm start)",
    );
  }
  try {
    return { credentialKey: parseCredentialKey(text), connectTimeoutMs: 5_000, applicationName: "meridian-console" };
  } catch (error) {
    throw new AppError("PRECONDITION_FAILED", error instanceof Error ? error.message : "MERIDIAN_CREDENTIAL_KEY is not a valid key");
  }
}

/** The fleet package's SQL port on a Prisma client or transaction. */
export function sqlOf(db: TDb): TSql {
  return engineDb(db) as unknown as TSql;
}
