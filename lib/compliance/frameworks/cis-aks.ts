import type { FrameworkInput } from "../framework-schema";

// CIS Azure Kubernetes Service (AKS) Benchmark: 4.4 "CNI Plugin" and the network-policy item of
// 5.4 "Cluster Networking". 5.4.1-5.4.3 (control-plane endpoint, private nodes) and 5.4.5 (TLS at
// load balancers) are about Azure settings Bulkhead does not judge.
export const cisAks: FrameworkInput = {
  id: "cis-aks",
  name: "CIS Azure Kubernetes Service (AKS) Benchmark",
  version: "v1.8.0",
  publisher: "Center for Internet Security",
  limits:
    "Only the network-policy items are mapped; the control-plane endpoint, private cluster and load balancer items of 5.4 and every other section need other evidence.",
  requirements: [
    {
      id: "4.4.1",
      title: "Ensure latest CNI version is used",
      evidence: "partly",
      controls: ["NP-01"],
      rationale:
        "The item's audit asks that the CNI plugin supports network policies, which NP-01 shows, but Bulkhead does not check that the CNI version is the latest.",
    },
    {
      id: "4.4.2",
      title: "Ensure that all Namespaces have Network Policies defined",
      evidence: "partly",
      controls: ["NP-02", "NP-07"],
      rationale:
        "NP-02 asks more than this item (a default deny for ingress in every workload namespace, not just some policy), but system namespaces such as kube-system, which the item counts, are not judged.",
    },
    {
      id: "5.4.4",
      title: "Ensure Network Policy is Enabled and set as appropriate",
      evidence: "fully",
      controls: ["NP-01"],
      rationale:
        "NP-01 reads networkProfile.networkPolicy and the Cilium dataplane, the settings this item audits, and passes only for an engine that enforces policies.",
    },
  ],
};
