import type { TokenCredential } from "@azure/identity";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { buildArmPipelineOptions, type ArmTransportSettings } from "./arm-client-options";
import { MalformedResponseError } from "./fault-cause";

export interface ListedSubscription {
  subscriptionId: string;
  displayName?: string;
}

/** Disabled and deleted subscriptions answer every read with an error; they are not scanned (and so carry forward). */
const SKIPPED_STATES = new Set(["disabled", "deleted"]);

/** The subscriptions the credential can read, every page (bounded), with the Azure SDK. */
export async function listSubscriptions(
  credential: TokenCredential,
  transport: ArmTransportSettings,
  options: { maxPages: number; signal?: AbortSignal },
): Promise<ListedSubscription[]> {
  const client = new SubscriptionClient(credential, {
    ...buildArmPipelineOptions(transport),
    credentialScopes: [transport.scope],
    // This older (core-client) SDK builds its URLs from $host, not from `endpoint`.
    $host: transport.endpoint,
  });
  const found: ListedSubscription[] = [];
  let pages = 0;
  for await (const page of client.subscriptions.list({ abortSignal: options.signal }).byPage()) {
    if (++pages > options.maxPages) throw new MalformedResponseError(`the subscription list has more than ${options.maxPages} pages`);
    for (const subscription of page) {
      if (!subscription.subscriptionId) continue;
      if (subscription.state && SKIPPED_STATES.has(subscription.state.toLowerCase())) continue;
      found.push({ subscriptionId: subscription.subscriptionId.toLowerCase(), displayName: subscription.displayName });
    }
  }
  return found;
}
