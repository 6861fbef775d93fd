import { CostManagementClient } from "@azure/arm-costmanagement";
import type { TokenCredential } from "@azure/identity";
import { buildArmPipelineOptions, type ArmPolicyConfig, type ArmTransportSettings } from "../arm-client-options";
import { onlyTo } from "../resource-graph-client";
import { costManagementRetryAfterPolicy } from "./cost-retry-after";

/**
 * The Azure SDK's Cost Management client (`@azure/arm-costmanagement`; its only published versions
 * are 1.0.0 betas, the latest from Sep 2026) on the run's ARM pipeline: the same retries, per-attempt
 * timeout, shared throttle gate, TLS trust and no redirects as every other ARM call, tokens for the
 * endpoint's own audience, and Cost Management's own retry headers read as Retry-After.
 */
export function createCostManagementClient(credential: TokenCredential, transport: ArmTransportSettings, extraPolicies: ArmPolicyConfig[] = []): CostManagementClient {
  const options = buildArmPipelineOptions(transport, [
    { policy: onlyTo(transport.endpoint), position: "perCall" },
    ...extraPolicies,
    // Innermost of the per-retry policies: the throttle gate and the SDK's retry both see the header it adds.
    { policy: costManagementRetryAfterPolicy(), position: "perRetry" },
  ]);
  return new CostManagementClient(credential, { ...options, $host: transport.endpoint, credentialScopes: [transport.scope] });
}
