// What the KPI cards ask for, shared by the cards (their hooks) and the Overview's loader (its
// prefetch), so both name the same queries. No client or server imports.
import type { KpisRequest, ScopeRequest, TrendRequest } from "@/lib/api/query-keys";

/** The sparkline's days. */
export const SPARK_DAYS = 90;
/** Each card's change is against this many days earlier. */
export const CHANGE_DAYS = 30;
const DAY_MS = 86_400_000;

export function kpiCardsRequests(asOf: string, scope: ScopeRequest): { current: KpisRequest; previous: KpisRequest; trend: TrendRequest } {
  const earlier = new Date(new Date(asOf).getTime() - CHANGE_DAYS * DAY_MS).toISOString();
  return {
    current: { asOf, ...scope },
    previous: { asOf: earlier, ...scope },
    trend: { range: SPARK_DAYS, by: "none", to: asOf.slice(0, 10), ...scope },
  };
}
