import { ActionError, type TActionContext, type TDriverAction, type TJsonObject, type TPrefetch, type TSql, type TStepDriver } from "./driver";

/**
 * One engine, many kinds of instances: the routing driver picks the driver of each step from
 * the instances the step names, not per worker. A step whose input names (directly, through a
 * link, or through its cluster) an instance whose `driver` is POSTGRES runs on the postgres
 * driver; every other step runs on the simulated one.
 *
 * Resolution, first that applies: instance ids in the input (any key ending in `InstanceId`,
 * `instanceId`, `toSourceId`, `fromSourceId`), the endpoints of `linkId`, then the cluster's
 * instances (`clusterId`; a compensation may run after the link row is gone).
 */
export type TDriverKind = "SIMULATED" | "POSTGRES" | "MYSQL";

const INSTANCE_KEY = /(?:^instanceId$|InstanceId$|^toSourceId$|^fromSourceId$)/;

function instanceIdsOf(input: TJsonObject): string[] {
  const ids: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (INSTANCE_KEY.test(key) && typeof value === "string") ids.push(value);
    if (key === "instanceIds" && Array.isArray(value)) for (const v of value) if (typeof v === "string") ids.push(v);
  }
  return ids;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const KIND_SQL = `WITH direct AS (
        SELECT driver FROM instance WHERE id = ANY($1::uuid[])
        UNION ALL
        SELECT i.driver FROM replication_link l JOIN instance i ON i.id IN (l.source_id, l.target_id) WHERE l.id = $2::uuid
     ), by_cluster AS (
        SELECT driver FROM instance WHERE cluster_id = $3::uuid AND NOT EXISTS (SELECT 1 FROM direct)
     )
     SELECT DISTINCT driver::text AS driver FROM (SELECT driver FROM direct UNION ALL SELECT driver FROM by_cluster) d`;

/** The lookup of a step's driver: null when the step names nothing (simulated). */
function kindQuery(input: TJsonObject): TPrefetch | null {
  const ids = instanceIdsOf(input);
  const linkId = typeof input.linkId === "string" ? input.linkId : null;
  const clusterId = typeof input.clusterId === "string" ? input.clusterId : null;
  if (ids.length === 0 && !linkId && !clusterId) return null;
  return { text: KIND_SQL, values: [ids, linkId, clusterId] };
}

function kindOf(rows: Record<string, unknown>[]): TDriverKind {
  const kinds = new Set(rows.map((r) => r.driver));
  if (kinds.has("POSTGRES")) return "POSTGRES";
  if (kinds.has("MYSQL")) return "MYSQL";
  return "SIMULATED";
}

export async function driverKindForStep(sql: TSql, input: TJsonObject): Promise<TDriverKind> {
  const query = kindQuery(input);
  if (!query) return "SIMULATED";
  const { rows } = await sql.query<{ driver: TDriverKind }>(query.text, query.values);
  return kindOf(rows);
}

/**
 * The lookup as a prefetch the engine sends with the attempt's start (no round trip of its own).
 * Only for well-formed ids: a malformed one would fail the statement, so it is left to the
 * action, which fails the attempt with the database's message as before.
 */
function kindPrefetch(input: TJsonObject): TPrefetch | null {
  const query = kindQuery(input);
  if (!query) return null;
  const [ids, linkId, clusterId] = query.values as [string[], string | null, string | null];
  if (![...ids, linkId, clusterId].every((v) => v === null || UUID.test(v))) return null;
  return query;
}

export function createRoutingDriver(drivers: Partial<Record<TDriverKind, TStepDriver>> & { SIMULATED: TStepDriver }): TStepDriver {
  const names = new Set<string>();
  for (const d of Object.values(drivers)) if (d) for (const name of Object.keys(d.actions)) names.add(name);
  const actions: Record<string, TDriverAction> = {};
  for (const name of names) {
    actions[name] = {
      run: async (ctx: TActionContext, input: TJsonObject) => {
        const kind = ctx.prefetched ? kindOf(ctx.prefetched) : await driverKindForStep(ctx.sql, input);
        const driver = drivers[kind];
        if (!driver) throw new ActionError(`No ${kind.toLowerCase()} driver runs in this worker`, { retryable: false });
        const action = driver.actions[name];
        if (!action) throw new ActionError(`The ${driver.name} driver cannot do "${name}"`, { retryable: false });
        if (!ctx.prefetched) return action.run(ctx, input);
        const { prefetched: _routing, ...inner } = ctx; // the lookup was the router's, not the driver's
        return action.run(inner, input);
      },
    };
  }
  return {
    name: Object.values(drivers)
      .filter((d): d is TStepDriver => Boolean(d))
      .map((d) => d.name)
      .join("+"),
    actions,
    prepare: async (sql) => {
      for (const d of Object.values(drivers)) await d?.prepare?.(sql);
    },
    prefetch: (_action, input) => kindPrefetch(input),
  };
}
