import {
  ZChangeParamsSchema,
  fieldErrorsOf,
  type TChangeKind,
  type TChangeParams,
  type TChangeParamsOf,
} from "@meridian/policy";
import { PlanningError } from "../planning-error";
import { type TPlannedChange, type TPlanningContext } from "../session";
import { type TFleetSnapshot } from "../snapshot";
import { planAddLink } from "./add-link";
import { planAddReplica } from "./add-replica";
import { DEFAULT_CONTEXT } from "./common";
import { planDrainDataCenter } from "./drain-data-center";
import { planFailover } from "./failover";
import { planMovePrimaryRegion } from "./move-primary-region";
import { planRemoveLink } from "./remove-link";
import { planRemoveReplica } from "./remove-replica";
import { planSchemaChange } from "./schema-change";
import { planSwitchover } from "./switchover";

type TPlanner<K extends TChangeKind> = (
  params: TChangeParamsOf<K>,
  snapshot: TFleetSnapshot,
  context?: TPlanningContext,
) => TPlannedChange;

/** One pure planner per kind. */
export const PLANNERS: { [K in TChangeKind]: TPlanner<K> } = {
  ADD_REPLICA: planAddReplica,
  REMOVE_REPLICA: planRemoveReplica,
  ADD_LINK: planAddLink,
  REMOVE_LINK: planRemoveLink,
  SWITCHOVER: planSwitchover,
  FAILOVER: planFailover,
  MOVE_PRIMARY_REGION: planMovePrimaryRegion,
  SCHEMA_CHANGE: planSchemaChange,
  DRAIN_DATACENTER: planDrainDataCenter,
};

/** Validate parameters (zod) or throw PlanningError("INVALID") with field messages. */
export function parsePlanningParams(params: unknown): TChangeParams {
  const result = ZChangeParamsSchema.safeParse(params);
  if (result.success) return result.data;
  const fieldErrors = fieldErrorsOf(result.error);
  const first = result.error.issues[0];
  throw new PlanningError("INVALID", first?.message ?? "Invalid change parameters", undefined, fieldErrors);
}

/**
 * Plan a change: parse the parameters, then run the kind's planner against the snapshot.
 * Pure and deterministic: the same parameters, snapshot and request id give the same plan
 * and hash. Throws PlanningError with a readable message (and the form field) when the
 * change cannot be planned.
 */
export function planChange(
  params: unknown,
  snapshot: TFleetSnapshot,
  context: TPlanningContext = DEFAULT_CONTEXT,
): TPlannedChange {
  const parsed = parsePlanningParams(params);
  const planner = PLANNERS[parsed.kind] as TPlanner<typeof parsed.kind>;
  return (planner as (p: TChangeParams, s: TFleetSnapshot, c: TPlanningContext) => TPlannedChange)(parsed, snapshot, context);
}

export {
  planAddLink,
  planAddReplica,
  planDrainDataCenter,
  planFailover,
  planMovePrimaryRegion,
  planRemoveLink,
  planRemoveReplica,
  planSchemaChange,
  planSwitchover,
};
export { failoverCandidates, FAILOVER_DOWNTIME_SECONDS } from "./failover";
export { SWITCHOVER_BASE_DOWNTIME_SECONDS } from "./switchover";
export { DRAIN_MAX_LAG_SECONDS, pickDestination } from "./drain-data-center";
