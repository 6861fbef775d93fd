// The Compliance page's state lives in its URL (a link shows the same view): which framework, which
// day, production only, the requirement open, the trend's range. Client-safe.
import type { RequirementSummary } from "@/lib/compliance/compliance-report";
import { DEFAULT_FRAMEWORK_ID } from "@/lib/compliance/default-framework";
import type { EvidenceList } from "@/lib/compliance/view-limits";

export const TREND_RANGES = [30, 90, 180, 365] as const;
export type TrendDays = (typeof TREND_RANGES)[number];

export interface ComplianceState {
  framework: string;
  /** YYYY-MM-DD; absent: today. */
  asOf?: string;
  production: boolean;
  requirement?: string;
  days: TrendDays;
  by: "all" | "owner" | "subscription";
}

export function readComplianceState(get: (name: string) => string | null | undefined): ComplianceState {
  const framework = get("framework") || DEFAULT_FRAMEWORK_ID;
  const days = Number(get("days"));
  const by = get("by");
  return {
    // An unknown framework is passed on as it is: the API answers with the list of known ones.
    framework,
    asOf: get("asOf") || undefined,
    production: get("production") === "true",
    requirement: get("requirement") || undefined,
    days: (TREND_RANGES as readonly number[]).includes(days) ? (days as TrendDays) : 90,
    by: by === "owner" || by === "subscription" ? by : "all",
  };
}

/** The requirement the page opens: the one the address names, else the first failing one, else the first. */
export function selectRequirement<T extends RequirementSummary>(requirements: readonly T[], id: string | undefined): T | undefined {
  return requirements.find((requirement) => requirement.id === id) ?? requirements.find((requirement) => requirement.failing > 0) ?? requirements[0];
}

/** The list a requirement's detail opens on: its failures, else its waived failures, else its passes. */
export function firstEvidenceList(requirement: RequirementSummary): EvidenceList {
  return requirement.failing > 0 ? "fail" : requirement.waived > 0 ? "waived" : "pass";
}

/** How many clusters a requirement has in a list: its counts, which the list's evidence is fetched to show. */
export function countInList(requirement: RequirementSummary, list: EvidenceList): number {
  return { fail: requirement.failing, waived: requirement.waived, pass: requirement.passing, na: requirement.notApplicable }[list];
}
