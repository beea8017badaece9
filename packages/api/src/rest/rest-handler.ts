import { type PrismaClient } from "@meridian/db";
import { createOpenApiNodeHttpHandler, type OpenAPIObject } from "trpc-to-openapi";
import { createContext, type TContext, type TSessionUser, type TTokenPrincipal } from "../context";
import { v1Router } from "../routers/v1";
import { authenticateApiToken, type TTokenFailure } from "../services/tokens";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  IDEMPOTENCY_KEY_RE,
  pruneIdempotencyKeys,
  releaseIdempotencyKey,
  requestHashOf,
} from "./idempotency";
import {
  API_V1_BASE,
  buildChangeFileJsonSchema,
  buildOpenApiDocument,
  CHANGE_FILE_SCHEMA_PATH,
  DRY_RUN_ROUTES,
  OPENAPI_PATH,
} from "./openapi";
import { problem, problemFromErrorBody, problemResponse, type TProblem } from "./problem";
import { DEFAULT_RATE_LIMIT, TokenBuckets, type TRateLimitSettings } from "./rate-limit";

export interface TRestHandlerOptions {
  prisma: PrismaClient | (() => PrismaClient);
  rateLimit?: TRateLimitSettings;
  /** Clock for token expiry (tests). */
  now?: () => Date;
  /** How long a retry waits for the first request with its Idempotency-Key. */
  idempotencyWaitMs?: number;
}

export type TRestHandler = (req: Request) => Promise<Response>;

const FAILURE_CODES: Record<TTokenFailure, string> = {
  missing: "token-missing",
  malformed: "token-invalid",
  unknown: "token-invalid",
  revoked: "token-revoked",
  expired: "token-expired",
  disabled: "token-owner-disabled",
};

type TNodeLikeHandler = (req: unknown, res: unknown) => Promise<void>;

interface TCallResult {
  status: number;
  headers: Headers;
  body: string;
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/**
 * The team API over HTTP: `/api/v1/...` from the v1 procedures (trpc-to-openapi), behind API
 * token authentication, a per-token rate limit and Idempotency-Key replay; errors as
 * problem+json. The same procedures run for the console over tRPC: one permission check, one
 * validation, one implementation.
 */
export function createRestHandler(options: TRestHandlerOptions): TRestHandler {
  const prismaOf = typeof options.prisma === "function" ? options.prisma : () => options.prisma as PrismaClient;
  const now = options.now ?? (() => new Date());
  const limiter = new TokenBuckets(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const contexts = new WeakMap<object, TContext>();
  let document: OpenAPIObject | null = null;
  let fileSchema: Record<string, unknown> | null = null;
  /** Expired Idempotency-Keys are deleted at most once an hour, by the first POST after that. */
  let prunedAt = 0;

  const nodeHandler = createOpenApiNodeHttpHandler({
    router: v1Router,
    createContext: ({ req }: { req: object }) => {
      const ctx = contexts.get(req);
      if (!ctx) throw new Error("REST context missing");
      return ctx;
    },
    onError: ({ error, path }: { error: { code: string }; path?: string }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`REST /api/v1 ${path ?? "?"} failed:`, error);
    },
  } as never) as unknown as TNodeLikeHandler;

  async function callProcedure(req: Request, path: string, url: URL, body: unknown, ctx: TContext): Promise<TCallResult> {
    const rewritten = new URL(path + url.search, url.origin).toString();
    const proxy = new Proxy(req, {
      get: (target, prop) => {
        if (prop === "url") return rewritten;
        if (prop === "body") return body;
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
      has: (target, prop) => (prop === "body" ? body !== undefined : Reflect.has(target, prop)),
    });
    contexts.set(proxy, ctx);
    const headers = new Headers();
    return new Promise<TCallResult>((resolve, reject) => {
      let status = 200;
      const res = {
        setHeader: (key: string, value: string | string[]) => {
          for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
        },
        get statusCode() {
          return status;
        },
        set statusCode(code: number) {
          status = code;
        },
        end: (text: string) => resolve({ status, headers, body: text }),
      };
      nodeHandler(proxy, res).catch(reject);
    });
  }

  function toResponse(result: TCallResult, extra: Record<string, string>): Response {
    if (result.status < 400) return new Response(result.body, { status: result.status, headers: { "content-type": "application/json", ...extra } });
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(result.body);
    } catch {
      // fall through: an internal problem
    }
    return problemResponse(problemFromErrorBody(result.status, parsed), extra);
  }

  return async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (!url.pathname.startsWith(API_V1_BASE)) return problemResponse(problem(404, "not-found", `No route ${url.pathname}`));
    const path = url.pathname.slice(API_V1_BASE.length).replace(/\/+$/, "") || "/";
    const method = req.method.toUpperCase();

    if (method === "GET" && path === OPENAPI_PATH) return json((document ??= buildOpenApiDocument({ rateLimit: limiter.limit })));
    if (method === "GET" && path === CHANGE_FILE_SCHEMA_PATH)
      return json((fileSchema ??= buildChangeFileJsonSchema()), 200, { "content-type": "application/schema+json" });

    const prisma = prismaOf();
    const at = now();
    let auth;
    try {
      auth = await authenticateApiToken(prisma, req.headers.get("authorization"), { now: at });
    } catch (error) {
      console.error("REST /api/v1 authentication failed:", error);
      return problemResponse(problem(500, "internal", "Could not check the API token"));
    }
    if (!auth.ok)
      return problemResponse(problem(401, FAILURE_CODES[auth.reason], auth.detail), { "www-authenticate": 'Bearer realm="meridian"' });
    const { principal, user } = auth;

    const rate = limiter.take(principal.id, Date.now());
    if (!rate.ok)
      return problemResponse(
        problem(429, "rate-limited", `Token ${principal.name} exceeded ${limiter.limit.perMinute} requests a minute; retry in ${rate.retryAfterSeconds}s`),
        { "retry-after": String(rate.retryAfterSeconds) },
      );
    const limitHeaders = { "ratelimit-limit": String(limiter.limit.perMinute), "ratelimit-remaining": String(rate.remaining) };

    let rawBody = "";
    let body: unknown = undefined;
    const hasBody = method === "POST" || method === "PATCH" || method === "PUT";
    if (hasBody) {
      const type = req.headers.get("content-type") ?? "";
      rawBody = await req.text();
      if (rawBody.length > 0 && !type.toLowerCase().startsWith("application/json"))
        return problemResponse(problem(415, "unsupported-media-type", "Send the body as application/json"), limitHeaders);
      if (rawBody.length > 1_000_000) return problemResponse(problem(413, "payload-too-large", "The body is larger than 1 MB"), limitHeaders);
      try {
        body = rawBody.length > 0 ? JSON.parse(rawBody) : {};
      } catch {
        return problemResponse(problem(400, "invalid-json", "The body is not valid JSON"), limitHeaders);
      }
    }
    const ctx = createContext({ prisma, user: user satisfies TSessionUser, token: principal satisfies TTokenPrincipal });

    const idempotent = method === "POST" || method === "PATCH";
    const key = req.headers.get("idempotency-key");
    if (!idempotent || (key === null && DRY_RUN_ROUTES.has(path))) {
      return toResponse(await callProcedure(req, path, url, body, ctx), limitHeaders);
    }
    if (key === null && method === "PATCH") return toResponse(await callProcedure(req, path, url, body, ctx), limitHeaders);
    if (key === null || !IDEMPOTENCY_KEY_RE.test(key))
      return problemResponse(
        problem(400, "idempotency-key-required", "Every POST takes an Idempotency-Key header (1 to 255 printable characters, unique per request)", {
          "Idempotency-Key": [key === null ? "Required" : "1 to 255 printable characters"],
        }),
        limitHeaders,
      );

    if (Date.now() - prunedAt > 3_600_000) {
      prunedAt = Date.now();
      await pruneIdempotencyKeys(prisma, at);
    }
    const hash = requestHashOf(method, path, rawBody);
    const claim = await claimIdempotencyKey(prisma, principal.id, key, hash, { waitMs: options.idempotencyWaitMs });
    if (claim.kind === "mismatch")
      return problemResponse(problem(409, "idempotency-key-reused", `Idempotency-Key ${key} was used for another request: use a new key for a new request`), limitHeaders);
    if (claim.kind === "in-progress")
      return problemResponse(problem(409, "idempotency-key-in-progress", `The first request with Idempotency-Key ${key} is still running`), {
        ...limitHeaders,
        "retry-after": "1",
      });
    if (claim.kind === "replay") {
      const { status, body: stored } = claim.response;
      const headers = { ...limitHeaders, "idempotent-replayed": "true" };
      return status < 400 ? json(stored, status, headers) : problemResponse(stored as TProblem, headers);
    }

    let response: Response;
    try {
      const result = await callProcedure(req, path, url, body, ctx);
      response = toResponse(result, limitHeaders);
    } catch (error) {
      await releaseIdempotencyKey(prisma, principal.id, key);
      throw error;
    }
    const stored = (await response.clone().json()) as unknown;
    await completeIdempotencyKey(prisma, principal.id, key, { status: response.status, body: stored });
    return response;
  };
}
