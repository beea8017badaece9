import { CLASSIFICATION_LABELS, ENGINE_LABELS, type TClassification, type TEngine } from "@/features/inventory/labels";

/**
 * The fleet filters of the map and the topology's fleet view, as they live in the URL:
 * `?region=eu-west&jurisdiction=EU&team=payments&classification=PII&engine=POSTGRESQL`.
 * Parsing is forgiving: an unknown engine in a hand-edited URL is dropped, not an error.
 */
export interface TFleetFilter {
  region?: string;
  jurisdiction?: string;
  team?: string;
  classification?: TClassification;
  engine?: TEngine;
}

export const FLEET_FILTER_KEYS = ["region", "jurisdiction", "team", "classification", "engine"] as const;

type TGet = (key: string) => string | null | undefined;

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

function code(value: string | null | undefined): string | undefined {
  const v = value?.trim();
  return v && CODE.test(v) ? v : undefined;
}

function oneOf<T extends string>(values: Record<T, unknown>, value: string | null | undefined): T | undefined {
  const v = value?.trim().toUpperCase();
  return v && Object.hasOwn(values, v) ? (v as T) : undefined;
}

/** Reads the filters; absent keys stay absent (so the tRPC query key is stable). */
export function parseFleetFilter(get: TGet): TFleetFilter {
  const filter: TFleetFilter = {};
  const region = code(get("region"));
  const jurisdiction = code(get("jurisdiction"));
  const team = code(get("team"));
  const classification = oneOf(CLASSIFICATION_LABELS, get("classification"));
  const engine = oneOf(ENGINE_LABELS, get("engine"));
  if (region) filter.region = region;
  if (jurisdiction) filter.jurisdiction = jurisdiction.toUpperCase();
  if (team) filter.team = team;
  if (classification) filter.classification = classification;
  if (engine) filter.engine = engine;
  return filter;
}

export function countFilters(filter: TFleetFilter): number {
  return FLEET_FILTER_KEYS.filter((k) => filter[k]).length;
}

/** From a server component's `searchParams`. */
export function getterOf(params: Record<string, string | string[] | undefined>): TGet {
  return (key) => {
    const v = params[key];
    return Array.isArray(v) ? v[0] : v;
  };
}
