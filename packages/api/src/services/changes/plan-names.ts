import { type TPlan } from "@meridian/orchestrator";
import { type TDb } from "../audit/append-audit-event";
import { type TStoredPreview } from "./plan-request";

/** What a uuid in a plan's step inputs stands for, for people. */
export interface TPlanName {
  kind: "dataCenter" | "instance" | "cluster" | "link" | "team" | "user";
  /** "fra2", "payments-ledger-eu-02-r3", "pg-a -> pg-b". */
  label: string;
  /** More words: the data center's full name, an instance's data center, "to be created". */
  detail: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidsIn(value: unknown, out: Set<string>): Set<string> {
  if (typeof value === "string") {
    if (UUID.test(value)) out.add(value.toLowerCase());
  } else if (Array.isArray(value)) {
    for (const v of value) uuidsIn(v, out);
  } else if (value && typeof value === "object") {
    for (const v of Object.values(value)) uuidsIn(v, out);
  }
  return out;
}

/**
 * Names of the ids a plan's step inputs (and compensations) carry: data centers by code,
 * instances, clusters, links "source -> target", teams, users; instances and links the plan
 * creates come from the stored preview's "after" topology. Ids that name nothing known are
 * left out (the page then shows the id itself).
 */
export async function planNamesOf(db: TDb, plan: TPlan | null, preview: TStoredPreview | null): Promise<Record<string, TPlanName>> {
  if (!plan) return {};
  const ids = uuidsIn(plan.steps.map((s) => [s.input, s.compensation?.input ?? null]), new Set<string>());
  if (ids.size === 0) return {};
  const wanted = [...ids];
  const out: Record<string, TPlanName> = {};

  // What the plan creates exists only in the preview's "after" topology (and what it removes only "before").
  for (const topology of [...(preview?.topology?.after ?? []), ...(preview?.topology?.before ?? [])]) {
    if (ids.has(topology.clusterId)) out[topology.clusterId] ??= { kind: "cluster", label: topology.clusterName, detail: null };
    for (const i of topology.instances)
      if (ids.has(i.id)) out[i.id] ??= { kind: "instance", label: i.name, detail: `${i.role.toLowerCase()} in ${i.dataCenterCode}` };
    for (const l of topology.links)
      if (ids.has(l.id)) out[l.id] ??= { kind: "link", label: `${l.source} → ${l.target}`, detail: `${l.mode.toLowerCase()} replication` };
  }

  const [dataCenters, instances, clusters, links, teams, users] = await Promise.all([
    db.dataCenter.findMany({ where: { id: { in: wanted } }, select: { id: true, code: true, name: true } }),
    db.instance.findMany({
      where: { id: { in: wanted } },
      select: { id: true, name: true, role: true, dataCenter: { select: { code: true } } },
    }),
    db.cluster.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } }),
    db.replicationLink.findMany({
      where: { id: { in: wanted } },
      select: { id: true, mode: true, source: { select: { name: true } }, target: { select: { name: true } } },
    }),
    db.team.findMany({ where: { id: { in: wanted } }, select: { id: true, slug: true, name: true } }),
    db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true, email: true } }),
  ]);
  for (const d of dataCenters) out[d.id] = { kind: "dataCenter", label: d.code, detail: d.name };
  for (const i of instances) out[i.id] = { kind: "instance", label: i.name, detail: `${i.role.toLowerCase()} in ${i.dataCenter.code}` };
  for (const c of clusters) out[c.id] = { kind: "cluster", label: c.name, detail: null };
  for (const l of links) out[l.id] = { kind: "link", label: `${l.source.name} → ${l.target.name}`, detail: `${l.mode.toLowerCase()} replication` };
  for (const t of teams) out[t.id] = { kind: "team", label: t.slug, detail: t.name };
  for (const u of users) out[u.id] = { kind: "user", label: u.email, detail: u.name };
  return out;
}
