import { z } from "zod";
import { ActionError, type TActionContext, type TDriverAction, type TJsonObject } from "../driver";
import { recordSideEffect } from "../ledger";
import { type TPostgresAccess } from "./connect";
import { slotName } from "./names";
import { type TPostgresActionGroup } from "./postgres-driver";
import {
  bytesBehind,
  clusterMembers,
  currentLsn,
  flushedLsn,
  dropSourceObjects,
  dropSubscription,
  ensureFenced,
  ensureLinkWithoutCopy,
  fence,
  isFenced,
  linkRow,
  savedLinks,
  session,
  setInstanceState,
  setRole,
  slotState,
  subscriptionInfo,
  unfence,
  upsertLinkRow,
  waitForConfirmed,
  withServers,
  type TSavedLink,
} from "./switchover-server";

/**
 * Switchover steps on real PostgreSQL servers joined by logical replication (see
 * switchover-server.ts for the write fence). The plan (orchestrator planners/switchover.ts):
 *
 *   checkReplicaReady -> fenceWrites(old) -> waitForFenceLsn -> promoteReplica(new)
 *   -> [repointLink(other replicas)] -> demoteToReplica(old) -> unfenceWrites(new)
 *
 * - fenceWrites: the old primary refuses writes (database default read-only + its client
 *   sessions ended), recorded as fenced in the inventory in the step's transaction.
 * - waitForFenceLsn: the old primary's current WAL position (it is fenced: every committed
 *   write is below it) is confirmed by the subscriber (its slot's confirmed_flush_lsn).
 * - promoteReplica: refuses while the old primary is writable; drops the forward subscription
 *   (its slot), publication and role; saves the link (with its tables) on the new primary's
 *   state so that a compensation can restore it; the new primary is PRIMARY but still fenced.
 * - demoteToReplica: the reverse link (publication on the new primary, subscription on the old
 *   one, copy_data = false: both hold the same rows and both are fenced); old primary REPLICA.
 * - unfenceWrites: refuses while another PRIMARY of the cluster, or the former primary named in
 *   its input, is writable on its server (or, unreachable, not recorded as fenced).
 *
 * Every action reads the servers' real state first and is safe to repeat after a crash at any
 * point; each records its change in the ledger under the step's side-effect id.
 */
const uuid = z.string().uuid({ error: "must be an id (uuid)" });
const ZInstanceRef = z.object({ instanceId: uuid, clusterId: uuid });
const ZReplicaReady = ZInstanceRef.extend({
  linkId: uuid.nullable().default(null),
  maxLagSeconds: z.number().min(0).nullable().default(null),
});
const ZFence = ZInstanceRef.extend({ bestEffort: z.boolean().default(false) });
const ZUnfence = ZInstanceRef.extend({ formerPrimaryId: uuid.nullable().default(null) });
const ZWaitFence = z.object({
  clusterId: uuid,
  linkId: uuid,
  sourceInstanceId: uuid,
  targetInstanceId: uuid,
  /** Give up with a readable error after this long (the plan sets it below the step's timeout). */
  maxWaitMs: z.number().int().min(1).nullable().default(null),
});
const ZPromote = ZInstanceRef.extend({
  formerPrimaryId: uuid,
  detachLinkId: uuid.nullable().default(null),
  force: z.boolean().default(false),
});
const ZDemote = ZInstanceRef.extend({
  sourceInstanceId: uuid,
  linkId: uuid.nullable().default(null),
  mode: z.enum(["PHYSICAL", "LOGICAL", "CDC"]).default("LOGICAL"),
});
const ZRepoint = z.object({ linkId: uuid, clusterId: uuid, targetInstanceId: uuid, fromSourceId: uuid, toSourceId: uuid });

type TRun<I> = (ctx: TActionContext, input: I, access: TPostgresAccess) => Promise<TJsonObject>;

function defineAction<I>(
  name: string,
  schema: z.ZodType<I>,
  mutates: boolean,
  target: (input: I) => string,
  fn: TRun<I>,
  access: TPostgresAccess,
): TDriverAction {
  return {
    run: async (ctx, raw) => {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ActionError(`Invalid input for ${name}: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "?"}`, {
          retryable: false,
        });
      }
      const output = await fn(ctx, parsed.data, access);
      if (mutates) await recordSideEffect(ctx, name, target(parsed.data), output);
      ctx.log(`${name}: ${String(output.result ?? "done")}`);
      return output;
    },
  };
}

const instanceTarget = (i: { instanceId: string }) => `instance:${i.instanceId}`;
const linkTarget = (i: { linkId: string }) => `link:${i.linkId}`;

async function nameOf(ctx: TActionContext, id: string): Promise<string> {
  const { rows } = await ctx.sql.query<{ name: string }>(`SELECT name FROM instance WHERE id = $1`, [id]);
  return rows[0]?.name ?? id;
}

/** Runs fn with a session to the instance, or returns null when it cannot be reached. */
async function ifReachable<T>(
  ctx: TActionContext,
  access: TPostgresAccess,
  id: string,
  fn: (s: Parameters<Parameters<typeof withServers>[4]>[0]) => Promise<T>,
  lock = false,
): Promise<T | null> {
  try {
    return await withServers(ctx.sql, access, ctx.signal, [id], fn, { lock });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    if (error instanceof ActionError && /^Cannot connect/.test(error.message)) return null;
    throw error;
  }
}

// ---------------------------------------------------------------------------

const checkReplicaReady: TRun<z.output<typeof ZReplicaReady>> = async (ctx, input, access) => {
  const name = await nameOf(ctx, input.instanceId);
  // Without a lag limit (FAILOVER: the primary may be gone) only the replica itself must answer.
  if (!input.linkId || input.maxLagSeconds === null) {
    const reachable = await ifReachable(ctx, access, input.instanceId, async () => true);
    if (!reachable) throw new ActionError(`${name} cannot be reached`, { humanAction: `Start ${name} or pick another replica` });
    return { result: `${name} is reachable` };
  }
  const link = await linkRow(ctx.sql, input.linkId);
  if (!link || link.targetId !== input.instanceId)
    throw new ActionError(`${name} no longer replicates through link ${input.linkId}`, {
      retryable: false,
      humanAction: "The topology changed since planning: file the change again",
    });
  return withServers(ctx.sql, access, ctx.signal, [link.sourceId, link.targetId], async (servers) => {
    const source = session(servers, link.sourceId);
    const target = session(servers, link.targetId);
    const sub = await subscriptionInfo(target, link.id);
    if (!sub) throw new ActionError(`${name} has no subscription for link ${link.id}`, { retryable: false, humanAction: `Recreate the link ${source.name} -> ${name} (REMOVE_LINK, ADD_LINK)` });
    if (!sub.enabled || !sub.workerPid)
      throw new ActionError(`The subscription of ${name} is ${sub.enabled ? "enabled but its apply worker is not running" : "disabled"}`, {
        humanAction: `Resume the link ${source.name} -> ${name} (or read ${name}'s server log for apply errors), then retry`,
      });
    const behind = await bytesBehind(source, link.id, await currentLsn(source));
    if (behind === null) throw new ActionError(`${source.name} has no slot for link ${link.id}`, { retryable: false, humanAction: `Recreate the link ${source.name} -> ${name}` });
    const { rows } = await ctx.sql.query<{ lag_seconds: number }>(`SELECT lag_seconds FROM replication_link WHERE id = $1`, [link.id]);
    const lagSeconds = rows[0]?.lag_seconds ?? 0;
    if (input.maxLagSeconds !== null && lagSeconds > input.maxLagSeconds)
      throw new ActionError(`${name} lags ${lagSeconds} s, above ${input.maxLagSeconds} s`, { humanAction: `Wait until ${name} catches up, then retry` });
    return { result: `${name} applies from ${source.name}, ${behind} byte(s) behind`, lagBytes: Number(behind), lagSeconds };
  }, { lock: false });
};

const fenceWrites: TRun<z.output<typeof ZFence>> = async (ctx, input, access) => {
  const name = await nameOf(ctx, input.instanceId);
  let done: Awaited<ReturnType<typeof fence>> | null;
  try {
    done = await ifReachable(ctx, access, input.instanceId, async (servers) => fence(session(servers, input.instanceId)), true);
  } catch (error) {
    // The fence may be in place already: if this change is abandoned, the primary must be reopened by hand.
    if (error instanceof ActionError && !ctx.signal.aborted)
      throw new ActionError(error.message, {
        retryable: error.retryable,
        humanAction: `${error.humanAction ?? "Fix the cause and retry"}. If you abandon this change instead, check ${name}: if it refuses writes, reopen them with ALTER DATABASE <its database> RESET default_transaction_read_only`,
      });
    throw error;
  }
  if (!done) {
    if (input.bestEffort) {
      const out: TJsonObject = { alreadyDone: false, result: `${name} is unreachable: not fenced (best effort)`, fenced: false };
      return out;
    }
    throw new ActionError(`Cannot reach ${name} to fence its writes`, { humanAction: `Start ${name} (or use FAILOVER if it is lost), then retry` });
  }
  await setInstanceState(ctx.sql, input.instanceId, { writes_fenced: true });
  return {
    alreadyDone: done.alreadyFenced,
    result: `writes on ${name} fenced at ${done.lsn} (${done.endedSessions} client session(s) ended)`,
    fenced: true,
    fenceLsn: done.lsn,
    endedSessions: done.endedSessions,
  };
};

const unfenceWrites: TRun<z.output<typeof ZUnfence>> = async (ctx, input, access) => {
  const name = await nameOf(ctx, input.instanceId);
  const members = await clusterMembers(ctx.sql, input.clusterId);
  const others = members.filter((m) => m.id !== input.instanceId && (m.role === "PRIMARY" || m.id === input.formerPrimaryId));
  for (const other of others) {
    const fenced = other.driver === "POSTGRES" ? await ifReachable(ctx, access, other.id, async (s) => isFenced(session(s, other.id))) : other.writesFenced;
    if (fenced === false)
      throw new ActionError(`${other.name} still accepts writes: opening ${name} would make two writable primaries`, {
        retryable: false,
        humanAction: `Fence ${other.name} (ALTER DATABASE ... SET default_transaction_read_only = on and end its sessions) or roll this change back`,
      });
    if (fenced === null && !other.writesFenced)
      throw new ActionError(`${other.name} cannot be reached and is not recorded as fenced: opening ${name} could make two writable primaries`, {
        humanAction: `Bring ${other.name} back (it will be checked) or make sure it is stopped, then retry`,
      });
  }
  const done = await withServers(ctx.sql, access, ctx.signal, [input.instanceId], async (s) => unfence(session(s, input.instanceId)));
  await setInstanceState(ctx.sql, input.instanceId, { writes_fenced: false });
  return { alreadyDone: done.alreadyOpen, result: `writes on ${name} open (${done.endedSessions} read-only session(s) ended)` };
};

const waitForFenceLsn: TRun<z.output<typeof ZWaitFence>> = async (ctx, input, access) => {
  const target = await nameOf(ctx, input.targetInstanceId);
  return withServers(
    ctx.sql,
    access,
    ctx.signal,
    [input.sourceInstanceId],
    async (servers) => {
      const source = session(servers, input.sourceInstanceId);
      if (!(await isFenced(source)))
        throw new ActionError(`${source.name} is not fenced: its last write is not known`, {
          retryable: false,
          humanAction: "The fence was lifted by someone else; let the change roll back and file it again",
        });
      const lsn = await flushedLsn(source);
      ctx.log(`waiting until ${target} has confirmed ${source.name}'s WAL up to ${lsn}`);
      const { waitedMs } = await waitForConfirmed(source, input.linkId, lsn, ctx.signal, 10, input.maxWaitMs, target);
      return { result: `${target} has every write of ${source.name} (up to ${lsn}, waited ${waitedMs} ms)`, lsn, waitedMs };
    },
    { lock: false },
  );
};

const promoteReplica: TRun<z.output<typeof ZPromote>> = async (ctx, input, access) => {
  const name = await nameOf(ctx, input.instanceId);
  const formerName = await nameOf(ctx, input.formerPrimaryId);
  const link = input.detachLinkId ? await linkRow(ctx.sql, input.detachLinkId) : null;
  // The former primary: fenced on its server (checked below in the same sessions); a forced
  // promotion (failover) fences it if it is reachable and goes on without it otherwise.
  const former = !input.force ? { fenced: true } : await ifReachable(
    ctx,
    access,
    input.formerPrimaryId,
    async (s) => {
      const server = session(s, input.formerPrimaryId);
      if (await isFenced(server)) return { fenced: true };
      if (!input.force) return { fenced: false };
      await fence(server);
      return { fenced: true };
    },
    true,
  );
  if (former && !former.fenced)
    throw new ActionError(`${formerName} still accepts writes: promoting ${name} would make two writable primaries`, {
      retryable: false,
      humanAction: `Fence writes on ${formerName} first (the plan's fence step), then retry`,
    });
  if (!former && !input.force)
    throw new ActionError(`Cannot reach ${formerName} to check that its writes are fenced`, {
      humanAction: `Bring ${formerName} back, or use FAILOVER if it is lost`,
    });
  if (!former) await setInstanceState(ctx.sql, input.formerPrimaryId, { writes_fenced: true }); // lost: recorded as out of service

  const saved = (await savedLinks(ctx.sql, input.instanceId)).filter((l) => l.id !== input.detachLinkId);
  if (link) saved.push(link);
  const ids = former ? [input.instanceId, input.formerPrimaryId] : [input.instanceId];
  const detached = await withServers(ctx.sql, access, ctx.signal, ids, async (servers) => {
    const self = session(servers, input.instanceId);
    const source = former ? session(servers, input.formerPrimaryId) : null;
    // The new primary stays fenced until unfenceWrites opens it (fencing it is safe whatever follows).
    const [formerFenced] = await Promise.all([source && !input.force ? isFenced(source) : Promise.resolve(true), ensureFenced(self)]);
    if (!formerFenced)
      throw new ActionError(`${formerName} still accepts writes: promoting ${name} would make two writable primaries`, {
        retryable: false,
        humanAction: `Fence writes on ${formerName} first (the plan's fence step), then retry`,
      });
    if (!input.detachLinkId) return false;
    if (source && !input.force && ctx.phase === "run") {
      // Re-checked here (the wait step may have run long ago, or before a crash): the subscriber
      // confirms the fenced primary's flushed position (milliseconds when it is caught up).
      if (await slotState(source, slotName(input.detachLinkId)))
        await waitForConfirmed(source, input.detachLinkId, await flushedLsn(source), ctx.signal, 2);
    }
    const dropped = await dropSubscription(self, source, input.detachLinkId);
    if (source) await dropSourceObjects(source, input.detachLinkId);
    return dropped;
  });
  if (input.detachLinkId) await ctx.sql.query(`DELETE FROM replication_link WHERE id = $1`, [input.detachLinkId]);
  await setRole(ctx.sql, input.instanceId, "PRIMARY");
  await setInstanceState(ctx.sql, input.instanceId, { writes_fenced: true, detached_links: saved });
  return {
    alreadyDone: Boolean(input.detachLinkId) && !detached && !link,
    result: `${name} is the primary (writes fenced until opened)${input.detachLinkId ? `, no longer subscribed to ${formerName}` : ""}`,
  };
};

const demoteToReplica: TRun<z.output<typeof ZDemote>> = async (ctx, input, access) => {
  const name = await nameOf(ctx, input.instanceId);
  const sourceName = await nameOf(ctx, input.sourceInstanceId);
  const tables = input.linkId ? await tablesFor(ctx, input.linkId, input.instanceId, input.sourceInstanceId) : null;
  const result = await withServers(ctx.sql, access, ctx.signal, [input.instanceId, input.sourceInstanceId], async (servers) => {
    const self = session(servers, input.instanceId);
    const source = session(servers, input.sourceInstanceId);
    // A replica refuses application writes; its new source must still be fenced (no copy of what it took since).
    const [, sourceFenced] = await Promise.all([ensureFenced(self), isFenced(source)]);
    if (!input.linkId || !tables) return null;
    if (!sourceFenced)
      throw new ActionError(
        `${sourceName} already accepts writes: ${name} would miss the rows written since (a subscription without initial copy)`,
        { retryable: false, humanAction: `Rebuild ${name} as a new replica of ${sourceName} (ADD_REPLICA with an initial copy)` },
      );
    return ensureLinkWithoutCopy(source, self, input.linkId, tables.tables);
  });
  if (input.linkId && tables) {
    await upsertLinkRow(ctx.sql, {
      id: input.linkId,
      sourceId: input.sourceInstanceId,
      targetId: input.instanceId,
      mode: input.mode,
      tables: tables.stored,
    });
  }
  await setRole(ctx.sql, input.instanceId, "REPLICA");
  await setInstanceState(ctx.sql, input.instanceId, { writes_fenced: true });
  return {
    alreadyDone: result !== null && !result.created,
    result: `${name} is a replica of ${sourceName} (fenced${result ? `, ${result.tables.length} table(s), no initial copy` : ""})`,
  };
};

/** The tables of a link being (re)created: saved when its forward link was dropped, else the inventory row, else all. */
async function tablesFor(
  ctx: TActionContext,
  linkId: string,
  a: string,
  b: string,
): Promise<{ tables: string[] | null; stored: string[] }> {
  const row = await linkRow(ctx.sql, linkId);
  if (row) return { tables: row.tables, stored: row.tables ?? [] };
  const saved: TSavedLink[] = [...(await savedLinks(ctx.sql, a)), ...(await savedLinks(ctx.sql, b))];
  const match =
    saved.find((l) => l.id === linkId) ??
    saved.find((l) => (l.sourceId === a && l.targetId === b) || (l.sourceId === b && l.targetId === a));
  return { tables: match?.tables ?? null, stored: match?.tables ?? [] };
}

const repointLink: TRun<z.output<typeof ZRepoint>> = async (ctx, input, access) => {
  const link = await linkRow(ctx.sql, input.linkId);
  if (!link) throw new ActionError(`Link ${input.linkId} does not exist`, { retryable: false });
  const targetName = await nameOf(ctx, input.targetInstanceId);
  const toName = await nameOf(ctx, input.toSourceId);
  if (link.sourceId !== input.fromSourceId && link.sourceId !== input.toSourceId)
    throw new ActionError(`Link ${input.linkId} follows neither the old nor the new source`, { retryable: false });
  const from = link.sourceId === input.fromSourceId ? await ifReachable(ctx, access, input.fromSourceId, async () => true) : null;
  const ids = [input.targetInstanceId, input.toSourceId, ...(from ? [input.fromSourceId] : [])];
  const result = await withServers(ctx.sql, access, ctx.signal, ids, async (servers) => {
    const target = session(servers, input.targetInstanceId);
    const to = session(servers, input.toSourceId);
    if (!(await isFenced(to)))
      throw new ActionError(`${toName} already accepts writes: ${targetName} would miss rows if it followed it now`, {
        retryable: false,
        humanAction: `Rebuild ${targetName} as a new replica of ${toName}`,
      });
    if (from) {
      const old = session(servers, input.fromSourceId);
      if ((await slotState(old, slotName(input.linkId))) && (await isFenced(old))) {
        // Every write of the old source must be on the target before it stops following it.
        await waitForConfirmed(old, input.linkId, await flushedLsn(old), ctx.signal);
      }
      await dropSubscription(target, old, input.linkId);
      await dropSourceObjects(old, input.linkId);
    }
    return ensureLinkWithoutCopy(to, target, input.linkId, link.tables);
  });
  await ctx.sql.query(`UPDATE replication_link SET source_id = $2, status = 'ACTIVE', updated_at = now() WHERE id = $1`, [
    input.linkId,
    input.toSourceId,
  ]);
  return { alreadyDone: !result.created, result: `${targetName} now follows ${toName}` };
};

const ZDetach = ZInstanceRef.extend({ reason: z.string().default("") });
const ZAttach = ZInstanceRef.extend({ role: z.enum(["PRIMARY", "REPLICA", "STANDBY"]) });

/** FAILOVER: the lost primary leaves the topology; fenced on its server if it answers, recorded as fenced either way. */
const detachInstance: TRun<z.output<typeof ZDetach>> = async (ctx, input, access) => {
  const name = await nameOf(ctx, input.instanceId);
  const fenced = await ifReachable(ctx, access, input.instanceId, async (s) => fence(session(s, input.instanceId)), true);
  const { rows } = await ctx.sql.query<{ id: string; source_id: string; target_id: string; mode: string; tables: string[] }>(
    `DELETE FROM replication_link WHERE source_id = $1 OR target_id = $1 RETURNING id, source_id, target_id, mode::text AS mode, tables`,
    [input.instanceId],
  );
  const saved: TSavedLink[] = rows.map((l) => ({ id: l.id, sourceId: l.source_id, targetId: l.target_id, mode: l.mode, tables: l.tables }));
  await ctx.sql.query(`UPDATE instance SET role = 'STANDBY', updated_at = now() WHERE id = $1`, [input.instanceId]);
  await ctx.sql.query(
    `INSERT INTO fleet_instance_state (instance_id, detached, registered, writes_fenced, detached_links) VALUES ($1, true, false, true, $2)
     ON CONFLICT (instance_id) DO UPDATE SET detached = true, registered = false, writes_fenced = true, detached_links = EXCLUDED.detached_links, updated_at = now()`,
    [input.instanceId, JSON.stringify(saved)],
  );
  return {
    alreadyDone: false,
    result: `${name} detached (${saved.length} link(s) removed from the inventory; ${fenced ? "fenced on its server" : "unreachable: fence it before it comes back"})${input.reason ? `: ${input.reason}` : ""}`,
  };
};

/** Undoing a failover's detach on real servers is a rebuild, not a flag: a person decides. */
const attachInstance: TRun<z.output<typeof ZAttach>> = async (ctx, input) => {
  const name = await nameOf(ctx, input.instanceId);
  throw new ActionError(`${name} was detached after a failover: its data may lag the new primary, it cannot simply be attached again`, {
    retryable: false,
    humanAction: `Keep ${name} fenced; rebuild it as a replica of the current primary (REMOVE_REPLICA, then ADD_REPLICA) once it is healthy`,
  });
};

/** fenceWrites, unfenceWrites, waitForFenceLsn, promoteReplica, demoteToReplica, repointLink, checkReplicaReady, detachInstance, attachInstance on real servers. */
export const switchoverActions: TPostgresActionGroup = ({ access }) => ({
  checkReplicaReady: defineAction("checkReplicaReady", ZReplicaReady, false, instanceTarget, checkReplicaReady, access),
  fenceWrites: defineAction("fenceWrites", ZFence, true, instanceTarget, fenceWrites, access),
  unfenceWrites: defineAction("unfenceWrites", ZUnfence, true, instanceTarget, unfenceWrites, access),
  waitForFenceLsn: defineAction("waitForFenceLsn", ZWaitFence, false, linkTarget, waitForFenceLsn, access),
  promoteReplica: defineAction("promoteReplica", ZPromote, true, instanceTarget, promoteReplica, access),
  demoteToReplica: defineAction("demoteToReplica", ZDemote, true, instanceTarget, demoteToReplica, access),
  repointLink: defineAction("repointLink", ZRepoint, true, linkTarget, repointLink, access),
  detachInstance: defineAction("detachInstance", ZDetach, true, instanceTarget, detachInstance, access),
  attachInstance: defineAction("attachInstance", ZAttach, true, instanceTarget, attachInstance, access),
});
