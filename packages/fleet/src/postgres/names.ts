/**
 * Names of what Meridian creates on managed servers for a replication link, derived from the
 * link id alone: a retried step finds its own objects, the collector tells Meridian's objects
 * from others (drift), and REMOVE_LINK knows exactly what to drop. PostgreSQL identifiers are
 * at most 63 bytes; a uuid without dashes is 32.
 */
export const MERIDIAN_PREFIX = "meridian_";

const compact = (linkId: string) => linkId.replace(/-/g, "").toLowerCase();

/** Publication on the source. */
export const publicationName = (linkId: string) => `meridian_pub_${compact(linkId)}`;
/** Subscription on the target. */
export const subscriptionName = (linkId: string) => `meridian_sub_${compact(linkId)}`;
/** Replication slot on the source (created by the subscription with this name). */
export const slotName = (linkId: string) => `meridian_slot_${compact(linkId)}`;
/** Least-privilege replication role on the source, one per link, with its own generated password. */
export const replicationRoleName = (linkId: string) => `meridian_repl_${compact(linkId)}`;

/** The link id back from any of the names above (null for objects Meridian did not make). */
export function linkIdFromName(name: string): string | null {
  const m = /^meridian_(?:pub|sub|slot|repl)_([0-9a-f]{32})$/.exec(name);
  if (!m?.[1]) return null;
  const h = m[1];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
