import { createRestHandler } from "@meridian/api/rest";
import { getPrisma } from "@meridian/db";

/**
 * The team API (`/api/v1`): API tokens (Bearer), OpenAPI at /api/v1/openapi.json. The proxy's
 * cross-site check lets Bearer requests without cookies through; this handler never reads a
 * session cookie.
 */
const handler = createRestHandler({ prisma: () => getPrisma() });

export const dynamic = "force-dynamic";
export { handler as GET, handler as POST, handler as PATCH, handler as PUT, handler as DELETE };
