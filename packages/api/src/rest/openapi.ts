import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";
import { v1Router } from "../routers/v1";
import { ZChangeParamsSchema } from "@meridian/policy";
import { ZChangeFileSchema } from "../routers/v1/team-api.schema";
import { DEFAULT_RATE_LIMIT, type TRateLimitSettings } from "./rate-limit";

type TSchemaObject = NonNullable<NonNullable<OpenAPIObject["components"]>["schemas"]>[string];

export const API_V1_BASE = "/api/v1";
export const OPENAPI_PATH = "/openapi.json";
export const CHANGE_FILE_SCHEMA_PATH = "/change-file.schema.json";
/** POST routes that write nothing and so need no Idempotency-Key. */
export const DRY_RUN_ROUTES = new Set(["/changes/plan"]);

const PROBLEM_SCHEMA = {
  type: "object",
  description: "RFC 9457 problem details",
  required: ["type", "title", "status", "detail", "code"],
  properties: {
    type: { type: "string", description: "URI reference naming the kind of problem" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string", description: "What went wrong, in plain words" },
    code: { type: "string", description: "Stable machine word: invalid-input, token-expired, forbidden, rate-limited ..." },
    fieldErrors: {
      type: "object",
      additionalProperties: { type: "array", items: { type: "string" } },
      description: "Messages per input field path (`parameters.dataCenterId`)",
    },
  },
};

const ERROR_DESCRIPTIONS: Record<string, string> = {
  "400": "Invalid input (fieldErrors name the fields)",
  "401": "No token, or a token that is unknown, revoked or expired",
  "403": "The token's scopes or clusters do not allow this",
  "404": "Not found (or another team's)",
  "409": "Conflict: the request changed meanwhile, or an Idempotency-Key was reused with another body",
  "429": "Rate limit of the token exceeded: wait Retry-After seconds",
  "500": "Internal error",
};

function describe(limit: TRateLimitSettings): string {
  return [
    "The team API of Meridian: read the fleet and the team's clusters, file and follow change requests.",
    "",
    "Authentication: `Authorization: Bearer mrd_<prefix>_<secret>` (a team's API token, created in the console under Settings → API tokens).",
    `Rate limit: ${limit.perMinute} requests a minute per token, bursts of up to ${limit.burst}; above it a 429 with Retry-After.`,
    "Every POST that writes takes an `Idempotency-Key` header: a retry with the same key and body returns the first result and creates nothing; the same key with another body is a 409.",
    "Errors are `application/problem+json`. Lists are paginated by cursor: pass `nextCursor` back as `cursor`.",
    "v1 promise: only additive changes (new routes, new optional inputs, new output fields). Nothing is renamed, retyped or removed within v1.",
  ].join("\n");
}

/** The OpenAPI 3.1 document of `/api/v1`, generated from the v1 procedures and their zod schemas. */
export function buildOpenApiDocument(options: { rateLimit?: TRateLimitSettings } = {}): OpenAPIObject {
  const doc = generateOpenApiDocument(v1Router, {
    title: "Meridian team API",
    version: "1.0.0",
    openApiVersion: "3.1.0",
    baseUrl: API_V1_BASE,
    description: describe(options.rateLimit ?? DEFAULT_RATE_LIMIT),
    securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "mrd_<prefix>_<secret>" } },
  });
  doc.components = { ...doc.components, schemas: { ...(doc.components?.schemas ?? {}), Problem: PROBLEM_SCHEMA as TSchemaObject } };
  const problemRef = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of ["get", "post", "patch", "put", "delete"] as const) {
      const op = item[method];
      if (!op) continue;
      const responses: Record<string, unknown> = { "200": op.responses?.["200"] };
      const codes = ["400", "401", "403", "404", "429", "500"];
      if (method !== "get") codes.push("409");
      for (const code of codes.sort()) responses[code] = { description: ERROR_DESCRIPTIONS[code], content: problemRef };
      op.responses = responses as typeof op.responses;
      if (method === "post" || method === "patch") {
        const required = method === "post" && !DRY_RUN_ROUTES.has(path);
        op.parameters = [
          ...(op.parameters ?? []),
          {
            name: "Idempotency-Key",
            in: "header",
            required,
            description: "Any unique string (up to 255 printable characters): a retry with the same key returns the first result and creates nothing",
            schema: { type: "string", maxLength: 255 },
          },
        ];
      }
    }
  }
  return doc;
}

const REFERENCE_FIELDS: Record<string, string> = {
  dataCenterId: "Data center code (or id)",
  targetDataCenterId: "Data center code (or id)",
  instanceId: "Instance name (or id)",
  sourceInstanceId: "Instance name (or id)",
  targetInstanceId: "Instance name (or id)",
  replicaInstanceId: "Instance name (or id)",
};

/** Per kind, the parameters an editor can complete and check (from the policy's zod schemas). */
function parametersByKind(): Record<string, unknown>[] {
  return ZChangeParamsSchema.options.map((option) => {
    const kind = option.shape.kind.value;
    const json = z.toJSONSchema(option, { io: "input", target: "draft-2020-12", unrepresentable: "any" }) as {
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(json.properties ?? {})) {
      if (key === "kind" || key === "clusterId") continue;
      properties[key] = REFERENCE_FIELDS[key] ? { type: "string", description: REFERENCE_FIELDS[key] } : value;
    }
    const required = (json.required ?? []).filter((k) => k !== "kind" && k !== "clusterId" && !(kind === "DRAIN_DATACENTER" && k === "dataCenterId"));
    return {
      if: { properties: { kind: { const: kind } }, required: ["kind"] },
      then: { properties: { parameters: { type: "object", properties, required, additionalProperties: false } } },
    };
  });
}

/** JSON Schema (2020-12) of a change request file, for editors (`# yaml-language-server: $schema=...`). */
export function buildChangeFileJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ZChangeFileSchema, { io: "input", target: "draft-2020-12" }) as {
    $defs?: Record<string, Record<string, unknown>>;
  } & Record<string, unknown>;
  const root = generated.$defs?.ChangeFile ?? generated;
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `${API_V1_BASE}${CHANGE_FILE_SCHEMA_PATH}`,
    title: "Meridian change request file",
    ...root,
    allOf: parametersByKind(),
  };
}
