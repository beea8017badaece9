/**
 * A change that cannot be planned. The codes match the service's application error codes
 * (INVALID -> 400, NOT_FOUND -> 404, CONFLICT -> 409, PRECONDITION_FAILED -> 412), and
 * `field` names the form field the message belongs to, so the form can show it in place.
 */
export type TPlanningErrorCode = "INVALID" | "NOT_FOUND" | "CONFLICT" | "PRECONDITION_FAILED";

export class PlanningError extends Error {
  public readonly fieldErrors: Record<string, string[]>;

  constructor(
    public readonly code: TPlanningErrorCode,
    message: string,
    field?: string,
    fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "PlanningError";
    this.fieldErrors = fieldErrors ?? (field ? { [field]: [message] } : {});
  }
}
