/**
 * The database for the topology benchmarks: a migrated PostgreSQL with the deterministic demo
 * fleet at `instances` instances (seedDemo's scale option), topped up to at least `links`
 * replication links with extra CDC feeds between clusters (the seed makes about 0.77 links per
 * instance), then ANALYZEd. Reused when it already holds that fleet (`--reuse`).
 *
 * With `dataCenters` above the seed's 34, more data centers are added (copies of the seed's,
 * in the same region and jurisdiction, named `<code>-<k>`) and every instance is moved to a
 * data center of its own jurisdiction chosen by a hash of its id: the same fleet spread over
 * more places, so that the fleet view has many more data-center pairs (edges) to draw.
 */
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pgTypes from "pg";
import { createPrismaClient } from "../packages/db/src/client.ts";
import { applyMigrations, recreateDatabase, withDatabase } from "../packages/db/src/migrations/index.ts";
import { seedDemo } from "../packages/db/src/seed/index.ts";
import { hashPassword } from "../packages/db/src/passwords.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// bench/ is not a workspace package: pg comes from packages/db's dependencies.
export const pg = createRequire(path.join(ROOT, "packages/db/package.json"))("pg") as typeof pgTypes;

export interface TFleetSize {
  instances: number;
  links: number;
  dataCenters: number;
  clusters: number;
}

async function sizeOf(url: string): Promise<TFleetSize | null> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query(
      `select (select count(*)::int from instance) as instances, (select count(*)::int from replication_link) as links,
              (select count(*)::int from data_center) as "dataCenters", (select count(*)::int from cluster) as clusters`,
    );
    return rows[0] as TFleetSize;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function prepareTopologyDatabase(options: {
  serverUrl: string;
  name: string;
  instances: number;
  links: number;
  reuse: boolean;
  /** Spread the fleet over this many data centers (at least the seed's 34). */
  dataCenters?: number;
  log: (line: string) => void;
}): Promise<{ url: string; size: TFleetSize }> {
  const { serverUrl, name, instances, links, reuse, log } = options;
  const dataCenters = options.dataCenters ?? 0;
  const existing = withDatabase(serverUrl, name);
  if (reuse) {
    const size = await sizeOf(existing);
    if (size && size.instances === instances && size.links >= links && size.dataCenters >= dataCenters) {
      log(`reusing ${name}: ${size.instances} instances, ${size.links} links`);
      return { url: existing, size };
    }
  }
  const url = await recreateDatabase(serverUrl, name);
  await applyMigrations(url);
  const prisma = createPrismaClient(url, { max: 4 });
  try {
    const t = performance.now();
    const summary = await seedDemo(prisma, { instances });
    log(`seeded ${summary.instances} instances, ${summary.replicationLinks} links, ${summary.clusters} clusters in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } finally {
    await prisma.$disconnect();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: dcRows } = await client.query("select count(*)::int as n from data_center");
    const seeded = (dcRows[0] as { n: number }).n;
    if (dataCenters > seeded) {
      await client.query(
        `insert into data_center (id, code, name, city, country, latitude, longitude, region_code, jurisdiction_code, provider, status, capacity_slots, created_at, updated_at)
         select gen_random_uuid(), d.code || '-' || k, d.name || ' ' || k, d.city, d.country, d.latitude + (k % 5) * 0.4, d.longitude + (k / 5) * 0.4,
                d.region_code, d.jurisdiction_code, d.provider, 'ACTIVE', d.capacity_slots, now(), now()
           from (select *, row_number() over (order by code) - 1 as r from data_center) d, generate_series(1, $1::int) k
          where (k - 1) * $2::int + d.r < $3::int`,
        [Math.ceil(dataCenters / seeded), seeded, dataCenters - seeded],
      );
      await client.query(
        `update instance i set data_center_id = (
           select d.id from data_center d
            where d.jurisdiction_code = (select jurisdiction_code from data_center c where c.id = i.data_center_id)
            order by md5(d.id::text || i.id::text) limit 1)`,
      );
    }
    // Extra CDC feeds, deterministic: primary k feeds instance (k * 7919) of another cluster.
    for (let round = 0; round < 20; round++) {
      const { rows } = await client.query("select count(*)::int as n from replication_link");
      const missing = links - (rows[0] as { n: number }).n;
      if (missing <= 0) break;
      await client.query(
        `with p as (select id, cluster_id, row_number() over (order by md5(id::text)) - 1 as k from instance where role = 'PRIMARY'),
              t as (select id, cluster_id, row_number() over (order by md5(id::text || $2::text)) - 1 as k from instance),
              np as (select count(*) as n from p), nt as (select count(*) as n from t)
         insert into replication_link (id, source_id, target_id, mode, status, lag_bytes, lag_seconds, updated_at)
         select gen_random_uuid(), p.id, t.id, 'CDC', 'ACTIVE', (abs(hashtext(p.id::text || t.id::text)) % 4000000),
                (abs(hashtext(t.id::text || p.id::text)) % 2500) / 1000.0, now()
           from p, np, nt, t
          where t.k = (p.k * 7919 + $2::int) % nt.n and t.cluster_id <> p.cluster_id
          limit $1
         on conflict (source_id, target_id) do nothing`,
        [missing, round],
      );
    }
    await client.query("analyze");
  } finally {
    await client.end();
  }
  const size = (await sizeOf(url))!;
  log(`fleet: ${size.dataCenters} data centers, ${size.clusters} clusters, ${size.instances} instances, ${size.links} links`);
  return { url, size };
}

/** The machine's 1, 5 and 15 minute load averages, as printed by the benchmarks at start and end. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(" / ");
}

/** The server's version line (`SELECT version()`), printed by the benchmarks. */
export async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("select version() as v");
    return String((rows[0] as { v: string }).v).replace(/ on .*$/, "");
  } finally {
    await client.end();
  }
}

/** Gives every demo user `password` (no change required at sign-in): the browser benchmarks sign in with it. */
export async function setDemoPassword(url: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("update app_user set password_hash = $1, must_change_password = false where password_hash is not null", [await hashPassword(password)]);
  } finally {
    await client.end();
  }
}
