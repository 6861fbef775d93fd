// The Compliance page's state lives in its URL (a link shows the same view): which framework, which
// day, production only, the requirement open, the trend's range. Client-safe.
import { DEFAULT_FRAMEWORK_ID } from "@/lib/compliance/default-framework";

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
