import "server-only";
import { toNextJsHandler } from "better-auth/next-js";
import { NextResponse, type NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/error-response";
import { readRequestBytes } from "@/lib/api/request-body";
import { getDatabase } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { CLIENT_ADDRESS_HEADER, readClientAddress } from "@/lib/http/request-front";
import { assertCleanInput } from "@/lib/api/clean-input";
import { decodeUtf8 } from "@/lib/api/request-body";
import { AppError } from "@/lib/errors";
import { getAuth } from "./auth";
import { profileUpdateSchema } from "./local-users";
import { PASSWORD_CHECKING_PATHS, refundPasswordAttempt, reservePasswordAttempt } from "./password-attempts";

const AUTH_BASE_PATH = "/api/auth";

/**
 * Better Auth's catch-all route, with what it cannot do itself: it hears the client's address only
 * from our HTTP front (never from a header the client wrote), and password checks are limited per
 * address in our own code, counting failures only.
 */
export async function handleAuthRequest(request: NextRequest): Promise<Response> {
  try {
    const address = readClientAddress(request.headers);
    const path = request.nextUrl.pathname.slice(AUTH_BASE_PATH.length);
    const forwarded = await withTrustedHeaders(request, address, path);
    const handlers = toNextJsHandler(await getAuth());
    if (request.method === "POST" && PASSWORD_CHECKING_PATHS.includes(path)) {
      const { pool } = await getDatabase();
      const attempt = await reservePasswordAttempt(pool, address, getEnv().BULKHEAD_SIGNIN_RATE_LIMIT);
      if (!attempt.allowed) return tooManyAttempts(attempt.retryAfterSeconds);
      const response = await handlers.POST(forwarded);
      if (response.ok) await refundPasswordAttempt(pool, attempt);
      return response;
    }
    return request.method === "GET" ? await handlers.GET(forwarded) : await handlers.POST(forwarded);
  } catch (error) {
    return errorResponse(error, request.headers.get("x-request-id"));
  }
}

/**
 * The request Better Auth sees: the address header is ours or absent; a body is UTF-8 without NUL
 * or broken Unicode, and a profile edit passes the same checks as the admin API's.
 */
async function withTrustedHeaders(request: NextRequest, address: string | null, path: string): Promise<Request> {
  const headers = new Headers(request.headers);
  if (address) headers.set(CLIENT_ADDRESS_HEADER, address);
  else headers.delete(CLIENT_ADDRESS_HEADER);
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await readRequestBytes(request);
  if (body && body.byteLength > 0) checkBody(decodeUtf8(body), path);
  return new Request(request.url, { method: request.method, headers, body, redirect: "manual" });
}

function checkBody(text: string, path: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Better Auth answers a body that is not JSON itself.
    return;
  }
  assertCleanInput(value);
  if (path === "/update-user") {
    const parsed = profileUpdateSchema.safeParse(value);
    if (!parsed.success) {
      throw new AppError("bad-request", parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; "));
    }
  }
}

function tooManyAttempts(retryAfterSeconds: number): Response {
  return NextResponse.json(
    {
      code: "TOO_MANY_ATTEMPTS",
      message: `Too many failed password attempts from your address: try again in ${retryAfterSeconds} s.`,
      error: { code: "too-many-attempts", message: `Too many failed password attempts from your address: try again in ${retryAfterSeconds} s.` },
    },
    { status: 429, headers: { "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store" } },
  );
}
