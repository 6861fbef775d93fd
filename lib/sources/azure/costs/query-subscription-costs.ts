import type { CostManagementClient, QueryDefinition } from "@azure/arm-costmanagement";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { ISO_CURRENCY, type ClusterCost, type CostTarget } from "@/lib/costs/cluster-cost";
import { MalformedResponseError } from "../../source";

/** One page answers at most 5,000 rows; a subscription's clusters over a few days need far fewer pages than this. */
export const DEFAULT_MAX_COST_PAGES = 50;

/**
 * The query (docs/costs.md): actual cost, daily, in the billing currency, of the clusters' node
 * resource groups and of the cluster resources themselves (the Standard tier's uptime SLA is billed
 * on the cluster), grouped by resource group and resource id so each row can be given to its cluster.
 */
export function buildCostQuery(targets: CostTarget[], fromDay: string, toDay: string): QueryDefinition {
  const nodeGroups = [...new Set(targets.flatMap((target) => (target.nodeResourceGroup ? [target.nodeResourceGroup] : [])))];
  const clusterIds = targets.map((target) => target.id);
  const byResource = { dimensions: { name: "ResourceId", operator: "In", values: clusterIds } };
  const byNodeGroup = { dimensions: { name: "ResourceGroupName", operator: "In", values: nodeGroups } };
  return {
    type: "ActualCost",
    timeframe: "Custom",
    timePeriod: { from: new Date(`${fromDay}T00:00:00Z`), to: new Date(`${toDay}T23:59:59Z`) },
    dataset: {
      granularity: "Daily",
      aggregation: { totalCost: { name: "Cost", function: "Sum" } },
      grouping: [
        { type: "Dimension", name: "ResourceGroupName" },
        { type: "Dimension", name: "ResourceId" },
      ],
      // Cost Management wants two expressions or more under `or`.
      filter: nodeGroups.length > 0 ? { or: [byResource, byNodeGroup] } : byResource,
    },
  };
}

/** The body as the API takes it (what the SDK serialises for the first page), for the next pages. */
function wireBody(query: QueryDefinition): string {
  return JSON.stringify({ ...query, timePeriod: query.timePeriod ? { from: query.timePeriod.from.toISOString(), to: query.timePeriod.to.toISOString() } : undefined });
}

interface QueryPage {
  columns?: unknown;
  rows?: unknown;
  nextLink?: unknown;
}

/**
 * The daily costs of one subscription's clusters over [fromDay, toDay]: every page (nextLink, same
 * body), each row given to the cluster whose node resource group or resource it is, summed per
 * cluster and day. A body that is not what the API documents is a MalformedResponseError naming what is wrong.
 */
export async function querySubscriptionCosts(
  client: CostManagementClient,
  subscriptionId: string,
  targets: CostTarget[],
  window: { fromDay: string; toDay: string },
  options: { endpoint: string; maxPages?: number; signal?: AbortSignal },
): Promise<ClusterCost[]> {
  const query = buildCostQuery(targets, window.fromDay, window.toDay);
  const byNodeGroup = new Map(targets.flatMap((target) => (target.nodeResourceGroup ? [[target.nodeResourceGroup.toLowerCase(), target] as const] : [])));
  const byId = new Map(targets.map((target) => [target.id.toLowerCase(), target]));
  const sums = new Map<string, ClusterCost>();
  const maxPages = options.maxPages ?? DEFAULT_MAX_COST_PAGES;

  let page: QueryPage = await client.query.usage(`subscriptions/${subscriptionId}`, query, { abortSignal: options.signal });
  for (let pageNumber = 1; ; pageNumber++) {
    for (const row of readRows(page, window)) {
      const target = byNodeGroup.get(row.resourceGroup.toLowerCase()) ?? byId.get(row.resourceId.toLowerCase());
      if (!target) continue;
      const key = `${target.clusterKey} ${row.day}`;
      const sum = sums.get(key);
      if (!sum) sums.set(key, { clusterKey: target.clusterKey, day: row.day, cost: row.cost, currency: row.currency });
      else if (sum.currency !== row.currency) throw new MalformedResponseError(`costs of ${target.id} on ${row.day} come in two currencies (${sum.currency}, ${row.currency})`);
      else sum.cost += row.cost;
    }
    const nextLink = page.nextLink;
    if (nextLink === undefined || nextLink === null || nextLink === "") break;
    if (typeof nextLink !== "string") throw new MalformedResponseError("properties.nextLink is not a string");
    if (pageNumber >= maxPages) throw new MalformedResponseError(`the answer goes on past ${maxPages} pages; it was not read to the end`);
    page = await nextPage(client, nextLink, query, options);
  }
  return [...sums.values()].map((cost) => ({ ...cost, cost: Math.round(cost.cost * 10_000) / 10_000 }));
}

/** A next page: the same POST to the nextLink, through the client's pipeline (credential, retries, gate). */
async function nextPage(client: CostManagementClient, nextLink: string, query: QueryDefinition, options: { endpoint: string; signal?: AbortSignal }): Promise<QueryPage> {
  let url: URL;
  try {
    url = new URL(nextLink);
  } catch {
    throw new MalformedResponseError(`properties.nextLink ${JSON.stringify(nextLink.slice(0, 200))} is not a URL`);
  }
  if (url.origin !== new URL(options.endpoint).origin) throw new MalformedResponseError(`properties.nextLink points to ${url.origin}, not to ${new URL(options.endpoint).origin}`);
  const request = createPipelineRequest({
    url: url.toString(),
    method: "POST",
    headers: createHttpHeaders({ "content-type": "application/json", accept: "application/json" }),
    body: wireBody(query),
    abortSignal: options.signal,
  });
  const response = await client.sendRequest(request);
  if (response.status !== 200) {
    const error = Object.assign(new Error(`HTTP ${response.status} on a next page`), { statusCode: response.status, response });
    throw error;
  }
  let body: unknown;
  try {
    body = JSON.parse(response.bodyAsText ?? "");
  } catch (error) {
    throw new MalformedResponseError(`a next page is not valid JSON (${(error as Error).message})`);
  }
  const properties = body && typeof body === "object" ? (body as { properties?: unknown }).properties : undefined;
  if (!properties || typeof properties !== "object") throw new MalformedResponseError("a next page has no `properties` object");
  return properties as QueryPage;
}

interface CostRow {
  day: string;
  resourceGroup: string;
  resourceId: string;
  cost: number;
  currency: string;
}

const COLUMN = { cost: ["cost", "pretaxcost", "costusd"], day: ["usagedate"], group: ["resourcegroupname", "resourcegroup"], id: ["resourceid"], currency: ["currency"] } as const;

/** The rows of a page by their columns' names (the API may order columns as it likes). */
function readRows(page: QueryPage, window: { fromDay: string; toDay: string }): CostRow[] {
  if (!Array.isArray(page.columns)) throw new MalformedResponseError("properties.columns is not a list");
  if (page.rows === undefined || page.rows === null) return [];
  if (!Array.isArray(page.rows)) throw new MalformedResponseError("properties.rows is not a list");
  const names = page.columns.map((column, index) => {
    const name = column && typeof column === "object" ? (column as { name?: unknown }).name : undefined;
    if (typeof name !== "string") throw new MalformedResponseError(`properties.columns[${index}].name is not a string`);
    return name.toLowerCase();
  });
  const find = (field: keyof typeof COLUMN) => {
    const index = names.findIndex((name) => (COLUMN[field] as readonly string[]).includes(name));
    if (index < 0) throw new MalformedResponseError(`properties.columns has no ${COLUMN[field][0]} column (it has ${names.join(", ") || "none"})`);
    return index;
  };
  const at = { cost: find("cost"), day: find("day"), group: find("group"), id: find("id"), currency: find("currency") };
  return page.rows.map((row, index): CostRow => {
    if (!Array.isArray(row)) throw new MalformedResponseError(`properties.rows[${index}] is not a list`);
    const cost = row[at.cost];
    if (typeof cost !== "number" || !Number.isFinite(cost)) throw new MalformedResponseError(`properties.rows[${index}]: the cost ${JSON.stringify(cost)} is not a number`);
    const currency = row[at.currency];
    if (typeof currency !== "string" || !ISO_CURRENCY.test(currency.toUpperCase())) throw new MalformedResponseError(`properties.rows[${index}]: the currency ${JSON.stringify(currency)} is not an ISO 4217 code`);
    const day = readUsageDate(row[at.day]);
    if (!day) throw new MalformedResponseError(`properties.rows[${index}]: the usage date ${JSON.stringify(row[at.day])} is not a day`);
    if (day < window.fromDay || day > window.toDay) throw new MalformedResponseError(`properties.rows[${index}]: the usage date ${day} is outside the ${window.fromDay} … ${window.toDay} asked for`);
    return { day, cost, currency: currency.toUpperCase(), resourceGroup: String(row[at.group] ?? ""), resourceId: String(row[at.id] ?? "") };
  });
}

/** UsageDate as the API gives it: the number 20261201, or a string "20261201" or "2026-12-01T00:00:00". */
function readUsageDate(value: unknown): string | undefined {
  const text = typeof value === "number" && Number.isInteger(value) ? String(value) : typeof value === "string" ? value : "";
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:T|$)/.exec(text);
  const parts = compact ?? iso;
  if (!parts) return undefined;
  const day = `${parts[1]}-${parts[2]}-${parts[3]}`;
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || !date.toISOString().startsWith(day) ? undefined : day;
}
