import { getterOf, parseFleetFilter, type TFleetFilter } from "@/features/map/fleet-filter";

/**
 * The topology page's URL: `?cluster=<name>` opens a cluster's graph (else the fleet),
 * `select=<kind>:<key>` focuses and highlights one node (`instance:pay-eu-01-2`, `dc:fra1`,
 * `cluster:pay-eu-01`), and the fleet filters narrow the fleet view.
 */
export type TSelectKind = "instance" | "dc" | "cluster";

export interface TTopologyUrlState {
  cluster?: string;
  select?: { kind: TSelectKind; key: string };
  filter: TFleetFilter;
}

type TGet = (key: string) => string | null | undefined;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export function parseTopologyUrl(get: TGet): TTopologyUrlState {
  const state: TTopologyUrlState = { filter: parseFleetFilter(get) };
  const cluster = get("cluster")?.trim();
  if (cluster && NAME.test(cluster)) state.cluster = cluster;
  const select = get("select")?.trim();
  const m = select ? /^(instance|dc|cluster):(.+)$/.exec(select) : null;
  if (m && NAME.test(m[2]!)) state.select = { kind: m[1] as TSelectKind, key: m[2]! };
  return state;
}

export function parseTopologySearchParams(params: Record<string, string | string[] | undefined>): TTopologyUrlState {
  return parseTopologyUrl(getterOf(params));
}

export function topologyQueryString(state: TTopologyUrlState): string {
  const q = new URLSearchParams();
  if (state.cluster) q.set("cluster", state.cluster);
  if (state.select) q.set("select", `${state.select.kind}:${state.select.key}`);
  const f = state.filter;
  if (f.region) q.set("region", f.region);
  if (f.jurisdiction) q.set("jurisdiction", f.jurisdiction);
  if (f.team) q.set("team", f.team);
  if (f.classification) q.set("classification", f.classification);
  if (f.engine) q.set("engine", f.engine);
  return q.toString();
}

export function topologyHref(state: TTopologyUrlState): string {
  const q = topologyQueryString(state);
  return q ? `/topology?${q}` : "/topology";
}
