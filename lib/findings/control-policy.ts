import type { ControlId } from "@/lib/posture";

export type Severity = "critical" | "high" | "medium" | "low";

/**
 * How bad a failing control is, and how long teams get to fix it by default. No engine means no
 * policy is enforced at all; IMDS and allow-any rules are direct lateral-movement paths.
 */
export const CONTROL_POLICY: Record<ControlId, { severity: Severity; slaDays: number }> = {
  "NP-01": { severity: "critical", slaDays: 30 },
  "NP-02": { severity: "high", slaDays: 30 },
  "NP-03": { severity: "medium", slaDays: 45 },
  "NP-04": { severity: "medium", slaDays: 14 },
  "NP-05": { severity: "high", slaDays: 14 },
  "NP-06": { severity: "high", slaDays: 14 },
  "NP-07": { severity: "medium", slaDays: 30 },
};

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

export const MAX_SLA_DAYS = 365;
