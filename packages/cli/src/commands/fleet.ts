import { unwrap } from "../client";
import { table } from "../format";
import { CliError, EXIT } from "../io";
import { type TCommandContext } from "./context";

type TWhat = "clusters" | "instances" | "links" | "data-centers";

/** Follows the cursors to the end (or `limit` items). */
async function all<T>(fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>, limit: number): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < limit);
  return items.slice(0, limit);
}

export async function fleetLs(ctx: TCommandContext, what: string, options: { cluster?: string; json?: boolean; limit: number }): Promise<number> {
  const { api, connection } = ctx;
  const u = connection.url;
  const kinds: TWhat[] = ["clusters", "instances", "links", "data-centers"];
  if (!kinds.includes(what as TWhat)) throw new CliError(`meridian fleet ls ${what}: say one of ${kinds.join(", ")}`, EXIT.USAGE);
  const cluster = options.cluster;
  switch (what as TWhat) {
    case "clusters": {
      const items = await all((cursor) => unwrap(u, api.GET("/clusters", { params: { query: { cursor, limit: 200 } } })), options.limit);
      if (options.json) {
        ctx.json(items);
        return EXIT.OK;
      }
      ctx.print(
        table(
          ["CLUSTER", "ENGINE", "TIER", "CLASS", "HOME", "ALLOWED", "INSTANCES", "TEAM"],
          items.map((c) => [c.name, `${c.engine} ${c.engineVersion}`, c.tier, c.classification, c.homeJurisdiction, c.allowedJurisdictions.join(","), c.instanceCount, c.team.slug]),
        ),
      );
      return EXIT.OK;
    }
    case "instances": {
      const items = await all((cursor) => unwrap(u, api.GET("/instances", { params: { query: { cursor, limit: 200, cluster } } })), options.limit);
      if (options.json) {
        ctx.json(items);
        return EXIT.OK;
      }
      ctx.print(table(["INSTANCE", "CLUSTER", "DC", "ROLE", "HEALTH", "VERSION", "ENDPOINT"], items.map((i) => [i.name, i.cluster, i.dataCenter, i.role, i.health, i.version, i.endpoint])));
      return EXIT.OK;
    }
    case "links": {
      const items = await all((cursor) => unwrap(u, api.GET("/links", { params: { query: { cursor, limit: 200, cluster } } })), options.limit);
      if (options.json) {
        ctx.json(items);
        return EXIT.OK;
      }
      ctx.print(table(["SOURCE", "TARGET", "MODE", "STATUS", "LAG (s)", "CLUSTER"], items.map((l) => [l.source, l.target, l.mode, l.status, l.lagSeconds.toFixed(1), l.cluster])));
      return EXIT.OK;
    }
    case "data-centers": {
      const items = await all((cursor) => unwrap(u, api.GET("/data-centers", { params: { query: { cursor, limit: 200 } } })), options.limit);
      if (options.json) {
        ctx.json(items);
        return EXIT.OK;
      }
      ctx.print(table(["DC", "NAME", "CITY", "COUNTRY", "JURISDICTION", "PROVIDER", "STATUS"], items.map((d) => [d.code, d.name, d.city, d.country, d.jurisdiction, d.provider, d.status])));
      return EXIT.OK;
    }
  }
}
