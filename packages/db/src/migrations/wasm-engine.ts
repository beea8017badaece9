import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { type MigrationAdapterFactory } from "./adapter-factory";

/**
 * Prisma's schema engine compiled to WebAssembly. The native `schema-engine` binary that the
 * prisma CLI downloads cannot be fetched on an offline or registry-only machine; this build
 * ships inside the `prisma` npm package (build/schema_engine_bg.wasm, the exact engine that
 * prisma 7.10.1 pairs with), and its JavaScript glue comes from @prisma/schema-engine-wasm.
 * The glue's main entry imports the .wasm file directly (fails on Node 20), so the module is
 * instantiated here by hand.
 */
let started = false;

function ensureWasm(): void {
  if (started) return;
  const require = createRequire(import.meta.url);
  const wasmPath = path.join(path.dirname(require.resolve("prisma/package.json")), "build/schema_engine_bg.wasm");
  const module = new WebAssembly.Module(readFileSync(wasmPath));
  const instance = new WebAssembly.Instance(module, { "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  started = true;
}

export type TSchemaEngine = glue.SchemaEngine;

export async function openSchemaEngine(
  schemaPath: string,
  factory: MigrationAdapterFactory,
  log: (line: string) => void = () => {},
): Promise<TSchemaEngine> {
  ensureWasm();
  const datamodel = readFileSync(schemaPath, "utf8");
  return glue.SchemaEngine.new(
    { datamodels: [[schemaPath, datamodel]] },
    (message: string) => log(message),
    bindMigrationAwareSqlAdapterFactory(factory),
  );
}
