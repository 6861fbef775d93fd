import { randomBytes } from "node:crypto";
import { stringify } from "yaml";
import { startFakeArm, type FakeArm } from "./fake-arm-server";
import type { FakeCluster, FakeEstate, FakeFailure } from "./fake-estate";
import { startFakeKubeApi, type FakeKubeApi } from "./fake-kube-server";
import type { FakeResourceGraphOptions } from "./fake-resource-graph";
import { createTestCertificate } from "./test-certificate";

export interface FakeAzure {
  arm: FakeArm;
  /** Keyed by cluster name. */
  kube: Map<string, FakeKubeApi>;
  /** PEM of the certificate both fakes serve; trust it to talk to them. */
  caCertificate: string;
  armToken: string;
  aksToken: string;
  /** The user credential inside each kubeconfig, which Bulkhead must never use or keep. */
  kubeconfigSecret: string;
  /** Every distinctive secret string, for leak assertions. */
  secrets: string[];
  /** Environment for `bulkhead collect` against these fakes (NODE_EXTRA_CA_CERTS is added by the caller, it needs a file). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface StartFakeAzureOptions {
  /** managedClusters per page. */
  armPageSize?: number;
  subscriptionListFailures?: FakeFailure[];
  /** Scripted Resource Graph answers and quota. */
  resourceGraph?: FakeResourceGraphOptions;
  /** Cost Management rows per page. */
  costPageSize?: number;
}

/**
 * Starts the fake ARM and one fake API server per cluster that has in-cluster objects, on
 * 127.0.0.1 with a certificate made now. Tokens are random and distinctive so tests can prove they
 * leak nowhere.
 */
export async function startFakeAzure(estate: FakeEstate, options: StartFakeAzureOptions = {}): Promise<FakeAzure> {
  const certificate = await createTestCertificate();
  const tag = randomBytes(8).toString("hex");
  const armToken = `FAKE-ARM-TOKEN-${tag}`;
  const aksToken = `FAKE-AKS-TOKEN-${tag}`;
  const kubeconfigSecret = `FAKE-KUBECONFIG-USER-SECRET-${tag}`;

  const kube = new Map<string, FakeKubeApi>();
  const servers: FakeKubeApi[] = [];
  try {
    for (const subscription of estate.subscriptions) {
      for (const cluster of subscription.clusters) {
        if (!cluster.kube) continue;
        const api = await startFakeKubeApi(cluster.kube, { certificate, token: aksToken });
        servers.push(api);
        kube.set(cluster.name, api);
      }
    }
    const kubeconfigFor = (cluster: FakeCluster) => {
      const api = kube.get(cluster.name);
      return api ? buildKubeconfig(cluster, api.url, certificate.cert, kubeconfigSecret) : undefined;
    };
    const arm = await startFakeArm(estate, {
      certificate,
      token: armToken,
      pageSize: options.armPageSize ?? 2,
      kubeconfigFor,
      subscriptionListFailures: options.subscriptionListFailures,
      resourceGraph: options.resourceGraph,
      costPageSize: options.costPageSize,
    });
    return {
      arm,
      kube,
      caCertificate: certificate.cert,
      armToken,
      aksToken,
      kubeconfigSecret,
      secrets: [armToken, aksToken, kubeconfigSecret, Buffer.from(kubeconfigSecret).toString("base64")],
      env: {
        BULKHEAD_AZURE_CREDENTIAL: "static-token",
        BULKHEAD_ARM_ENDPOINT: arm.endpoint,
        BULKHEAD_ARM_TOKEN: armToken,
        BULKHEAD_AKS_TOKEN: aksToken,
      },
      async close() {
        await Promise.all([arm.close(), ...servers.map((s) => s.close())]);
      },
    };
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }
}

/**
 * What AKS returns for a local-accounts cluster: cluster address and CA, and a user credential
 * (here a distinctive fake) that Bulkhead must ignore.
 */
function buildKubeconfig(cluster: FakeCluster, server: string, caPem: string, userSecret: string): string {
  const user = `clusterUser_${cluster.resourceGroup}_${cluster.name}`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: cluster.name, cluster: { server, "certificate-authority-data": Buffer.from(caPem).toString("base64") } }],
    contexts: [{ name: cluster.name, context: { cluster: cluster.name, user } }],
    "current-context": cluster.name,
    preferences: {},
    users: [
      {
        name: user,
        user: {
          "client-certificate-data": Buffer.from(userSecret).toString("base64"),
          "client-key-data": Buffer.from(userSecret).toString("base64"),
          token: userSecret,
        },
      },
    ],
  });
}
