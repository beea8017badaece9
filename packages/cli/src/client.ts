import createClient, { type Client } from "openapi-fetch";
import { type paths } from "./generated/api";
import { type TConnection } from "./config";
import { CliError, EXIT, type TIo } from "./io";

export type TApi = Client<paths>;

export interface TProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  fieldErrors?: Record<string, string[]>;
}

/** The typed client of the team API, generated from its OpenAPI document. */
export function apiClient(connection: TConnection, io: TIo): TApi {
  return createClient<paths>({
    baseUrl: `${connection.url}/api/v1`,
    headers: { authorization: `Bearer ${connection.token}` },
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
}

function fieldLines(problem: TProblem): string {
  const entries = Object.entries(problem.fieldErrors ?? {});
  return entries.length ? `\n${entries.map(([f, m]) => `  ${f}: ${m.join("; ")}`).join("\n")}` : "";
}

/** A readable sentence (and exit code) for every problem the API answers. */
export function errorOf(problem: TProblem, url: string): CliError {
  switch (problem.code) {
    case "token-missing":
      return new CliError("No API token was sent: run `meridian login --url URL --token TOKEN`, or set MERIDIAN_TOKEN", EXIT.AUTH);
    case "token-invalid":
      return new CliError(`The API token is not valid for ${url} (mistyped, or from another Meridian): create one in the console under API tokens`, EXIT.AUTH);
    case "token-expired":
      return new CliError(`The API token has expired (${problem.detail}): ask a team approver for a new one and run \`meridian login\` again`, EXIT.AUTH);
    case "token-revoked":
      return new CliError(`The API token was revoked (${problem.detail}): ask a team approver for a new one`, EXIT.AUTH);
    case "token-owner-disabled":
      return new CliError(`${problem.detail}: ask a team approver for a new token`, EXIT.AUTH);
    case "forbidden": {
      const cluster = problem.fieldErrors?.["target.cluster"]?.[0] ?? problem.fieldErrors?.number?.[0];
      if (cluster) return new CliError(`${cluster}. ${problem.detail}`, EXIT.AUTH);
      return new CliError(`Forbidden: ${problem.detail}`, EXIT.AUTH);
    }
    case "invalid-input":
    case "invalid-json":
    case "idempotency-key-required":
      return new CliError(`Invalid: ${problem.detail}${fieldLines(problem)}`, EXIT.USAGE);
    case "not-found":
      return new CliError(problem.detail, EXIT.NOT_FOUND);
    case "rate-limited":
      return new CliError(`Rate limited: ${problem.detail}`, EXIT.SERVER);
    default:
      return new CliError(`${problem.title}: ${problem.detail}${fieldLines(problem)}`, problem.status >= 500 ? EXIT.SERVER : problem.status === 409 ? EXIT.SERVER : EXIT.USAGE);
  }
}

/** Awaits an openapi-fetch call: its data, or a CliError with a clear message. */
export async function unwrap<T>(url: string, call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    // The deepest cause says what happened (ECONNREFUSED, ENOTFOUND, bad port ...).
    let cause = error instanceof Error ? error.message : String(error);
    for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
      const { code, message } = e as { code?: unknown; message?: unknown };
      if (typeof code === "string") cause = code;
      else if (typeof message === "string" && message) cause = message;
    }
    throw new CliError(`Cannot reach Meridian at ${url} (${cause}): check the URL and the network`, EXIT.NETWORK);
  }
  if (result.response.ok && result.data !== undefined) return result.data;
  const problem = result.error as TProblem | undefined;
  if (problem && typeof problem === "object" && "code" in problem) throw errorOf(problem, url);
  throw new CliError(`Meridian at ${url} answered ${result.response.status} ${result.response.statusText}: is this a Meridian console?`, EXIT.SERVER);
}
