import client from "prom-client";

// The metrics of this process (HTTP latency, Node's own figures) live in one registry kept on
// globalThis: the request front (cli/web-server.ts, loaded through tsx) and the route handlers
// (Next's bundles) are separate module instances in one process, and must write to and read
// from the same registry.

const HOLDER = Symbol.for("bulkhead.process-metrics");

export type HttpLabel = "method" | "route" | "status";

export interface ProcessMetrics {
  registry: client.Registry;
  httpRequestDuration: client.Histogram<HttpLabel>;
}

/** Seconds: from a health probe (a millisecond) to a slow page over a large estate. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function createProcessMetrics(): ProcessMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "bulkhead_" });
  const httpRequestDuration = new client.Histogram<HttpLabel>({
    name: "bulkhead_http_request_duration_seconds",
    help: "Time from a request's arrival at the web server to the end of its response, by method, route (dynamic segments as :id) and status.",
    labelNames: ["method", "route", "status"],
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  return { registry, httpRequestDuration };
}

export function processMetrics(): ProcessMetrics {
  const holder = globalThis as { [HOLDER]?: ProcessMetrics };
  holder[HOLDER] ??= createProcessMetrics();
  return holder[HOLDER];
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
/** A path segment kept as it is: a lower-case word (a page or API name); anything else is an id. */
const NAMED_SEGMENT = /^[a-z][a-z-]{0,31}$/;
const MAX_ROUTE_SEGMENTS = 5;

/**
 * The `route` label of a request: bounded, so that ids and scanners cannot grow the series without
 * limit. Next's assets are one route; a 404 is `(unmatched)`; ids (numbers, ARM ids, tokens) are `:id`.
 */
export function routeLabel(pathname: string, status: number): string {
  if (status === 404) return "(unmatched)";
  if (pathname.startsWith("/_next/")) return "/_next";
  const segments = pathname.split("/").filter(Boolean).slice(0, MAX_ROUTE_SEGMENTS);
  return `/${segments.map((segment) => (NAMED_SEGMENT.test(segment) ? segment : ":id")).join("/")}`;
}

/** Records one finished request. */
export function observeHttpRequest(method: string | undefined, pathname: string, status: number, seconds: number): void {
  const upper = (method ?? "").toUpperCase();
  processMetrics().httpRequestDuration.observe({ method: METHODS.has(upper) ? upper : "OTHER", route: routeLabel(pathname, status), status: String(status) }, seconds);
}
