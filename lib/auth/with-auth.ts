import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { assertCleanInput } from "@/lib/api/clean-input";
import { errorResponse } from "@/lib/api/error-response";
import { decodeUtf8, readRequestBytes } from "@/lib/api/request-body";
import { getDatabase } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { ConcurrencyGate } from "@/lib/http/concurrency-gate";
import { releaseWhenSent } from "@/lib/http/release-when-sent";
import { trustedOrigins } from "@/lib/public-url";
import type { HandlerContext } from "@/lib/api/handler-context";
import { getCurrentUser, type CurrentUser } from "./current-user";
import { can, type Permission } from "./permissions";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function crossSite(): AppError {
  return new AppError("forbidden", "Cross-site requests are not accepted.");
}

/**
 * Writes must come from our own pages: a cross-site form or script is refused (CSRF). The Origin
 * header must be one of our origins exactly (scheme, host and port; anything with userinfo, a path
 * or that does not parse is not); X-Forwarded-Host is never read, behind a proxy the public URL is
 * our origin. Browsers send Origin with every write, so a Referer without one is treated as
 * cross-site; a request with neither comes from a non-browser client, which no other site can steer.
 */
export function assertSameOrigin(request: NextRequest, trusted: readonly string[] = trustedOrigins()): void {
  if (SAFE_METHODS.has(request.method)) return;
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw crossSite();
  const origin = request.headers.get("origin");
  if (origin === null) {
    if (request.headers.get("referer") !== null) throw crossSite();
    return;
  }
  if (!trusted.includes(origin)) throw crossSite();
}

/** API work in flight at once per server process: below the database pool (10), so pages and sign-in keep a connection. */
export const API_CONCURRENCY = 8;
/** Requests that may wait for a slot, and for how long, before they are told to come back (503). */
export const API_QUEUE_LIMIT = 64;
export const API_QUEUE_TIMEOUT_MS = 10_000;

const globalForGate = globalThis as unknown as { bulkheadApiGate?: ConcurrencyGate };

/** The process-wide gate in front of every API route (one per process, whatever the bundling). */
export function getApiGate(): ConcurrencyGate {
  globalForGate.bulkheadApiGate ??= new ConcurrencyGate(API_CONCURRENCY, API_QUEUE_LIMIT, API_QUEUE_TIMEOUT_MS);
  return globalForGate.bulkheadApiGate;
}

export interface RouteInput {
  /** The route's input schema, for the API fuzz test (app/api/api-fuzz.test.ts). */
  inputSchema: z.ZodType;
  inputFrom: "query" | "body";
}

/**
 * parse → authorize → query → respond: every API route goes through this. Anonymous requests get
 * 401, a role without `permission` 403; the body is parsed only after the user is known. Text with
 * NUL characters or broken Unicode is a 400 naming the parameter; beyond the gate's queue, a 503.
 */
export function withAuth<Schema extends z.ZodType>(
  schema: Schema,
  options: { permission: Permission; body?: boolean },
  handler: (context: HandlerContext<z.infer<Schema>> & { user: CurrentUser }) => Promise<unknown>,
) {
  const route = async (request: NextRequest, context: { params: Promise<Record<string, string>> }) => {
    let release: (() => void) | undefined;
    try {
      release = await getApiGate().acquire();
      const user = await getCurrentUser(request.headers);
      if (!user) throw new AppError("unauthenticated", "Sign in to use Bulkhead.");
      if (!can(user.role, options.permission)) throw new AppError("forbidden", `Your role (${user.role}) may not do this.`);
      assertSameOrigin(request);
      const params = (await context?.params) ?? {};
      const input = options.body ? await readJsonBody(request) : Object.fromEntries(request.nextUrl.searchParams);
      assertCleanInput(params);
      assertCleanInput(input);
      const query = schema.parse({ ...input, ...params });
      const db = await getDatabase();
      const body = await handler({ query, db, request, params, user });
      // A download (CSV, JSON file, ZIP) answers with its own response and headers, and may still be
      // made while it is sent: it keeps its slot until then.
      if (body instanceof Response) {
        const sent = releaseWhenSent(body, release);
        release = undefined;
        return sent;
      }
      return NextResponse.json(body ?? { ok: true }, { headers: { "Cache-Control": "no-store" } });
    } catch (error) {
      return errorResponse(error, request.headers.get("x-request-id"));
    } finally {
      release?.();
    }
  };
  return Object.assign(route, { inputSchema: schema, inputFrom: options.body ? "body" : "query" } satisfies RouteInput);
}

async function readJsonBody(request: NextRequest): Promise<Record<string, unknown>> {
  const text = decodeUtf8(await readRequestBytes(request));
  try {
    const value = JSON.parse(text || "{}");
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not an object");
    return value as Record<string, unknown>;
  } catch {
    throw new AppError("bad-request", "The request body must be a JSON object.");
  }
}
