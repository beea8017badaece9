import { type Prisma } from "@meridian/db";
import { assertTransition, CHANGE_STATUS_LABELS, type TChangeStatus } from "@meridian/policy";
import { AppError } from "../../errors";
import { type TDb } from "../audit/append-audit-event";
import { toAppError } from "./errors";

export class VersionMovedError extends AppError {
  constructor(number: number) {
    super("CONFLICT", `CR-${number} changed while you were looking at it (someone else acted). Reload and try again.`);
  }
}

/**
 * Moves a request from `from` to `to` as a conditional update: the row changes only if it is
 * still in `from` at `version` (no check-then-act), and the move must be in the one table of
 * legal moves. Returns the new version.
 */
export async function transitionRequest(
  db: TDb,
  request: { id: string; number: number },
  move: { from: TChangeStatus; to: TChangeStatus; version: number },
  data: Omit<Prisma.ChangeRequestUpdateManyMutationInput, "status" | "version"> = {},
): Promise<number> {
  try {
    assertTransition(move.from, move.to);
  } catch (error) {
    throw toAppError(error);
  }
  const result = await db.changeRequest.updateMany({
    where: { id: request.id, status: move.from, version: move.version },
    data: { ...data, status: move.to, version: { increment: 1 } },
  });
  if (result.count !== 1) throw new VersionMovedError(request.number);
  return move.version + 1;
}

/** A conditional update that keeps the status (an edit): same guard, version bumped. */
export async function updateRequestGuarded(
  db: TDb,
  request: { id: string; number: number },
  guard: { status: TChangeStatus; version: number },
  data: Omit<Prisma.ChangeRequestUpdateManyMutationInput, "version">,
): Promise<number> {
  const result = await db.changeRequest.updateMany({
    where: { id: request.id, status: guard.status, version: guard.version },
    data: { ...data, version: { increment: 1 } },
  });
  if (result.count !== 1) throw new VersionMovedError(request.number);
  return guard.version + 1;
}

export function statusLabel(status: TChangeStatus): string {
  return CHANGE_STATUS_LABELS[status].toLowerCase();
}
