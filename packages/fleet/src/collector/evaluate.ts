import { linkIdFromName, publicationName, slotName, subscriptionName } from "../postgres/names";
import { type TProbeResult } from "./probe";

/**
 * The collector's decisions, as pure functions of what it read (tested without servers).
 *
 * Health, with hysteresis so one lost poll does not flap the map:
 * - a failed poll: 1 in a row changes nothing; DEGRADED after 2 in a row; DOWN after 3;
 * - a good poll: back to UP only after 2 in a row (1 is enough from UNKNOWN, the first poll).
 */
export const HYSTERESIS = { degradedAfterFailures: 2, downAfterFailures: 3, upAfterSuccesses: 2 } as const;

export type THealth = "UP" | "DEGRADED" | "DOWN" | "UNKNOWN";

export interface THealthState {
  health: THealth;
  failureStreak: number;
  successStreak: number;
}

export function nextHealth(previous: THealthState, ok: boolean): THealthState {
  if (ok) {
    const successStreak = previous.successStreak + 1;
    const health: THealth =
      previous.health === "UP" || previous.health === "UNKNOWN" || successStreak >= HYSTERESIS.upAfterSuccesses
        ? "UP"
        : previous.health;
    return { health, failureStreak: 0, successStreak };
  }
  const failureStreak = previous.failureStreak + 1;
  let health: THealth = previous.health;
  if (failureStreak >= HYSTERESIS.downAfterFailures) health = "DOWN";
  else if (failureStreak >= HYSTERESIS.degradedAfterFailures && health !== "DOWN") health = "DEGRADED";
  return { health, failureStreak, successStreak: 0 };
}

/** What the server's own state says it is (instance.observed_role). */
export function observedRoleOf(probe: TProbeResult): string {
  if (probe.inRecovery) return "RECOVERY";
  if (probe.subscriptions.some((s) => s.enabled)) return "SUBSCRIBER";
  if (probe.readOnly) return "READ_ONLY";
  return "WRITABLE";
}

export interface TInventoryLink {
  id: string;
  sourceId: string;
  targetId: string;
  status: "ACTIVE" | "CATCHING_UP" | "PAUSED" | "BROKEN";
  /** Its last stored verification passed (replication_link.verification.ok). */
  verified: boolean;
  /** Links younger than this are being built: not missing yet. */
  ageMs: number;
}

/** A link being created by a plan has no objects for a short while: no drift, no BROKEN before this. */
export const NEW_LINK_GRACE_MS = 120_000;

export type TDriftKind = "UNKNOWN_SUBSCRIPTION" | "UNKNOWN_PUBLICATION" | "UNKNOWN_SLOT" | "MISSING_LINK" | "ROLE_MISMATCH";

export interface TDrift {
  kind: TDriftKind;
  objectName: string;
  detail: string;
  linkId: string | null;
}

/**
 * Drift on one reachable instance: objects on the server the inventory does not know (names not
 * from names.ts, or naming a link that is not in the inventory or not between these instances),
 * inventory links whose objects the server does not have, and a role the server contradicts.
 */
export function driftOf(
  instance: { id: string; role: "PRIMARY" | "REPLICA" | "STANDBY" },
  probe: TProbeResult,
  linksById: ReadonlyMap<string, TInventoryLink>,
): TDrift[] {
  const out: TDrift[] = [];
  const known = (name: string, end: "source" | "target") => {
    const linkId = linkIdFromName(name);
    const link = linkId ? linksById.get(linkId) : undefined;
    if (!linkId) return { ok: false, linkId: null, why: "not created by Meridian" };
    if (!link) return { ok: false, linkId: null, why: `names link ${linkId}, which is not in the inventory` };
    const ok = end === "source" ? link.sourceId === instance.id : link.targetId === instance.id;
    return { ok, linkId, why: ok ? "" : `names link ${linkId}, whose ${end} is another instance` };
  };
  for (const name of probe.publications) {
    const k = known(name, "source");
    if (!k.ok) out.push({ kind: "UNKNOWN_PUBLICATION", objectName: name, detail: `Publication ${name} ${k.why}`, linkId: null });
  }
  for (const slot of probe.slots) {
    const k = known(slot.name, "source");
    if (!k.ok)
      out.push({
        kind: "UNKNOWN_SLOT",
        objectName: slot.name,
        detail: `Replication slot ${slot.name} ${k.why}${slot.retainedBytes ? `; it retains ${formatBytes(slot.retainedBytes)} of WAL` : ""}`,
        linkId: null,
      });
  }
  for (const sub of probe.subscriptions) {
    const k = known(sub.name, "target");
    if (!k.ok) out.push({ kind: "UNKNOWN_SUBSCRIPTION", objectName: sub.name, detail: `Subscription ${sub.name} ${k.why}`, linkId: null });
  }
  const pubs = new Set(probe.publications);
  const slots = new Set(probe.slots.map((s) => s.name));
  const subs = new Set(probe.subscriptions.map((s) => s.name));
  for (const link of linksById.values()) {
    if (link.ageMs < NEW_LINK_GRACE_MS && !link.verified) continue;
    const missing: string[] = [];
    if (link.sourceId === instance.id) {
      if (!pubs.has(publicationName(link.id))) missing.push(`publication ${publicationName(link.id)}`);
      if (!slots.has(slotName(link.id))) missing.push(`slot ${slotName(link.id)}`);
    }
    if (link.targetId === instance.id && !subs.has(subscriptionName(link.id))) missing.push(`subscription ${subscriptionName(link.id)}`);
    if (missing.length)
      out.push({
        kind: "MISSING_LINK",
        objectName: `link:${link.id}`,
        detail: `Link ${link.id} is in the inventory; the server has no ${missing.join(", no ")}`,
        linkId: link.id,
      });
  }
  if (instance.role === "PRIMARY" && probe.inRecovery)
    out.push({ kind: "ROLE_MISMATCH", objectName: "role", detail: "The inventory says PRIMARY; the server is in recovery (read-only standby)", linkId: null });
  if (instance.role === "REPLICA" && !probe.inRecovery && !probe.subscriptions.some((s) => s.enabled) && probe.subscriptions.length === 0)
    out.push({ kind: "ROLE_MISMATCH", objectName: "role", detail: "The inventory says REPLICA; the server neither subscribes nor is in recovery", linkId: null });
  if (replicaAcceptsWrites(instance, probe))
    out.push({
      kind: "ROLE_MISMATCH",
      objectName: "write-fence",
      detail:
        "Replica accepts writes: the inventory says REPLICA but its database is not fenced (default_transaction_read_only is not on), so an application could write to a second member. Fence it: ALTER DATABASE <db> SET default_transaction_read_only = on, then end its client sessions",
      linkId: null,
    });
  return out;
}

/** A REPLICA (logical: an ordinary writable server) whose database lacks Meridian's write fence. */
export function replicaAcceptsWrites(instance: { role: "PRIMARY" | "REPLICA" | "STANDBY" }, probe: TProbeResult): boolean {
  return instance.role === "REPLICA" && !probe.inRecovery && !probe.writesFenced;
}

export interface TLinkObservation {
  lagBytes: number;
  lagSeconds: number;
  status: TInventoryLink["status"];
  streaming: boolean;
  /** Why the status is what it is, when not healthy (replication_link.last_error is left to the driver). */
  note: string | null;
}

/** Above this much lag a verified link is CATCHING_UP rather than ACTIVE. */
export const CATCHING_UP_SECONDS = 30;
export const CATCHING_UP_BYTES = 64 * 1024 * 1024;

/**
 * Lag and status of one link from its source's and target's probes (null: not reachable this
 * cycle). Bytes: WAL the source holds that the subscriber has not confirmed (its slot's
 * confirmed_flush_lsn). Seconds: 0 when no byte waits; else the walsender's replay_lag while it
 * streams; while it does not stream, the time since it last streamed (or caught up).
 * Returns null when the source cannot be read (no sample this cycle).
 */
export function observeLink(
  link: TInventoryLink,
  source: TProbeResult | null,
  target: TProbeResult | null,
  lastStreamingAt: number,
  now: number,
): TLinkObservation | null {
  if (!source) return null;
  const slot = source.slots.find((s) => s.name === slotName(link.id));
  const walsender = source.walsenders.find((w) => w.applicationName === subscriptionName(link.id));
  const sub = target?.subscriptions.find((s) => s.name === subscriptionName(link.id)) ?? null;
  const streaming = Boolean(walsender && walsender.state === "streaming");
  const lagBytes = slot?.lagBytes ?? walsender?.lagBytes ?? 0;
  // Nothing unconfirmed is no lag (replay_lag keeps its last value until the next message).
  const lagSeconds =
    lagBytes === 0 ? 0 : streaming ? Math.max(0, walsender?.replayLagSeconds ?? 0) : Math.max(0, (now - lastStreamingAt) / 1000);
  const young = link.ageMs < NEW_LINK_GRACE_MS && !link.verified;
  let status = link.status;
  let note: string | null = null;
  if (!slot && !young) {
    status = "BROKEN";
    note = `the source has no slot ${slotName(link.id)}`;
  } else if (target && !sub && !young) {
    status = "BROKEN";
    note = `the target has no subscription ${subscriptionName(link.id)}`;
  } else if (sub && !sub.enabled) {
    status = "PAUSED";
    note = "the subscription is disabled";
  } else if (sub && streaming) {
    const behind = lagSeconds > CATCHING_UP_SECONDS || lagBytes > CATCHING_UP_BYTES;
    if (behind || !link.verified) status = link.status === "ACTIVE" && !behind ? "ACTIVE" : "CATCHING_UP";
    else status = "ACTIVE";
  } else if (sub && !streaming) {
    note = "the subscription is enabled but its walsender does not stream";
    if (link.status === "ACTIVE" && lagSeconds > CATCHING_UP_SECONDS) status = "CATCHING_UP";
  }
  return { lagBytes, lagSeconds, status, streaming, note };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/** instance.health_detail of a reachable instance (never a credential). */
export function healthDetailOf(probe: TProbeResult, ms: number, role?: "PRIMARY" | "REPLICA" | "STANDBY"): string {
  const retained = probe.slots.reduce((sum, s) => sum + (s.retainedBytes ?? 0), 0);
  const parts = [
    `reachable (${ms} ms)`,
    probe.inRecovery
      ? "in recovery"
      : role && replicaAcceptsWrites({ role }, probe)
        ? "replica accepts writes (not fenced)"
        : probe.writesFenced
          ? "writes fenced"
          : probe.readOnly
            ? "read-only"
            : "writable",
    `${probe.publications.length} publication(s)`,
    `${probe.subscriptions.length} subscription(s)` +
      (probe.subscriptions.some((s) => !s.enabled) ? ` (${probe.subscriptions.filter((s) => !s.enabled).length} disabled)` : ""),
    `${probe.slots.length} slot(s)` + (probe.slots.length ? ` retaining ${formatBytes(retained)} of WAL` : ""),
  ];
  return parts.join("; ");
}
