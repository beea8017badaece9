/** A compact, readable type for a JSON Schema of the OpenAPI document: `{ name: string; items: Cluster[] }`. */
type TSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, TSchema>;
  required?: string[];
  items?: TSchema;
  enum?: unknown[];
  anyOf?: TSchema[];
  oneOf?: TSchema[];
  additionalProperties?: boolean | TSchema;
  const?: unknown;
};

export function schemaText(schema: unknown, depth = 0): string {
  const s = (schema ?? {}) as TSchema;
  if (s.$ref) return s.$ref.split("/").pop() ?? "?";
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  const union = s.anyOf ?? s.oneOf;
  if (union) return union.map((x) => schemaText(x, depth)).join(" | ");
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const parts = types.map((t) => {
    if (t === "array") return `${wrap(schemaText(s.items, depth))}[]`;
    if (t === "object") {
      if (s.properties && depth < 2) {
        const fields = Object.entries(s.properties).map(([k, v]) => `${k}${s.required?.includes(k) ? "" : "?"}: ${schemaText(v, depth + 1)}`);
        return `{ ${fields.join("; ")} }`;
      }
      if (s.properties) return "{ … }";
      if (s.additionalProperties && typeof s.additionalProperties === "object") return `Record<string, ${schemaText(s.additionalProperties, depth + 1)}>`;
      return "object";
    }
    return t;
  });
  return parts.length > 0 ? parts.join(" | ") : "any";
}

function wrap(text: string): string {
  return text.includes("|") ? `(${text})` : text;
}
