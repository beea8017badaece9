import NextAuth from "next-auth";
import { getAuthOptions } from "@/server/auth";

type TRouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built on the first request, not at import: the build has no secret.
function handler(req: Request, context: TRouteContext) {
  return NextAuth(getAuthOptions())(req, context);
}

export { handler as GET, handler as POST };
