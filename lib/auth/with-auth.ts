import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { errorResponse } from "@/lib/api/error-response";
import { getDatabase } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { HandlerContext } from "@/lib/api/handler-context";
import { getCurrentUser, type CurrentUser } from "./current-user";
import { can, type Permission } from "./permissions";

/** Writes must come from our own pages: a cross-site form or script is refused (CSRF). */
export function assertSameOrigin(request: NextRequest): void {
  if (request.method === "GET" || request.method === "HEAD") return;
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw new AppError("forbidden", "Cross-site requests are not accepted.");
  const origin = request.headers.get("origin");
  if (origin && origin !== request.nextUrl.origin) {
    const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
    if (!host || new URL(origin).host !== host) throw new AppError("forbidden", "Cross-site requests are not accepted.");
  }
}

/**
 * parse → authorize → query → respond: every API route goes through this. Anonymous requests get
 * 401, a role without `permission` 403; the body is parsed only after the user is known.
 */
export function withAuth<Schema extends z.ZodType>(
  schema: Schema,
  options: { permission: Permission; body?: boolean },
  handler: (context: HandlerContext<z.infer<Schema>> & { user: CurrentUser }) => Promise<unknown>,
) {
  return async (request: NextRequest, context: { params: Promise<Record<string, string>> }) => {
    try {
      const user = await getCurrentUser(request.headers);
      if (!user) throw new AppError("unauthenticated", "Sign in to use Bulkhead.");
      if (!can(user.role, options.permission)) throw new AppError("forbidden", `Your role (${user.role}) may not do this.`);
      assertSameOrigin(request);
      const params = (await context?.params) ?? {};
      const input = options.body ? await readJsonBody(request) : Object.fromEntries(request.nextUrl.searchParams);
      const query = schema.parse({ ...input, ...params });
      const db = await getDatabase();
      const body = await handler({ query, db, request, params, user });
      return NextResponse.json(body ?? { ok: true }, { headers: { "Cache-Control": "no-store" } });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

const MAX_BODY_BYTES = 64 * 1024;

async function readJsonBody(request: NextRequest): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new AppError("bad-request", `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`);
  try {
    const value = JSON.parse(text || "{}");
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not an object");
    return value as Record<string, unknown>;
  } catch {
    throw new AppError("bad-request", "The request body must be a JSON object.");
  }
}
