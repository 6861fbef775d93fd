import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { buildContentSecurityPolicy, createNonce, strictTransportSecurity } from "@/lib/http/security-headers";

// Pages and routes that answer without a session: sign-in and its API, the 403 page, liveness and
// readiness (no data), and /metrics (its own bearer token, checked by the route; off when unset).
const PUBLIC_PATH = /^\/(sign-in|forbidden|healthz|readyz|metrics|api\/auth)(\/|$)/;

/**
 * Every response gets a Content-Security-Policy with a fresh nonce (Next.js reads it from the request
 * and puts it on its scripts) and, behind https, HSTS. Then the optimistic check: no session cookie,
 * no page. The real check (a valid session with the right role) is in every page, route handler
 * and server action.
 */
export function proxy(request: NextRequest) {
  const nonce = createNonce();
  const csp = buildContentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development" });
  const response = routeRequest(request, csp);
  response.headers.set("Content-Security-Policy", csp);
  const hsts = strictTransportSecurity(getEnv().BULKHEAD_PUBLIC_URL);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

function routeRequest(request: NextRequest, csp: string): NextResponse {
  const { pathname } = request.nextUrl;
  if (PUBLIC_PATH.test(pathname) || getSessionCookie(request, { cookiePrefix: "bulkhead" })) {
    const headers = new Headers(request.headers);
    headers.set("Content-Security-Policy", csp);
    return NextResponse.next({ request: { headers } });
  }
  if (pathname.startsWith("/api/")) {
    return NextResponse.json({ error: { code: "unauthenticated", message: "Sign in to use Bulkhead." } }, { status: 401 });
  }
  const signIn = new URL("/sign-in", request.url);
  signIn.searchParams.set("next", `${pathname}${request.nextUrl.search}`);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Everything but Next's build assets and static files (they run no code of ours and carry no data).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
