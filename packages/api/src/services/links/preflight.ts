import { preflightLink, type TPreflightProblem } from "@meridian/fleet";
import { type TPlan } from "@meridian/orchestrator";
import { AppError } from "../../errors";
import { type TDb } from "../audit/append-audit-event";
import { postgresAccess, sqlOf } from "./access";

/**
 * Before a change request that builds a link between real servers can be approved, the
 * planning service runs the plan's preflight steps now (both servers answer with their stored
 * credentials, wal_level=logical, privileges, primary keys, no conflicting table on the target)
 * and refuses the request with one readable sentence per problem, on the form field it is
 * about. Nothing is changed on either server. Plans without such a step cost nothing.
 */
export async function preflightPlannedLinks(db: TDb, plan: TPlan): Promise<void> {
  const steps = plan.steps.filter((s) => s.action === "preflightLink");
  if (steps.length === 0) return;
  const access = postgresAccess();
  const problems: TPreflightProblem[] = [];
  for (const step of steps) {
    const input = step.input as { linkId: string; sourceInstanceId: string; targetInstanceId: string; tables?: string[] };
    const result = await preflightLink(sqlOf(db), access, {
      linkId: input.linkId,
      sourceInstanceId: input.sourceInstanceId,
      targetInstanceId: input.targetInstanceId,
      tables: input.tables ?? null,
    });
    problems.push(...result.problems);
  }
  if (problems.length === 0) return;
  const fieldErrors: Record<string, string[]> = {};
  for (const p of problems) {
    const field = p.code === "NO_TABLES" ? "params.tables" : p.side === "source" ? "params.sourceInstanceId" : "params.targetInstanceId";
    (fieldErrors[field] ??= []).push(p.message);
  }
  throw new AppError(
    "INVALID",
    `The servers are not ready for this link: ${problems.map((p) => p.message).join("; ")}`,
    fieldErrors,
  );
}
