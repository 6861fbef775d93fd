import { rootCertificates } from "node:tls";
import type { PipelinePolicy, PipelineRetryOptions } from "@azure/core-rest-pipeline";

/** The shape both SDK generations accept in `additionalPolicies`. */
export interface ArmPolicyConfig {
  policy: PipelinePolicy;
  position: "perCall" | "perRetry";
}

export interface ArmTransportSettings {
  /** BULKHEAD_ARM_ENDPOINT, without a trailing slash. */
  endpoint: string;
  scope: string;
  retry: Required<Pick<PipelineRetryOptions, "maxRetries" | "retryDelayInMs" | "maxRetryDelayInMs">>;
  /** Per attempt: a silent ARM must not hold the run for ever. */
  requestTimeoutMs: number;
  /** The shared throttle gate and anything else every ARM request goes through. */
  policies: ArmPolicyConfig[];
  /**
   * Extra PEM certificates to trust besides the public roots (tests' local fake ARM). Production
   * leaves it empty; a corporate TLS proxy is trusted with NODE_EXTRA_CA_CERTS as for any Node program.
   */
  extraCaCertificates?: string[];
}

/** Retries for 5xx, 408 and network errors: a few, with exponential backoff, and then the fault is recorded. */
export const DEFAULT_ARM_RETRY = { maxRetries: 4, retryDelayInMs: 800, maxRetryDelayInMs: 15_000 } as const;
export const DEFAULT_ARM_REQUEST_TIMEOUT_MS = 60_000;

/** Pipeline options shared by the subscriptions client (core-client) and the container service client (modular). */
export function buildArmPipelineOptions(settings: ArmTransportSettings, extraPolicies: ArmPolicyConfig[] = []) {
  return {
    endpoint: settings.endpoint,
    retryOptions: settings.retry,
    additionalPolicies: [
      ...settings.policies,
      ...extraPolicies,
      { policy: requestTimeoutPolicy(settings.requestTimeoutMs), position: "perRetry" as const },
    ],
    // A redirect would carry the bearer token to wherever it points; ARM list calls never redirect.
    redirectOptions: { maxRetries: 0 },
    ...(settings.extraCaCertificates?.length ? { tlsOptions: { ca: [...rootCertificates, ...settings.extraCaCertificates] } } : {}),
    userAgentOptions: { userAgentPrefix: "bulkhead" },
  };
}

function requestTimeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: "bulkheadRequestTimeout",
    sendRequest(request, next) {
      if (!request.timeout) request.timeout = timeoutMs;
      return next(request);
    },
  };
}
