/**
 * Generates the CLI's typed client from the team API's OpenAPI document (openapi-typescript):
 * `pnpm --filter @meridian/cli generate:client`. A test fails when the committed file is stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderClientTypes } from "./render-client-types";

const target = fileURLToPath(new URL("../src/generated/api.ts", import.meta.url));
writeFileSync(target, await renderClientTypes());
console.log(`wrote ${target}`);
