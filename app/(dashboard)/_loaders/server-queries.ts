import "server-only";
import { cache } from "react";
import { clusterListQuery, clusterTimelineQuery as clusterTimelineParams } from "@/lib/api/cluster-params";
import { kpisQuery as kpisParams, overdueByOwnerQuery as overdueParams, overviewQuery as overviewParams, trendQuery as trendParams } from "@/lib/api/dashboard-params";
import { scopeParams, toKpiScope } from "@/lib/api/params";
import {
  queryKeys,
  type ClustersRequest,
  type FindingsRequest,
  type KpisRequest,
  type OverdueByOwnerRequest,
  type OverviewRequest,
  type RunsRequest,
  type TrendRequest,
} from "@/lib/api/query-keys";
import { runListQuery } from "@/lib/api/run-params";
import { getClusterTimeline } from "@/lib/data/get-cluster-timeline";
import { getFilterOptions } from "@/lib/data/get-filter-options";
import { getKpisCached, getOverviewCached, getTrendSeriesCached } from "@/lib/data/cached-figures";
import { listClusters } from "@/lib/data/list-clusters";
import { listRuns } from "@/lib/data/list-runs";
import { listUsers } from "@/lib/data/list-users";
import { getDatabase } from "@/lib/db/client";
import { getSlaSettings } from "@/lib/findings/finding-settings";
import { getOverdueByOwner } from "@/lib/findings/get-overdue-by-owner";
import { listAssignees } from "@/lib/findings/list-assignees";
import { findingListParams, listFindings } from "@/lib/findings/list-findings";
import type { ServerQuery } from "./prefetch";

// The pages' loaders: each endpoint's query as its route handler runs it (the same zod schema, the
// same data function), under the key its client hook reads. A request the schema refuses gives null:
// nothing is prefetched and the widget shows the API's own error.

const query = (queryKey: ServerQuery["queryKey"], queryFn: ServerQuery["queryFn"]): ServerQuery => ({ queryKey, queryFn });

export function kpisQuery(request: KpisRequest): ServerQuery | null {
  const parsed = kpisParams.safeParse(request);
  if (!parsed.success) return null;
  const params = parsed.data;
  return query(queryKeys.kpis.of(request), async () =>
    getKpisCached(await getDatabase(), { asOf: params.asOf ?? new Date(), from: params.from, by: params.by, scope: toKpiScope(params) }),
  );
}

export function kpiTrendQuery(request: TrendRequest): ServerQuery | null {
  const parsed = trendParams.safeParse({ ...request, range: String(request.range), top: request.top === undefined ? undefined : String(request.top) });
  if (!parsed.success) return null;
  const params = parsed.data;
  return query(queryKeys.kpiTrend.of(request), async () =>
    getTrendSeriesCached(await getDatabase(), { toDay: params.to ?? new Date(), range: params.range, by: params.by, top: params.top, groups: params.groups, scope: toKpiScope(params) }),
  );
}

// The Overview's four widgets read one answer: one database read per request, shared.
const readOverview = cache(async (asOf: string, subscription?: string, owner?: string) =>
  getOverviewCached(await getDatabase(), { asOf: new Date(asOf), scope: toKpiScope({ subscription, owner }) }),
);

export function overviewQuery(request: OverviewRequest): ServerQuery | null {
  const parsed = overviewParams.safeParse(request);
  if (!parsed.success) return null;
  const { subscription, owner } = parsed.data;
  return query(queryKeys.overview.of(request), () => readOverview(request.asOf, subscription, owner));
}

export function overdueByOwnerQuery(request: OverdueByOwnerRequest): ServerQuery | null {
  const parsed = overdueParams.safeParse(request);
  if (!parsed.success) return null;
  const params = parsed.data;
  return query(queryKeys.overdueByOwner.of(request), async () =>
    getOverdueByOwner(await getDatabase(), { scope: toKpiScope(params), now: params.asOf, limit: params.limit }),
  );
}

// The shell's filters and a page's widgets may both want the options: one read per request.
const readFilterOptions = cache(async () => getFilterOptions(await getDatabase()));

export function filterOptionsQuery(): ServerQuery {
  return query(queryKeys.filterOptions.all, readFilterOptions);
}

export function clustersQuery(request: ClustersRequest): ServerQuery | null {
  const parsed = clusterListQuery.safeParse(request);
  if (!parsed.success) return null;
  return query(queryKeys.clusters.of(request), async () => listClusters(await getDatabase(), parsed.data));
}

export function clusterTimelineQuery(id: number, days: number): ServerQuery | null {
  const parsed = clusterTimelineParams.safeParse({ id: String(id), days: String(days) });
  if (!parsed.success) return null;
  return query(queryKeys.clusterTimeline.of(id, days), async () => getClusterTimeline(await getDatabase(), parsed.data.id, parsed.data.days));
}

export function findingsQuery(request: FindingsRequest): ServerQuery | null {
  const parsed = findingListParams.extend(scopeParams.shape).safeParse(request);
  if (!parsed.success) return null;
  return query(queryKeys.findings.of(request), async () => listFindings(await getDatabase(), parsed.data));
}

export function findingAssigneesQuery(): ServerQuery {
  return query(queryKeys.findingAssignees.all, async () => listAssignees(await getDatabase()));
}

export function runsQuery(request: RunsRequest): ServerQuery | null {
  const parsed = runListQuery.safeParse(request);
  if (!parsed.success) return null;
  return query(queryKeys.runs.of(request), async () => listRuns(await getDatabase(), parsed.data));
}

export function usersQuery(): ServerQuery {
  return query(queryKeys.users.all, async () => listUsers(await getDatabase()));
}

export function slaSettingsQuery(): ServerQuery {
  return query(queryKeys.slaSettings.all, async () => getSlaSettings(await getDatabase()));
}
