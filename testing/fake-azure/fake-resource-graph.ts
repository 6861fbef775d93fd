import { randomBytes } from "node:crypto";
import type { FakeEstate, FakeFailure, FakeGraphFailure, FakeSubscription } from "./fake-estate";

/** API versions of `Microsoft.ResourceGraph/resources` the fake answers (GA versions ARM accepts). */
export const FAKE_RESOURCE_GRAPH_API_VERSIONS = ["2021-03-01", "2022-10-01", "2024-04-01"];

export interface FakeResourceGraphQuota {
  /** Queries per window; the next one in the same window answers 429. */
  queries: number;
  windowMs: number;
}

export interface ResourceGraphRequestInfo {
  apiVersion: string;
  subscriptions: string[];
  top?: number;
  skipToken?: string;
  /** Rows in the answer (0 when it failed). */
  rows: number;
  /** x-ms-user-quota-remaining and x-ms-user-quota-resets-after as answered. */
  quotaRemaining?: number;
  quotaResetsAfter?: string;
}

export interface FakeResourceGraphOptions {
  /** Answers to the first queries, in order; then the real answers. */
  failures?: FakeGraphFailure[];
  /** Default: 1,000 queries per 5 s (never reached unless a test sets a smaller one). */
  quota?: FakeResourceGraphQuota;
}

export type GraphAnswer =
  | { kind: "page"; status: 200; body: unknown; headers: Record<string, string> }
  | { kind: "failure"; failure: FakeFailure; headers: Record<string, string> }
  | { kind: "error"; status: number; code: string; message: string; headers: Record<string, string> };

const CLUSTER_TYPE = "microsoft.containerservice/managedclusters";
const SUBSCRIPTION_TYPE = "microsoft.resources/subscriptions";

/**
 * Azure Resource Graph's `POST /providers/Microsoft.ResourceGraph/resources`, for the one query
 * Bulkhead sends (AKS clusters plus the subscriptions' ResourceContainers rows, ordered by id): the
 * QueryResponse shape (totalRecords, count, resultTruncated as a string, $skipToken, data as an
 * object array, facets), `$top` capped at 1,000, opaque skip tokens bound to their scope, rows only
 * from subscriptions the caller may read, and the per-user quota headers with a 429 past the quota.
 */
export function createFakeResourceGraph(estate: FakeEstate, options: FakeResourceGraphOptions = {}) {
  const pendingFailures = [...(options.failures ?? [])];
  const quota = options.quota ?? { queries: 1000, windowMs: 5000 };
  const nonce = randomBytes(6).toString("hex");
  let windowStart = 0;
  let used = 0;

  const quotaHeaders = (info: ResourceGraphRequestInfo, remaining: number, resetsAfterMs: number): Record<string, string> => {
    info.quotaRemaining = remaining;
    info.quotaResetsAfter = formatTimeSpan(resetsAfterMs);
    return { "x-ms-user-quota-remaining": String(remaining), "x-ms-user-quota-resets-after": info.quotaResetsAfter };
  };
  // Resource Graph's own throttling: its quota headers, no Retry-After.
  const quotaExceeded = (headers: Record<string, string>): GraphAnswer => ({
    kind: "error",
    status: 429,
    code: "RateLimiting",
    message: "Please provide below info when asking for support: timestamp = 2026-03-01T06:00:00Z, correlationId = fake. Details: Response for query is throttled.",
    headers,
  });

  return function answer(requestBody: unknown, info: ResourceGraphRequestInfo): GraphAnswer {
    const now = Date.now();
    if (now >= windowStart + quota.windowMs) {
      windowStart = now;
      used = 0;
    }
    if (used >= quota.queries) return quotaExceeded(quotaHeaders(info, 0, windowStart + quota.windowMs - now));
    used += 1;
    const headers = quotaHeaders(info, quota.queries - used, windowStart + quota.windowMs - now);

    const body = requestBody as { subscriptions?: unknown; query?: unknown; options?: Record<string, unknown> } | undefined;
    const subscriptions = Array.isArray(body?.subscriptions) ? body.subscriptions.filter((s): s is string => typeof s === "string").map((s) => s.toLowerCase()) : [];
    info.subscriptions = subscriptions;
    const query = typeof body?.query === "string" ? body.query.toLowerCase() : "";
    if (!query.includes(CLUSTER_TYPE) || !query.includes("resourcecontainers") || !query.includes(SUBSCRIPTION_TYPE)) {
      return { kind: "error", status: 400, code: "BadRequest", message: "This fake answers only Bulkhead's cluster inventory query.", headers };
    }
    if (subscriptions.length === 0) return { kind: "error", status: 400, code: "BadRequest", message: "This fake expects an explicit subscription scope.", headers };
    const resultFormat = body?.options?.resultFormat ?? "objectArray";
    if (resultFormat !== "objectArray") return { kind: "error", status: 400, code: "BadRequest", message: `resultFormat ${String(resultFormat)} is not supported by this fake.`, headers };

    const scripted =
      pendingFailures.shift() ??
      estate.subscriptions.find((s) => s.resourceGraphFailure && subscriptions.includes(s.subscriptionId.toLowerCase()))?.resourceGraphFailure;
    if (scripted && "quotaExceeded" in scripted) return quotaExceeded(quotaHeaders(info, 0, scripted.resetsAfterSeconds * 1000));
    if (scripted && !("truncated" in scripted)) return { kind: "failure", failure: scripted, headers };

    const rows = buildRows(estate, subscriptions);
    const top = Math.min(typeof body?.options?.$top === "number" ? body.options.$top : 1000, 1000);
    info.top = typeof body?.options?.$top === "number" ? body.options.$top : undefined;
    const skipToken = typeof body?.options?.$skipToken === "string" ? body.options.$skipToken : undefined;
    info.skipToken = skipToken;
    const scopeKey = subscriptions.join(",");
    let offset = 0;
    if (skipToken) {
      const [tokenNonce, tokenScope, tokenOffset] = Buffer.from(skipToken, "base64url").toString().split("|");
      if (tokenNonce !== nonce || tokenScope !== scopeKey || !/^\d+$/.test(tokenOffset ?? "")) {
        return { kind: "error", status: 400, code: "InvalidSkipToken", message: "The $skipToken does not belong to this query and scope.", headers };
      }
      offset = Number(tokenOffset);
    }
    if (scripted) {
      // A page that says the answer was cut and gives no way on.
      const data = rows.slice(offset, offset + Math.max(1, Math.floor(top / 2)));
      info.rows = data.length;
      return { kind: "page", status: 200, body: { totalRecords: rows.length, count: data.length, data, facets: [], resultTruncated: "true" }, headers };
    }
    const data = rows.slice(offset, offset + top);
    const next = offset + top < rows.length ? Buffer.from(`${nonce}|${scopeKey}|${offset + top}`).toString("base64url") : undefined;
    info.rows = data.length;
    return {
      kind: "page",
      status: 200,
      body: { totalRecords: rows.length, count: data.length, data, facets: [], resultTruncated: "false", ...(next ? { $skipToken: next } : {}) },
      headers,
    };
  };
}

/** The rows of the inventory query for these subscriptions, as Resource Graph shows them to the caller. */
function buildRows(estate: FakeEstate, subscriptionIds: string[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const subscription of estate.subscriptions) {
    const subscriptionId = subscription.subscriptionId.toLowerCase();
    if (!subscriptionIds.includes(subscriptionId)) continue;
    const visibility = visibilityOf(subscription);
    if (visibility === "hidden") continue;
    if (visibility === "readable") {
      // The union is outer: the columns only the clusters' leg projects are null on this row.
      const absent = { location: null, tags: null, properties: null, sku: null, identity: null, kind: null, extendedLocation: null };
      rows.push({ id: `/subscriptions/${subscriptionId}`, name: subscription.displayName, type: SUBSCRIPTION_TYPE, ...absent, subscriptionId });
    }
    for (const cluster of subscription.clusters) rows.push(toGraphRow(cluster.resource, subscriptionId));
  }
  return rows.sort((a, b) => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0));
}

function visibilityOf(subscription: FakeSubscription): "readable" | "hidden" | "partial" {
  if (subscription.resourceGraph) return subscription.resourceGraph;
  const always = subscription.listingAlways;
  return always && "status" in always && (always.status === 403 || always.status === 404) ? "hidden" : "readable";
}

/** An ARM resource as a row of `project id, name, type, location, tags, properties, sku, identity, kind, extendedLocation, subscriptionId`. */
function toGraphRow(resource: Record<string, unknown>, subscriptionId: string): Record<string, unknown> {
  return {
    id: resource.id,
    name: resource.name,
    // Resource Graph lower-cases the type.
    type: typeof resource.type === "string" ? resource.type.toLowerCase() : CLUSTER_TYPE,
    location: resource.location ?? "",
    tags: resource.tags ?? {},
    properties: resource.properties ?? {},
    sku: resource.sku ?? null,
    identity: resource.identity ?? null,
    kind: resource.kind ?? "",
    extendedLocation: resource.extendedLocation ?? null,
    subscriptionId,
  };
}

/** hh:mm:ss, rounded up to the second. */
function formatTimeSpan(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}
