/**
 * `pnpm --filter @meridian/fleet collector`: the health and lag collector as its own process,
 * beside standalone workers (set MERIDIAN_COLLECTOR=off on the console then, or both poll).
 * Needs DATABASE_URL and the credential key (MERIDIAN_CREDENTIAL_KEY, or the key file the
 * launcher generated into the data folder for the embedded metadata database).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { env } from "@meridian/db/env";
import { credentialKeyText } from "@meridian/db/credential-key";
import { dataHome } from "@meridian/db/embedded";
import { parseCredentialKey } from "../credentials";
import { createCollector } from "./collector";

const e = env();
if (!e.DATABASE_URL) {
  console.error("[collector] DATABASE_URL is not set: point it at Meridian's metadata database");
  process.exit(1);
}
const key = parseCredentialKey(credentialKeyText({ embedded: existsSync(path.join(dataHome(), "credential-key")) }));
const collector = createCollector({
  databaseUrl: e.DATABASE_URL,
  credentialKey: key,
  intervalMs: e.MERIDIAN_COLLECTOR_INTERVAL_MS,
  log: (line) => console.log(`[collector] ${line}`),
});
collector.start();
console.log(`[collector] polling postgres instances every ${e.MERIDIAN_COLLECTOR_INTERVAL_MS} ms`);
const stop = () => void collector.stop().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
