import { TRPCError } from "@trpc/server";

/**
 * Application errors thrown by services. One formatter (trpc.ts) maps them to tRPC codes and
 * so to HTTP statuses: services never speak HTTP.
 */
export const APP_ERROR_CODES = {
  NOT_FOUND: "NOT_FOUND",
  INVALID: "BAD_REQUEST",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
} as const;

export type TAppErrorCode = keyof typeof APP_ERROR_CODES;

export class AppError extends Error {
  constructor(
    public readonly code: TAppErrorCode,
    message: string,
    /** Field-level messages, keyed by the input field's path ("datacenterId"). */
    public readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: APP_ERROR_CODES[error.code], message: error.message, cause: error });
}
