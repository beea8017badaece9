import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type TCliEnv } from "./env";
import { CliError, EXIT } from "./io";

export interface TConnection {
  url: string;
  token: string;
}

export function configPath(env: TCliEnv): string {
  if (env.MERIDIAN_CONFIG) return env.MERIDIAN_CONFIG;
  const base = env.XDG_CONFIG_HOME ?? path.join(env.HOME ?? ".", ".config");
  return path.join(base, "meridian", "config.json");
}

function readConfig(env: TCliEnv): Partial<TConnection> {
  try {
    return JSON.parse(readFileSync(configPath(env), "utf8")) as Partial<TConnection>;
  } catch {
    return {};
  }
}

/** The file is the token's only copy on disk: readable by its owner only. */
export function saveConnection(env: TCliEnv, connection: TConnection): string {
  const file = configPath(env);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(connection, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** Flags win over the environment, which wins over `meridian login`'s file. */
export function resolveConnection(env: TCliEnv, flags: { url?: string; token?: string }): TConnection {
  const saved = readConfig(env);
  const url = flags.url ?? env.MERIDIAN_URL ?? saved.url;
  const token = flags.token ?? env.MERIDIAN_TOKEN ?? saved.token;
  if (!url) throw new CliError("No Meridian URL: run `meridian login --url URL --token TOKEN`, or set MERIDIAN_URL", EXIT.USAGE);
  if (!token) throw new CliError("No API token: run `meridian login --url URL --token TOKEN`, or set MERIDIAN_TOKEN", EXIT.AUTH);
  return { url: url.replace(/\/+$/, ""), token };
}
