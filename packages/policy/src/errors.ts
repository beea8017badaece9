/**
 * Typed errors thrown by the rules of this package. The service layer maps `code` to its own
 * application error (INVALID -> 400 with `fieldErrors`, CONFLICT -> 409, ...); nothing here
 * speaks HTTP.
 */
export const POLICY_ERROR_CODES = ["INVALID", "ILLEGAL_TRANSITION", "FORBIDDEN", "CONFLICT"] as const;
export type TPolicyErrorCode = (typeof POLICY_ERROR_CODES)[number];

export class PolicyError extends Error {
  constructor(
    public readonly code: TPolicyErrorCode,
    message: string,
    /** Field-level messages keyed by the input field's path ("params.dataCenterId"). */
    public readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "PolicyError";
  }
}
