import type { FrameworkInput } from "../framework-schema";

// CIS Kubernetes Benchmark, section 5.3 "Network Policies and CNI" (both items are Manual in the
// benchmark: CIS expects a person to review; Bulkhead's judgement is that review's evidence).
export const cisKubernetes: FrameworkInput = {
  id: "cis-kubernetes",
  name: "CIS Kubernetes Benchmark",
  version: "v1.12.0",
  publisher: "Center for Internet Security",
  limits:
    "Only the network-policy items of section 5.3 are mapped; the rest of the benchmark (control plane, nodes, RBAC, pod security) needs other evidence.",
  requirements: [
    {
      id: "5.3.1",
      title: "Ensure that the CNI in use supports Network Policies",
      evidence: "fully",
      controls: ["NP-01"],
      rationale:
        "NP-01 passes only when the cluster runs an engine that enforces network policies (Azure NPM, Calico or Cilium), which is what this item audits.",
    },
    {
      id: "5.3.2",
      title: "Ensure that all Namespaces have Network Policies defined",
      evidence: "partly",
      controls: ["NP-02", "NP-07"],
      rationale:
        "NP-02 asks more than this item (a default deny for ingress in every workload namespace, not just some policy), but system namespaces such as kube-system, which the item counts, are not judged.",
    },
  ],
};
