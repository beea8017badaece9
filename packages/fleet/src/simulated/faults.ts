import { z } from "zod";
import { ActionError, abortReason, sleep, type TActionContext } from "../driver";

/**
 * Faults the simulated driver can inject, for demos and tests. A fault matches a step by any
 * of execution, step index, step id and action (all optional: an empty match is every step),
 * and a phase ("run" by default).
 *
 * - fail: the attempt fails. `times`: only attempts 1..times fail (so "fail step 3 twice" is
 *   `{ kind: "fail", stepIndex: 3, times: 2 }`); omitted, every attempt fails. The attempt
 *   number comes from the engine and survives worker restarts. `at: "end"` (default) fails
 *   after the action has applied its change inside the step's transaction (which must then
 *   leave nothing behind); `at: "start"` fails before anything is done.
 * - hang: the attempt never finishes (until the engine gives up on it: timeout, lease lost).
 * - slow: the attempt takes `ms` longer.
 */
export const FAULT_KINDS = ["fail", "hang", "slow"] as const;

export const ZFaultSchema = z.object({
  kind: z.enum(FAULT_KINDS),
  executionId: z.string().optional(),
  stepIndex: z.number().int().min(0).optional(),
  stepId: z.string().optional(),
  action: z.string().optional(),
  phase: z.enum(["run", "compensate"]).default("run"),
  times: z.number().int().min(1).optional(),
  ms: z.number().int().min(0).default(1_000),
  at: z.enum(["start", "end"]).default("end"),
  message: z.string().optional(),
  retryable: z.boolean().default(true),
});

export type TFault = z.output<typeof ZFaultSchema>;
export type TFaultInput = z.input<typeof ZFaultSchema>;

export function parseFaults(input: unknown): TFault[] {
  return z.array(ZFaultSchema).parse(input);
}

function matches(fault: TFault, ctx: TActionContext, action: string): boolean {
  if (fault.phase !== ctx.phase) return false;
  if (fault.executionId !== undefined && fault.executionId !== ctx.executionId) return false;
  if (fault.stepIndex !== undefined && fault.stepIndex !== ctx.stepIndex) return false;
  if (fault.stepId !== undefined && fault.stepId !== ctx.stepId) return false;
  if (fault.action !== undefined && fault.action !== action) return false;
  if (fault.kind === "fail" && fault.times !== undefined && ctx.attempt > fault.times) return false;
  return true;
}

/** Applies the faults of one point ("start" or "end") of an attempt. */
export async function applyFaults(
  faults: readonly TFault[],
  ctx: TActionContext,
  action: string,
  at: "start" | "end",
): Promise<void> {
  for (const fault of faults) {
    if (!matches(fault, ctx, action)) continue;
    if (fault.kind === "slow" && at === "start") {
      ctx.log(`simulated fault: slow by ${fault.ms} ms`);
      await sleep(fault.ms, ctx.signal);
    } else if (fault.kind === "hang" && at === "start") {
      ctx.log("simulated fault: hanging");
      await new Promise<never>((_, reject) => {
        if (ctx.signal.aborted) reject(abortReason(ctx.signal));
        ctx.signal.addEventListener("abort", () => reject(abortReason(ctx.signal)), { once: true });
      });
    } else if (fault.kind === "fail" && fault.at === at) {
      throw new ActionError(fault.message ?? `Simulated failure of ${action} (attempt ${ctx.attempt})`, {
        retryable: fault.retryable,
      });
    }
  }
}
