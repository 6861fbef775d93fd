// The days on which one subscription's listing fails, with the error Azure would send.

import type { FaultCause } from "@/lib/sources/source";
import type { ListingFailure, PlanOptions, SubscriptionPlan } from "./plan-types";
import { Random, STREAM } from "./random";
import { LISTING_FAILURES } from "./tuning";

const LISTING_FAULTS: readonly FaultCause[] = ["forbidden", "server-error", "throttled", "forbidden", "timeout", "server-error", "throttled"];

/** A handful of days on which one subscription's listing fails (never the first or the last day). */
export function planListingFailures(options: PlanOptions, subs: SubscriptionPlan[]): Map<number, ListingFailure> {
  const periodDays = options.days;
  const failures = new Map<number, ListingFailure>();
  const populated = subs.map((subscription, i) => [subscription, i] as const).filter(([subscription]) => subscription.clusterIndices.length > 0);
  const count = periodDays < LISTING_FAILURES.fromDays || !populated.length ? 0 : Math.max(1, Math.round(periodDays / LISTING_FAILURES.oneInDays));
  if (!count) return failures;
  const random = new Random(options.seed, STREAM.failures);
  const segment = (periodDays - 2) / count;
  for (let k = 0; k < count; k++) {
    const lo = 1 + Math.floor(k * segment);
    const hi = Math.max(lo, Math.min(periodDays - 2, Math.floor((k + 1) * segment)));
    const day = random.int(lo, hi);
    const [sub, subscriptionIndex] = random.pick(populated);
    const cause = LISTING_FAULTS[k % LISTING_FAULTS.length];
    failures.set(day, { day, subscriptionIndex, cause, message: describeListingFault(cause, sub.id, random) });
  }
  return failures;
}

function describeListingFault(cause: FaultCause, subscriptionId: string, random: Random): string {
  switch (cause) {
    case "forbidden": {
      const principal = random.guid();
      return `(AuthorizationFailed) The client '${principal}' with object id '${principal}' does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/read' over scope '/subscriptions/${subscriptionId}' or the scope is invalid. If access was recently granted, please refresh your credentials.`;
    }
    case "throttled":
      return `(TooManyRequests) Number of 'read' requests for subscription '${subscriptionId}' actor '${random.guid()}' exceeded. Please try again after '${random.int(5, 40)}' seconds after additional tokens are available.`;
    case "timeout":
      return `GET https://management.azure.com/subscriptions/${subscriptionId}/providers/Microsoft.ContainerService/managedClusters?api-version=2025-05-01 timed out after 30000 ms`;
    default:
      return `(InternalServerError) The server encountered an internal error and was unable to complete your request. Correlation id: ${random.guid()}.`;
  }
}
