import { apiClient, unwrap } from "../client";
import { saveConnection } from "../config";
import { CliError, EXIT, type TIo } from "../io";

/** Checks the token against the API (GET /me) and saves URL and token for the next commands. */
export async function login(io: TIo, options: { url: string; token: string; json?: boolean }): Promise<number> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new CliError(`--url must be the console's address, e.g. https://meridian.example.com (got ${options.url})`, EXIT.USAGE);
  }
  const base = url.toString().replace(/\/+$/, "");
  const connection = { url: base, token: options.token.trim() };
  const me = await unwrap(base, apiClient(connection, io).GET("/me"));
  const file = saveConnection(io.env, connection);
  if (options.json) {
    io.stdout(`${JSON.stringify({ url: base, config: file, ...me }, null, 2)}\n`);
    return EXIT.OK;
  }
  const t = me.token;
  io.stdout(
    t
      ? `Logged in to ${base} with token ${t.name} (mrd_${t.prefix}_…) of team ${me.team?.name ?? "?"}\n` +
          `  scopes: ${t.scopes.join(", ")}\n` +
          `  files changes for: ${me.clusters.join(", ") || "none"}\n` +
          `  expires: ${t.expiresAt ?? "never"}\n` +
          `Saved to ${file}\n`
      : `Logged in to ${base}\nSaved to ${file}\n`,
  );
  return EXIT.OK;
}
