/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies and JSON Schemas are walked structurally */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { setupTeamApiFixture, type TTeamApiFixture } from "../test/team-api-fixtures";
import { getChangeRequest } from "../services/changes/get-change-request";
import { v1Router } from "../routers/v1";
import { buildOpenApiDocument, createRestHandler, type TRestHandler } from "./index";
import { tokenSecretOf } from "../services/tokens/token-secret";

let db: TTestDatabase;
let fx: TTeamApiFixture;
let handle: TRestHandler;

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await setupTeamApiFixture(db.prisma);
  handle = createRestHandler({ prisma: db.prisma, rateLimit: { perMinute: 100_000, burst: 100_000 } });
}, 240_000);
afterAll(async () => {
  await db?.drop();
});

let keySeq = 0;
async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; key?: string | null; handler?: TRestHandler } = {},
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if ((method === "POST" || method === "PATCH") && options.key !== null) headers["idempotency-key"] = options.key ?? `test-${++keySeq}-${Date.now()}`;
  const req = new Request(`http://meridian.test/api/v1${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
  });
  const res = await (options.handler ?? handle)(req);
  const text = await res.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  if (res.status >= 400) expect(res.headers.get("content-type"), `${method} ${path}: ${text}`).toBe("application/problem+json");
  return { status: res.status, body, text, headers: res.headers };
}

/** Files a draft with the right token (a fresh request per caller). */
async function fileDraft(file = fx.switchoverFile): Promise<{ number: number; version: number }> {
  const res = await call("POST", "/changes", { token: fx.tokens.right, body: { ...file, reason: `${file.reason} ${++keySeq}` } });
  expect(res.status, res.text).toBe(200);
  return { number: res.body.number, version: res.body.version };
}

function foreignLeaks(text: string): string[] {
  return [
    ...(/credential|password|secret_hash|secretHash/i.test(text) ? ["a credential field"] : []),
    ...fx.foreignClusters.filter((n) => text.includes(`"${n}"`)),
    ...fx.foreignTeamSlugs.filter((s) => text.includes(`"slug":"${s}"`)),
  ];
}

type TCase = { method: string; template: string; path: () => Promise<string>; body?: () => Promise<unknown>; writes: boolean };

/** Every operation of the OpenAPI document, made concrete for the team's data. */
function routeCases(): TCase[] {
  const doc = buildOpenApiDocument();
  const cases: TCase[] = [];
  for (const [template, item] of Object.entries(doc.paths ?? {})) {
    for (const method of ["get", "post", "patch"] as const) {
      if (!item[method]) continue;
      const needsRequest = template.includes("{number}");
      let made: Promise<{ number: number; version: number }> | null = null;
      const draft = () => (made ??= fileDraft());
      cases.push({
        method: method.toUpperCase(),
        template,
        writes: method !== "get",
        path: async () =>
          template
            .replace("{code}", "fra1")
            .replace("{name}", fx.switchoverFile.target.cluster!)
            .replace("{number}", needsRequest ? String((await draft()).number) : ""),
        body:
          method === "get"
            ? undefined
            : async () => {
                if (template === "/changes" || template === "/changes/plan") return fx.switchoverFile;
                const { version } = await draft();
                if (template.endsWith("/cancel")) return { expectedVersion: version, reason: "not needed" };
                if (method === "patch") return { expectedVersion: version, reason: "Updated reason for the drill" };
                return { expectedVersion: version };
              },
      });
    }
  }
  return cases;
}

describe("every /api/v1 route x token", () => {
  const cases = routeCases();

  it("covers every operation of the document", () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases.map((c) => [`${c.method} ${c.template}`, c] as const))("%s refuses no token, a revoked and an expired token (401)", async (_n, c) => {
    const path = await c.path();
    const body = c.body ? await c.body() : undefined;
    const none = await call(c.method, path, { body });
    expect(none.status).toBe(401);
    expect(none.body.code).toBe("token-missing");
    const revoked = await call(c.method, path, { body, token: fx.tokens.revoked });
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe("token-revoked");
    const expired = await call(c.method, path, { body, token: fx.tokens.expired });
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe("token-expired");
    const garbage = await call(c.method, path, { body, token: "mrd_aaaaaaaaaaaa_not-a-real-secret-at-all-000000000000000000000" });
    expect(garbage.status).toBe(401);
  });

  it.each(cases.map((c) => [`${c.method} ${c.template}`, c] as const))("%s: read-only token reads, never writes (403)", async (_n, c) => {
    const res = await call(c.method, await c.path(), { body: c.body ? await c.body() : undefined, token: fx.tokens.readOnly });
    expect(res.status, res.text).toBe(c.writes ? 403 : 200);
    expect(foreignLeaks(res.text)).toEqual([]);
  });

  it.each(cases.map((c) => [`${c.method} ${c.template}`, c] as const))("%s: another team's token sees nothing of this team", async (_n, c) => {
    const res = await call(c.method, await c.path(), { body: c.body ? await c.body() : undefined, token: fx.tokens.other });
    const ownRoute = c.template.includes("{name}") || c.template.includes("{number}");
    const files = c.method === "POST" && (c.template === "/changes" || c.template === "/changes/plan");
    const expected = files ? 403 : ownRoute ? 404 : 200;
    expect(res.status, res.text).toBe(expected);
    // Nothing of the first team leaks to the other team's token.
    for (const name of fx.teamClusters) expect(res.text.includes(`"${name}"`), `${name} leaked`).toBe(false);
  });

  it.each(cases.map((c) => [`${c.method} ${c.template}`, c] as const))("%s: the right token gets 200 and only its team's data", async (_n, c) => {
    const res = await call(c.method, await c.path(), { body: c.body ? await c.body() : undefined, token: fx.tokens.right });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(foreignLeaks(res.text)).toEqual([]);
  });
});

describe("tokens act as their team", () => {
  it("lists only the team's clusters, by cursor, without repeating or skipping", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call("GET", `/clusters?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: fx.tokens.right });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((c: { name: string }) => c.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...fx.teamClusters].sort());
  });

  it("files for the token's clusters only, with a clear word for a forbidden cluster", async () => {
    const res = await call("POST", "/changes", { token: fx.tokens.right, body: fx.foreignFile });
    expect(res.status).toBe(403);
    expect(res.body.fieldErrors["target.cluster"][0]).toMatch(/Forbidden cluster/);
    const restricted = await call("POST", "/changes/plan", { token: fx.tokens.restricted, body: fx.switchoverFile });
    expect(restricted.status).toBe(403);
    expect(restricted.body.detail).toContain(`restricted to other clusters than ${fx.switchoverFile.target.cluster}`);
  });

  it("shows the token and its creator as the requester", async () => {
    const { number } = await fileDraft();
    const res = await call("GET", `/changes/${number}`, { token: fx.tokens.readOnly });
    expect(res.body.requester.email).toBe(fx.creator.email);
    expect(res.body.filedByToken.prefix).toMatch(/^[a-z2-7]{12}$/);
    expect(fx.tokens.right).toContain(`_${res.body.filedByToken.prefix}_`);
    // The console's request page shows it too.
    const consoleView = await getChangeRequest(db.prisma, fx.creator, number);
    expect(consoleView.filedByToken?.prefix).toBe(res.body.filedByToken.prefix);
  });

  it("audits creation, the first use (once) and revocation", async () => {
    const row = await db.prisma.apiToken.findFirstOrThrow({ where: { prefix: fx.tokens.readOnly.split("_")[1]! } });
    const events = await db.prisma.auditEvent.findMany({ where: { targetType: "apiToken", targetId: row.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["apiToken.created", "apiToken.firstUsed"]);
    expect(JSON.stringify(events.map((e) => [e.before, e.after]))).not.toContain(tokenSecretOf(fx.tokens.readOnly)!);
    const revoked = await db.prisma.apiToken.findFirstOrThrow({ where: { prefix: fx.tokens.revoked.split("_")[1]! } });
    const rEvents = await db.prisma.auditEvent.findMany({ where: { targetType: "apiToken", targetId: revoked.id }, orderBy: { id: "asc" } });
    expect(rEvents.map((e) => e.action)).toEqual(["apiToken.created", "apiToken.revoked"]);
  });

  it("lists the team's audit events and no other team's", async () => {
    const res = await call("GET", "/audit-events?limit=200", { token: fx.tokens.right });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    const other = await db.prisma.apiToken.findFirstOrThrow({ where: { prefix: fx.tokens.other.split("_")[1]! } });
    expect(res.body.items.some((e: { targetId: string }) => e.targetId === other.id)).toBe(false);
  });
});

describe("idempotency", () => {
  it("20 parallel POSTs with one key file one request and return the same result", async () => {
    const before = await db.prisma.changeRequest.count();
    const body = { ...fx.switchoverFile, reason: "Parallel retries of one pipeline step" };
    const results = await Promise.all(Array.from({ length: 20 }, () => call("POST", "/changes", { token: fx.tokens.right, body, key: "pipeline-run-42" })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => r.body.number)).size).toBe(1);
    expect(await db.prisma.changeRequest.count()).toBe(before + 1);
    expect(results.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(19);
  });

  it("refuses the same key with another body (409) and writes nothing", async () => {
    const body = { ...fx.switchoverFile, reason: "First body of this key" };
    expect((await call("POST", "/changes", { token: fx.tokens.right, body, key: "reused-key" })).status).toBe(200);
    const before = await db.prisma.changeRequest.count();
    const res = await call("POST", "/changes", { token: fx.tokens.right, body: { ...body, reason: "Another body" }, key: "reused-key" });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("idempotency-key-reused");
    expect(await db.prisma.changeRequest.count()).toBe(before);
  });

  it("forgets keys after 24 hours", async () => {
    const row = await db.prisma.apiToken.findFirstOrThrow({ where: { prefix: fx.tokens.right.split("_")[1]! } });
    const old = new Date(Date.now() - 25 * 3600 * 1000);
    await db.prisma.idempotencyKey.create({ data: { tokenId: row.id, key: "from-yesterday", requestHash: "x".repeat(64), status: 200, response: {}, createdAt: old } });
    const fresh = createRestHandler({ prisma: db.prisma });
    const res = await call("POST", "/changes/1/cancel", { token: fx.tokens.right, body: { expectedVersion: "x" }, handler: fresh });
    expect(res.status).toBe(400);
    expect(await db.prisma.idempotencyKey.count({ where: { key: "from-yesterday" } })).toBe(0);
  });

  it("requires a key on POSTs that write", async () => {
    const res = await call("POST", "/changes", { token: fx.tokens.right, body: fx.switchoverFile, key: null });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("idempotency-key-required");
  });
});

describe("malformed bodies", () => {
  const bodies: unknown[] = ["{not json", [], 42, { kind: "ADD_REPLICA" }, { kind: "DROP_EVERYTHING", target: {}, reason: "x" }, { expectedVersion: "seven", extra: true }];
  const writes = () => routeCases().filter((c) => c.writes);

  it("get a 400 problem with field errors on every write route, never a 500, and nothing is written", async () => {
    const { number, version } = await fileDraft();
    const before = { requests: await db.prisma.changeRequest.count(), audit: await db.prisma.auditEvent.count() };
    for (const c of writes()) {
      const path = c.template.replace("{number}", String(number));
      for (const body of bodies) {
        const res = await call(c.method, path, { token: fx.tokens.right, body: typeof body === "string" ? body : body });
        expect(res.status, `${c.method} ${path} ${JSON.stringify(body)}: ${res.text}`).toBe(400);
        expect(res.body.type).toMatch(/^\/api-reference#problem-/);
        if (typeof body !== "string") expect(Object.keys(res.body.fieldErrors ?? {}).length, res.text).toBeGreaterThan(0);
      }
    }
    expect(await db.prisma.changeRequest.count()).toBe(before.requests);
    expect(await db.prisma.auditEvent.count()).toBe(before.audit);
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { number } })).version).toBe(version);
  });
});

describe("malformed query parameters", () => {
  it.each([
    ["/clusters?limit=abc", "limit"],
    ["/clusters?limit=100000", "limit"],
    ["/clusters?cursor=%7B%22%24ne%22%3Anull%7D", "cursor"],
    ["/changes?status=DROPPED", "status"],
    ["/clusters?sort=password_hash", "(input)"],
    ["/changes/abc", "number"],
    ["/audit-events?cursor=bm90LWEtY3Vyc29y", "cursor"],
  ])("GET %s is a 400 naming %s", async (path, field) => {
    const res = await call("GET", path, { token: fx.tokens.right });
    expect(res.status, res.text).toBe(400);
    expect(res.body.code).toBe("invalid-input");
    expect(Object.keys(res.body.fieldErrors ?? {})).toContain(field);
  });
});

describe("rate limit", () => {
  it("answers 429 with Retry-After past the token's budget, per token", async () => {
    const limited = createRestHandler({ prisma: db.prisma, rateLimit: { perMinute: 60, burst: 3 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call("GET", "/clusters", { token: fx.tokens.readOnly, handler: limited })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const res = await call("GET", "/clusters", { token: fx.tokens.readOnly, handler: limited });
    expect(res.body.code).toBe("rate-limited");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await call("GET", "/clusters", { token: fx.tokens.right, handler: limited })).status).toBe(200);
  });
});

/** A small structural JSON Schema check (type, required, properties, items, enum, $ref, anyOf/oneOf, nullability). */
function conforms(schema: any, value: unknown, root: any, path = "$"): string[] {
  if (!schema || typeof schema !== "object") return [];
  if (schema.$ref) return conforms(resolve(root, schema.$ref), value, root, path);
  if (schema.anyOf || schema.oneOf) {
    const options: any[] = schema.anyOf ?? schema.oneOf;
    return options.some((o) => conforms(o, value, root, path).length === 0) ? [] : [`${path}: matches none of the options`];
  }
  const types: string[] | undefined = schema.type ? (Array.isArray(schema.type) ? schema.type : [schema.type]) : undefined;
  const actual = value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;
  if (types && !types.includes(actual) && !(actual === "integer" && types.includes("number"))) return [`${path}: ${actual} is not ${types.join("|")}`];
  if (schema.enum && !schema.enum.includes(value)) return [`${path}: ${String(value)} not in enum`];
  const errors: string[] = [];
  if (actual === "object") {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in obj)) errors.push(`${path}.${key}: missing`);
    for (const [key, sub] of Object.entries(schema.properties ?? {})) if (key in obj) errors.push(...conforms(sub, obj[key], root, `${path}.${key}`));
    if (schema.additionalProperties === false)
      for (const key of Object.keys(obj)) if (!(key in (schema.properties ?? {}))) errors.push(`${path}.${key}: not in the document`);
  }
  if (actual === "array" && schema.items) (value as unknown[]).forEach((v, i) => errors.push(...conforms(schema.items, v, root, `${path}[${i}]`)));
  return errors;
}
function resolve(root: any, ref: string): any {
  return ref.replace(/^#\//, "").split("/").reduce((o, k) => o?.[k], root);
}

describe("OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document, served at /api/v1/openapi.json", async () => {
    const res = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const result = await new Validator().validate(res.body);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("matches what every route answers (a route and the document never disagree)", async () => {
    const doc = buildOpenApiDocument() as any;
    for (const c of routeCases()) {
      const res = await call(c.method, await c.path(), { body: c.body ? await c.body() : undefined, token: fx.tokens.right });
      expect(res.status, `${c.method} ${c.template}: ${res.text}`).toBe(200);
      const schema = doc.paths[c.template][c.method.toLowerCase()].responses["200"].content["application/json"].schema;
      expect(conforms(schema, res.body, doc), `${c.method} ${c.template}`).toEqual([]);
      const problemRes = await call(c.method, await c.path(), { body: c.body ? await c.body() : undefined });
      expect(conforms(doc.paths[c.template][c.method.toLowerCase()].responses["401"].content["application/problem+json"].schema, problemRes.body, doc)).toEqual([]);
    }
  });

  it("documents every v1 procedure (none is reachable over tRPC only)", () => {
    const procedures = Object.entries((v1Router._def as unknown as { procedures: Record<string, { _def: { meta?: { openapi?: { path: string } } } }> }).procedures);
    const documented = Object.values(buildOpenApiDocument().paths ?? {}).flatMap((item) => Object.values(item as Record<string, { operationId?: string }>).map((op) => op.operationId));
    for (const [name, proc] of procedures) {
      expect(proc._def.meta?.openapi?.path, `v1.${name} has no openapi route`).toBeDefined();
      expect(documented, `v1.${name} missing from the document`).toContain(name);
    }
  });

  it("a document that disagrees with a route is caught", () => {
    const doc = buildOpenApiDocument() as any;
    const schema = doc.paths["/clusters"].get.responses["200"].content["application/json"].schema;
    expect(conforms(schema, { items: [{ id: 1 }], nextCursor: null }, doc).length).toBeGreaterThan(0);
  });

  it("publishes the change file JSON Schema beside it", async () => {
    const res = await call("GET", "/change-file.schema.json");
    expect(res.status).toBe(200);
    expect(res.body.properties.kind.enum).toContain("SWITCHOVER");
    expect(res.body.required).toEqual(expect.arrayContaining(["kind", "target", "reason"]));
    const switchover = res.body.allOf.find((c: any) => c.if.properties.kind.const === "SWITCHOVER");
    expect(Object.keys(switchover.then.properties.parameters.properties)).toEqual(["replicaInstanceId", "maxLagSeconds"]);
  });
});
