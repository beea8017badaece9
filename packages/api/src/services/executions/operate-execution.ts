import { type PrismaClient } from "@meridian/db";
import {
  cancelExecution,
  pauseExecution,
  resumeExecution,
  retryFailedStep,
  type TActor as TEngineActor,
  type TExecutionStatus,
  type TOperatorResult,
  type TQueryable,
} from "@meridian/orchestrator/engine";
import { AppError } from "../../errors";
import { appendAuditEvent, type TDb } from "../audit/append-audit-event";
import { type TActor } from "../changes/actor";
import { findRequestByNumber } from "../changes/load-request";
import { engineDb } from "./engine-db";
import { fromEngineError } from "./errors";

export type TExecutionOperation = "pause" | "resume" | "cancel" | "retryStep";

export interface TOperateExecutionInput {
  number: number;
  /** The execution the caller saw; omitted: the request's latest execution. */
  executionId?: string | undefined;
  /** cancel: why (in the step log and the audit event). */
  reason?: string | undefined;
  /** retryStep: 0-based index of the failed step; omitted: the failed one. */
  stepIndex?: number | undefined;
}

export interface TOperateExecutionResult {
  executionId: string;
  number: number;
  from: TExecutionStatus;
  to: TExecutionStatus;
  stepIndex?: number;
}

const VERB: Record<TExecutionOperation, string> = {
  pause: "pause",
  resume: "resume",
  cancel: "cancel",
  retryStep: "retry a step of",
};

async function targetExecution(db: TDb, requestId: string, number: number, op: TExecutionOperation, executionId?: string): Promise<string> {
  const rows = executionId
    ? await db.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id::text AS id FROM execution WHERE id = $1::uuid AND request_id = $2::uuid`, executionId, requestId)
    : await db.$queryRawUnsafe<Array<{ id: string }>>(
        `SELECT id::text AS id FROM execution WHERE request_id = $1::uuid ORDER BY attempt DESC LIMIT 1`,
        requestId,
      );
  const row = rows[0];
  if (!row)
    throw new AppError(
      "NOT_FOUND",
      executionId ? `CR-${number} has no execution ${executionId}` : `CR-${number} has not started: there is no execution to ${VERB[op]}`,
    );
  return row.id;
}

function run(op: TExecutionOperation, sql: TQueryable, executionId: string, actor: TEngineActor, input: TOperateExecutionInput) {
  switch (op) {
    case "pause":
      return pauseExecution(sql, executionId, actor);
    case "resume":
      return resumeExecution(sql, executionId, actor);
    case "cancel":
      return cancelExecution(sql, executionId, actor, input.reason ?? "");
    case "retryStep":
      return retryFailedStep(sql, executionId, actor, input.stepIndex);
  }
}

/**
 * An operator action on the execution of CR-n. The engine's conditional update, its step-log
 * line, its NOTIFY and the audit event (`execution.pause`, ... with the status before and
 * after) commit in one transaction; a state that does not allow the action is refused with a
 * readable 409 and nothing is written.
 */
export async function operateExecution(
  prisma: PrismaClient,
  actor: TActor,
  op: TExecutionOperation,
  input: TOperateExecutionInput,
): Promise<TOperateExecutionResult> {
  const request = await findRequestByNumber(prisma, input.number);
  try {
    return await prisma.$transaction(async (tx) => {
      const executionId = await targetExecution(tx, request.id, request.number, op, input.executionId);
      const result: TOperatorResult & { stepIndex?: number } = await run(op, engineDb(tx), executionId, { label: actor.email, userId: actor.id }, input);
      await appendAuditEvent(tx, {
        actor: { id: actor.id, email: actor.email },
        action: `execution.${op}`,
        targetType: "execution",
        targetId: executionId,
        before: { status: result.from },
        after: {
          status: result.to,
          requestId: request.id,
          number: request.number,
          ...(op === "cancel" ? { reason: input.reason ?? "" } : {}),
          ...(result.stepIndex !== undefined ? { stepIndex: result.stepIndex } : {}),
        },
      });
      return {
        executionId,
        number: request.number,
        from: result.from,
        to: result.to,
        ...(result.stepIndex !== undefined ? { stepIndex: result.stepIndex } : {}),
      };
    });
  } catch (error) {
    const mapped = fromEngineError(error);
    if (mapped instanceof AppError && mapped !== error) throw new AppError(mapped.code, `CR-${request.number}: ${mapped.message}`);
    throw mapped;
  }
}
