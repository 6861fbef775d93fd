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
const podClass = (namespace: string, labels: Record<string, string>, count: number) => ({ metadata: { namespace, labels }, count });

/**
 * In-cluster objects: `default` with default deny both ways and DNS allowed, plus optional allow-any
 * ingress for the `app: web` pods (an allow-any rule, NP-06, that leaves the namespace's default deny
 * intact), and optional pods of `default` by `app` label (pod classes, docs/design.md §4.5).
 */
export function makeInCluster(options: { allowAnyIngress?: boolean; defaultDeny?: boolean; pods?: Record<string, number> } = {}): InClusterData {
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
  const pods = options.pods ? Object.entries(options.pods).map(([app, count]) => podClass("default", { app }, count)) : undefined;
  return { namespaces: [namespace("default"), namespace("kube-system")], policies, ...(pods ? { pods } : {}) };
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

/**
 * A Cilium cluster as a platform team segments it: one CiliumClusterwideNetworkPolicy (default deny
 * both ways for every namespace but kube-system, DNS to kube-dns, IMDS denied with egressDeny), a
 * CiliumNetworkPolicy letting `web` reach `api`, one that admits the world (an allow-any rule), one
 * with a CIDR that does not parse (a problem), and pod classes.
 */
export function makeCiliumInCluster(): InClusterData {
  const cilium = (kind: string, name: string, spec: Record<string, unknown>, namespace?: string) => ({ apiVersion: "cilium.io/v2", kind, metadata: { name, ...(namespace ? { namespace } : {}) }, spec });
  return {
    namespaces: [namespace("shop"), namespace("web"), namespace("kube-system")],
    policies: [],
    ciliumClusterwideNetworkPolicies: [
      cilium("CiliumClusterwideNetworkPolicy", "workload-baseline", {
        endpointSelector: { matchExpressions: [{ key: "io.kubernetes.pod.namespace", operator: "NotIn", values: ["kube-system"] }] },
        ingress: [{}],
        egress: [{ toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": "kube-system", "k8s:k8s-app": "kube-dns" } }], toPorts: [{ ports: [{ port: "53", protocol: "ANY" }] }] }],
        egressDeny: [{ toCIDR: ["169.254.169.254/32"] }],
      }),
    ],
    ciliumNetworkPolicies: [
      cilium("CiliumNetworkPolicy", "api-from-web", { endpointSelector: { matchLabels: { app: "api" } }, ingress: [{ fromEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": "web", app: "web" } }], toPorts: [{ ports: [{ port: "8080", protocol: "TCP" }] }] }] }, "shop"),
      cilium("CiliumNetworkPolicy", "partners-egress", { endpointSelector: { matchLabels: { app: "api" } }, egress: [{ toCIDR: ["10.20.300.0/24"], toPorts: [{ ports: [{ port: "443", protocol: "TCP" }] }] }] }, "shop"),
      cilium("CiliumNetworkPolicy", "web-from-world", { endpointSelector: { matchLabels: { app: "web" } }, ingress: [{ fromEntities: ["world"] }] }, "web"),
    ],
    pods: [podClass("shop", { app: "api", tier: "backend" }, 3), podClass("shop", { app: "db", tier: "data" }, 1), podClass("web", { app: "web", tier: "frontend" }, 2), podClass("kube-system", { "k8s-app": "kube-dns" }, 2)],
  };
}

/** A Calico cluster: a GlobalNetworkPolicy denying by default (DNS allowed), a Calico allow, and an AdminNetworkPolicy no AKS engine enforces. */
export function makeCalicoInCluster(): InClusterData {
  return {
    namespaces: [namespace("ledger"), namespace("kube-system"), namespace("calico-system")],
    policies: [],
    calicoGlobalNetworkPolicies: [
      {
        apiVersion: "projectcalico.org/v3",
        kind: "GlobalNetworkPolicy",
        metadata: { name: "default-deny" },
        spec: {
          namespaceSelector: "projectcalico.org/name not in {'kube-system', 'calico-system'}",
          types: ["Ingress", "Egress"],
          egress: [{ action: "Allow", protocol: "UDP", destination: { selector: "k8s-app == 'kube-dns'", namespaceSelector: "projectcalico.org/name == 'kube-system'", ports: [53] } }],
        },
      },
    ],
    calicoNetworkPolicies: [
      { apiVersion: "projectcalico.org/v3", kind: "NetworkPolicy", metadata: { name: "ledger-api", namespace: "ledger" }, spec: { selector: "app == 'ledger'", types: ["Ingress"], ingress: [{ action: "Allow", protocol: "TCP", source: { selector: "app == 'gateway'" }, destination: { ports: [8443] } }] } },
    ],
    adminNetworkPolicies: [
      { apiVersion: "policy.networking.k8s.io/v1alpha1", kind: "AdminNetworkPolicy", metadata: { name: "pci-guardrail" }, spec: { priority: 5, subject: { namespaces: {} }, ingress: [{ name: "deny-all", action: "Deny", from: [{ namespaces: {} }] }] } },
    ],
    pods: [podClass("ledger", { app: "ledger", tier: "backend" }, 2)],
  };
}
