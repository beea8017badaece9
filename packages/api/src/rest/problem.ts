/**
 * Errors of the team API: one shape, `application/problem+json` (RFC 9457): type, title,
 * status, detail, and `fieldErrors` (`{ "field.path": ["message"] }`) for bad input.
 */
export interface TProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Stable machine word for scripts: `invalid-input`, `token-expired`, `forbidden` ... */
  code: string;
  fieldErrors?: Record<string, string[]>;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

const TITLES: Record<string, string> = {
  "invalid-input": "Invalid input",
  "invalid-json": "Body is not valid JSON",
  "unsupported-media-type": "Unsupported media type",
  "token-missing": "API token required",
  "token-invalid": "Invalid API token",
  "token-revoked": "API token revoked",
  "token-expired": "API token expired",
  "token-owner-disabled": "API token's creator disabled",
  forbidden: "Forbidden",
  "not-found": "Not found",
  conflict: "Conflict",
  "idempotency-key-required": "Idempotency-Key required",
  "idempotency-key-reused": "Idempotency-Key reused with another request",
  "idempotency-key-in-progress": "Request with this Idempotency-Key still running",
  "precondition-failed": "Precondition failed",
  "rate-limited": "Too many requests",
  "method-not-allowed": "Method not allowed",
  "payload-too-large": "Payload too large",
  internal: "Internal error",
};

export function problemTypeUri(code: string): string {
  return `/api-reference#problem-${code}`;
}

export function problem(status: number, code: string, detail: string, fieldErrors?: Record<string, string[]>): TProblem {
  return {
    type: problemTypeUri(code),
    title: TITLES[code] ?? code,
    status,
    detail,
    code,
    ...(fieldErrors && Object.keys(fieldErrors).length > 0 ? { fieldErrors } : {}),
  };
}

export function problemResponse(p: TProblem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(p), { status: p.status, headers: { "content-type": PROBLEM_CONTENT_TYPE, ...headers } });
}

const CODE_OF_TRPC: Record<string, { status: number; code: string }> = {
  BAD_REQUEST: { status: 400, code: "invalid-input" },
  PARSE_ERROR: { status: 400, code: "invalid-json" },
  UNAUTHORIZED: { status: 401, code: "token-invalid" },
  FORBIDDEN: { status: 403, code: "forbidden" },
  NOT_FOUND: { status: 404, code: "not-found" },
  METHOD_NOT_SUPPORTED: { status: 405, code: "method-not-allowed" },
  CONFLICT: { status: 409, code: "conflict" },
  PRECONDITION_FAILED: { status: 412, code: "precondition-failed" },
  PAYLOAD_TOO_LARGE: { status: 413, code: "payload-too-large" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, code: "unsupported-media-type" },
  TOO_MANY_REQUESTS: { status: 429, code: "rate-limited" },
};

/** Turns the error body of the tRPC/OpenAPI layer into a problem. Internal errors say nothing more. */
export function problemFromErrorBody(status: number, body: unknown): TProblem {
  const b = (body ?? {}) as { code?: string; message?: string; data?: { fieldErrors?: Record<string, string[]> | null }; issues?: { path?: PropertyKey[]; message: string }[] };
  const mapped = b.code ? CODE_OF_TRPC[b.code] : undefined;
  if (!mapped || status >= 500) return problem(500, "internal", "Something failed on Meridian's side; the request can be retried with the same Idempotency-Key");
  let fieldErrors = b.data?.fieldErrors ?? undefined;
  if (!fieldErrors && b.issues?.length) {
    fieldErrors = {};
    for (const issue of b.issues) {
      const key = issue.path && issue.path.length > 0 ? issue.path.map(String).join(".") : "(input)";
      (fieldErrors[key] ??= []).push(issue.message);
    }
  }
  let detail = b.message ?? TITLES[mapped.code] ?? "";
  if (mapped.code === "invalid-input" && fieldErrors && (detail === "Invalid input" || detail === "Input validation failed")) {
    const [field, messages] = Object.entries(fieldErrors)[0] ?? [];
    detail = field ? `${field}: ${messages?.[0] ?? "invalid"}` : detail;
  }
  return problem(mapped.status, mapped.code, detail, fieldErrors ?? undefined);
}
