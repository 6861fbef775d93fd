import type { InClusterData } from "@/lib/posture";
import { createListedSource, type ClusterRef, type InClusterRead, type PostureSource, type SourceFault, type SubscriptionListing } from "@/lib/sources/source";

export const SUB_A = "aaaaaaaa-0000-4000-8000-000000000001";
export const SUB_B = "bbbbbbbb-0000-4000-8000-000000000002";

export interface ClusterSpec {
  subscription?: string;
  resourceGroup?: string;
  name: string;
  networkPolicy?: string | null;
  owner?: string;
  production?: boolean;
  podLinkLocalAccess?: string;
}

/** A cluster as `az aks list -o json` prints it. */
export function makeCluster(spec: ClusterSpec): Record<string, unknown> {
  const subscription = spec.subscription ?? SUB_A;
  const resourceGroup = spec.resourceGroup ?? "rg-test";
  const tags: Record<string, string> = {};
  if (spec.owner) tags.owner = spec.owner;
  if (spec.production !== undefined) tags.environment = spec.production ? "production" : "dev";
  return {
    id: `/subscriptions/${subscription}/resourcegroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${spec.name}`,
    name: spec.name,
    location: "westeurope",
    resourceGroup,
    tags,
    agentPoolProfiles: [{ name: "system", count: 3, osType: "Linux", mode: "System" }],
    networkProfile: {
      networkPlugin: "azure",
      ...(spec.networkPolicy === null ? {} : { networkPolicy: spec.networkPolicy ?? "azure" }),
      ...(spec.podLinkLocalAccess ? { podLinkLocalAccess: spec.podLinkLocalAccess } : {}),
    },
  };
}

const namespace = (name: string) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "kubernetes.io/metadata.name": name } } });

/**
 * In-cluster objects: `default` with default deny both ways and DNS allowed, plus optional allow-any
 * ingress for the `app: web` pods (an allow-any rule, NP-06, that leaves the namespace's default deny intact).
 */
export function makeInCluster(options: { allowAnyIngress?: boolean; defaultDeny?: boolean } = {}): InClusterData {
  const policies: unknown[] = [];
  if (options.defaultDeny !== false) {
    policies.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "default-deny", namespace: "default" },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    });
    policies.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-dns", namespace: "default" },
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }], ports: [{ protocol: "UDP", port: 53 }] }],
      },
    });
  }
  if (options.allowAnyIngress) {
    policies.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-all", namespace: "default" },
      spec: { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"], ingress: [{}] },
    });
  }
  return { namespaces: [namespace("default"), namespace("kube-system")], policies };
}

export type ListingSpec = Record<string, unknown>[] | SourceFault;
export type InClusterSpec = InClusterData | SourceFault | undefined;

/** A source that answers what the test scripts: listings per subscription, in-cluster objects per cluster name. */
export function scriptedSource(listings: Record<string, ListingSpec>, inCluster: Record<string, InClusterSpec> = {}): PostureSource {
  return createListedSource({
    kind: "files",
    async listAll(): Promise<SubscriptionListing[]> {
      return Object.entries(listings).map(([subscriptionId, spec]) =>
        Array.isArray(spec) ? { subscriptionId, ok: true, clusters: spec } : { subscriptionId, ok: false, fault: spec },
      );
    },
    async readInCluster(cluster: ClusterRef): Promise<InClusterRead> {
      const spec = inCluster[cluster.name];
      if (spec === undefined) return { status: "absent" };
      if ("cause" in spec) return { status: "failed", fault: spec };
      return { status: "read", data: spec };
    },
  });
}

export const at = (iso: string) => new Date(iso);
