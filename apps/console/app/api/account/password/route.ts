import { z } from "zod";
import { AppError, changeOwnPassword, ZChangeOwnPasswordRequestSchema } from "@meridian/api";
import { getPrisma } from "@meridian/db";
import { getCurrentUser } from "@/server/session";

const STATUS: Record<AppError["code"], number> = { INVALID: 400, NOT_FOUND: 404, CONFLICT: 409, FORBIDDEN: 403, PRECONDITION_FAILED: 412 };

/**
 * POST { currentPassword, newPassword }: the signed-in user's own password. The one thing a
 * user with a one-time password may do (every tRPC procedure refuses them until then).
 * Cross-site posts never get here (proxy.ts).
 */
export async function POST(req: Request): Promise<Response> {
  const user = await getCurrentUser();
  if (!user) return Response.json({ message: "Sign in first" }, { status: 401 });
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    return Response.json({ message: "The request body must be JSON", fieldErrors: { "(input)": ["Not JSON"] } }, { status: 400 });
  }
  const parsed = ZChangeOwnPasswordRequestSchema.safeParse(body);
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors;
    return Response.json({ message: "Invalid input", fieldErrors }, { status: 400 });
  }
  try {
    await changeOwnPassword(getPrisma(), user, parsed.data);
    return Response.json({ changed: true });
  } catch (error) {
    if (error instanceof AppError) {
      return Response.json({ message: error.message, fieldErrors: error.fieldErrors ?? null }, { status: STATUS[error.code] });
    }
    throw error;
  }
}
