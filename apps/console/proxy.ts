import { NextResponse, type NextRequest } from "next/server";

/**
 * Passes the requested path and query to server components (layouts cannot read them), so
 * the sign-in redirect can come back to the exact view, filters included. No auth decision is
 * made here: pages check the session themselves.
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-meridian-url", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
