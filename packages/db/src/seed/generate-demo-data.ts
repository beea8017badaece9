import {
  DataCenterStatus,
  DataClassification,
  DriverKind,
  Engine,
  HealthStatus,
  InstanceRole,
  LinkStatus,
  ReplicationMode,
  Tier,
  type Prisma,
} from "../generated/prisma/client";
import { DEFAULT_APPROVAL_POLICIES } from "./approval-policies";
import { DEMO_USERS } from "./demo-users";
import {
  CAPACITY_BLOCK,
  DEMO_DATA_CENTERS,
  DEMO_JURISDICTIONS,
  DEMO_REGIONS,
  capacityFor,
  type TDataCenterSeed,
} from "./geography";
import { createIdFactory, createRng, type TRng } from "./prng";
import { DEMO_TEAMS, type TTeamSeed } from "./teams";

/**
 * Builds the whole demo data set in memory, as rows ready for `createMany`. Pure: the same
 * (seed, instances, passwordHash) always gives the same rows, ids included.
 */

export type TGenerateDemoDataInput = {
  seed: number;
  instances: number;
  /** bcrypt hash shared by every demo user. */
  passwordHash: string;
};

export type TDemoData = {
  jurisdictions: Prisma.JurisdictionCreateManyInput[];
  regions: Prisma.RegionCreateManyInput[];
  dataCenters: Prisma.DataCenterCreateManyInput[];
  users: Prisma.UserCreateManyInput[];
  teams: Prisma.TeamCreateManyInput[];
  teamMemberships: Prisma.TeamMembershipCreateManyInput[];
  clusters: Prisma.ClusterCreateManyInput[];
  instances: Prisma.InstanceCreateManyInput[];
  replicationLinks: Prisma.ReplicationLinkCreateManyInput[];
  approvalPolicies: Prisma.ApprovalPolicyCreateManyInput[];
};

/** About one cluster per this many instances. */
export const INSTANCES_PER_CLUSTER = 4;
/** The smallest fleet that still shows every engine and classification. */
export const MIN_INSTANCES = 20;

const ALL_ENGINES = Object.values(Engine);
const ALL_TIERS = Object.values(Tier);
const ALL_CLASSIFICATIONS = Object.values(DataClassification);

const ENGINE_WEIGHT: Record<Engine, number> = {
  POSTGRESQL: 44,
  MYSQL: 20,
  MARIADB: 10,
  SQLSERVER: 14,
  ORACLE: 12,
};

const ENGINE_VERSIONS: Record<Engine, readonly string[]> = {
  POSTGRESQL: ["17.2", "16.6", "16.6", "15.10", "14.15"],
  MYSQL: ["8.4.3", "8.0.40", "8.0.40"],
  MARIADB: ["11.4.4", "10.11.10"],
  SQLSERVER: ["16.0.4165.4", "15.0.4405.4"],
  ORACLE: ["19.25.0", "23.6.0"],
};

const ENGINE_ENDPOINT: Record<Engine, { prefix: string; port: number }> = {
  POSTGRESQL: { prefix: "pg", port: 5432 },
  MYSQL: { prefix: "mysql", port: 3306 },
  MARIADB: { prefix: "maria", port: 3306 },
  SQLSERVER: { prefix: "mssql", port: 1433 },
  ORACLE: { prefix: "ora", port: 1521 },
};

const TIER_WEIGHT: Record<Tier, number> = { T0: 10, T1: 25, T2: 40, T3: 25 };

/** RPO / RTO targets in seconds by tier (T0 is the most critical). */
export const TIER_TARGETS: Record<Tier, { rpoSeconds: number; rtoSeconds: number }> = {
  T0: { rpoSeconds: 0, rtoSeconds: 60 },
  T1: { rpoSeconds: 30, rtoSeconds: 300 },
  T2: { rpoSeconds: 300, rtoSeconds: 1800 },
  T3: { rpoSeconds: 3600, rtoSeconds: 14_400 },
};

/** Relative share of extra replicas a cluster of each tier draws, and its size cap. */
const TIER_SIZE: Record<Tier, { weight: number; max: number }> = {
  T0: { weight: 3.2, max: 9 },
  T1: { weight: 2.2, max: 7 },
  T2: { weight: 1.2, max: 5 },
  T3: { weight: 0.6, max: 4 },
};

/** How likely a cluster of each classification may live in more than its home jurisdiction. */
const MULTI_JURISDICTION_CHANCE: Record<DataClassification, number> = {
  PUBLIC: 0.7,
  INTERNAL: 0.5,
  CONFIDENTIAL: 0.3,
  PII: 0.15,
  REGULATED: 0.06,
};

/** How likely a replica of a multi-jurisdiction cluster is placed outside home. */
const FOREIGN_REPLICA_CHANCE: Record<DataClassification, number> = {
  PUBLIC: 0.5,
  INTERNAL: 0.45,
  CONFIDENTIAL: 0.4,
  PII: 0.4,
  REGULATED: 0.35,
};

/** Placement preference by data-center status: draining sites take little new work. */
const STATUS_PREFERENCE: Record<DataCenterStatus, number> = {
  ACTIVE: 1,
  MAINTENANCE: 0.35,
  DRAINING: 0.15,
  OFFLINE: 0,
};

/** Teams whose analytics-style clusters receive CDC feeds from other clusters' primaries. */
const CDC_CONSUMER_TEAMS = new Set(["analytics", "search", "risk"]);
/** Extra cross-cluster CDC links, as a share of the cluster count. */
const CDC_FEED_SHARE = 0.08;

type TPlannedCluster = {
  index: number;
  id: string;
  team: TTeamSeed;
  teamId: string;
  service: string;
  engine: Engine;
  tier: Tier;
  classification: DataClassification;
  home: string;
  allowed: string[];
  name: string;
  engineVersion: string;
  size: number;
};

type TDataCenterState = TDataCenterSeed & { id: string; capacity: number; used: number };

type TPlacedInstance = {
  id: string;
  cluster: TPlannedCluster;
  ordinal: number;
  role: InstanceRole;
  dataCenter: TDataCenterState;
  health: HealthStatus;
};

export function generateDemoData(input: TGenerateDemoDataInput): TDemoData {
  const { seed, instances: instanceCount, passwordHash } = input;
  if (!Number.isInteger(instanceCount) || instanceCount < MIN_INSTANCES) {
    throw new RangeError(`instances must be an integer of at least ${MIN_INSTANCES}, got ${instanceCount}`);
  }
  const rng = createRng(seed);
  const newId = createIdFactory(seed);

  // ---- places ---------------------------------------------------------------------------
  const jurisdictions = DEMO_JURISDICTIONS.map((j) => ({ code: j.code, name: j.name }));
  const regions = DEMO_REGIONS.map((r) => ({ ...r }));
  const totalWeight = DEMO_DATA_CENTERS.reduce((sum, d) => sum + d.weight, 0);
  const dcStates: TDataCenterState[] = DEMO_DATA_CENTERS.map((d) => ({
    ...d,
    id: newId(),
    capacity: capacityFor(d.weight, totalWeight, instanceCount),
    used: 0,
  }));
  const dcsByJurisdiction = new Map<string, TDataCenterState[]>();
  for (const d of dcStates) {
    const list = dcsByJurisdiction.get(d.jurisdictionCode) ?? [];
    list.push(d);
    dcsByJurisdiction.set(d.jurisdictionCode, list);
  }
  const jurisdictionWeight = new Map<string, number>();
  for (const d of dcStates) {
    jurisdictionWeight.set(d.jurisdictionCode, (jurisdictionWeight.get(d.jurisdictionCode) ?? 0) + d.weight);
  }
  const partnersOf = new Map(DEMO_JURISDICTIONS.map((j) => [j.code, j.adequatePartners]));
  const jurisdictionCodes = DEMO_JURISDICTIONS.map((j) => j.code);

  // ---- people ---------------------------------------------------------------------------
  const users = DEMO_USERS.map((u) => ({
    id: newId(),
    email: u.email,
    name: u.name,
    passwordHash,
    roles: [...u.roles],
  }));
  const teams = DEMO_TEAMS.map((t) => ({ id: newId(), slug: t.slug, name: t.name }));
  const teamIdBySlug = new Map(teams.map((t) => [t.slug, t.id]));
  const teamMemberships: Prisma.TeamMembershipCreateManyInput[] = [];
  DEMO_USERS.forEach((u, i) => {
    if (!u.team) return;
    const teamId = teamIdBySlug.get(u.team.slug);
    const user = users[i];
    if (!teamId || !user) throw new Error(`demo user ${u.email} names unknown team ${u.team.slug}`);
    teamMemberships.push({ teamId, userId: user.id, role: u.team.role });
  });

  // ---- clusters -------------------------------------------------------------------------
  const clusterCount = Math.min(
    instanceCount,
    Math.max(ALL_CLASSIFICATIONS.length, Math.round(instanceCount / INSTANCES_PER_CLUSTER)),
  );
  const planned: TPlannedCluster[] = [];
  for (let index = 0; index < clusterCount; index++) {
    const team = rng.weighted(DEMO_TEAMS, (t) => t.weight);
    planned.push({
      index,
      id: "",
      team,
      teamId: teamIdBySlug.get(team.slug) ?? "",
      service: rng.pick(team.services),
      engine: rng.weighted(ALL_ENGINES, (e) => ENGINE_WEIGHT[e]),
      tier: rng.weighted(ALL_TIERS, (t) => TIER_WEIGHT[t]),
      classification: rng.weighted(ALL_CLASSIFICATIONS, (c) => team.classifications[c]),
      home: rng.weighted(jurisdictionCodes, (j) => jurisdictionWeight.get(j) ?? 0),
      allowed: [],
      name: "",
      engineVersion: "",
      size: 1,
    });
  }
  // Every engine, tier and classification appears, even in a tiny fleet.
  ensureCoverage(planned, "engine", ALL_ENGINES);
  ensureCoverage(planned, "tier", ALL_TIERS);
  ensureCoverage(planned, "classification", ALL_CLASSIFICATIONS);

  const lastNumber = new Map<string, number>();
  for (const c of planned) {
    c.id = newId();
    const prefix = `${c.team.slug}-${c.service}-${c.home.toLowerCase()}`;
    const next = (lastNumber.get(prefix) ?? 0) + 1 + (rng.chance(0.2) ? rng.int(1, 3) : 0);
    lastNumber.set(prefix, next);
    c.name = `${prefix}-${String(next).padStart(2, "0")}`;
    c.engineVersion = rng.pick(ENGINE_VERSIONS[c.engine]);
    c.allowed = allowedJurisdictionsFor(rng, c.classification, c.home, partnersOf, jurisdictionCodes);
  }

  sizeClusters(rng, planned, instanceCount);

  const clusters: Prisma.ClusterCreateManyInput[] = planned.map((c) => ({
    id: c.id,
    name: c.name,
    engine: c.engine,
    engineVersion: c.engineVersion,
    teamId: c.teamId,
    tier: c.tier,
    classification: c.classification,
    homeJurisdictionCode: c.home,
    allowedJurisdictions: c.allowed,
    rpoSeconds: TIER_TARGETS[c.tier].rpoSeconds,
    rtoSeconds: TIER_TARGETS[c.tier].rtoSeconds,
    description: `${c.team.name} ${c.service.replace(/-/g, " ")} database (${c.tier}, ${c.classification.toLowerCase()}, home ${c.home})`,
  }));

  // ---- placement ------------------------------------------------------------------------
  const placed = placeInstances(rng, planned, dcsByJurisdiction);
  // Instance ids follow cluster order, whatever order the placement passes ran in.
  placed.sort((a, b) => a.cluster.index - b.cluster.index || a.ordinal - b.ordinal);
  for (const p of placed) p.id = newId();

  const instances: Prisma.InstanceCreateManyInput[] = placed.map((p) => {
    const { prefix, port } = ENGINE_ENDPOINT[p.cluster.engine];
    const name = `${p.cluster.name}-${p.ordinal}`;
    return {
      id: p.id,
      name,
      clusterId: p.cluster.id,
      dataCenterId: p.dataCenter.id,
      role: p.role,
      driver: DriverKind.SIMULATED,
      endpoint: `${prefix}-${name}.${p.dataCenter.code}.meridian.internal:${port}`,
      version: p.cluster.engineVersion,
      health: p.health,
    };
  });

  // ---- replication ----------------------------------------------------------------------
  const replicationLinks: Prisma.ReplicationLinkCreateManyInput[] = [];
  const primaries: TPlacedInstance[] = [];
  const linkKeys = new Set<string>();
  let currentPrimary: TPlacedInstance | undefined;
  for (const p of placed) {
    if (p.role === InstanceRole.PRIMARY) {
      currentPrimary = p;
      primaries.push(p);
      continue;
    }
    if (!currentPrimary || currentPrimary.cluster !== p.cluster)
      throw new Error(`cluster ${p.cluster.name} has no primary`);
    replicationLinks.push(
      linkBetween(rng, newId(), currentPrimary, p, modeForReplica(rng, currentPrimary, p)),
    );
    linkKeys.add(`${currentPrimary.id}>${p.id}`);
  }
  // A few change-data-capture feeds from business clusters into analytics-style clusters,
  // only where the source cluster's residency policy allows the consumer's location.
  const consumers = primaries.filter((p) => CDC_CONSUMER_TEAMS.has(p.cluster.team.slug));
  const feeds = consumers.length === 0 ? 0 : Math.round(clusterCount * CDC_FEED_SHARE);
  for (let attempt = 0, made = 0; made < feeds && attempt < feeds * 20; attempt++) {
    const source = rng.pick(primaries);
    const target = rng.pick(consumers);
    const key = `${source.id}>${target.id}`;
    if (source.cluster === target.cluster || linkKeys.has(key)) continue;
    if (!source.cluster.allowed.includes(target.dataCenter.jurisdictionCode)) continue;
    linkKeys.add(key);
    replicationLinks.push(linkBetween(rng, newId(), source, target, ReplicationMode.CDC));
    made++;
  }

  // ---- policies -------------------------------------------------------------------------
  const approvalPolicies: Prisma.ApprovalPolicyCreateManyInput[] = DEFAULT_APPROVAL_POLICIES.map((p) => ({
    id: newId(),
    name: p.name,
    description: p.description,
    priority: p.priority,
    kinds: p.kinds,
    minRisk: p.minRisk,
    classifications: p.classifications,
    crossesJurisdiction: p.crossesJurisdiction,
    stages: p.stages,
    enabled: true,
  }));

  const dataCenters: Prisma.DataCenterCreateManyInput[] = dcStates.map((d) => ({
    id: d.id,
    code: d.code,
    name: d.name,
    city: d.city,
    country: d.country,
    latitude: d.latitude,
    longitude: d.longitude,
    regionCode: d.regionCode,
    jurisdictionCode: d.jurisdictionCode,
    provider: d.provider,
    status: d.status,
    capacitySlots: d.capacity,
  }));

  return {
    jurisdictions,
    regions,
    dataCenters,
    users,
    teams,
    teamMemberships,
    clusters,
    instances,
    replicationLinks,
    approvalPolicies,
  };
}

/** Makes sure each value appears at least once by re-labelling clusters of the commonest value. */
function ensureCoverage<K extends "engine" | "tier" | "classification">(
  clusters: TPlannedCluster[],
  key: K,
  values: readonly TPlannedCluster[K][],
): void {
  const get = (c: TPlannedCluster): TPlannedCluster[K] => c[key];
  const set = (c: TPlannedCluster, v: TPlannedCluster[K]): void => {
    c[key] = v;
  };
  for (const missing of values) {
    const counts = new Map<TPlannedCluster[K], number>();
    for (const c of clusters) counts.set(get(c), (counts.get(get(c)) ?? 0) + 1);
    if (counts.has(missing)) continue;
    let commonest: TPlannedCluster[K] | undefined;
    let most = 1; // a value held by a single cluster is never taken away
    for (const v of values) {
      const n = counts.get(v) ?? 0;
      if (n > most) {
        commonest = v;
        most = n;
      }
    }
    if (commonest === undefined) continue;
    for (let i = clusters.length - 1; i >= 0; i--) {
      const c = clusters[i];
      if (c && get(c) === commonest) {
        set(c, missing);
        break;
      }
    }
  }
}

function allowedJurisdictionsFor(
  rng: TRng,
  classification: DataClassification,
  home: string,
  partnersOf: Map<string, readonly string[]>,
  all: readonly string[],
): string[] {
  const allowed = [home];
  if (!rng.chance(MULTI_JURISDICTION_CHANCE[classification])) return allowed;
  const personal =
    classification === DataClassification.PII || classification === DataClassification.REGULATED;
  // Personal and regulated data only ever goes where an adequacy arrangement exists.
  const candidates = personal ? [...(partnersOf.get(home) ?? [])] : all.filter((j) => j !== home);
  if (candidates.length === 0) return allowed;
  const extra =
    classification === DataClassification.PUBLIC
      ? rng.int(1, 4)
      : classification === DataClassification.INTERNAL
        ? rng.int(1, 3)
        : rng.int(1, 2);
  // Partners first, so that an INTERNAL EU cluster tends to be allowed in UK before BR.
  const partners = new Set(partnersOf.get(home) ?? []);
  const ordered = rng.shuffle(candidates).sort((a, b) => Number(partners.has(b)) - Number(partners.has(a)));
  for (const j of ordered.slice(0, extra)) allowed.push(j);
  return allowed;
}

/** Gives each cluster a size so that the sizes add up to exactly `total`. */
function sizeClusters(rng: TRng, clusters: TPlannedCluster[], total: number): void {
  let remaining = total - clusters.length;
  // Critical tiers first get a standby.
  for (const c of clusters) {
    if (remaining <= 0) break;
    if (c.tier === Tier.T0 || c.tier === Tier.T1) {
      c.size++;
      remaining--;
    }
  }
  const cumulative: number[] = [];
  let sum = 0;
  for (const c of clusters) {
    sum += TIER_SIZE[c.tier].weight;
    cumulative.push(sum);
  }
  let misses = 0;
  while (remaining > 0) {
    const point = rng.next() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) > point) hi = mid;
      else lo = mid + 1;
    }
    const c = clusters[lo];
    if (c && c.size < TIER_SIZE[c.tier].max) {
      c.size++;
      remaining--;
      misses = 0;
      continue;
    }
    // Nearly every cluster is full: fill the first ones with room, then grow past the caps.
    if (++misses > 64) {
      const roomy =
        clusters.find((x) => x.size < TIER_SIZE[x.tier].max) ??
        clusters[(total - remaining) % clusters.length];
      if (!roomy) break;
      roomy.size++;
      remaining--;
    }
  }
}

function placeInstances(
  rng: TRng,
  clusters: TPlannedCluster[],
  byJurisdiction: Map<string, TDataCenterState[]>,
): TPlacedInstance[] {
  const placed: TPlacedInstance[] = [];
  const primaryDc = new Map<TPlannedCluster, TDataCenterState>();
  const usedDcs = new Map<TPlannedCluster, Set<TDataCenterState>>();

  const place = (
    cluster: TPlannedCluster,
    ordinal: number,
    role: InstanceRole,
    dc: TDataCenterState,
  ): void => {
    dc.used++;
    let used = usedDcs.get(cluster);
    if (!used) usedDcs.set(cluster, (used = new Set()));
    used.add(dc);
    placed.push({ id: "", cluster, ordinal, role, dataCenter: dc, health: healthFor(rng, dc) });
  };

  /** Picks a data center with free slots, preferring ones this cluster does not use yet. */
  const choose = (
    cluster: TPlannedCluster,
    jurisdictions: readonly string[],
    primary: boolean,
  ): TDataCenterState => {
    const candidates = jurisdictions
      .flatMap((j) => byJurisdiction.get(j) ?? [])
      .filter((d) => d.status !== DataCenterStatus.OFFLINE);
    const home = primaryDc.get(cluster);
    const used = usedDcs.get(cluster) ?? new Set<TDataCenterState>();
    const free = (d: TDataCenterState): number => d.capacity - d.used;
    const pools = [
      candidates.filter((d) => d !== home && !used.has(d) && free(d) > 0),
      candidates.filter((d) => d !== home && free(d) > 0),
    ];
    for (const pool of pools) {
      if (pool.length > 0) {
        return rng.weighted(
          pool,
          (d) =>
            free(d) *
            STATUS_PREFERENCE[d.status] *
            (primary && d.status !== DataCenterStatus.ACTIVE ? 0.2 : 1),
        );
      }
    }
    // Every eligible site is full: add a rack to the biggest one (rare; keeps the invariant
    // "never over capacity" true for any instance count).
    const growable = candidates.filter((d) => d !== home);
    const target = growable.reduce<TDataCenterState | undefined>(
      (best, d) => (!best || d.weight > best.weight ? d : best),
      undefined,
    );
    if (!target)
      throw new Error(
        `cluster ${cluster.name}: no data center in ${jurisdictions.join(", ")} to place an instance`,
      );
    target.capacity += CAPACITY_BLOCK;
    return target;
  };

  // Decide each member's role and jurisdiction up front, so that primaries can be put where
  // their cluster's home replicas will still find room.
  type TMemberPlan = { ordinal: number; role: InstanceRole; jurisdiction: string };
  const memberPlan = new Map<TPlannedCluster, TMemberPlan[]>();
  for (const c of clusters) {
    const abroad = c.allowed.filter((j) => j !== c.home);
    const members: TMemberPlan[] = [];
    for (let k = 1; k < c.size; k++) {
      const standby =
        k === 1 && (c.tier === Tier.T0 || c.tier === Tier.T1 || (c.tier === Tier.T2 && rng.chance(0.5)));
      const secondStandby = k === 2 && c.tier === Tier.T0 && c.size >= 5;
      if (standby || secondStandby) {
        // Standbys stay at home: a failover must keep the primary in its home jurisdiction.
        members.push({ ordinal: k + 1, role: InstanceRole.STANDBY, jurisdiction: c.home });
      } else {
        const goAbroad = abroad.length > 0 && rng.chance(FOREIGN_REPLICA_CHANCE[c.classification]);
        members.push({
          ordinal: k + 1,
          role: InstanceRole.REPLICA,
          jurisdiction: goAbroad ? rng.pick(abroad) : c.home,
        });
      }
    }
    memberPlan.set(c, members);
  }

  // Expected load per data center: replicas spread over a jurisdiction's sites in proportion
  // to their size. A primary goes where the whole cluster fits best: in a jurisdiction with
  // two sites, a primary in the big one sends all its home replicas to the small one.
  const target = (d: TDataCenterState): number => d.capacity * STATUS_PREFERENCE[d.status];
  const expected = new Map<TDataCenterState, number>();
  const spread = (
    jurisdiction: string,
    amount: number,
    except?: TDataCenterState,
  ): Map<TDataCenterState, number> => {
    const sites = (byJurisdiction.get(jurisdiction) ?? []).filter((d) => d !== except && target(d) > 0);
    const total = sites.reduce((sum, d) => sum + target(d), 0);
    return new Map(sites.map((d) => [d, total > 0 ? (amount * target(d)) / total : 0]));
  };
  const addExpected = (delta: Map<TDataCenterState, number>): void => {
    for (const [d, n] of delta) expected.set(d, (expected.get(d) ?? 0) + n);
  };
  for (const c of clusters) {
    for (const m of memberPlan.get(c) ?? [])
      if (m.jurisdiction !== c.home) addExpected(spread(m.jurisdiction, 1));
  }

  // Pass 1: every primary in its home jurisdiction, before replicas take the space.
  for (const c of clusters) {
    const homeSites = (byJurisdiction.get(c.home) ?? []).filter((d) => target(d) > 0);
    const sites = homeSites.filter((d) => d.capacity > d.used);
    const homeReplicas = (memberPlan.get(c) ?? []).filter((m) => m.jurisdiction === c.home).length;
    // Sum over sites of load² / size: lowest when every site is filled to the same share.
    const imbalance = (primary: TDataCenterState): number => {
      const delta = spread(c.home, homeReplicas, primary);
      let sum = 0;
      for (const d of homeSites) {
        const load = (expected.get(d) ?? 0) + (delta.get(d) ?? 0) + (d === primary ? 1 : 0);
        sum += (load * load) / target(d);
      }
      return sum;
    };
    let dc: TDataCenterState;
    if (sites.length === 0) {
      dc = choose(c, [c.home], true);
    } else {
      const scores = new Map(sites.map((d) => [d, imbalance(d)]));
      const best = Math.min(...scores.values());
      // Strongly prefer the best fit; only + - * / here, so every platform draws the same site.
      dc = rng.weighted(sites, (d) => {
        const worse = 1 + 1.5 * ((scores.get(d) ?? best) - best);
        return 1 / (worse * worse * worse * worse);
      });
    }
    place(c, 1, InstanceRole.PRIMARY, dc);
    primaryDc.set(c, dc);
    addExpected(new Map([[dc, 1]]));
    if (homeReplicas > 0) addExpected(spread(c.home, homeReplicas, dc));
  }
  // Pass 2: standbys, then read replicas (some abroad where the residency policy allows).
  for (const role of [InstanceRole.STANDBY, InstanceRole.REPLICA]) {
    for (const c of clusters) {
      for (const m of memberPlan.get(c) ?? []) {
        if (m.role !== role) continue;
        const hasRoom = (byJurisdiction.get(m.jurisdiction) ?? []).some(
          (d) => d.capacity > d.used && d !== primaryDc.get(c),
        );
        const fallback = role === InstanceRole.STANDBY ? [c.home] : c.allowed;
        place(c, m.ordinal, role, choose(c, hasRoom ? [m.jurisdiction] : fallback, false));
      }
    }
  }
  return placed;
}

function healthFor(rng: TRng, dc: TDataCenterState): HealthStatus {
  const roll = rng.next();
  const degraded = dc.status === DataCenterStatus.MAINTENANCE ? 0.12 : 0.03;
  const down = dc.status === DataCenterStatus.MAINTENANCE ? 0.03 : 0.012;
  if (roll < down) return HealthStatus.DOWN;
  if (roll < down + degraded) return HealthStatus.DEGRADED;
  return HealthStatus.UP;
}

function modeForReplica(rng: TRng, source: TPlacedInstance, target: TPlacedInstance): ReplicationMode {
  if (target.role === InstanceRole.STANDBY) return ReplicationMode.PHYSICAL;
  const crossesJurisdiction = source.dataCenter.jurisdictionCode !== target.dataCenter.jurisdictionCode;
  const roll = rng.next();
  if (roll < 0.05) return ReplicationMode.CDC;
  if (roll < (crossesJurisdiction ? 0.4 : 0.17)) return ReplicationMode.LOGICAL;
  return ReplicationMode.PHYSICAL;
}

function linkBetween(
  rng: TRng,
  id: string,
  source: TPlacedInstance,
  target: TPlacedInstance,
  mode: ReplicationMode,
): Prisma.ReplicationLinkCreateManyInput {
  const from = source.dataCenter;
  const to = target.dataCenter;
  const distance =
    from.jurisdictionCode !== to.jurisdictionCode ? 3 : from.regionCode !== to.regionCode ? 2 : 1;
  let status: LinkStatus = LinkStatus.ACTIVE;
  let bytes: number;
  let seconds: number;
  if (target.health === HealthStatus.DOWN || source.health === HealthStatus.DOWN) {
    status = LinkStatus.BROKEN;
    bytes = rng.int(64, 4096) * 1_048_576;
    seconds = rng.float(600, 7200);
  } else if (rng.chance(0.03)) {
    status = LinkStatus.CATCHING_UP;
    bytes = rng.int(16, 2048) * 1_048_576;
    seconds = rng.float(30, 1800);
  } else if (rng.chance(0.012)) {
    status = LinkStatus.PAUSED;
    bytes = rng.int(1, 256) * 1_048_576;
    seconds = rng.float(60, 900);
  } else {
    // Healthy: small and growing with distance; logical and CDC carry a little more.
    const scale = distance * (mode === ReplicationMode.PHYSICAL ? 1 : 2.5);
    const r1 = rng.next();
    const r2 = rng.next();
    bytes = Math.floor(r1 * r1 * 262_144 * scale);
    seconds = r2 * r2 * 0.6 * scale;
    if (target.health === HealthStatus.DEGRADED) {
      bytes *= 10;
      seconds *= 10;
    }
  }
  return {
    id,
    sourceId: source.id,
    targetId: target.id,
    mode,
    status,
    lagBytes: BigInt(bytes),
    lagSeconds: Math.round(seconds * 1000) / 1000,
  };
}
