import type { ControlSeverity } from "@/lib/posture";

// Each control's severity and default SLA are part of its catalogue entry (lib/posture/control-catalogue.ts).
export type Severity = ControlSeverity;

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

export const MAX_SLA_DAYS = 365;
