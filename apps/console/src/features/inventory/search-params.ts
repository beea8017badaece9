import { type z } from "zod";

export type TSearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const NUMERIC = new Set(["page", "pageSize"]);

/**
 * A list request from the URL's query: each field is checked on its own against the request
 * schema and dropped when invalid (a hand-edited `?sort=bogus` falls back to the default
 * instead of failing the page), then the schema fills in the defaults. Server-side only.
 */
export function parseListSearchParams<TSchema extends z.ZodObject>(schema: TSchema, params: TSearchParams): z.output<TSchema> {
  const candidate: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const raw = first(params[key])?.trim();
    if (raw === undefined || raw === "") continue;
    const value = NUMERIC.has(key) ? Number(raw) : raw;
    if (field.safeParse(value).success) candidate[key] = value;
  }
  return schema.parse(candidate);
}
