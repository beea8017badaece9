import { derivedId } from "../core/plan";
import { type TClusterSnapshot, type TFleetSnapshot, type TInstanceSnapshot, type TLinkSnapshot } from "../core/snapshot";

/**
 * A small, realistic fleet for planner tests (plain data, no database: planners are pure).
 *
 *   fra1 (EU, 6/10)  ams1 (EU, 2/10)  fra2 (EU, full)  par1 (EU, DRAINING)
 *   lon1 (UK, 1/10)  iad1 (US, 2/20)  sin1 (SG, OFFLINE)
 *
 *   payments-eu-01  T0 PII       EU only   fra1-p1 -> ams1-r1 (PHYSICAL, 1.2 s), fra1-p1 -> ams1-r2 (LOGICAL, 8 s, DEGRADED)
 *   orders-eu-uk    T2 PII       EU + UK   fra1-p1 -> lon1-r1 (0.5 s), fra1-p1 -> fra1-r2 (LOGICAL, 2 s), lon1-r1 -> fra1-r2 (CDC, 4 s)
 *   catalog-us      T3 PUBLIC    US + EU   iad1-p1 -> iad1-r1 (0.2 s), iad1-p1 -> fra1-r1 (3 s)
 *   search-eu       T2 INTERNAL  EU only   fra1-p1 -> fra1-r1 (0.1 s)
 */
export const id = (name: string) => derivedId("fixture", name);

export const DC = {
  fra1: id("dc:fra1"),
  ams1: id("dc:ams1"),
  fra2: id("dc:fra2"),
  par1: id("dc:par1"),
  lon1: id("dc:lon1"),
  iad1: id("dc:iad1"),
  sin1: id("dc:sin1"),
} as const;

function instance(name: string, role: TInstanceSnapshot["role"], dc: keyof typeof DC, health: TInstanceSnapshot["health"] = "UP"): TInstanceSnapshot {
  return { id: id(`instance:${name}`), name, role, dataCenterId: DC[dc], health };
}

function link(source: string, target: string, lagSeconds: number | null, mode: TLinkSnapshot["mode"] = "PHYSICAL"): TLinkSnapshot {
  return { id: id(`link:${source}->${target}`), sourceId: id(`instance:${source}`), targetId: id(`instance:${target}`), mode, status: "ACTIVE", lagSeconds };
}

export const I = (name: string) => id(`instance:${name}`);
export const L = (source: string, target: string) => id(`link:${source}->${target}`);

const payments: TClusterSnapshot = {
  id: id("cluster:payments-eu-01"),
  name: "payments-eu-01",
  teamId: id("team:payments"),
  teamSlug: "payments",
  tier: "T0",
  classification: "PII",
  homeJurisdiction: "EU",
  allowedJurisdictions: ["EU"],
  rpoSeconds: 30,
  instances: [
    instance("payments-eu-01-fra1-p1", "PRIMARY", "fra1"),
    instance("payments-eu-01-ams1-r1", "REPLICA", "ams1"),
    instance("payments-eu-01-ams1-r2", "REPLICA", "ams1", "DEGRADED"),
  ],
  links: [
    link("payments-eu-01-fra1-p1", "payments-eu-01-ams1-r1", 1.2),
    link("payments-eu-01-fra1-p1", "payments-eu-01-ams1-r2", 8, "LOGICAL"),
  ],
};

const orders: TClusterSnapshot = {
  id: id("cluster:orders-eu-uk"),
  name: "orders-eu-uk",
  teamId: id("team:orders"),
  teamSlug: "orders",
  tier: "T2",
  classification: "PII",
  homeJurisdiction: "EU",
  allowedJurisdictions: ["EU", "UK"],
  rpoSeconds: 60,
  instances: [
    instance("orders-eu-uk-fra1-p1", "PRIMARY", "fra1"),
    instance("orders-eu-uk-lon1-r1", "REPLICA", "lon1"),
    instance("orders-eu-uk-fra1-r2", "REPLICA", "fra1"),
  ],
  links: [
    link("orders-eu-uk-fra1-p1", "orders-eu-uk-lon1-r1", 0.5),
    link("orders-eu-uk-fra1-p1", "orders-eu-uk-fra1-r2", 2, "LOGICAL"),
    link("orders-eu-uk-lon1-r1", "orders-eu-uk-fra1-r2", 4, "CDC"),
  ],
};

const catalog: TClusterSnapshot = {
  id: id("cluster:catalog-us"),
  name: "catalog-us",
  teamId: id("team:catalog"),
  teamSlug: "catalog",
  tier: "T3",
  classification: "PUBLIC",
  homeJurisdiction: "US",
  allowedJurisdictions: ["US", "EU"],
  rpoSeconds: 300,
  instances: [
    instance("catalog-us-iad1-p1", "PRIMARY", "iad1"),
    instance("catalog-us-iad1-r1", "REPLICA", "iad1"),
    instance("catalog-us-fra1-r1", "REPLICA", "fra1"),
  ],
  links: [link("catalog-us-iad1-p1", "catalog-us-iad1-r1", 0.2), link("catalog-us-iad1-p1", "catalog-us-fra1-r1", 3)],
};

const search: TClusterSnapshot = {
  id: id("cluster:search-eu"),
  name: "search-eu",
  teamId: id("team:search"),
  teamSlug: "search",
  tier: "T2",
  classification: "INTERNAL",
  homeJurisdiction: "EU",
  allowedJurisdictions: ["EU"],
  rpoSeconds: 120,
  instances: [instance("search-eu-fra1-p1", "PRIMARY", "fra1"), instance("search-eu-fra1-r1", "REPLICA", "fra1")],
  links: [link("search-eu-fra1-p1", "search-eu-fra1-r1", 0.1)],
};

export const CLUSTER = {
  payments: payments.id,
  orders: orders.id,
  catalog: catalog.id,
  search: search.id,
} as const;

/** A fresh copy each call, so that a test may alter it. */
export function fleet(): TFleetSnapshot {
  return structuredClone({
    clusters: [payments, orders, catalog, search],
    dataCenters: [
      { id: DC.fra1, code: "fra1", jurisdiction: "EU", status: "ACTIVE", capacitySlots: 10, usedSlots: 6, utcOffsetMinutes: 60 },
      { id: DC.ams1, code: "ams1", jurisdiction: "EU", status: "ACTIVE", capacitySlots: 10, usedSlots: 2, utcOffsetMinutes: 60 },
      { id: DC.fra2, code: "fra2", jurisdiction: "EU", status: "ACTIVE", capacitySlots: 4, usedSlots: 4 },
      { id: DC.par1, code: "par1", jurisdiction: "EU", status: "DRAINING", capacitySlots: 10, usedSlots: 1 },
      { id: DC.lon1, code: "lon1", jurisdiction: "UK", status: "ACTIVE", capacitySlots: 10, usedSlots: 1, utcOffsetMinutes: 0 },
      { id: DC.iad1, code: "iad1", jurisdiction: "US", status: "ACTIVE", capacitySlots: 20, usedSlots: 2, utcOffsetMinutes: -300 },
      { id: DC.sin1, code: "sin1", jurisdiction: "SG", status: "OFFLINE", capacitySlots: 5, usedSlots: 0 },
    ],
  } satisfies TFleetSnapshot);
}

/** The same fleet with one change applied to a copy. */
export function fleetWith(change: (f: TFleetSnapshot) => void): TFleetSnapshot {
  const f = fleet();
  change(f);
  return f;
}

export function clusterIn(f: TFleetSnapshot, clusterId: string): TClusterSnapshot {
  const c = f.clusters.find((x) => x.id === clusterId);
  if (!c) throw new Error(`fixture: no cluster ${clusterId}`);
  return c;
}

export function instanceIn(f: TFleetSnapshot, name: string): TInstanceSnapshot {
  for (const c of f.clusters) {
    const i = c.instances.find((x) => x.name === name);
    if (i) return i;
  }
  throw new Error(`fixture: no instance ${name}`);
}
