// The Kubernetes object shapes the demo emits (core/v1 Namespace, networking.k8s.io/v1
// NetworkPolicy, and the other policy kinds loosely), as `kubectl get ... -o json` prints them.

import type { ServiceSummary } from "@/lib/sources/service-summary";

export interface KubeObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  resourceVersion?: string;
  generation?: number;
}

export interface KubeNamespace {
  apiVersion: "v1";
  kind: "Namespace";
  metadata: KubeObjectMeta;
  spec: { finalizers: string[] };
  status: { phase: "Active" | "Terminating" };
}

export interface KubeLabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

export interface KubeLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: KubeLabelSelectorRequirement[];
}

export interface KubeIpBlock {
  cidr: string;
  except?: string[];
}

export interface KubeNetworkPolicyPeer {
  podSelector?: KubeLabelSelector;
  namespaceSelector?: KubeLabelSelector;
  ipBlock?: KubeIpBlock;
}

export interface KubeNetworkPolicyPort {
  protocol?: "TCP" | "UDP" | "SCTP";
  port?: number | string;
  endPort?: number;
}

export interface KubeNetworkPolicyIngressRule {
  from?: KubeNetworkPolicyPeer[];
  ports?: KubeNetworkPolicyPort[];
}

export interface KubeNetworkPolicyEgressRule {
  to?: KubeNetworkPolicyPeer[];
  ports?: KubeNetworkPolicyPort[];
}

export interface KubeNetworkPolicy {
  apiVersion: "networking.k8s.io/v1";
  kind: "NetworkPolicy";
  metadata: KubeObjectMeta & { namespace: string };
  spec: {
    podSelector: KubeLabelSelector;
    policyTypes?: ("Ingress" | "Egress")[];
    ingress?: KubeNetworkPolicyIngressRule[];
    egress?: KubeNetworkPolicyEgressRule[];
  };
}

/** An object of another policy kind (Cilium, Calico, admin network policies), as kubectl prints it. */
export interface KubePolicyObject {
  apiVersion: string;
  kind: string;
  metadata: KubeObjectMeta;
  spec: Record<string, unknown>;
}

/** What the demo returns for one cluster read: every list the Kubernetes source reads (docs/collection.md). */
export interface DemoInClusterObjects {
  namespaces: KubeNamespace[];
  policies: KubeNetworkPolicy[];
  ciliumNetworkPolicies: KubePolicyObject[];
  ciliumClusterwideNetworkPolicies: KubePolicyObject[];
  calicoNetworkPolicies: KubePolicyObject[];
  calicoGlobalNetworkPolicies: KubePolicyObject[];
  adminNetworkPolicies: KubePolicyObject[];
  baselineAdminNetworkPolicies: KubePolicyObject[];
  clusterNetworkPolicies: KubePolicyObject[];
  /** Pod classes, as the sources store them (lib/sources/pod-classes.ts). */
  pods: { metadata: { namespace: string; labels: Record<string, string> }; count: number }[];
  /** Services as the sources keep them (lib/sources/service-summary.ts). */
  services: ServiceSummary[];
}
