// How a cluster's control results become a requirement's outcome (docs/compliance.md "How a
// requirement is judged"). Pure: the page, the evidence pack and the CLI all judge through here.
import type { ControlId, ControlStatus } from "@/lib/posture/types";
import { percent } from "@/lib/kpi/scope";

/** A control's result as an auditor reads it: a failure under a waiver in force is `waived`. */
export type ControlOutcome = "pass" | "fail" | "waived" | "n/a";
/** The same four for a requirement: its network evidence passes, fails, fails only under waivers, or is absent. */
export type RequirementOutcome = ControlOutcome;

export const OUTCOMES: readonly RequirementOutcome[] = ["pass", "fail", "waived", "n/a"];

export function controlOutcome(status: ControlStatus, waived: boolean): ControlOutcome {
  return status === "fail" && waived ? "waived" : status;
}

/**
 * A requirement fails when any of its controls fails unwaived; else it is waived when one fails under
 * a waiver; else it passes when one passes; else (every control n/a: no in-cluster data, say) n/a.
 */
export function requirementOutcome(controls: readonly ControlId[], outcomeOf: (id: ControlId) => ControlOutcome): RequirementOutcome {
  const outcomes = controls.map(outcomeOf);
  if (outcomes.includes("fail")) return "fail";
  if (outcomes.includes("waived")) return "waived";
  if (outcomes.includes("pass")) return "pass";
  return "n/a";
}

export interface OutcomeCounts {
  passing: number;
  failing: number;
  waived: number;
  notApplicable: number;
}

export const NO_OUTCOMES: OutcomeCounts = Object.freeze({ passing: 0, failing: 0, waived: 0, notApplicable: 0 });

export function addOutcome(counts: OutcomeCounts, outcome: RequirementOutcome, weight = 1): OutcomeCounts {
  if (outcome === "pass") return { ...counts, passing: counts.passing + weight };
  if (outcome === "fail") return { ...counts, failing: counts.failing + weight };
  if (outcome === "waived") return { ...counts, waived: counts.waived + weight };
  return { ...counts, notApplicable: counts.notApplicable + weight };
}

/** Passing ÷ (passing + failing) × 100, one decimal; waived and n/a are left out, as the audit pass rate leaves them. */
export function passRateOf(counts: OutcomeCounts): number | null {
  return percent(counts.passing, counts.passing + counts.failing);
}
