// Generates the Prisma client (TypeScript, no native engine) into src/generated/prisma.
// Every prisma CLI command first looks for the native schema-engine binary, which cannot be
// downloaded on an offline or registry-only machine; `generate` never calls it, so any
// existing file satisfies the lookup.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? fileURLToPath(import.meta.url),
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
const result = spawnSync(
  process.execPath,
  [path.join(here, "../node_modules/prisma/build/index.js"), "generate"],
  { stdio: ["ignore", "pipe", "inherit"], env, cwd: path.join(here, "..") },
);
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? "");
  process.exit(result.status ?? 1);
}
console.log("prisma client generated (packages/db/src/generated/prisma)");
