import { unwrap } from "../client";
import { readChangeFile } from "../change-file";
import { bar, duration, table } from "../format";
import { type components } from "../generated/api";
import { CliError, EXIT } from "../io";
import { type TCommandContext } from "./context";

type TDetail = components["schemas"]["ChangeRequest"];
type TPlan = components["schemas"]["ChangePlan"];
type TExecution = components["schemas"]["ExecutionProgress"];

/** Request statuses where waiting ends, and the exit code of each. */
export const TERMINAL_EXIT: Record<string, number> = {
  SUCCEEDED: EXIT.OK,
  FAILED: EXIT.CHANGE_FAILED,
  ROLLED_BACK: EXIT.CHANGE_FAILED,
  REJECTED: EXIT.CHANGE_FAILED,
  CANCELLED: EXIT.CHANGE_FAILED,
  BLOCKED: EXIT.CHANGE_FAILED,
};

function residencyLines(r: TDetail["residency"] | TPlan["residency"]): string {
  const lines = [`Residency: ${r.verdict ?? "-"}${r.rule ? ` (rule: ${r.rule})` : ""}${r.needsCompliance ? ", needs a compliance approval" : ""}`];
  for (const c of r.perCluster) lines.push(`  ${c.clusterName}: ${c.verdict}${c.rule ? ` (${c.rule})` : ""}: ${c.summary}`);
  return lines.join("\n");
}

function planText(p: TPlan): string {
  const lines = [
    `${p.title}`,
    `Kind: ${p.kind}${p.cluster ? ` on ${p.cluster.name}` : ""}`,
    `Risk: ${p.risk.level} (score ${p.risk.score})${p.risk.reasons.length ? `: ${p.risk.reasons.join("; ")}` : ""}`,
    residencyLines(p.residency),
    `Blast radius: clusters ${p.blastRadius.clusters.join(", ") || "-"}; instances ${p.blastRadius.instances.join(", ") || "-"}; data centers ${p.blastRadius.dataCenters.join(", ") || "-"}; jurisdictions ${p.blastRadius.jurisdictions.join(", ") || "-"}; expected downtime ${p.blastRadius.expectedDowntimeSeconds}s`,
    `Schedule: ${p.schedule.note}${p.schedule.freezeNow ? ` (freeze now: ${p.schedule.freezeNow})` : ""}`,
    `Plan ${p.plan.hash.slice(0, 12)} (${p.plan.steps.length} steps):`,
    ...p.plan.steps.map((s) => `  ${String(s.index + 1).padStart(2)}. ${s.name}`),
    ...p.warnings.map((w) => `Warning: ${w}`),
  ];
  return lines.join("\n");
}

function detailText(d: TDetail): string {
  const by = d.filedByToken ? `${d.requester.name} via token ${d.filedByToken.name} (mrd_${d.filedByToken.prefix}_…)` : d.requester.name;
  const lines = [
    `CR-${d.number} ${d.title}`,
    `Status: ${d.status} (version ${d.version})`,
    `Kind: ${d.kind}${d.cluster ? ` on ${d.cluster.name}` : ""}`,
    `Requester: ${by}`,
    `Reason: ${d.reason || "-"}`,
    `Risk: ${d.risk.level ?? "-"}${d.risk.reasons.length ? `: ${d.risk.reasons.join("; ")}` : ""}`,
    residencyLines(d.residency),
    `Approval: ${d.approval.policy ?? "-"}${d.approval.stages.map((s) => `\n  ${s.name}: ${s.approvals}/${s.quorum}${s.satisfied ? " ✓" : ""}`).join("")}`,
    ...(d.approval.waitingFor.length ? [`Waiting for: ${d.approval.waitingFor.join(", ")}`] : []),
    `Plan ${d.plan.hash?.slice(0, 12) ?? "-"} (${d.plan.steps.length} steps):`,
    ...d.plan.steps.map((s) => `  ${String(s.index + 1).padStart(2)}. ${s.name}`),
  ];
  return lines.join("\n");
}

export async function changesList(ctx: TCommandContext, options: { status?: string; cluster?: string; limit: number; json?: boolean }): Promise<number> {
  const items: components["schemas"]["ChangeRequestSummary"][] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(
      ctx.connection.url,
      ctx.api.GET("/changes", {
        params: { query: { cursor, limit: Math.min(200, options.limit), status: options.status as never, cluster: options.cluster } },
      }),
    );
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < options.limit);
  const shown = items.slice(0, options.limit);
  if (options.json) {
    ctx.json(shown);
    return EXIT.OK;
  }
  ctx.print(
    table(
      ["CR", "STATUS", "KIND", "CLUSTER", "RISK", "RESIDENCY", "REQUESTER", "TITLE"],
      shown.map((c) => [`CR-${c.number}`, c.status, c.kind, c.cluster?.name, c.riskLevel, c.residencyVerdict, c.filedByToken ? `${c.requester.name} (token ${c.filedByToken.name})` : c.requester.name, c.title]),
    ),
  );
  return EXIT.OK;
}

export async function changesShow(ctx: TCommandContext, number: number, options: { json?: boolean }): Promise<number> {
  const d = await unwrap(ctx.connection.url, ctx.api.GET("/changes/{number}", { params: { path: { number } } }));
  if (options.json) ctx.json(d);
  else ctx.print(detailText(d));
  return EXIT.OK;
}

/** Dry run: nothing is filed. Exit 1 when residency blocks the change (the rule is printed). */
export async function changesPlan(ctx: TCommandContext, file: string, options: { json?: boolean }): Promise<number> {
  const { body } = readChangeFile(file);
  const plan = await unwrap(ctx.connection.url, ctx.api.POST("/changes/plan", { body }));
  if (options.json) ctx.json(plan);
  else ctx.print(planText(plan));
  if (plan.blocked) {
    ctx.io.stderr(`Blocked by residency: ${plan.residency.rule ?? "the cluster's residency policy"}\n`);
    return EXIT.CHANGE_FAILED;
  }
  return EXIT.OK;
}

/** Files and submits a change file; the same file applied twice files one request. */
export async function changesApply(ctx: TCommandContext, file: string, options: { json?: boolean; submit: boolean; key?: string }): Promise<number> {
  const { body, key: fileKey } = readChangeFile(file);
  const key = options.key ?? fileKey;
  const u = ctx.connection.url;
  let request = await unwrap(u, ctx.api.POST("/changes", { body, params: { header: { "Idempotency-Key": key } } }));
  if (request.status === "BLOCKED") {
    if (options.json) ctx.json(request);
    else ctx.print(`CR-${request.number} ${request.title}: BLOCKED`);
    ctx.io.stderr(`Blocked by residency: ${request.residency.rule ?? "the cluster's residency policy"}\n`);
    return EXIT.CHANGE_FAILED;
  }
  if (options.submit && request.status === "DRAFT") {
    request = await unwrap(
      u,
      ctx.api.POST("/changes/{number}/submit", {
        params: { path: { number: request.number }, header: { "Idempotency-Key": `${key}-submit` } },
        body: { expectedVersion: request.version },
      }),
    );
  } else if (options.submit) {
    // Applied before: show where the request is now.
    request = await unwrap(u, ctx.api.GET("/changes/{number}", { params: { path: { number: request.number } } }));
  }
  if (options.json) {
    ctx.json(request);
    return EXIT.OK;
  }
  ctx.print(`CR-${request.number} ${request.title}: ${request.status}`);
  if (request.approval.waitingFor.length) ctx.print(`Waiting for: ${request.approval.waitingFor.join(", ")}`);
  ctx.print(`Follow it: meridian changes wait ${request.number}`);
  return EXIT.OK;
}

export async function changesCancel(ctx: TCommandContext, number: number, options: { reason: string; json?: boolean }): Promise<number> {
  const u = ctx.connection.url;
  const current = await unwrap(u, ctx.api.GET("/changes/{number}", { params: { path: { number } } }));
  const done = await unwrap(
    u,
    ctx.api.POST("/changes/{number}/cancel", {
      params: { path: { number }, header: { "Idempotency-Key": `cancel-${number}-v${current.version}` } },
      body: { expectedVersion: current.version, reason: options.reason },
    }),
  );
  if (options.json) ctx.json(done);
  else ctx.print(`CR-${done.number} ${done.title}: ${done.status}`);
  return EXIT.OK;
}

function progressLine(number: number, view: TExecution, waitingFor: string[], startedMs: number, nowMs: number): string {
  const e = view.execution;
  if (!e) {
    const waiting = waitingFor.length ? `: waiting for ${waitingFor.join(", ")}` : "";
    return `CR-${number} ${view.request.status}${waiting} · ${duration(nowMs - startedMs)}`;
  }
  const since = e.startedAt ? Date.parse(view.serverNow) - Date.parse(e.startedAt) : nowMs - startedMs;
  const elapsed = e.finishedAt && e.startedAt ? Date.parse(e.finishedAt) - Date.parse(e.startedAt) : since;
  const step = e.steps.find((s) => s.status === "RUNNING") ?? e.steps[Math.max(0, e.progress.step - 1)];
  const direction = e.progress.direction === "rollback" ? " rolling back" : "";
  return `CR-${number} ${bar(e.progress.percent)} step ${e.progress.step} of ${e.progress.of}${direction} · ${e.status} · ${duration(elapsed)}${step ? ` · ${step.name}` : ""}`;
}

/**
 * Follows a request until it ends: exit 0 when it SUCCEEDED, 1 when it FAILED, was ROLLED_BACK,
 * REJECTED, CANCELLED or BLOCKED, 6 on --timeout.
 */
export async function changesWait(ctx: TCommandContext, number: number, options: { intervalMs: number; timeoutMs: number; json?: boolean }): Promise<number> {
  const u = ctx.connection.url;
  const sleep = ctx.io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = Date.now();
  let last = "";
  let width = 0;
  for (;;) {
    const view = await unwrap(u, ctx.api.GET("/changes/{number}/execution", { params: { path: { number } } }));
    const status = view.request.status;
    let waitingFor: string[] = [];
    if (!view.execution && status === "PENDING_APPROVAL")
      waitingFor = (await unwrap(u, ctx.api.GET("/changes/{number}", { params: { path: { number } } }))).approval.waitingFor;
    const line = progressLine(number, view, waitingFor, started, Date.now());
    if (!options.json) {
      if (ctx.io.isTTY) {
        ctx.io.stdout(`\r${line.padEnd(width)}`);
        width = line.length;
      } else if (line.replace(/ · \d+:\d+(:\d+)?/, "") !== last.replace(/ · \d+:\d+(:\d+)?/, "")) {
        ctx.io.stdout(`${line}\n`);
      }
      last = line;
    }
    const exit = TERMINAL_EXIT[status];
    if (exit !== undefined) {
      if (options.json) ctx.json(view);
      else {
        if (ctx.io.isTTY) ctx.io.stdout("\n");
        const error = view.execution?.error;
        ctx.print(`CR-${number} ${status}${error ? `: ${error}` : ""}`);
      }
      return exit;
    }
    if (options.timeoutMs > 0 && Date.now() - started > options.timeoutMs) {
      if (ctx.io.isTTY && !options.json) ctx.io.stdout("\n");
      throw new CliError(`Timed out after ${duration(Date.now() - started)}: CR-${number} is ${status}`, EXIT.TIMEOUT);
    }
    await sleep(options.intervalMs);
  }
}
