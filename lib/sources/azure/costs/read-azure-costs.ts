import type { TokenCredential } from "@azure/identity";
import pLimit from "p-limit";
import { costWindowFor, type CostReading, type CostTarget } from "@/lib/costs/cluster-cost";
import type { ArmTransportSettings } from "../arm-client-options";
import { toSourceFault } from "../fault-cause";
import type { SecretRedactor } from "../redact-secrets";
import { createCostManagementClient } from "./cost-management-client";
import { querySubscriptionCosts } from "./query-subscription-costs";

export interface ReadAzureCostsOptions {
  credential: TokenCredential;
  transport: ArmTransportSettings;
  redactor: SecretRedactor;
  /** Subscriptions queried at once: Cost Management's quotas are per tenant and strict. Default 2. */
  concurrency?: number;
  maxPages?: number;
  /** Days back from the capture day (default COST_LOOKBACK_DAYS). */
  lookbackDays?: number;
  signal?: AbortSignal;
}

/**
 * The listed clusters' daily costs from Azure Cost Management, one query per subscription. A
 * subscription that answers 403 (no Cost Management Reader), is throttled past the wait budget, or
 * sends a malformed body is a fault of that subscription; the others are read (docs/costs.md).
 */
export async function readAzureCosts(targets: CostTarget[], capturedAt: Date, options: ReadAzureCostsOptions): Promise<CostReading> {
  const window = costWindowFor(capturedAt, options.lookbackDays);
  const reading: CostReading = { costs: [], faults: [], ...window };
  const bySubscription = new Map<string, CostTarget[]>();
  for (const target of targets) bySubscription.set(target.subscriptionId, [...(bySubscription.get(target.subscriptionId) ?? []), target]);
  if (bySubscription.size === 0) return reading;
  const client = createCostManagementClient(options.credential, options.transport);
  const limit = pLimit(Math.max(1, options.concurrency ?? 2));
  await Promise.all(
    [...bySubscription].map(([subscriptionId, clusters]) =>
      limit(async () => {
        options.signal?.throwIfAborted();
        try {
          reading.costs.push(...(await querySubscriptionCosts(client, subscriptionId, clusters, window, { endpoint: options.transport.endpoint, maxPages: options.maxPages, signal: options.signal })));
        } catch (error) {
          options.signal?.throwIfAborted();
          reading.faults.push({ target: subscriptionId, fault: toSourceFault(error, `Cost Management query for subscription ${subscriptionId}`, options.redactor) });
        }
      }),
    ),
  );
  return reading;
}
