// Query keys and URLs of the dashboard endpoints, shared by the server prefetch and the client
// hooks so that hydrated data lands under exactly the key the hook asks for.
import { toSearch } from "./fetch-json";

export const TREND_RANGES = [30, 90, 180, 365] as const;
export type TrendRange = (typeof TREND_RANGES)[number];
export const DEFAULT_TREND_RANGE: TrendRange = 90;

export interface ScopeRequest {
  subscription?: string;
  owner?: string;
}

export interface KpisRequest extends ScopeRequest {
  /** ISO time. */
  asOf: string;
  from?: string;
  by?: "all" | "subscription" | "owner";
}

export interface TrendRequest extends ScopeRequest {
  range: number;
  by: "none" | "subscription" | "owner";
  /** Last UTC day, YYYY-MM-DD. */
  to: string;
  top?: number;
}

export interface OverviewRequest extends ScopeRequest {
  asOf: string;
}

/** The same request always gives the same key: undefined and empty values are dropped. */
function clean<T extends object>(request: T): T {
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined && value !== null && value !== "")) as T;
}

export const kpisQueryKey = (request: KpisRequest) => ["kpis", clean(request)] as const;
export const kpisUrl = (request: KpisRequest) => `/api/kpis${toSearch({ ...clean(request) })}`;

export const kpiTrendQueryKey = (request: TrendRequest) => ["kpi-trend", clean(request)] as const;
export const kpiTrendUrl = (request: TrendRequest) => `/api/kpis/trend${toSearch({ ...clean(request) })}`;

export const overviewQueryKey = (request: OverviewRequest) => ["overview", clean(request)] as const;
export const overviewUrl = (request: OverviewRequest) => `/api/overview${toSearch({ ...clean(request) })}`;
