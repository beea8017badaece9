import { type TClusterSnapshot, type TDataCenterSnapshot, type TInstanceSnapshot, type TLinkSnapshot } from "./snapshot";

/**
 * What a change touches, for the preview: instances and links with what happens to each
 * (for highlighting the before/after topology), data centers (for the map), clusters, teams
 * and jurisdictions, and rough expectations of write downtime and replication lag.
 */
export type TInstanceChange =
  | "added"
  | "removed"
  | "promoted"
  | "demoted"
  | "fenced"
  | "repointed"
  | "schema"
  | "detached"
  /** Gains or loses an outgoing replication link. */
  | "source"
  /** Gains an incoming replication link. */
  | "linked"
  /** Loses an incoming replication link. */
  | "unlinked";
export type TLinkChange = "added" | "removed" | "repointed";
export type TDataCenterChange = "hosts-change" | "draining";

export interface TBlastRadius {
  instances: { id: string; name: string; clusterId: string; dataCenterId: string; changes: TInstanceChange[] }[];
  links: { id: string; sourceId: string; targetId: string; clusterId: string; changes: TLinkChange[] }[];
  dataCenters: { id: string; code: string; jurisdiction: string; changes: TDataCenterChange[] }[];
  clusters: { id: string; name: string }[];
  /** Slugs of the teams owning the clusters. */
  teams: string[];
  /** Jurisdictions of the data centers touched. */
  jurisdictions: string[];
  /** Seconds during which writes are expected to be refused (rough estimate). */
  expectedDowntimeSeconds: number;
  /** For a failover, the writes that may be lost (the promoted replica's lag); otherwise the lag expected on existing links. */
  expectedLagSeconds: number;
}

function addUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

export class BlastRadiusBuilder {
  private readonly instances = new Map<string, TBlastRadius["instances"][number]>();
  private readonly links = new Map<string, TBlastRadius["links"][number]>();
  private readonly dataCenters = new Map<string, TBlastRadius["dataCenters"][number]>();
  private readonly clusters = new Map<string, { id: string; name: string }>();
  private readonly teams = new Set<string>();
  private downtime = 0;
  private lag = 0;

  cluster(cluster: TClusterSnapshot): this {
    this.clusters.set(cluster.id, { id: cluster.id, name: cluster.name });
    this.teams.add(cluster.teamSlug);
    return this;
  }

  instance(cluster: TClusterSnapshot, instance: TInstanceSnapshot, change: TInstanceChange): this {
    this.cluster(cluster);
    const entry = this.instances.get(instance.id) ?? {
      id: instance.id,
      name: instance.name,
      clusterId: cluster.id,
      dataCenterId: instance.dataCenterId,
      changes: [],
    };
    addUnique(entry.changes, change);
    this.instances.set(instance.id, entry);
    return this;
  }

  link(cluster: TClusterSnapshot, link: Pick<TLinkSnapshot, "id" | "sourceId" | "targetId">, change: TLinkChange): this {
    this.cluster(cluster);
    const entry = this.links.get(link.id) ?? {
      id: link.id,
      sourceId: link.sourceId,
      targetId: link.targetId,
      clusterId: cluster.id,
      changes: [],
    };
    addUnique(entry.changes, change);
    this.links.set(link.id, entry);
    return this;
  }

  dataCenter(dc: TDataCenterSnapshot, change: TDataCenterChange = "hosts-change"): this {
    const entry = this.dataCenters.get(dc.id) ?? { id: dc.id, code: dc.code, jurisdiction: dc.jurisdiction.toUpperCase(), changes: [] };
    addUnique(entry.changes, change);
    this.dataCenters.set(dc.id, entry);
    return this;
  }

  addDowntime(seconds: number): this {
    this.downtime += Math.max(0, seconds);
    return this;
  }

  raiseLag(seconds: number): this {
    this.lag = Math.max(this.lag, seconds);
    return this;
  }

  /** Fold another change's blast radius into this one (a drain's children). */
  merge(other: TBlastRadius): this {
    for (const i of other.instances) {
      const entry = this.instances.get(i.id) ?? { ...i, changes: [] };
      for (const c of i.changes) addUnique(entry.changes, c);
      this.instances.set(i.id, entry);
    }
    for (const l of other.links) {
      const entry = this.links.get(l.id) ?? { ...l, changes: [] };
      for (const c of l.changes) addUnique(entry.changes, c);
      this.links.set(l.id, entry);
    }
    for (const d of other.dataCenters) {
      const entry = this.dataCenters.get(d.id) ?? { ...d, changes: [] };
      for (const c of d.changes) addUnique(entry.changes, c);
      this.dataCenters.set(d.id, entry);
    }
    for (const c of other.clusters) this.clusters.set(c.id, c);
    for (const t of other.teams) this.teams.add(t);
    this.downtime += other.expectedDowntimeSeconds;
    this.lag = Math.max(this.lag, other.expectedLagSeconds);
    return this;
  }

  build(): TBlastRadius {
    const byName = <T extends { name: string; id: string }>(a: T, b: T) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
    const dataCenters = [...this.dataCenters.values()].sort((a, b) => a.code.localeCompare(b.code));
    return {
      instances: [...this.instances.values()].sort(byName),
      links: [...this.links.values()].sort((a, b) => a.id.localeCompare(b.id)),
      dataCenters,
      clusters: [...this.clusters.values()].sort(byName),
      teams: [...this.teams].sort(),
      jurisdictions: [...new Set(dataCenters.map((d) => d.jurisdiction))].sort(),
      expectedDowntimeSeconds: Math.round(this.downtime),
      expectedLagSeconds: Math.round(this.lag * 10) / 10,
    };
  }
}
