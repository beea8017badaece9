import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataHome } from "./embedded";
import { env } from "./env";

/**
 * The AES-256-GCM key of managed-database credentials (packages/fleet/src/credentials.ts).
 * - MERIDIAN_CREDENTIAL_KEY set: that key (base64, 32 bytes).
 * - Unset, with the embedded metadata database (the launcher started it): a key generated once
 *   into `<MERIDIAN_DATA_DIR>/credential-key` (mode 600), beside the data it protects.
 * - Unset, with an external DATABASE_URL: refused, with what to do; a key on the web server's
 *   disk next to nothing would protect a remote database's rows with a key nobody backs up.
 * `embedded` says which of the last two applies (the launcher knows; the console child gets
 * MERIDIAN_CREDENTIAL_KEY from it).
 */
export function credentialKeyText(options: { embedded: boolean }): string {
  const configured = env().MERIDIAN_CREDENTIAL_KEY;
  if (configured) return configured;
  if (!options.embedded)
    throw new Error(
      "MERIDIAN_CREDENTIAL_KEY is not set: with an external DATABASE_URL Meridian needs a key for managed-database credentials. " +
        "Create one with `openssl rand -base64 32`, keep it in your secret store, and set MERIDIAN_CREDENTIAL_KEY.",
    );
  const file = path.join(dataHome(), "credential-key");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32).toString("base64");
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}
