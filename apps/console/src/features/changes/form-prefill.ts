import { CHANGE_PARAMS_SCHEMAS, type TChangeKind } from "@meridian/policy";

/** A form's starting values: text for inputs and selects, true/false for checkboxes. */
export type TPrefillValues = Record<string, string | boolean>;

type TSearchParams = Record<string, string | string[] | undefined>;

/**
 * Starting values of a new change's form from its URL (`/changes/new?kind=REMOVE_REPLICA&clusterId=…&instanceId=…`),
 * so that "file a change to fix it" opens the form filled in. Only the kind's own parameters
 * are read, and each one is checked against the kind's zod schema: a value the schema refuses
 * (not a uuid, out of range, unknown enum) is dropped, never shown, and the rest is kept.
 */
export function prefillFromSearchParams(kind: TChangeKind, searchParams: TSearchParams): TPrefillValues {
  const shape = CHANGE_PARAMS_SCHEMAS[kind].shape as Record<string, { safeParse: (v: unknown) => { success: boolean } }>;
  const out: TPrefillValues = {};
  for (const [key, field] of Object.entries(shape)) {
    if (key === "kind") continue;
    const raw = searchParams[key];
    const text = Array.isArray(raw) ? raw[0] : raw;
    if (text === undefined || text.trim() === "") continue;
    const candidates: unknown[] = [text];
    if (text === "true" || text === "false") candidates.unshift(text === "true");
    else if (/^-?\d+(\.\d+)?$/.test(text)) candidates.push(Number(text));
    else if (text.includes(",")) candidates.push(text.split(",").map((t) => t.trim()).filter(Boolean));
    const ok = candidates.find((c) => field.safeParse(c).success);
    if (ok === undefined) continue;
    out[key] = typeof ok === "boolean" ? ok : Array.isArray(ok) ? ok.join(", ") : String(ok);
  }
  return out;
}

/** What a residency finding says about its fix (from the API). */
export interface TResidencyFixRef {
  fixKind: "REMOVE_REPLICA" | "REMOVE_LINK" | "MOVE_PRIMARY_REGION";
  clusterId: string;
  /** The instance (REMOVE_REPLICA) or link (REMOVE_LINK) the fix names; null when moving the primary. */
  fixTargetId: string | null;
}

/**
 * "File a change to fix it": the new change's form, filled in with the fix the API chose (a
 * replica or link outside policy is removed; a primary outside policy is moved, the target data
 * center left for the requester to choose).
 */
export function residencyFixHref(f: TResidencyFixRef): string {
  const q = new URLSearchParams({ kind: f.fixKind, clusterId: f.clusterId });
  if (f.fixKind === "REMOVE_REPLICA" && f.fixTargetId) q.set("instanceId", f.fixTargetId);
  if (f.fixKind === "REMOVE_LINK" && f.fixTargetId) q.set("linkId", f.fixTargetId);
  return `/changes/new?${q.toString()}`;
}

export const RESIDENCY_FIX_TITLES: Record<TResidencyFixRef["fixKind"], string> = {
  REMOVE_REPLICA: "Remove the replica placed outside policy",
  REMOVE_LINK: "Remove the link that replicates outside policy",
  MOVE_PRIMARY_REGION: "Move the primary into an allowed jurisdiction",
};
