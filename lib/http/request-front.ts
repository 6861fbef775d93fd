import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { logger } from "@/lib/logger";
import { observeHttpRequest } from "@/lib/metrics/process-metrics";
import { resolveClientAddress, type TrustedProxies } from "./client-address";

/**
 * Headers that only our own HTTP front (cli/web-server.ts) sets: it deletes whatever a client sent
 * under these names and writes what it read from the socket. Route handlers believe them only when
 * that front runs in their process; under `next dev` or a bare `next start` they are ignored.
 */
export const CLIENT_ADDRESS_HEADER = "x-bulkhead-client-address";

const FRONT_FLAG = Symbol.for("bulkhead.request-front");

type FlagHolder = { [FRONT_FLAG]?: boolean };

/** Called once by the HTTP front before it serves anything. */
export function markRequestFrontInstalled(): void {
  (globalThis as FlagHolder)[FRONT_FLAG] = true;
}

export function isRequestFrontInstalled(): boolean {
  return (globalThis as FlagHolder)[FRONT_FLAG] === true;
}

/** Overwrites the front's headers on an incoming request (the client's copies never get through). */
export function stampIncomingRequest(request: IncomingMessage, trusted: TrustedProxies): void {
  const address = resolveClientAddress(request.socket.remoteAddress, request.headers["x-forwarded-for"], trusted);
  if (address) request.headers[CLIENT_ADDRESS_HEADER] = address;
  else delete request.headers[CLIENT_ADDRESS_HEADER];
}

/** The client's address as the front established it, or null when there is no front to believe. */
export function readClientAddress(headers: Headers): string | null {
  if (!isRequestFrontInstalled()) return null;
  return headers.get(CLIENT_ADDRESS_HEADER);
}

/** TRACE echoes requests (cross-site tracing), TRACK is its IIS twin, CONNECT is for proxies. */
const REFUSED_METHODS = new Set(["TRACE", "TRACK", "CONNECT"]);
const ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

export const REQUEST_ID_HEADER = "x-request-id";
/** An id a proxy or caller may set: short, and nothing a log line or header could be split by. */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:\/+=-]{1,128}$/;

/** The request's id: the caller's X-Request-Id when it is a plausible id, else a new UUID. */
export function assignRequestId(request: IncomingMessage): string {
  const offered = request.headers[REQUEST_ID_HEADER];
  const id = typeof offered === "string" && ACCEPTED_REQUEST_ID.test(offered) ? offered : randomUUID();
  request.headers[REQUEST_ID_HEADER] = id;
  return id;
}

/** Requests that are logged at debug, not info: probes and static assets would drown the rest. */
const QUIET_PATH = /^\/(_next\/|healthz$|readyz$|metrics$|favicon\.ico$|icon\.svg$|robots\.txt$)/;

/**
 * When the response is finished (or the client went away): its latency into the HTTP histogram and
 * one JSON log line with the request id. The path is logged without its query string (it can carry
 * a sign-in code or a token).
 */
function observeResponse(request: IncomingMessage, response: ServerResponse, requestId: string): void {
  const started = process.hrtime.bigint();
  const path = (request.url ?? "/").split("?")[0];
  let observed = false;
  const done = () => {
    if (observed) return;
    observed = true;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const status = response.writableFinished ? response.statusCode : 499;
    observeHttpRequest(request.method, path, status, seconds);
    const entry = { reqId: requestId, method: request.method, path, status, durationMs: Math.round(seconds * 10_000) / 10 };
    if (status >= 500) logger.warn(entry, "request failed");
    else if (QUIET_PATH.test(path)) logger.debug(entry, "request");
    else logger.info(entry, "request");
  };
  response.once("finish", done);
  response.once("close", done);
}

/**
 * The front's whole job: give the request an id (echoed as X-Request-Id) and time it, refuse what
 * no route serves (false), else stamp the request (true).
 */
export function frontRequest(request: IncomingMessage, response: ServerResponse, trusted: TrustedProxies): boolean {
  const requestId = assignRequestId(request);
  response.setHeader("X-Request-Id", requestId);
  observeResponse(request, response, requestId);
  if (REFUSED_METHODS.has((request.method ?? "").toUpperCase())) {
    response.writeHead(405, { Allow: ALLOWED_METHODS, "Content-Type": "application/json", "Cache-Control": "no-store" });
    response.end(JSON.stringify({ error: { code: "method-not-allowed", message: `${request.method} is not supported.` } }));
    return false;
  }
  stampIncomingRequest(request, trusted);
  return true;
}
