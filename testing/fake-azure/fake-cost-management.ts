import type { FakeCostFailure, FakeEstate, FakeSubscription } from "./fake-estate";

/** API versions of `Microsoft.CostManagement/query` the fake answers. */
export const FAKE_COST_API_VERSIONS = ["2022-10-01", "2023-03-01", "2023-11-01", "2024-08-01"];

export interface CostQueryInfo {
  subscriptionId: string;
  apiVersion: string;
  skipToken?: string;
  rows: number;
  /** The body's filter values (resource ids and resource groups asked for). */
  filterValues: string[];
}

export type CostAnswer = { status: number; body: unknown; headers?: Record<string, string> };

const COLUMNS = [
  { name: "Cost", type: "Number" },
  { name: "UsageDate", type: "Number" },
  { name: "ResourceGroupName", type: "String" },
  { name: "ResourceId", type: "String" },
  { name: "Currency", type: "String" },
];

/**
 * Azure Cost Management's `POST /subscriptions/{id}/providers/Microsoft.CostManagement/query` for
 * the query Bulkhead sends: the request checked as the API checks it (ActualCost, Custom timeframe
 * with a period, Daily granularity, the dimensions grouped and filtered by), rows summed per day,
 * resource group, resource id and currency, UsageDate as a yyyymmdd number, paging by `nextLink`
 * with an opaque `$skiptoken` (POST the same body again), and scripted failures per subscription.
 */
export function createFakeCostManagement(estate: FakeEstate, options: { pageSize?: number } = {}) {
  const pageSize = options.pageSize ?? 1000;
  const pending = new Map(estate.subscriptions.map((s) => [s.subscriptionId.toLowerCase(), [...(s.costFailures ?? [])]]));

  return function answer(subscriptionId: string, url: URL, body: unknown, endpoint: string, info: CostQueryInfo): CostAnswer {
    const subscription = estate.subscriptions.find((s) => s.subscriptionId.toLowerCase() === subscriptionId.toLowerCase());
    if (!subscription) return error(404, "SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found.`);
    const failure = pending.get(subscription.subscriptionId.toLowerCase())?.shift();
    if (failure) return failureAnswer(failure, subscription);
    const query = readQuery(body);
    if ("error" in query) return error(400, "BadRequest", query.error);
    info.filterValues = query.filterValues;

    const sums = new Map<string, { day: string; group: string; id: string; currency: string; cost: number }>();
    for (const row of subscription.costs ?? []) {
      if (row.day < query.fromDay || row.day > query.toDay) continue;
      if (!query.matches(row.resourceGroup, row.resourceId)) continue;
      const key = [row.day, row.resourceGroup.toLowerCase(), row.resourceId.toLowerCase(), row.currency].join(" ");
      const sum = sums.get(key) ?? { day: row.day, group: row.resourceGroup.toLowerCase(), id: row.resourceId.toLowerCase(), currency: row.currency, cost: 0 };
      sum.cost += row.cost;
      sums.set(key, sum);
    }
    const all = [...sums.values()].sort((a, b) => (a.day + a.group + a.id < b.day + b.group + b.id ? -1 : 1));
    const skipToken = url.searchParams.get("$skiptoken") ?? undefined;
    info.skipToken = skipToken;
    const offset = skipToken ? Number(Buffer.from(skipToken, "base64url").toString("utf8").replace(/^offset:/, "")) : 0;
    if (!Number.isInteger(offset) || offset < 0) return error(400, "BadRequest", "Invalid $skiptoken.");
    const page = all.slice(offset, offset + pageSize);
    info.rows = page.length;
    const next = offset + pageSize < all.length ? `${endpoint}${url.pathname}?api-version=${url.searchParams.get("api-version")}&$skiptoken=${Buffer.from(`offset:${offset + pageSize}`).toString("base64url")}` : null;
    return {
      status: 200,
      body: {
        id: `subscriptions/${subscription.subscriptionId}/providers/Microsoft.CostManagement/query/${offset}`,
        name: `query-${offset}`,
        type: "Microsoft.CostManagement/query",
        location: null,
        sku: null,
        eTag: null,
        properties: {
          nextLink: next,
          columns: COLUMNS,
          rows: page.map((row) => [Math.round(row.cost * 1e6) / 1e6, Number(row.day.replaceAll("-", "")), row.group, row.id, row.currency]),
        },
      },
      headers: { "x-ms-ratelimit-microsoft.costmanagement-qpu-remaining": "QueryResource=11,QueryResourceMonth=11999" },
    };
  };
}

function failureAnswer(failure: FakeCostFailure, subscription: FakeSubscription): CostAnswer {
  if ("costThrottled" in failure) {
    return {
      ...error(429, "429", "Too many requests. Please retry."),
      headers: {
        "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after": String(failure.qpuRetryAfterSeconds),
        ...(failure.entityRetryAfterSeconds !== undefined ? { "x-ms-ratelimit-microsoft.costmanagement-entity-retry-after": String(failure.entityRetryAfterSeconds) } : {}),
      },
    };
  }
  if ("wrongShape" in failure) return { status: 200, body: { properties: { columns: COLUMNS, rows: "not rows" } } };
  if ("malformed" in failure) return { status: 200, body: '{"properties": {"columns": [' };
  if (failure.status === 429) return { ...error(429, "429", "Too many requests. Please retry."), headers: { "retry-after": String(failure.retryAfterSeconds) } };
  if (failure.status === 403) {
    return error(403, "RBACAccessDenied", `The client does not have authorization to perform action 'Microsoft.CostManagement/query/action' over scope '/subscriptions/${subscription.subscriptionId}'.`);
  }
  if (failure.status === 401) return error(401, "InvalidAuthenticationToken", "The access token is invalid.");
  if (failure.status === 404) return error(404, "SubscriptionNotFound", `The subscription '${subscription.subscriptionId}' could not be found.`);
  return error(failure.status, "InternalServerError", "An internal server error occurred.");
}

function error(status: number, code: string, message: string): CostAnswer {
  return { status, body: { error: { code, message } } };
}

type Dimension = { name?: unknown; operator?: unknown; values?: unknown };

/** The request as Cost Management validates it: only what Bulkhead's query uses is accepted. */
function readQuery(body: unknown): { fromDay: string; toDay: string; filterValues: string[]; matches(group: string, id: string): boolean } | { error: string } {
  const b = (body ?? {}) as { type?: unknown; timeframe?: unknown; timePeriod?: { from?: unknown; to?: unknown }; dataset?: Record<string, unknown> };
  if (!["ActualCost", "Usage", "AmortizedCost"].includes(String(b.type))) return { error: "Invalid query definition: type is required (ActualCost, AmortizedCost or Usage)." };
  if (b.timeframe !== "Custom") return { error: "Only the Custom timeframe is served by this fake." };
  const from = typeof b.timePeriod?.from === "string" ? b.timePeriod.from : "";
  const to = typeof b.timePeriod?.to === "string" ? b.timePeriod.to : "";
  if (Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to)) || Date.parse(from) > Date.parse(to)) return { error: "Invalid query definition: timePeriod must have from ≤ to." };
  const dataset = b.dataset ?? {};
  if (dataset.granularity !== "Daily") return { error: "Invalid query definition: granularity must be Daily here." };
  const aggregation = dataset.aggregation as Record<string, { name?: unknown; function?: unknown }> | undefined;
  if (!aggregation || !Object.values(aggregation).some((a) => a.name === "Cost" && a.function === "Sum")) return { error: "Invalid query definition: aggregation of Cost by Sum expected." };
  const grouping = Array.isArray(dataset.grouping) ? (dataset.grouping as { type?: unknown; name?: unknown }[]) : [];
  const grouped = grouping.map((g) => String(g.name));
  if (grouping.length > 2 || !grouped.includes("ResourceId") || !grouped.includes("ResourceGroupName")) return { error: "Invalid query definition: group by ResourceGroupName and ResourceId (two groupings at most)." };
  const expressions: Dimension[] = [];
  const filter = dataset.filter as { or?: { dimensions?: Dimension }[]; dimensions?: Dimension } | undefined;
  if (filter?.or) {
    if (filter.or.length < 2) return { error: "Invalid query definition: 'or' needs at least two expressions." };
    for (const item of filter.or) if (item.dimensions) expressions.push(item.dimensions);
  } else if (filter?.dimensions) expressions.push(filter.dimensions);
  for (const dimension of expressions) {
    if (dimension.operator !== "In" || !Array.isArray(dimension.values) || !["ResourceId", "ResourceGroupName"].includes(String(dimension.name))) {
      return { error: "Invalid query definition: filter dimensions must be ResourceId or ResourceGroupName with operator In." };
    }
  }
  const values = (name: string) => new Set(expressions.filter((d) => d.name === name).flatMap((d) => (d.values as unknown[]).map((v) => String(v).toLowerCase())));
  const ids = values("ResourceId");
  const groups = values("ResourceGroupName");
  return {
    fromDay: new Date(from).toISOString().slice(0, 10),
    toDay: new Date(to).toISOString().slice(0, 10),
    filterValues: [...ids, ...groups],
    matches: (group, id) => expressions.length === 0 || ids.has(id.toLowerCase()) || groups.has(group.toLowerCase()),
  };
}
