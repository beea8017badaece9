import { PlanningError } from "@meridian/orchestrator";
import { PolicyError } from "@meridian/policy";
import { AppError, type TAppErrorCode } from "../../errors";

/** Prefix the field names of the change parameters ("clusterId" -> "params.clusterId"), as the form names them. */
export function paramsFieldErrors(fieldErrors: Record<string, string[]> | undefined): Record<string, string[]> | undefined {
  if (!fieldErrors) return undefined;
  const out: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(fieldErrors)) out[key ? `params.${key}` : "params"] = messages;
  return out;
}

const POLICY_TO_APP: Record<PolicyError["code"], TAppErrorCode> = {
  INVALID: "INVALID",
  ILLEGAL_TRANSITION: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  CONFLICT: "CONFLICT",
};

/**
 * Maps the typed errors of the pure layers to application errors: a PlanningError or a
 * PolicyError about the parameters becomes a 400 with the form's field names; an illegal
 * status move a 409. Anything else is rethrown as is.
 */
export function toAppError(error: unknown, options: { paramsFields?: boolean } = {}): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof PlanningError)
    return new AppError(error.code, error.message, paramsFieldErrors(error.fieldErrors));
  if (error instanceof PolicyError)
    return new AppError(
      POLICY_TO_APP[error.code],
      error.message,
      options.paramsFields ? paramsFieldErrors(error.fieldErrors) : error.fieldErrors,
    );
  return error;
}

export async function mapErrors<T>(fn: () => Promise<T>, options?: { paramsFields?: boolean }): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toAppError(error, options);
  }
}

/** The PostgreSQL error behind a Prisma error (driver adapter), if any: SQLSTATE and message. */
export function pgErrorOf(error: unknown): { code: string | null; message: string; constraint: string | null } | null {
  if (!(error instanceof Error)) return null;
  const seen = new Set<unknown>();
  let code: string | null = null;
  let constraint: string | null = null;
  const visit = (value: unknown, depth: number) => {
    if (!value || typeof value !== "object" || seen.has(value) || depth > 6) return;
    seen.add(value);
    const v = value as Record<string, unknown>;
    if (!code && typeof v.originalCode === "string") code = v.originalCode;
    if (!code && typeof v.code === "string" && /^[0-9A-Z]{5}$/.test(v.code)) code = v.code;
    if (!constraint && typeof v.constraint === "string") constraint = v.constraint;
    for (const key of ["cause", "meta", "driverAdapterError", "error"]) visit(v[key], depth + 1);
  };
  visit(error, 0);
  return { code, message: error.message, constraint };
}

export function isUniqueViolation(error: unknown): boolean {
  const pg = pgErrorOf(error);
  if (!pg) return false;
  return pg.code === "23505" || (error as { code?: string }).code === "P2002" || /unique constraint/i.test(pg.message);
}

export function isSeparationOfDutiesViolation(error: unknown): boolean {
  const pg = pgErrorOf(error);
  return Boolean(pg && /separation of duties/i.test(pg.message));
}
