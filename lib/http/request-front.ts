import type { IncomingMessage, ServerResponse } from "node:http";
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

/** The front's whole job: refuse what no route serves (false), else stamp the request (true). */
export function frontRequest(request: IncomingMessage, response: ServerResponse, trusted: TrustedProxies): boolean {
  if (REFUSED_METHODS.has((request.method ?? "").toUpperCase())) {
    response.writeHead(405, { Allow: ALLOWED_METHODS, "Content-Type": "application/json", "Cache-Control": "no-store" });
    response.end(JSON.stringify({ error: { code: "method-not-allowed", message: `${request.method} is not supported.` } }));
    return false;
  }
  stampIncomingRequest(request, trusted);
  return true;
}
