import { ActionError, type TActionContext, type TDriverAction, type TJsonObject, type TSql, type TStepDriver } from "./driver";

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

export async function driverKindForStep(sql: TSql, input: TJsonObject): Promise<TDriverKind> {
  const ids = instanceIdsOf(input);
  const linkId = typeof input.linkId === "string" ? input.linkId : null;
  const clusterId = typeof input.clusterId === "string" ? input.clusterId : null;
  if (ids.length === 0 && !linkId && !clusterId) return "SIMULATED";
  const { rows } = await sql.query<{ driver: TDriverKind }>(
    `WITH direct AS (
        SELECT driver FROM instance WHERE id = ANY($1::uuid[])
        UNION ALL
        SELECT i.driver FROM replication_link l JOIN instance i ON i.id IN (l.source_id, l.target_id) WHERE l.id = $2::uuid
     ), by_cluster AS (
        SELECT driver FROM instance WHERE cluster_id = $3::uuid AND NOT EXISTS (SELECT 1 FROM direct)
     )
     SELECT DISTINCT driver::text AS driver FROM (SELECT driver FROM direct UNION ALL SELECT driver FROM by_cluster) d`,
    [ids, linkId, clusterId],
  );
  const kinds = new Set(rows.map((r) => r.driver));
  if (kinds.has("POSTGRES")) return "POSTGRES";
  if (kinds.has("MYSQL")) return "MYSQL";
  return "SIMULATED";
}

export function createRoutingDriver(drivers: Partial<Record<TDriverKind, TStepDriver>> & { SIMULATED: TStepDriver }): TStepDriver {
  const names = new Set<string>();
  for (const d of Object.values(drivers)) if (d) for (const name of Object.keys(d.actions)) names.add(name);
  const actions: Record<string, TDriverAction> = {};
  for (const name of names) {
    actions[name] = {
      run: async (ctx: TActionContext, input: TJsonObject) => {
        const kind = await driverKindForStep(ctx.sql, input);
        const driver = drivers[kind];
        if (!driver) throw new ActionError(`No ${kind.toLowerCase()} driver runs in this worker`, { retryable: false });
        const action = driver.actions[name];
        if (!action) throw new ActionError(`The ${driver.name} driver cannot do "${name}"`, { retryable: false });
        return action.run(ctx, input);
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
  };
}
