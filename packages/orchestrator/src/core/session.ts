import { type TChangeKind, type TChangeParams, type TPlacementAction } from "@meridian/policy";
import { BlastRadiusBuilder, type TBlastRadius } from "./blast-radius";
import {
  PLAN_ACTIONS,
  PLAN_VERSION,
  planHash,
  type TCompensation,
  type TJsonObject,
  type TPlan,
  type TPlanAction,
  type TPlanStep,
  type TRetryPolicy,
} from "./plan";
import { cloneFleetSnapshot, type TClusterSnapshot, type TDataCenterSnapshot, type TFleetSnapshot } from "./snapshot";

/** Where a change would place or replicate a cluster's data (input to the residency rule). */
export interface TPlannedPlacement {
  clusterId: string;
  jurisdiction: string;
  dataCenterId: string;
  dataCenterCode: string;
  action: TPlacementAction;
}

export interface TPlanningContext {
  /**
   * The change request's id: salts the ids of what the plan creates (instances, links), so
   * that two requests never claim each other's work and re-planning one request is stable.
   */
  requestId: string;
}

export interface TPlannedChild {
  /** 1-based position in the parent plan. */
  index: number;
  kind: TChangeKind;
  clusterId: string;
  params: TChangeParams;
  plan: TPlan;
  planHash: string;
  blastRadius: TBlastRadius;
  placements: TPlannedPlacement[];
}

export interface TPlannedChange {
  kind: TChangeKind;
  plan: TPlan;
  planHash: string;
  blastRadius: TBlastRadius;
  placements: TPlannedPlacement[];
  /** The fleet as it will be once the plan has run (for the "after" topology and map). */
  after: TFleetSnapshot;
  /** Things a reviewer should know that do not stop the plan. */
  warnings: string[];
  /** DRAIN_DATACENTER: the child changes whose steps make up the plan. */
  children: TPlannedChild[];
}

interface TStepDraft {
  slug: string;
  name: string;
  action: TPlanAction;
  input: TJsonObject;
  compensation: TCompensation | null;
  retry?: TRetryPolicy;
  timeoutMs?: number;
  group?: string;
}

/** Lower-case, dash-separated, safe for a step id. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 120);
}

/**
 * One planning run: accumulates steps, the blast radius, placements and warnings, and keeps
 * `after`, a private copy of the snapshot that each planned step updates, so that later
 * steps (and later child changes of a drain) plan against the fleet as it will be.
 */
export class PlanSession {
  readonly after: TFleetSnapshot;
  readonly blast = new BlastRadiusBuilder();
  readonly placements: TPlannedPlacement[] = [];
  readonly warnings: string[] = [];
  readonly children: TPlannedChild[] = [];
  private readonly drafts: TStepDraft[] = [];
  /** The warnings already given (a drain folds in thousands of children's). */
  private readonly warned = new Set<string>();

  constructor(
    snapshot: TFleetSnapshot,
    readonly context: TPlanningContext,
  ) {
    this.after = cloneFleetSnapshot(snapshot);
  }

  step(draft: TStepDraft): this {
    this.drafts.push(draft);
    return this;
  }

  /** Steps already prepared by another plan (a drain's child), kept as they are apart from their id. */
  adoptSteps(steps: readonly TPlanStep[], group: string): this {
    for (const s of steps)
      this.drafts.push({
        slug: s.id.replace(/^\d+-/, ""),
        name: s.name,
        action: s.action,
        input: s.input,
        compensation: s.compensation,
        retry: s.retry,
        timeoutMs: s.timeoutMs,
        group,
      });
    return this;
  }

  place(cluster: TClusterSnapshot, dc: TDataCenterSnapshot, action: TPlannedPlacement["action"]): this {
    const exists = this.placements.some(
      (p) => p.clusterId === cluster.id && p.dataCenterId === dc.id && p.action === action,
    );
    if (!exists)
      this.placements.push({
        clusterId: cluster.id,
        jurisdiction: dc.jurisdiction.toUpperCase(),
        dataCenterId: dc.id,
        dataCenterCode: dc.code,
        action,
      });
    return this;
  }

  warn(message: string): this {
    if (this.warned.has(message)) return this;
    this.warned.add(message);
    this.warnings.push(message);
    return this;
  }

  finish(kind: TChangeKind): TPlannedChange {
    const width = this.drafts.length > 99 ? (this.drafts.length > 999 ? 4 : 3) : 2;
    const steps: TPlanStep[] = this.drafts.map((d, i) => {
      const spec = PLAN_ACTIONS[d.action];
      const step: TPlanStep = {
        id: `${String(i + 1).padStart(width, "0")}-${slugify(d.slug)}`,
        name: d.name,
        action: d.action,
        input: d.input,
        compensation: d.compensation,
        retry: d.retry ?? { ...spec.retry },
        timeoutMs: d.timeoutMs ?? spec.timeoutMs,
      };
      if (d.group !== undefined) step.group = d.group;
      return step;
    });
    const plan: TPlan = { kind, version: PLAN_VERSION, steps };
    return {
      kind,
      plan,
      planHash: planHash(plan),
      blastRadius: this.blast.build(),
      placements: [...this.placements].sort(
        (a, b) => a.clusterId.localeCompare(b.clusterId) || a.dataCenterCode.localeCompare(b.dataCenterCode) || a.action.localeCompare(b.action),
      ),
      after: this.after,
      warnings: [...this.warnings],
      children: [...this.children],
    };
  }
}
