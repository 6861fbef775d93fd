import { ResourceGraphClient } from "@azure/arm-resourcegraph";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";
import { buildArmPipelineOptions, type ArmPolicyConfig, type ArmTransportSettings } from "./arm-client-options";

/**
 * The GA version of `Microsoft.ResourceGraph/resources` the 5.x client is generated for (it sets it
 * per operation). The request and response of `resources` are the ones 2021-03-01 and 2022-10-01
 * had as well.
 */
export const RESOURCE_GRAPH_API_VERSION = "2024-04-01";

/**
 * The real Resource Graph client on the same HTTP pipeline as every other ARM call of the run
 * (@azure/core-rest-pipeline, built by buildArmPipelineOptions): the same retries, per-attempt
 * timeout, shared throttle gate, TLS trust and no redirects, with tokens for the endpoint's own
 * audience (sovereign clouds, fakes).
 */
export function createResourceGraphClient(credential: TokenCredential, transport: ArmTransportSettings, extraPolicies: ArmPolicyConfig[] = []): ResourceGraphClient {
  const options = buildArmPipelineOptions(transport, [{ policy: onlyTo(transport.endpoint), position: "perCall" }, ...extraPolicies]);
  return new ResourceGraphClient(credential, { ...options, credentials: { scopes: [transport.scope] } });
}

/** The bearer token goes only to the configured ARM endpoint, whatever URL a request was given. */
export function onlyTo(endpoint: string): PipelinePolicy {
  const origin = new URL(endpoint).origin;
  return {
    name: "bulkheadArmOriginOnly",
    sendRequest(request, next) {
      const target = new URL(request.url).origin;
      if (target !== origin) throw new Error(`refused to send a Resource Graph request to ${target}: only ${origin} is used`);
      return next(request);
    },
  };
}
