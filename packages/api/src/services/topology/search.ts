import { Prisma, type PrismaClient } from "@meridian/db";
import { type THealthStatus, type TInstanceRole } from "../../routers/inventory/inventory.schema";
import { type TSearchKind, type TSearchTopologyRequest } from "../../routers/topology/search.schema";
import { containsPattern, healthRollupSql } from "../inventory/sql";

export interface TTopologySearchHit {
  kind: TSearchKind;
  /** Data center code, cluster name or instance name: what the topology page's URL names. */
  key: string;
  label: string;
  /** City and jurisdiction, team and engine, or role and data center. */
  detail: string;
  health: THealthStatus;
  /** The cluster to open for an instance (and for a cluster, itself). */
  clusterName: string | null;
  dataCenterCode: string | null;
  role: TInstanceRole | null;
}

export interface TTopologySearchResult {
  hits: TTopologySearchHit[];
}

/** The search's statements, one per kind asked for (exported for the benchmark's raw-SQL baseline). */
export function searchSql(input: TSearchTopologyRequest): { dataCenters: Prisma.Sql | null; clusters: Prisma.Sql | null; instances: Prisma.Sql | null } {
  const q = input.q;
  const pattern = containsPattern(q);
  const prefix = containsPattern(q).slice(1); // "text%": ranks prefix matches first
  // Endpoints hold every data center's code: searched only for text that looks like a host.
  const endpointToo = /[.:]/.test(q);
  const kinds = new Set<TSearchKind>(input.kinds ?? ["dataCenter", "cluster", "instance"]);
  const clusterRollup = healthRollupSql({ up: "h.up", degraded: "h.degraded", down: "h.down", primaryDown: "h.primary_down" });
  const dcRollup = healthRollupSql({ up: "h.up", degraded: "h.degraded", down: "h.down" });

  return {
    dataCenters: kinds.has("dataCenter")
      ? Prisma.sql`
          WITH m AS (
            SELECT dc.* FROM data_center dc
             WHERE dc.code ILIKE ${pattern} OR dc.name ILIKE ${pattern} OR dc.city ILIKE ${pattern}
             ORDER BY (lower(dc.code) = lower(${q})) DESC, (dc.code ILIKE ${prefix}) DESC,
                      (dc.city ILIKE ${prefix} OR dc.name ILIKE ${prefix}) DESC, dc.code
             LIMIT ${input.limit}
          )
          SELECT 'dataCenter' AS "kind", m.code AS "key", m.code || ' · ' || m.name AS "label",
                 m.city || ' · ' || m.jurisdiction_code AS "detail",
                 ${Prisma.raw(dcRollup)} AS "health", NULL AS "clusterName", m.code AS "dataCenterCode", NULL AS "role"
            FROM m
            LEFT JOIN LATERAL (
              SELECT (count(*) FILTER (WHERE i.health = 'UP'))::int AS up,
                     (count(*) FILTER (WHERE i.health = 'DEGRADED'))::int AS degraded,
                     (count(*) FILTER (WHERE i.health = 'DOWN'))::int AS down
                FROM instance i WHERE i.data_center_id = m.id
            ) h ON TRUE
           ORDER BY (lower(m.code) = lower(${q})) DESC, (m.code ILIKE ${prefix}) DESC,
                    (m.city ILIKE ${prefix} OR m.name ILIKE ${prefix}) DESC, m.code`
      : null,
    clusters: kinds.has("cluster")
      ? Prisma.sql`
          WITH m AS (
            SELECT c.* FROM cluster c
             WHERE c.name ILIKE ${pattern}
             ORDER BY (lower(c.name) = lower(${q})) DESC, (c.name ILIKE ${prefix}) DESC, length(c.name), c.name
             LIMIT ${input.limit}
          )
          SELECT 'cluster' AS "kind", m.name AS "key", m.name AS "label",
                 t.name || ' · ' || initcap(m.engine::text) || ' · ' || m.tier::text AS "detail",
                 ${Prisma.raw(clusterRollup)} AS "health", m.name AS "clusterName", p.code AS "dataCenterCode", NULL AS "role"
            FROM m
            JOIN team t ON t.id = m.team_id
            LEFT JOIN LATERAL (
              SELECT (count(*) FILTER (WHERE i.health = 'UP'))::int AS up,
                     (count(*) FILTER (WHERE i.health = 'DEGRADED'))::int AS degraded,
                     (count(*) FILTER (WHERE i.health = 'DOWN'))::int AS down,
                     COALESCE(bool_or(i.role = 'PRIMARY' AND i.health = 'DOWN'), FALSE) AS primary_down
                FROM instance i WHERE i.cluster_id = m.id
            ) h ON TRUE
            LEFT JOIN LATERAL (
              SELECT dc.code FROM instance i JOIN data_center dc ON dc.id = i.data_center_id
               WHERE i.cluster_id = m.id AND i.role = 'PRIMARY' LIMIT 1
            ) p ON TRUE
           ORDER BY (lower(m.name) = lower(${q})) DESC, (m.name ILIKE ${prefix}) DESC, length(m.name), m.name`
      : null,
    instances: kinds.has("instance")
      ? Prisma.sql`
          SELECT 'instance' AS "kind", i.name AS "key", i.name AS "label",
                 initcap(i.role::text) || ' · ' || dc.code AS "detail",
                 i.health::text AS "health", c.name AS "clusterName", dc.code AS "dataCenterCode", i.role::text AS "role"
            FROM instance i
            JOIN cluster c ON c.id = i.cluster_id
            JOIN data_center dc ON dc.id = i.data_center_id
           WHERE i.name ILIKE ${pattern} ${endpointToo ? Prisma.sql`OR i.endpoint ILIKE ${pattern}` : Prisma.empty}
           ORDER BY (lower(i.name) = lower(${q})) DESC, (i.name ILIKE ${prefix}) DESC, length(i.name), i.name
           LIMIT ${input.limit}`
      : null,
  };
}

/**
 * Finds data centers (code, name, city), clusters (name) and instances (name; endpoint when
 * the text looks like a host) for the topology's search box: `limit` per kind; exact matches
 * first, then prefixes, then shorter names; one query per kind, run side by side.
 */
export async function searchTopology(prisma: PrismaClient, input: TSearchTopologyRequest): Promise<TTopologySearchResult> {
  const q = searchSql(input);
  const [dcs, clusters, instances] = await Promise.all([
    q.dataCenters ? prisma.$queryRaw<TTopologySearchHit[]>(q.dataCenters) : Promise.resolve([]),
    q.clusters ? prisma.$queryRaw<TTopologySearchHit[]>(q.clusters) : Promise.resolve([]),
    q.instances ? prisma.$queryRaw<TTopologySearchHit[]>(q.instances) : Promise.resolve([]),
  ]);

  return { hits: [...dcs, ...clusters, ...instances] };
}
