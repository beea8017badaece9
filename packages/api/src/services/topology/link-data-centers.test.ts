import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@meridian/db/seed";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { getMapOverview, type TMapRoute } from "./map-overview";

/**
 * The data centers stored on each replication link (migration 20261207180000_link_data_centers)
 * are kept by the database: they follow an instance moved to another data center and a link
 * repointed to other instances, and the map's routes read from them are the routes computed by
 * joining every link to its two instances, on the demo fleet.
 */
let db: TTestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemo(db.prisma, { instances: 400 });
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

/** Links whose stored data centers disagree with their instances'. */
async function staleLinks(): Promise<number> {
  const [row] = await db.prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n
      FROM replication_link l JOIN instance s ON s.id = l.source_id JOIN instance t ON t.id = l.target_id
     WHERE l.source_data_center_id IS DISTINCT FROM s.data_center_id OR l.target_data_center_id IS DISTINCT FROM t.data_center_id`;
  return row!.n;
}

/** The routes as the map drew them before the columns: every cross-data-center link joined to its instances. */
async function routesByJoin(): Promise<Pick<TMapRoute, "id" | "linkCount" | "aToB" | "bToA" | "maxLagSeconds" | "brokenCount" | "impairedCount" | "modes">[]> {
  const rows = await db.prisma.$queryRaw<{ src: string; dst: string; links: number; lag: number; broken: number; impaired: number; mode: string }[]>`
    SELECT sd.code AS src, td.code AS dst, l.mode::text AS mode, count(*)::int AS links, max(l.lag_seconds)::float8 AS lag,
           (count(*) FILTER (WHERE l.status = 'BROKEN'))::int AS broken, (count(*) FILTER (WHERE l.status <> 'ACTIVE'))::int AS impaired
      FROM replication_link l
      JOIN instance s ON s.id = l.source_id JOIN instance t ON t.id = l.target_id
      JOIN data_center sd ON sd.id = s.data_center_id JOIN data_center td ON td.id = t.data_center_id
     WHERE s.data_center_id <> t.data_center_id
     GROUP BY 1, 2, 3`;
  const routes = new Map<string, ReturnType<typeof routesByJoin> extends Promise<(infer R)[]> ? R : never>();
  for (const r of rows) {
    const [a, b] = r.src < r.dst ? [r.src, r.dst] : [r.dst, r.src];
    const id = `${a}~${b}`;
    const route = routes.get(id) ?? { id, linkCount: 0, aToB: 0, bToA: 0, maxLagSeconds: 0, brokenCount: 0, impairedCount: 0, modes: { PHYSICAL: 0, LOGICAL: 0, CDC: 0 } };
    route.linkCount += r.links;
    if (r.src === a) route.aToB += r.links;
    else route.bToA += r.links;
    route.maxLagSeconds = Math.max(route.maxLagSeconds, r.lag);
    route.brokenCount += r.broken;
    route.impairedCount += r.impaired;
    route.modes[r.mode as keyof TMapRoute["modes"]] += r.links;
    routes.set(id, route);
  }
  return [...routes.values()].sort((x, y) => (x.id < y.id ? -1 : 1));
}

async function mapRoutes() {
  const map = await getMapOverview(db.prisma, {});
  return map.routes.map(({ id, linkCount, aToB, bToA, maxLagSeconds, brokenCount, impairedCount, modes }) => ({ id, linkCount, aToB, bToA, maxLagSeconds, brokenCount, impairedCount, modes }));
}

describe("replication_link data centers", () => {
  it("are filled for every seeded link, and the map's routes are those of the instances' data centers", async () => {
    expect(await staleLinks()).toBe(0);
    const expected = await routesByJoin();
    expect(expected.length).toBeGreaterThan(0);
    expect(await mapRoutes()).toEqual(expected);
  });

  it("follow an instance moved to another data center, at both ends of its links", async () => {
    // An instance that is the source of one link and the target of another, moved to a data center it is not in.
    const [moved] = await db.prisma.$queryRaw<{ id: string; dc: string; other: string }[]>`
      SELECT i.id::text AS id, i.data_center_id::text AS dc,
             (SELECT d.id::text FROM data_center d WHERE d.id <> i.data_center_id ORDER BY d.code LIMIT 1) AS other
        FROM instance i
       WHERE EXISTS (SELECT 1 FROM replication_link l WHERE l.source_id = i.id)
         AND EXISTS (SELECT 1 FROM replication_link l WHERE l.target_id = i.id)
       ORDER BY i.name LIMIT 1`;
    expect(moved).toBeDefined();
    const before = await mapRoutes();
    await db.prisma.instance.update({ where: { id: moved!.id }, data: { dataCenterId: moved!.other } });
    try {
      const links = await db.prisma.replicationLink.findMany({ where: { OR: [{ sourceId: moved!.id }, { targetId: moved!.id }] } });
      for (const l of links) {
        if (l.sourceId === moved!.id) expect(l.sourceDataCenterId).toBe(moved!.other);
        if (l.targetId === moved!.id) expect(l.targetDataCenterId).toBe(moved!.other);
      }
      expect(await staleLinks()).toBe(0);
      const after = await mapRoutes();
      expect(after).toEqual(await routesByJoin());
      expect(after).not.toEqual(before);
    } finally {
      await db.prisma.instance.update({ where: { id: moved!.id }, data: { dataCenterId: moved!.dc } });
    }
    expect(await staleLinks()).toBe(0);
    expect(await mapRoutes()).toEqual(before);
  });

  it("follow a link repointed to other instances, and ignore values written to them directly", async () => {
    const link = await db.prisma.replicationLink.findFirstOrThrow({ orderBy: { id: "asc" }, include: { source: true, target: true } });
    // A target in another data center than the current one, not already fed by this source.
    const [target] = await db.prisma.$queryRaw<{ id: string; dc: string }[]>`
      SELECT i.id::text AS id, i.data_center_id::text AS dc FROM instance i
       WHERE i.data_center_id <> ${link.target.dataCenterId}::uuid AND i.id <> ${link.sourceId}::uuid
         AND NOT EXISTS (SELECT 1 FROM replication_link l WHERE l.source_id = ${link.sourceId}::uuid AND l.target_id = i.id)
       ORDER BY i.name LIMIT 1`;
    await db.prisma.replicationLink.update({ where: { id: link.id }, data: { targetId: target!.id } });
    try {
      expect(await db.prisma.replicationLink.findUniqueOrThrow({ where: { id: link.id } })).toMatchObject({
        sourceDataCenterId: link.source.dataCenterId,
        targetDataCenterId: target!.dc,
      });
      expect(await mapRoutes()).toEqual(await routesByJoin());
      // A direct write cannot make them lie.
      await db.prisma.replicationLink.update({ where: { id: link.id }, data: { sourceDataCenterId: target!.dc, targetDataCenterId: link.source.dataCenterId } });
      expect(await staleLinks()).toBe(0);
    } finally {
      await db.prisma.replicationLink.update({ where: { id: link.id }, data: { targetId: link.targetId } });
    }
    expect(await staleLinks()).toBe(0);
  });
});
