import "server-only";
import { subDays } from "date-fns";
import { getComplianceTrend } from "@/lib/compliance/get-compliance-trend";
import { getComplianceView, requirementEvidence, summarizeView, type ComplianceSummary, type ComplianceView, type RequirementEvidence } from "@/lib/compliance/get-compliance-view";
import type { EvidenceList } from "@/lib/compliance/view-limits";
import type { ComplianceScope } from "@/lib/compliance/compliance-scope";
import type { RequirementTrend } from "@/lib/compliance/get-requirement-trend";
import type { MigrationQuery } from "@/lib/api/migration-params";
import { toKpiScope } from "@/lib/api/params";
import type { Database } from "@/lib/db/client";
import { cachedAtTime } from "@/lib/kpi/kpi-cache";
import { DEFAULT_MTTR_WINDOW_DAYS, getKpis, type GetKpisParams, type KpiReport } from "@/lib/kpi/get-kpis";
import { startOfUtcDay } from "@/lib/kpi/get-kpi-trend";
import type { KpiScope } from "@/lib/kpi/scope";
import { STALE_AFTER_HOURS, type LastRunSummary } from "./get-last-run";
import { getMigrationView, type MigrationView } from "./get-migration-view";
import { getOverview, type OverviewData } from "./get-overview";
import { getRiskRanking, type RiskDimension, type RiskRow } from "./get-risk-ranking";
import { getTrendSeries, type TrendSeries, type TrendSeriesParams } from "./get-trend-series";

// What the API routes and the pages' loaders serve: the same figures as the functions they wrap,
// through the KPI cache (lib/kpi/kpi-cache.ts) that the Overview and its cards ask for on every
// load. The CLI and reports call the functions themselves.

const scopeKey = (scope: KpiScope | undefined) => JSON.stringify([scope?.subscriptionId ?? null, scope?.owner ?? null]);

/** The Overview at `asOf`, cached per scope; the fields that name the time itself follow `asOf`. */
export function getOverviewCached(db: Database, params: { asOf: Date; scope: KpiScope }): Promise<OverviewData> {
  return cachedAtTime(db, {
    key: `overview:${scopeKey(params.scope)}`,
    at: params.asOf,
    compute: () => getOverview(db, params),
    retime: (value, at) => ({ ...value, asOf: at.toISOString(), lastRun: retimeLastRun(value.lastRun, at) }),
  });
}

function retimeLastRun(lastRun: LastRunSummary, at: Date): LastRunSummary {
  if (!lastRun.lastSuccessful) return lastRun;
  const ageHours = (at.getTime() - new Date(lastRun.lastSuccessful.capturedAt).getTime()) / 3_600_000;
  return { ...lastRun, lastSuccessful: { ...lastRun.lastSuccessful, ageHours: Math.round(ageHours * 10) / 10, stale: ageHours > STALE_AFTER_HOURS } };
}

/** The KPIs at `asOf` over the default MTTR window, cached per grouping and scope; an explicit window is computed as asked. */
export function getKpisCached(db: Database, params: GetKpisParams): Promise<KpiReport> {
  if (params.from) return getKpis(db, params);
  return cachedAtTime(db, {
    key: `kpis:${params.by ?? "all"}:${scopeKey(params.scope)}`,
    at: params.asOf,
    compute: () => getKpis(db, params),
    retime: (value, at) => ({ ...value, asOf: at.toISOString(), from: subDays(at, DEFAULT_MTTR_WINDOW_DAYS).toISOString() }),
  });
}

/** Where the risk sits at `asOf`, per owner or subscription, cached per dimension and scope (the board report's ranking). */
export function getRiskRankingCached(db: Database, params: { asOf: Date; by: RiskDimension; scope: KpiScope }): Promise<RiskRow[]> {
  return cachedAtTime(db, { key: `risk:${params.by}:${scopeKey(params.scope)}`, at: params.asOf, compute: () => getRiskRanking(db, params) });
}

/** A daily trend, cached per day, range, split and scope: it changes with writes only. */
export function getTrendSeriesCached(db: Database, params: TrendSeriesParams): Promise<TrendSeries> {
  const groups = params.groups === undefined ? null : params.groups === "all" ? "all" : [...params.groups];
  return cachedAtTime(db, {
    key: `trend:${JSON.stringify([startOfUtcDay(params.toDay).toISOString(), params.range, params.by, params.top ?? null, groups])}:${scopeKey(params.scope)}`,
    at: null,
    compute: () => getTrendSeries(db, params),
  });
}

/**
 * The Migration view, cached per UTC day, length of the burn-down and scope: it reads every
 * snapshot of the history (seconds at 10,000 clusters × 365 days), and changes with writes only
 * within a day (its days and deadlines count from the day, which is part of the key).
 */
export function getMigrationViewCached(db: Database, params: { today: Date; days: number; scope: KpiScope }): Promise<MigrationView> {
  return cachedAtTime(db, {
    key: `migration:${JSON.stringify([startOfUtcDay(params.today).toISOString(), params.days])}:${scopeKey(params.scope)}`,
    at: null,
    compute: () => getMigrationView(db, params),
  });
}

/** The Migration view a request asks for today (its days and scope): what the route, the page and the CSV export show. */
export function getMigrationViewForRequest(db: Database, query: MigrationQuery): Promise<MigrationView> {
  return getMigrationViewCached(db, { today: new Date(), days: query.days, scope: toKpiScope(query) });
}

const complianceScopeKey = (scope: ComplianceScope) => `${scopeKey(scope)}:${scope.productionOnly ?? false}`;

/**
 * The Compliance page's requirements for one framework, scope and day, cached like the Overview
 * (at 10,000 clusters it reads every cluster's evaluation: over a second). A past day is a fixed
 * instant; today is "now", so the entry holds until the next event that changes the figures and
 * names the time asked for. Today's UTC day is part of the key, so "today" never outlives its day.
 */
export function getComplianceViewCached(db: Database, query: { framework: string; day?: string; scope: ComplianceScope }): Promise<ComplianceView> {
  const now = new Date();
  return cachedAtTime(db, {
    key: `compliance:${JSON.stringify([query.framework, query.day ?? null, startOfUtcDay(now).toISOString()])}:${complianceScopeKey(query.scope)}`,
    at: now,
    compute: () => getComplianceView(db, query),
    retime: (value, at) => (value.partialDay ? { ...value, asOf: at.toISOString() } : value),
  });
}

/** The Compliance page's first answer: the cached view without the clusters' evidence. */
export async function getComplianceSummaryCached(db: Database, query: { framework: string; day?: string; scope: ComplianceScope }): Promise<ComplianceSummary> {
  return summarizeView(await getComplianceViewCached(db, query));
}

/** One requirement's list of clusters with their evidence, cut from the same cached view. */
export async function getRequirementEvidenceCached(
  db: Database,
  query: { framework: string; day?: string; scope: ComplianceScope; requirement: string; list: EvidenceList; limit: number },
): Promise<RequirementEvidence> {
  return requirementEvidence(await getComplianceViewCached(db, query), query);
}

/** Each requirement's daily pass rate, cached per framework, day, length, today and scope: the end of each day changes with writes only. */
export function getComplianceTrendCached(db: Database, query: { framework: string; day?: string; days: number; scope: ComplianceScope }): Promise<RequirementTrend> {
  return cachedAtTime(db, {
    key: `compliance-trend:${JSON.stringify([query.framework, query.day ?? null, query.days, startOfUtcDay(new Date()).toISOString()])}:${complianceScopeKey(query.scope)}`,
    at: null,
    compute: () => getComplianceTrend(db, query),
  });
}
