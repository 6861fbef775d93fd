import type { ResourceGraphClient } from "@azure/arm-resourcegraph";
import pLimit from "p-limit";
import { asRecord } from "@/lib/posture/untrusted-json";
import type { SourceFault, SubscriptionListing } from "../source";
import { MalformedResponseError, toSourceFault } from "./fault-cause";
import { flattenResourceGraphRow } from "./flatten-managed-cluster";
import type { ListedSubscription } from "./list-subscriptions";
import type { SecretRedactor } from "./redact-secrets";

import { MAX_SUBSCRIPTIONS_PER_QUERY } from "./inventory-limits";

export { MAX_SUBSCRIPTIONS_PER_QUERY };
/** Rows per page: Resource Graph's maximum `$top`. */
export const MAX_ROWS_PER_PAGE = 1000;
/** Queries of the inventory in flight at once; the per-user quota is about 15 queries per 5 s. */
export const MAX_RESOURCE_GRAPH_CONCURRENCY = 3;

const CLUSTER_TYPE = "microsoft.containerservice/managedclusters";
const SUBSCRIPTION_TYPE = "microsoft.resources/subscriptions";
const SUBSCRIPTION_IN_ID = /^\/subscriptions\/([^/]+)/i;

/**
 * Every AKS cluster of the scoped subscriptions, and one row per subscription the caller can read
 * (ResourceContainers). Resource Graph leaves out, without an error, whatever the caller may not
 * read, and says nothing per subscription; the subscription's own row is the proof that it was read
 * in full, so that an empty answer can be taken as "no clusters" (and deletions inferred).
 * Ordered by the unique id, as Resource Graph's paging guidance asks.
 */
export const CLUSTER_INVENTORY_QUERY = [
  "resources",
  `| where type =~ '${CLUSTER_TYPE}'`,
  "| project id, name, type, location, tags, properties, sku, identity, kind, extendedLocation, subscriptionId",
  "| union (resourcecontainers",
  `    | where type =~ '${SUBSCRIPTION_TYPE}'`,
  "    | project id, name, type, subscriptionId)",
  "| order by id asc",
].join("\n");

export interface ResourceGraphInventoryOptions {
  client: Pick<ResourceGraphClient, "resources">;
  redactor: SecretRedactor;
  /** A batch with more pages than this fails (nothing is inferred deleted). */
  maxPagesPerBatch: number;
  /** Queries at once (capped at MAX_RESOURCE_GRAPH_CONCURRENCY). */
  concurrency: number;
  /** Subscriptions per query (at most MAX_SUBSCRIPTIONS_PER_QUERY). */
  batchSize?: number;
  /** Rows per page (at most MAX_ROWS_PER_PAGE). */
  pageSize?: number;
  signal?: AbortSignal;
  /** After each batch, with that batch's listings. */
  onBatchDone?: (listings: SubscriptionListing[]) => void;
}

/**
 * The AKS clusters of many subscriptions in a few Azure Resource Graph queries: the subscriptions in
 * batches, each batch one query read page by page through `$skipToken`. The listings mean what the
 * per-subscription ARM listings mean (source.ts):
 * - a batch that was read to its end gives a complete listing for every subscription in it that
 *   Resource Graph proved readable (its ResourceContainers row), clusters or none;
 * - a subscription the answer does not prove readable is a failed listing (`forbidden`); if some of
 *   its clusters came back anyway (access to some resource groups only), they are kept, marked
 *   incomplete, so none of its clusters is inferred deleted;
 * - a batch that fails (HTTP error after retries, throttled past the wait budget, a body that is not
 *   Resource Graph's, paging that ends early or runs past the bound) fails every subscription in it.
 * Nothing here throws.
 */
export async function listClustersWithResourceGraph(subscriptions: ListedSubscription[], options: ResourceGraphInventoryOptions): Promise<SubscriptionListing[]> {
  const batchSize = clamp(options.batchSize ?? MAX_SUBSCRIPTIONS_PER_QUERY, 1, MAX_SUBSCRIPTIONS_PER_QUERY);
  const batches: ListedSubscription[][] = [];
  for (let start = 0; start < subscriptions.length; start += batchSize) batches.push(subscriptions.slice(start, start + batchSize));
  const limit = pLimit(clamp(options.concurrency, 1, MAX_RESOURCE_GRAPH_CONCURRENCY));
  const results = await Promise.all(
    batches.map((batch) =>
      limit(async () => {
        const listings = await listBatch(batch, options);
        options.onBatchDone?.(listings);
        return listings;
      }),
    ),
  );
  return results.flat();
}

async function listBatch(batch: ListedSubscription[], options: ResourceGraphInventoryOptions): Promise<SubscriptionListing[]> {
  const pageSize = clamp(options.pageSize ?? MAX_ROWS_PER_PAGE, 1, MAX_ROWS_PER_PAGE);
  const rows: unknown[] = [];
  let skipToken: string | undefined;
  try {
    for (let page = 1; ; page++) {
      if (page > options.maxPagesPerBatch) {
        throw new MalformedResponseError(`the answer has more than ${options.maxPagesPerBatch} pages of ${pageSize} rows; the rest was not read`);
      }
      let rawBody: string | undefined;
      await options.client.resources(
        {
          subscriptions: batch.map((subscription) => subscription.subscriptionId),
          query: CLUSTER_INVENTORY_QUERY,
          options: { top: pageSize, skipToken, resultFormat: "objectArray" },
        },
        { abortSignal: options.signal, onResponse: (response) => (rawBody = response.bodyAsText ?? undefined) },
      );
      // The raw body, as on the ARM path: the client's model is not what is trusted.
      const body = readQueryPage(rawBody);
      rows.push(...body.data);
      if (!body.skipToken) {
        if (body.truncated || rows.length < body.totalRecords) {
          throw new MalformedResponseError(`the answer was cut short (${rows.length} of ${body.totalRecords} rows, resultTruncated: ${body.truncated}) and gives no $skipToken to read on`);
        }
        break;
      }
      if (body.skipToken === skipToken) throw new MalformedResponseError("the $skipToken repeats the page just read");
      skipToken = body.skipToken;
    }
  } catch (error) {
    const fault = toSourceFault(error, `listing AKS clusters with Azure Resource Graph (a query of ${batch.length} subscriptions)`, options.redactor);
    return batch.map(({ subscriptionId, displayName }) => ({ subscriptionId, displayName, ok: false, fault }));
  }
  return assignRows(batch, rows);
}

function assignRows(batch: ListedSubscription[], rows: unknown[]): SubscriptionListing[] {
  const found = new Map(batch.map((subscription) => [subscription.subscriptionId.toLowerCase(), { readable: false, clusters: [] as unknown[] }]));
  let strays = 0;
  for (const row of rows) {
    const record = asRecord(row);
    const type = typeof record?.type === "string" ? record.type.toLowerCase() : "";
    const entry = found.get(subscriptionOf(record) ?? "");
    if (entry && type === SUBSCRIPTION_TYPE) entry.readable = true;
    else if (entry && type === CLUSTER_TYPE) entry.clusters.push(flattenResourceGraphRow(row));
    else strays += 1;
  }
  return batch.map(({ subscriptionId, displayName }): SubscriptionListing => {
    const { readable, clusters } = found.get(subscriptionId.toLowerCase())!;
    const faults: { target: string; fault: SourceFault }[] = [];
    if (!readable && clusters.length === 0) {
      return {
        subscriptionId,
        displayName,
        ok: false,
        fault: {
          cause: "forbidden",
          message:
            "listing AKS clusters with Azure Resource Graph: the answer holds nothing of this subscription, not even the subscription itself: the identity cannot read it (give it Reader on the subscription) or it does not exist; its clusters keep their previous state",
        },
      };
    }
    if (!readable) {
      faults.push({
        target: subscriptionId,
        fault: {
          cause: "forbidden",
          message: `listing AKS clusters with Azure Resource Graph: ${clusters.length} cluster(s) came back but not the subscription itself: the identity reads only part of it (Reader on some resource groups?); no cluster of it is marked deleted`,
        },
      });
    }
    if (strays > 0) {
      faults.push({
        target: subscriptionId,
        fault: { cause: "malformed", message: `listing AKS clusters with Azure Resource Graph: ${strays} row(s) of the answer name no subscription of the query, or are not clusters; no cluster of this query's subscriptions is marked deleted` },
      });
    }
    return faults.length > 0 ? { subscriptionId, displayName, ok: true, clusters, faults } : { subscriptionId, displayName, ok: true, clusters };
  });
}

function subscriptionOf(record: Record<string, unknown> | undefined): string | undefined {
  if (typeof record?.subscriptionId === "string" && record.subscriptionId !== "") return record.subscriptionId.toLowerCase();
  const id = typeof record?.id === "string" ? record.id : "";
  return SUBSCRIPTION_IN_ID.exec(id)?.[1]?.toLowerCase();
}

interface QueryPage {
  data: unknown[];
  totalRecords: number;
  truncated: boolean;
  skipToken?: string;
}

/** A Resource Graph QueryResponse in the objectArray format, or MalformedResponseError. */
function readQueryPage(text: string | null | undefined): QueryPage {
  let body: unknown;
  try {
    body = JSON.parse(text ?? "");
  } catch {
    throw new MalformedResponseError("the Resource Graph answer is not valid JSON");
  }
  const record = asRecord(body);
  if (!record || !Array.isArray(record.data)) throw new MalformedResponseError('the Resource Graph answer has no "data" array (objectArray format)');
  const { totalRecords, count, resultTruncated } = record;
  const skipToken = record.$skipToken ?? record.skipToken;
  if (typeof totalRecords !== "number" || !Number.isSafeInteger(totalRecords) || totalRecords < 0) throw new MalformedResponseError('the Resource Graph answer has no valid "totalRecords"');
  if (count !== record.data.length) throw new MalformedResponseError(`the Resource Graph answer says "count": ${JSON.stringify(count)} but holds ${record.data.length} rows`);
  const truncated = resultTruncated === true || resultTruncated === "true";
  if (!truncated && resultTruncated !== false && resultTruncated !== "false") throw new MalformedResponseError('the Resource Graph answer has no valid "resultTruncated"');
  if (skipToken !== undefined && skipToken !== null && typeof skipToken !== "string") throw new MalformedResponseError('the Resource Graph answer has a "$skipToken" that is not a string');
  return { data: record.data, totalRecords, truncated, skipToken: typeof skipToken === "string" && skipToken !== "" ? skipToken : undefined };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}
