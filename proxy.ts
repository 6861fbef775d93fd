import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";

// The optimistic check: no session cookie, no page. The real check (a valid session with the
// right role) is in every page, route handler and server action.
export function proxy(request: NextRequest) {
  if (getSessionCookie(request, { cookiePrefix: "bulkhead" })) return NextResponse.next();
  if (request.nextUrl.pathname.startsWith("/api/")) {
    return NextResponse.json({ error: { code: "unauthenticated", message: "Sign in to use Bulkhead." } }, { status: 401 });
  }
  const signIn = new URL("/sign-in", request.url);
  signIn.searchParams.set("next", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Everything but sign-in, the auth API, Next's assets and static files.
  matcher: ["/((?!sign-in|api/auth|_next/static|_next/image|favicon.ico|icon.svg|robots.txt|forbidden).*)"],
};
