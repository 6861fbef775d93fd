import type { FrameworkInput } from "../framework-schema";

// NIST SP 800-53 Revision 5 (release 5.1.1 and later keep these ids and titles).
export const nist80053: FrameworkInput = {
  id: "nist-800-53",
  name: "NIST SP 800-53",
  version: "Revision 5",
  publisher: "National Institute of Standards and Technology",
  limits:
    "Network policies control flows between pods inside a cluster; the system's external boundary (gateways, firewalls, load balancers) and the organization-defined parameters of each control need other evidence.",
  requirements: [
    {
      id: "AC-4",
      title: "Information Flow Enforcement",
      evidence: "partly",
      controls: ["NP-01", "NP-02", "NP-03", "NP-05", "NP-06"],
      rationale:
        "Enforced policies that deny by default in both directions, keep pods from the instance metadata service and hold no allow-any rule enforce approved flows between workloads, but the flow control policy they implement is yours to define.",
    },
    {
      id: "SC-7",
      title: "Boundary Protection",
      evidence: "partly",
      controls: ["NP-01", "NP-02", "NP-03", "NP-06"],
      rationale:
        "Enforced default-deny policies without allow-any rules control communications at the key internal interfaces, between namespaces, while the external managed interfaces of the system and their monitoring are outside what Bulkhead reads.",
    },
    {
      id: "SC-7(5)",
      title: "Deny by Default — Allow by Exception",
      evidence: "partly",
      controls: ["NP-01", "NP-02", "NP-03", "NP-06"],
      rationale:
        "NP-02 and NP-03 are deny by default for pod traffic in both directions and NP-06 keeps each exception specific, which covers the pods of a cluster but not node or load balancer traffic.",
    },
    {
      id: "SC-7(21)",
      title: "Isolation of System Components",
      evidence: "partly",
      controls: ["NP-02", "NP-03", "NP-06"],
      rationale:
        "Default deny in every workload namespace without allow-any rules isolates each namespace's workloads from the others, while which components must be isolated is an organization-defined parameter.",
    },
  ],
};
