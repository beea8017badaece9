import {
  isTerminalExecution,
  listRequestExecutions,
  progressOf,
  type TExecutionStatus,
  type TExecutionStepView,
  type TExecutionView,
  type TStepStatus,
} from "@meridian/orchestrator/engine";
import { can, type TChangeStatus, type TRole } from "@meridian/policy";
import { type TDb } from "../audit/append-audit-event";
import { findRequestByNumber } from "../changes/load-request";
import { engineDb } from "./engine-db";

export type { TExecutionStatus, TStepStatus };

/** One step as the execution view shows it (no raw driver output). */
export type TExecutionStepItem = Omit<TExecutionStepView, "output">;

/** What an operator may do now (the server checks again, conditionally, on every call). */
export interface TExecutionControls {
  canPause: boolean;
  canResume: boolean;
  canCancel: boolean;
  canRetry: boolean;
  /** 0-based index of the failed step a retry would run again. */
  retryStepIndex: number | null;
}

export interface TExecutionItem {
  id: string;
  attempt: number;
  status: TExecutionStatus;
  terminal: boolean;
  error: string | null;
  /** Why it is not moving now (a change freeze holds it, a retry's backoff), for people. */
  waitingFor: string | null;
  leaseOwner: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
  /** "Step n of m": n is 1-based (the step running now, or the last one reached). */
  progress: { step: number; of: number; done: number; total: number; percent: number; direction: "forward" | "rollback" };
  steps: TExecutionStepItem[];
  controls: TExecutionControls;
}

export interface TRequestExecutions {
  request: { id: string; number: number; status: TChangeStatus; kind: string; clusterName: string | null; clusterId: string | null };
  /** The caller holds `execution.operate` (DBA, ADMIN). */
  canOperate: boolean;
  /** The latest execution, or null when the request never ran (yet). */
  execution: TExecutionItem | null;
  /** Earlier attempts, latest first. */
  previous: Array<{ id: string; attempt: number; status: TExecutionStatus; error: string | null; finishedAt: Date | null }>;
  /** The database's clock when read: the console computes elapsed time against it. */
  serverNow: Date;
}

function controlsOf(view: TExecutionView, canOperate: boolean): TExecutionControls {
  const s = view.status;
  const failedForward = s === "PAUSED" ? view.steps.filter((x) => x.status === "FAILED").at(-1) : undefined;
  const failedUndo = s === "FAILED" ? view.steps.filter((x) => x.status === "COMPENSATION_FAILED").at(-1) : undefined;
  const retryable = failedForward ?? failedUndo;
  return {
    canPause: canOperate && (s === "QUEUED" || s === "RUNNING"),
    canResume: canOperate && s === "PAUSED",
    canCancel: canOperate && (s === "QUEUED" || s === "RUNNING" || s === "PAUSED"),
    canRetry: canOperate && Boolean(retryable),
    retryStepIndex: retryable?.index ?? null,
  };
}

export function toExecutionItem(view: TExecutionView, canOperate: boolean): TExecutionItem {
  const progress = progressOf(
    view.status,
    view.steps.map((s) => ({ index: s.index, status: s.status, compensable: s.compensationAction !== null })),
  );
  const total = view.steps.length;
  const step = total === 0 ? 0 : view.status === "SUCCEEDED" ? total : Math.min(total, Math.max(1, view.currentStep + 1));
  return {
    id: view.id,
    attempt: view.attempt,
    status: view.status,
    terminal: isTerminalExecution(view.status),
    error: view.error,
    waitingFor: view.waitingFor,
    leaseOwner: view.leaseOwner,
    createdAt: view.createdAt,
    startedAt: view.startedAt,
    finishedAt: view.finishedAt,
    updatedAt: view.updatedAt,
    progress: { step, of: total, ...progress },
    steps: view.steps.map(({ output: _output, ...rest }) => rest),
    controls: controlsOf(view, canOperate),
  };
}

/** The executions of CR-n for the request page (read: everyone who may read requests). */
export async function requestExecutions(db: TDb, roles: readonly TRole[], number: number): Promise<TRequestExecutions> {
  const request = await findRequestByNumber(db, number);
  const canOperate = can(roles, "execution.operate");
  const sql = engineDb(db);
  const [views, clock] = await Promise.all([
    listRequestExecutions(sql, request.id),
    sql.query<{ now: Date }>("SELECT now() AS now"),
  ]);
  const [latest, ...older] = views;
  return {
    request: {
      id: request.id,
      number: request.number,
      status: request.status as TChangeStatus,
      kind: request.kind,
      clusterName: request.cluster?.name ?? null,
      clusterId: request.cluster?.id ?? null,
    },
    canOperate,
    execution: latest ? toExecutionItem(latest, canOperate) : null,
    previous: older.map((v) => ({ id: v.id, attempt: v.attempt, status: v.status, error: v.error, finishedAt: v.finishedAt })),
    serverNow: clock.rows[0]?.now ?? new Date(),
  };
}
