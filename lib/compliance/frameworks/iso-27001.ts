import type { FrameworkInput } from "../framework-schema";

// ISO/IEC 27001:2022 Annex A (the controls of ISO/IEC 27002:2022), 8 "Technological controls".
export const iso27001: FrameworkInput = {
  id: "iso-27001",
  name: "ISO/IEC 27001 Annex A",
  version: "2022",
  publisher: "ISO/IEC",
  limits:
    "Annex A controls apply to the organization's networks as a whole; a cluster's network policies evidence segregation and security inside the cluster only.",
  requirements: [
    {
      id: "8.20",
      title: "Networks security",
      evidence: "partly",
      controls: ["NP-01", "NP-05", "NP-06"],
      rationale:
        "An enforcing engine, no allow-any rule and pods kept from the instance metadata service show the cluster network is controlled, one part of securing and managing networks.",
    },
    {
      id: "8.22",
      title: "Segregation of networks",
      evidence: "partly",
      controls: ["NP-01", "NP-02", "NP-03", "NP-07"],
      rationale:
        "Enforced policies with a default deny for ingress and egress in every workload namespace segregate the groups of services a cluster hosts, while segregation of the wider network needs other evidence.",
    },
  ],
};
