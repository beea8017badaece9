import {
  ActionError,
  sleep,
  type TActionContext,
  type TDriverAction,
  type TJsonObject,
  type TStepDriver,
} from "../driver";
import { SIMULATED_ACTIONS, type TSimulatedAction } from "./actions";
import { assertFleetSchema, recordSideEffect } from "../ledger";
import { applyFaults, parseFaults, type TFault, type TFaultInput } from "./faults";

/**
 * Realistic durations of the simulated operations (milliseconds at `durationScale` 1): what a
 * demo shows. Tests use `durationScale: 0`.
 */
export const SIMULATED_DURATIONS_MS: Record<string, number> = {
  checkCapacity: 300,
  checkInstance: 300,
  checkReplicaReady: 500,
  checkLink: 300,
  waitForCatchUp: 4_000,
  verifySchema: 800,
  preflightLink: 500,
  verifyLink: 1_500,
  verifyDataCenterEmpty: 300,
  provisionInstance: 6_000,
  deprovisionInstance: 3_000,
  registerInstance: 500,
  unregisterInstance: 500,
  createLink: 2_000,
  dropLink: 1_000,
  repointLink: 1_500,
  fenceWrites: 700,
  unfenceWrites: 700,
  promoteReplica: 2_500,
  demoteToReplica: 2_500,
  detachInstance: 800,
  attachInstance: 800,
  applySchemaChange: 3_000,
  setDataCenterStatus: 400,
  manualIntervention: 0,
};

export interface TSimulatedDriverOptions {
  /** Multiplies every duration: 1 realistic, 0 instant (tests, benchmarks). Default 1. */
  durationScale?: number;
  /** Per-action durations in ms (before scaling), overriding SIMULATED_DURATIONS_MS. */
  durationsMs?: Partial<Record<string, number>>;
  /** Faults to inject (see faults.ts). */
  faults?: TFaultInput[];
}

export interface TSimulatedDriver extends TStepDriver {
  /** Replaces the injected faults (tests, demos). */
  setFaults: (faults: TFaultInput[]) => void;
  readonly faults: readonly TFault[];
}

/**
 * The simulated driver: carries out plan actions on the simulated fleet, i.e. on the rows of
 * the metadata database, inside the step's transaction. Order of one attempt: injected
 * "start" faults, the action's duration, the state check (already done: success without
 * acting), the change, its ledger row (keyed by the step's side-effect id; a second
 * application fails on the UNIQUE constraint), then injected "end" faults (which roll back
 * everything the attempt did, as a failed attempt must leave nothing behind).
 */
export function createSimulatedDriver(options: TSimulatedDriverOptions = {}): TSimulatedDriver {
  const scale = options.durationScale ?? 1;
  const durations = { ...SIMULATED_DURATIONS_MS, ...options.durationsMs };
  let faults: TFault[] = parseFaults(options.faults ?? []);

  const wrap = (name: string, spec: TSimulatedAction<unknown>): TDriverAction => ({
    run: async (ctx: TActionContext, rawInput: TJsonObject) => {
      await applyFaults(faults, ctx, name, "start");
      await sleep(Math.round((durations[name] ?? 0) * scale), ctx.signal);
      const parsed = spec.input.safeParse(rawInput);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ActionError(`Invalid input for ${name}: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "?"}`, {
          retryable: false,
        });
      }
      const input = parsed.data;
      const already = spec.check ? await spec.check(ctx, input) : null;
      let output: TJsonObject;
      if (already) {
        ctx.log(`${name}: ${String(already.result ?? "already done")}`);
        output = already;
      } else {
        output = await spec.apply(ctx, input);
        if (spec.mutates) await recordSideEffect(ctx, name, spec.target(input), output);
        ctx.log(`${name}: ${String(output.result ?? "done")}`);
      }
      await applyFaults(faults, ctx, name, "end");
      return output;
    },
  });

  const actions: Record<string, TDriverAction> = {};
  for (const [name, spec] of Object.entries(SIMULATED_ACTIONS)) actions[name] = wrap(name, spec);

  return {
    name: "simulated",
    actions,
    prepare: (sql) => assertFleetSchema(sql),
    get faults() {
      return faults;
    },
    setFaults: (next) => {
      faults = parseFaults(next);
    },
  };
}
