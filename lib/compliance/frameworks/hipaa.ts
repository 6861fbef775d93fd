import type { FrameworkInput } from "../framework-schema";

// HIPAA Security Rule, 45 CFR Part 164 Subpart C, technical safeguards (§164.312), as amended in
// 2013. `title` is the standard's name; its text is in docs/compliance.md.
export const hipaa: FrameworkInput = {
  id: "hipaa",
  name: "HIPAA Security Rule",
  version: "45 CFR §164.312 (as amended January 2013)",
  publisher: "U.S. Department of Health and Human Services",
  limits:
    "The technical safeguards are about people and software programs reaching ePHI; network policies restrict which programs can connect, not who a user is, and do not encrypt.",
  requirements: [
    {
      id: "164.312(a)(1)",
      title: "Access control",
      evidence: "partly",
      controls: ["NP-01", "NP-02", "NP-05", "NP-06"],
      rationale:
        "Enforced default-deny policies without allow-any rules allow connections to workloads only from the software programs a rule names, one part of allowing access only to those granted it.",
    },
    {
      id: "164.312(e)(1)",
      title: "Transmission security",
      evidence: "partly",
      controls: ["NP-01", "NP-03", "NP-06"],
      rationale:
        "A default deny for egress without allow-any rules guards against ePHI being sent to unauthorized destinations, while encryption and integrity controls in transit need other evidence.",
    },
  ],
};
