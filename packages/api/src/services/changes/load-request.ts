import { AppError } from "../../errors";
import { type TDb } from "../audit/append-audit-event";

export async function findRequestByNumber(db: TDb, number: number) {
  const request = await db.changeRequest.findUnique({
    where: { number },
    include: { cluster: { select: { id: true, name: true, teamId: true } } },
  });
  if (!request) throw new AppError("NOT_FOUND", `No change request CR-${number}`);
  return request;
}

export type TLoadedRequest = Awaited<ReturnType<typeof findRequestByNumber>>;

export function assertVersion(request: { number: number; version: number }, expected: number): void {
  if (request.version !== expected)
    throw new AppError(
      "CONFLICT",
      `CR-${request.number} changed since you loaded it (version ${request.version}, you saw ${expected}). Reload and try again.`,
    );
}
