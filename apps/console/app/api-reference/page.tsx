import type { Metadata } from "next";
import { buildOpenApiDocument } from "@meridian/api/rest";
import { schemaText } from "@/features/api-reference/schema-text";

export const metadata: Metadata = { title: "Team API reference" };
// Rendered per request: the proxy's Content-Security-Policy nonce reaches Next's scripts only on dynamic pages.
export const dynamic = "force-dynamic";

const PROBLEMS: [string, number, string][] = [
  ["invalid-input", 400, "A field is wrong: fieldErrors names each field with its messages. Nothing was written."],
  ["invalid-json", 400, "The body is not JSON."],
  ["idempotency-key-required", 400, "A POST that writes needs an Idempotency-Key header."],
  ["token-missing", 401, "No Authorization: Bearer header."],
  ["token-invalid", 401, "The token is malformed or unknown."],
  ["token-revoked", 401, "The token was revoked in the console."],
  ["token-expired", 401, "The token is past its expiry: create a new one."],
  ["token-owner-disabled", 401, "The account that created the token is disabled."],
  ["forbidden", 403, "The token's scopes or clusters do not allow this (a read-only token writing, a cluster of another team or outside the token's restriction)."],
  ["not-found", 404, "No such route or object, or one of another team."],
  ["conflict", 409, "The request changed meanwhile (expectedVersion) or its state does not allow this."],
  ["idempotency-key-reused", 409, "The Idempotency-Key was used for a different request body."],
  ["idempotency-key-in-progress", 409, "The first request with this key is still running: retry after Retry-After."],
  ["unsupported-media-type", 415, "Send application/json."],
  ["rate-limited", 429, "Too many requests for this token: wait Retry-After seconds."],
  ["internal", 500, "Meridian failed: retry with the same Idempotency-Key."],
];

type TOperation = {
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown; description?: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
};

/** The team API reference, rendered on the server from the same OpenAPI document as /api/v1/openapi.json. */
export default function ApiReferencePage() {
  const doc = buildOpenApiDocument();
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    (["get", "post", "patch", "put", "delete"] as const)
      .filter((m) => item[m])
      .map((m) => ({ path, method: m.toUpperCase(), op: item[m] as TOperation })),
  );
  const schemas = Object.entries(doc.components?.schemas ?? {});
  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-6 px-6 py-8 text-sm">
      <header className="flex flex-col gap-2">
        <h1 className="text-2xl font-semibold">{doc.info.title}</h1>
        <p className="text-zinc-600 dark:text-zinc-400">
          Version {doc.info.version} · base URL <code>/api/v1</code> ·{" "}
          <a className="text-sky-700 underline dark:text-sky-300" href="/api/v1/openapi.json">
            openapi.json
          </a>{" "}
          ·{" "}
          <a className="text-sky-700 underline dark:text-sky-300" href="/api/v1/change-file.schema.json">
            change-file.schema.json
          </a>
        </p>
        <div className="whitespace-pre-line">{doc.info.description}</div>
      </header>
      <nav aria-label="Operations">
        <ul className="grid grid-cols-1 gap-1 sm:grid-cols-2">
          {operations.map(({ path, method }) => (
            <li key={`${method} ${path}`}>
              <a className="font-mono text-sky-700 dark:text-sky-300" href={`#${method}-${path}`}>
                {method} {path}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {operations.map(({ path, method, op }) => {
        const body = op.requestBody?.content?.["application/json"]?.schema;
        const ok = op.responses?.["200"]?.content?.["application/json"]?.schema;
        return (
          <section key={`${method} ${path}`} id={`${method}-${path}`} className="flex flex-col gap-2 rounded-md border border-zinc-200 p-4 dark:border-zinc-800">
            <h2 className="font-mono text-base font-semibold">
              {method} /api/v1{path}
            </h2>
            <p>{op.summary}</p>
            {op.parameters && op.parameters.length > 0 ? (
              <table className="w-full text-left">
                <thead>
                  <tr className="text-zinc-500">
                    <th className="py-1 pr-4 font-normal">Parameter</th>
                    <th className="py-1 pr-4 font-normal">In</th>
                    <th className="py-1 font-normal">Type</th>
                  </tr>
                </thead>
                <tbody>
                  {op.parameters.map((p) => (
                    <tr key={`${p.in}-${p.name}`}>
                      <td className="py-1 pr-4 font-mono">
                        {p.name}
                        {p.required ? "" : "?"}
                      </td>
                      <td className="py-1 pr-4">{p.in}</td>
                      <td className="py-1 font-mono text-xs">{schemaText(p.schema)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            {body ? (
              <p>
                Body: <code className="text-xs break-words">{schemaText(body)}</code>
              </p>
            ) : null}
            <p>
              200: <code className="text-xs break-words">{schemaText(ok)}</code>
            </p>
            <p className="text-zinc-500">Errors (problem+json): {Object.keys(op.responses ?? {}).filter((c) => c !== "200").join(", ")}</p>
          </section>
        );
      })}
      <section className="flex flex-col gap-2">
        <h2 className="text-lg font-semibold">Schemas</h2>
        {schemas.map(([name, schema]) => (
          <div key={name} id={`schema-${name}`}>
            <h3 className="font-mono font-semibold">{name}</h3>
            <code className="text-xs break-words">{schemaText(schema)}</code>
          </div>
        ))}
      </section>
      <section className="flex flex-col gap-2">
        <h2 className="text-lg font-semibold">Problems</h2>
        <ul className="flex flex-col gap-1">
          {PROBLEMS.map(([code, status, text]) => (
            <li key={code} id={`problem-${code}`}>
              <code>{code}</code> ({status}): {text}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
