import { getterOf, parseFleetFilter, type TFleetFilter } from "./fleet-filter";

/**
 * Everything the map shows is in its URL, so a view can be shared:
 * filters, the selected data center (`dc`), the zoom (`z`, 1..16) and the centre (`at=lon,lat`),
 * and the table view instead of the map (`view=table`, for keyboard and screen-reader users).
 */
export interface TMapUrlState {
  filter: TFleetFilter;
  /** The data centers as a table (same filters, same selection) instead of the map. */
  table?: boolean;
  dc?: string;
  zoom: number;
  /** Longitude, latitude of the view's centre; absent means the whole world. */
  at?: [number, number];
}

export const MIN_ZOOM = 1;
export const MAX_ZOOM = 16;

type TGet = (key: string) => string | null | undefined;

export function clampZoom(z: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
}

export function parseMapUrl(get: TGet): TMapUrlState {
  const state: TMapUrlState = { filter: parseFleetFilter(get), zoom: 1 };
  const dc = get("dc")?.trim();
  if (dc && /^[A-Za-z0-9_.-]{1,32}$/.test(dc)) state.dc = dc;
  if (get("view")?.trim() === "table") state.table = true;
  const z = Number(get("z"));
  if (Number.isFinite(z) && z > 0) state.zoom = clampZoom(Math.round(z * 100) / 100);
  const at = get("at")?.split(",").map(Number);
  if (at && at.length === 2 && at.every(Number.isFinite)) {
    const [lon, lat] = at as [number, number];
    if (Math.abs(lon) <= 180 && Math.abs(lat) <= 90) state.at = [lon, lat];
  }
  if (state.zoom === 1) delete state.at;
  return state;
}

export function parseMapSearchParams(params: Record<string, string | string[] | undefined>): TMapUrlState {
  return parseMapUrl(getterOf(params));
}

/** The query string for a state, keys in a fixed order; default values left out. */
export function mapQueryString(state: TMapUrlState): string {
  const q = new URLSearchParams();
  const f = state.filter;
  if (f.region) q.set("region", f.region);
  if (f.jurisdiction) q.set("jurisdiction", f.jurisdiction);
  if (f.team) q.set("team", f.team);
  if (f.classification) q.set("classification", f.classification);
  if (f.engine) q.set("engine", f.engine);
  if (state.table) q.set("view", "table");
  if (state.dc) q.set("dc", state.dc);
  if (state.zoom > 1.001) {
    q.set("z", String(Math.round(state.zoom * 100) / 100));
    if (state.at) q.set("at", `${state.at[0].toFixed(2)},${state.at[1].toFixed(2)}`);
  }
  return q.toString();
}
