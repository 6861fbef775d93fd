import { parseEnv } from "@/lib/env";
import { createAzureSourceFromEnv, type AzureCollectSettings } from "@/lib/sources/azure/create-azure-source-from-env";
import { describeAzureSource, describeRunOptions } from "@/lib/sources/open-source";
import type { FakeAzure } from "./start-fake-azure";

/** Bounds small enough for tests to finish in seconds; the code paths are the production ones. */
export const TEST_TRANSPORT = {
  retry: { maxRetries: 3, retryDelayInMs: 20, maxRetryDelayInMs: 100 },
  requestTimeoutMs: 5_000,
  maxThrottleWaitMs: 5_000,
} as const;

/**
 * The Azure source against the fakes, configured from the same environment a user would export,
 * with the options its run would record.
 */
export function createSourceForFake(fake: FakeAzure, settings: Partial<AzureCollectSettings> = {}, extraEnv: Record<string, string> = {}) {
  const env = parseEnv({ ...fake.env, ...extraEnv } as NodeJS.ProcessEnv);
  const resolved = { readInCluster: true, readCosts: true, concurrency: 4, kubeTimeoutMs: 5_000, ...settings };
  const { source } = createAzureSourceFromEnv(env, {
    ...resolved,
    transport: { ...TEST_TRANSPORT, extraCaCertificates: [fake.caCertificate], ...settings.transport },
  });
  const descriptor = describeAzureSource(env, { ...resolved, kubeTimeoutSeconds: resolved.kubeTimeoutMs / 1000 });
  return { source, runOptions: describeRunOptions(descriptor, env) };
}
