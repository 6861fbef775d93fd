import type { FrameworkInput } from "../framework-schema";

// PCI DSS v4.0.1 (June 2024), requirement 1 "Install and Maintain Network Security Controls". The
// requirement numbers and statements of 1.2.5, 1.3.x and 1.4.x are those of v4.0. PCI DSS has no
// titles: `title` is the requirement statement, its bullet points joined with semicolons.
export const pciDss: FrameworkInput = {
  id: "pci-dss",
  name: "PCI DSS",
  version: "v4.0.1",
  publisher: "PCI Security Standards Council",
  limits:
    "Network policies are one kind of network security control (NSC) inside a cluster; which clusters and namespaces form the cardholder data environment, the perimeter NSCs, the approvals and the six-monthly reviews are yours to evidence.",
  requirements: [
    {
      id: "1.2.5",
      title: "All services, protocols, and ports allowed are identified, approved, and have a defined business need.",
      evidence: "partly",
      controls: ["NP-06"],
      rationale:
        "With no allow-any rule every allowed connection names its peers and ports, so the allowed set can be listed, while the approval and business need are records Bulkhead does not hold.",
    },
    {
      id: "1.3.1",
      title: "Inbound traffic to the CDE is restricted as follows: to only traffic that is necessary; all other traffic is specifically denied.",
      evidence: "partly",
      controls: ["NP-01", "NP-02", "NP-06"],
      rationale:
        "An enforcing engine with a default deny for ingress in every workload namespace and no allow-any rule denies all inbound pod traffic that no rule names, but whether each remaining rule is necessary is for you to show.",
    },
    {
      id: "1.3.2",
      title: "Outbound traffic from the CDE is restricted as follows: to only traffic that is necessary; all other traffic is specifically denied.",
      evidence: "partly",
      controls: ["NP-01", "NP-03", "NP-05", "NP-06"],
      rationale:
        "An enforcing engine with a default deny for egress, no path to the instance metadata service and no allow-any rule denies all outbound pod traffic that no rule names, but whether each remaining rule is necessary is for you to show.",
    },
    {
      id: "1.4.1",
      title: "NSCs are implemented between trusted and untrusted networks.",
      evidence: "partly",
      controls: ["NP-01", "NP-02"],
      rationale:
        "Enforced network policies with a default deny for ingress are an NSC in front of every workload namespace, while the NSCs at the network perimeter (firewalls, network security groups) are outside what Bulkhead reads.",
    },
    {
      id: "1.4.2",
      title:
        "Inbound traffic from untrusted networks to trusted networks is restricted to: communications with system components that are authorized to provide publicly accessible services, protocols, and ports; stateful responses to communications initiated by system components in a trusted network; all other traffic is denied.",
      evidence: "partly",
      controls: ["NP-01", "NP-02", "NP-06"],
      rationale:
        "A default deny for ingress and no rule admitting any outside address keep untrusted sources out of pods unless a rule names them, while which components may offer public services is for you to authorize.",
    },
  ],
};
