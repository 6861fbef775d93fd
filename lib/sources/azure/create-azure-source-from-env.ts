import type { Env } from "@/lib/env";
import type { PostureSource } from "../source";
import { DEFAULT_ARM_REQUEST_TIMEOUT_MS, DEFAULT_ARM_RETRY, type ArmTransportSettings } from "./arm-client-options";
import { createAzureSource, type AzureSourceOptions, type InventoryMode } from "./azure-source";
import { armScopeFor, createCredential } from "./create-credential";
import { SecretRedactor } from "./redact-secrets";
import { createThrottleGate } from "./throttle-policy";

/** At most this long waiting on Retry-After for one ARM request, over all its retries. */
export const DEFAULT_MAX_THROTTLE_WAIT_MS = 120_000;

export interface AzureCollectSettings {
  subscriptionIds?: string[];
  readInCluster: boolean;
  /** Read daily costs from Cost Management (docs/costs.md). Default false. */
  readCosts?: boolean;
  /** Default: BULKHEAD_KUBE_TIMEOUT_SECONDS. */
  kubeTimeoutMs?: number;
  concurrency: number;
  /** Default `auto`: Resource Graph above `resourceGraphThreshold` subscriptions. */
  inventory?: InventoryMode;
  /** Default BULKHEAD_RESOURCE_GRAPH_THRESHOLD. */
  resourceGraphThreshold?: number;
  /** Tuning for tests: tighter retry and throttle bounds, the fakes' CA. */
  transport?: Partial<Omit<ArmTransportSettings, "endpoint" | "scope" | "policies">> & { maxThrottleWaitMs?: number };
  onSubscriptionProgress?: AzureSourceOptions["onSubscriptionProgress"];
  kube?: AzureSourceOptions["kube"];
  resourceGraph?: AzureSourceOptions["resourceGraph"];
  signal?: AbortSignal;
}

export interface AzureCollectSetup {
  source: PostureSource;
  redactor: SecretRedactor;
}

/**
 * The Azure source as the environment configures it (docs/design.md §6a); openSource opens an Azure
 * descriptor through it. Throws ConfigError when the credential settings are incomplete.
 */
export function createAzureSourceFromEnv(env: Env, settings: AzureCollectSettings): AzureCollectSetup {
  const redactor = new SecretRedactor();
  const credential = createCredential(env, { redactor, needsAksToken: settings.readInCluster });
  const gate = createThrottleGate({ maxWaitPerRequestMs: settings.transport?.maxThrottleWaitMs ?? DEFAULT_MAX_THROTTLE_WAIT_MS });
  const transport: ArmTransportSettings = {
    endpoint: env.BULKHEAD_ARM_ENDPOINT,
    scope: armScopeFor(env.BULKHEAD_ARM_ENDPOINT),
    retry: settings.transport?.retry ?? DEFAULT_ARM_RETRY,
    requestTimeoutMs: settings.transport?.requestTimeoutMs ?? DEFAULT_ARM_REQUEST_TIMEOUT_MS,
    policies: [{ policy: gate.policy, position: "perRetry" }],
    extraCaCertificates: settings.transport?.extraCaCertificates,
  };
  const kubeTimeoutMs = settings.kubeTimeoutMs ?? env.BULKHEAD_KUBE_TIMEOUT_SECONDS * 1000;
  const inventory = settings.inventory ?? "auto";
  const source = createAzureSource({
    credential,
    redactor,
    transport,
    subscriptionIds: settings.subscriptionIds,
    readInCluster: settings.readInCluster,
    readCosts: settings.readCosts ?? false,
    kubeTimeoutMs,
    concurrency: settings.concurrency,
    inventory,
    resourceGraphThreshold: settings.resourceGraphThreshold ?? env.BULKHEAD_RESOURCE_GRAPH_THRESHOLD,
    throttleGate: gate,
    resourceGraph: settings.resourceGraph,
    kube: settings.kube,
    onSubscriptionProgress: settings.onSubscriptionProgress,
    signal: settings.signal,
  });
  return { source, redactor };
}
