import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { isDatabaseUnavailable, markDatabaseUnavailable } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { OVERLOAD_RETRY_AFTER_SECONDS } from "@/lib/http/concurrency-gate";

const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The one error shape of the API: `{ error: { code, message } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** `requestId`: the request front's X-Request-Id, so that a 500's log line can be found from the answer's header. */
export function errorResponse(error: unknown, requestId?: string | null): NextResponse<ApiErrorBody> {
  if (error instanceof ZodError) {
    const message = error.issues.map((issue) => `${issue.path.join(".") || "request"}: ${issue.message}`).join("; ");
    return NextResponse.json({ error: { code: "bad-request", message } }, { status: 400 });
  }
  if (isAppError(error) && error.code === "overloaded") {
    return NextResponse.json(
      { error: { code: error.code, message: error.message } },
      { status: 503, headers: { "Retry-After": String(OVERLOAD_RETRY_AFTER_SECONDS), "Cache-Control": "no-store" } },
    );
  }
  if (isAppError(error) && error.httpStatus < 500) {
    return NextResponse.json({ error: { code: error.code, message: error.message } }, { status: error.httpStatus });
  }
  if (isDatabaseUnavailable(error)) {
    // The next request reconnects (finding or starting the server); meanwhile this one is told to retry.
    markDatabaseUnavailable();
    return NextResponse.json(
      { error: { code: "unavailable", message: "The database is not reachable right now; try again in a few seconds." } },
      { status: 503, headers: { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS), "Cache-Control": "no-store" } },
    );
  }
  // 500s are logged server-side only; their details may name internals.
  logger.error({ err: error, reqId: requestId ?? undefined }, "unexpected error in an API route");
  return NextResponse.json({ error: { code: "internal", message: "Something went wrong on the server." } }, { status: 500 });
}
