// One query-key factory per API endpoint. The client hooks fetch under these keys, the page loaders
// in app/ prefetch under the very same keys (so what the server sends is what the hook finds), and
// mutations invalidate by them: `queryKeys.findings.all` reaches every findings list, whatever its filters.
// Client-safe: no server imports.

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
  /** `a,b` (the groups drawn on their own) or `all`. */
  groups?: string;
}

export interface OverviewRequest extends ScopeRequest {
  asOf: string;
}

export interface ComplianceRequest extends ScopeRequest {
  framework: string;
  /** UTC day, YYYY-MM-DD; absent: today (now). */
  asOf?: string;
  /** "true": production clusters only. */
  production?: string;
}

export interface ComplianceTrendRequest extends ComplianceRequest {
  days: number;
}

export interface RequirementEvidenceRequest extends ComplianceRequest {
  requirement: string;
  list: "fail" | "waived" | "pass" | "na";
  /** Clusters wanted from the start of the list. */
  limit: number;
}

export interface OverdueByOwnerRequest extends ScopeRequest {
  /** ISO time; default now. */
  asOf?: string;
  limit?: number;
}

// The list pages keep their state in the URL: their requests are the URL's parameters, as text
// (the server validates them), read the same way by the page's loader and by its client view.

export const CLUSTERS_PARAMS = ["q", "sort", "dir", "page", "pageSize", "engine", "kind", "failing", "production", "deleted", "advisory", "subscription", "owner"] as const;
export type ClustersRequest = Partial<Record<(typeof CLUSTERS_PARAMS)[number], string>>;

export const FINDINGS_PARAMS = ["status", "control", "severity", "sla", "assignee", "production", "q", "sort", "dir", "page", "pageSize", "subscription", "owner"] as const;
export type FindingsRequest = Partial<Record<(typeof FINDINGS_PARAMS)[number], string>>;

export const RUNS_PARAMS = ["page", "pageSize", "status"] as const;
export type RunsRequest = Partial<Record<(typeof RUNS_PARAMS)[number], string>>;

/** A list request from a URL's parameters: the named ones with a value, nothing else. */
export function readListRequest<Name extends string>(names: readonly Name[], get: (name: Name) => string | null | undefined): Partial<Record<Name, string>> {
  const request: Partial<Record<Name, string>> = {};
  for (const name of names) {
    const value = get(name);
    if (value) request[name] = value;
  }
  return request;
}

/** The same request always gives the same key: undefined and empty values are dropped. */
function clean<T extends object>(request: T): T {
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined && value !== null && value !== "")) as T;
}

export const queryKeys = {
  kpis: { all: ["kpis"] as const, of: (request: KpisRequest) => ["kpis", clean(request)] as const },
  kpiTrend: { all: ["kpi-trend"] as const, of: (request: TrendRequest) => ["kpi-trend", clean(request)] as const },
  overview: { all: ["overview"] as const, of: (request: OverviewRequest) => ["overview", clean(request)] as const },
  compliance: { all: ["compliance"] as const, of: (request: ComplianceRequest) => ["compliance", clean(request)] as const },
  complianceTrend: { all: ["compliance-trend"] as const, of: (request: ComplianceTrendRequest) => ["compliance-trend", clean(request)] as const },
  complianceEvidence: { all: ["compliance-evidence"] as const, of: (request: RequirementEvidenceRequest) => ["compliance-evidence", clean(request)] as const },
  filterOptions: { all: ["filter-options"] as const },
  clusters: { all: ["clusters"] as const, of: (request: ClustersRequest) => ["clusters", clean(request)] as const },
  clusterDetail: { all: ["cluster-detail"] as const, of: (id: number) => ["cluster-detail", id] as const },
  clusterTimeline: { all: ["cluster-timeline"] as const, of: (id: number, days: number) => ["cluster-timeline", { id, days }] as const },
  clusterReachability: { all: ["cluster-reachability"] as const, of: (id: number, from: string, to: string) => ["cluster-reachability", { id, from, to }] as const },
  findings: { all: ["findings"] as const, of: (request: FindingsRequest) => ["findings", clean(request)] as const },
  finding: { all: ["finding"] as const, of: (id: number) => ["finding", id] as const },
  findingAssignees: { all: ["finding-assignees"] as const },
  overdueByOwner: { all: ["overdue-by-owner"] as const, of: (request: OverdueByOwnerRequest) => ["overdue-by-owner", clean(request)] as const },
  runs: { all: ["runs"] as const, of: (request: RunsRequest) => ["runs", clean(request)] as const },
  runErrors: { all: ["run-errors"] as const, of: (runId: number, page: number) => ["run-errors", { runId, page }] as const },
  users: { all: ["users"] as const },
  slaSettings: { all: ["sla-settings"] as const },
  rulesStatus: { all: ["rules-status"] as const },
};

/** What a finished re-evaluation moves: every judged view. */
export const REEVALUATION_VIEWS = [
  queryKeys.kpis.all,
  queryKeys.compliance.all,
  queryKeys.complianceTrend.all,
  queryKeys.complianceEvidence.all,
  queryKeys.kpiTrend.all,
  queryKeys.overview.all,
  queryKeys.clusters.all,
  queryKeys.clusterDetail.all,
  queryKeys.clusterTimeline.all,
  queryKeys.clusterReachability.all,
  queryKeys.findings.all,
  queryKeys.finding.all,
  queryKeys.overdueByOwner.all,
] as const;

/** What a change to findings can move: lists, the detail, the widgets and the KPIs (waivers). */
export const FINDING_VIEWS = [
  queryKeys.finding.all,
  queryKeys.compliance.all,
  queryKeys.complianceTrend.all,
  queryKeys.complianceEvidence.all,
  queryKeys.findings.all,
  queryKeys.findingAssignees.all,
  queryKeys.overdueByOwner.all,
  queryKeys.kpis.all,
  queryKeys.kpiTrend.all,
  queryKeys.overview.all,
  queryKeys.clusterDetail.all,
] as const;

/** What a change of the SLA per control moves: due dates and overdue counts. */
export const SLA_VIEWS = [queryKeys.finding.all, queryKeys.findings.all, queryKeys.overdueByOwner.all] as const;
