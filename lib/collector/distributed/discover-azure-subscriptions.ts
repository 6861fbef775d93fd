import type { Env } from "@/lib/env";
import { DEFAULT_ARM_REQUEST_TIMEOUT_MS, DEFAULT_ARM_RETRY, type ArmTransportSettings } from "@/lib/sources/azure/arm-client-options";
import { DEFAULT_MAX_LIST_PAGES } from "@/lib/sources/azure/azure-source";
import { armScopeFor, createCredential } from "@/lib/sources/azure/create-credential";
import { DEFAULT_MAX_THROTTLE_WAIT_MS } from "@/lib/sources/azure/create-azure-source-from-env";
import { toSourceFault } from "@/lib/sources/azure/fault-cause";
import { listSubscriptions } from "@/lib/sources/azure/list-subscriptions";
import { SecretRedactor } from "@/lib/sources/azure/redact-secrets";
import { createThrottleGate } from "@/lib/sources/azure/throttle-policy";
import { SourceError } from "@/lib/sources/source";
import type { DiscoveredSubscription } from "./job-source";

/**
 * Every enabled subscription the credential can read, without listing their clusters (that is one
 * job per subscription). The same calls, bounds and messages as the Azure source's own listing.
 */
export async function discoverAzureSubscriptions(env: Env): Promise<DiscoveredSubscription[]> {
  const redactor = new SecretRedactor();
  const credential = createCredential(env, { redactor, needsAksToken: false });
  const gate = createThrottleGate({ maxWaitPerRequestMs: DEFAULT_MAX_THROTTLE_WAIT_MS });
  const transport: ArmTransportSettings = {
    endpoint: env.BULKHEAD_ARM_ENDPOINT,
    scope: armScopeFor(env.BULKHEAD_ARM_ENDPOINT),
    retry: DEFAULT_ARM_RETRY,
    requestTimeoutMs: DEFAULT_ARM_REQUEST_TIMEOUT_MS,
    policies: [{ policy: gate.policy, position: "perRetry" }],
  };
  let subscriptions: DiscoveredSubscription[];
  try {
    subscriptions = await listSubscriptions(credential, transport, { maxPages: DEFAULT_MAX_LIST_PAGES });
  } catch (error) {
    throw new SourceError(toSourceFault(error, "listing subscriptions", redactor));
  }
  if (subscriptions.length === 0) {
    throw new SourceError({
      cause: "not-found",
      message: "listing subscriptions: the credential sees no enabled subscription (give it Reader on the subscriptions to scan, or pass --subscription)",
    });
  }
  return subscriptions;
}
