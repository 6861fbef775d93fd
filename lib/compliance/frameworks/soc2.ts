import type { FrameworkInput } from "../framework-schema";

// AICPA 2017 Trust Services Criteria (with the revised points of focus of 2022), common criteria
// CC6 "Logical and Physical Access Controls". `title` is the criterion's text.
export const soc2: FrameworkInput = {
  id: "soc2",
  name: "SOC 2 Trust Services Criteria",
  version: "2017 (revised points of focus, 2022)",
  publisher: "AICPA",
  limits:
    "SOC 2 criteria are met by a set of controls your auditor tests over a period; network policies are one control among identity, encryption and monitoring, so every mapping is partial.",
  requirements: [
    {
      id: "CC6.1",
      title:
        "The entity implements logical access security software, infrastructure, and architectures over protected information assets to protect them from security events to meet the entity's objectives.",
      evidence: "partly",
      controls: ["NP-01", "NP-02", "NP-03", "NP-05", "NP-06"],
      rationale:
        "Enforced default-deny policies without allow-any rules, and pods kept from the node's metadata service and its credentials, are the network architecture part of logical access security.",
    },
    {
      id: "CC6.6",
      title: "The entity implements logical access security measures to protect against threats from sources outside its system boundaries.",
      evidence: "partly",
      controls: ["NP-01", "NP-02", "NP-06"],
      rationale:
        "A default deny for ingress and no rule admitting any outside address restrict what outside sources can reach in a cluster, while the boundary protection systems in front of it are outside what Bulkhead reads.",
    },
    {
      id: "CC6.7",
      title:
        "The entity restricts the transmission, movement, and removal of information to authorized internal and external users and processes, and protects it during transmission, movement, or removal to meet the entity's objectives.",
      evidence: "partly",
      controls: ["NP-01", "NP-03", "NP-06"],
      rationale:
        "A default deny for egress without allow-any rules limits where workloads can send information, while protection in transit (encryption) needs other evidence.",
    },
  ],
};
