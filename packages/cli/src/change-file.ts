import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { type operations } from "./generated/api";
import { CliError, EXIT } from "./io";

export type TChangeFile = operations["planChange"]["requestBody"]["content"]["application/json"];

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/**
 * Reads a change request file (YAML or JSON; JSON is YAML). The server validates it (one
 * validation); the file's content hash is the Idempotency-Key of `apply`, so applying the same
 * file twice files one request.
 */
export function readChangeFile(file: string): { body: TChangeFile; key: string } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`, EXIT.USAGE);
  }
  let body: unknown;
  try {
    body = parse(text);
  } catch (error) {
    throw new CliError(`${file} is not valid YAML or JSON: ${(error as Error).message}`, EXIT.USAGE);
  }
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new CliError(`${file} must hold one change request (kind, target, parameters, schedule, reason)`, EXIT.USAGE);
  const { $schema: _schema, ...rest } = body as Record<string, unknown>;
  const hash = createHash("sha256").update(JSON.stringify(canonical(rest))).digest("hex").slice(0, 40);
  return { body: rest as TChangeFile, key: `apply-${hash}` };
}
