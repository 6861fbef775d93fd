// The subset of Kubernetes object shapes the demo emits (core/v1 Namespace,
// networking.k8s.io/v1 NetworkPolicy), as `kubectl get ... -o json` prints them.

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

/** What the demo returns for one cluster read: the two lists the evaluator consumes. */
export interface DemoInClusterObjects {
  namespaces: KubeNamespace[];
  policies: KubeNetworkPolicy[];
}
