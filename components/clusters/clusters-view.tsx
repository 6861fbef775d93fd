"use client";

import Link from "next/link";
import { FilterBar, FilterSelect } from "@/components/table/filter-bar";
import { ListLoadError, TableSkeleton } from "@/components/table/list-states";
import { UrlPagination } from "@/components/table/url-pagination";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/state-message";
import { useClustersQuery } from "@/hooks/use-clusters-query";
import { useScopeParams } from "@/hooks/use-scope-params";
import { toSearch } from "@/lib/api/fetch-json";
import { CLUSTERS_PARAMS, readListRequest } from "@/lib/api/query-keys";
import { cn } from "@/lib/class-names";
import {
  DEFAULT_CLUSTER_SORT,
  DEFAULT_PAGE_SIZE,
  ENGINE_FILTER_LABELS,
  ENGINE_FILTERS,
  FIRST_SORT_DIRECTION,
  PAGE_SIZES,
  POLICY_KIND_LABELS,
  POLICY_KINDS_IN_ORDER,
  type ClusterSortKey,
  type SortDirection,
} from "@/lib/clusters/list-options";
import type { ClusterListSummary } from "@/lib/data/list-clusters";
import { formatInteger, formatPercent } from "@/lib/format";
import { ADVISORY_TEXT } from "@/lib/posture/advisory-text";
import { CONTROL_IDS, CONTROL_SPAN, CONTROLS } from "@/lib/posture/control-catalogue";
import { ADVISORY_IDS } from "@/lib/posture/types";
import { SearchBox } from "@/components/ui/search-box";
import { ClustersTable } from "./clusters-table";

const FILTER_PARAMS = ["q", "engine", "kind", "failing", "production", "deleted", "advisory"] as const;

function SummaryTile({ label, value, detail, tone }: { label: string; value: string; detail?: string; tone?: "bad" | "ok" }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className={cn("mt-1 text-2xl font-semibold tabular-nums", tone === "bad" ? "text-red-700" : tone === "ok" ? "text-emerald-700" : "text-slate-900")}>{value}</dd>
      {detail ? <dd className="text-xs text-slate-600">{detail}</dd> : null}
    </div>
  );
}

function SummaryTiles({ summary }: { summary: ClusterListSummary | undefined }) {
  if (!summary) {
    return (
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
        {Array.from({ length: 5 }, (_, index) => (
          <Skeleton key={index} className="h-[86px] rounded-xl" label="Loading figures" />
        ))}
      </div>
    );
  }
  const pct = (part: number) => (summary.clusters === 0 ? "–" : formatPercent((part / summary.clusters) * 100));
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-5">
      <SummaryTile label="Clusters" value={formatInteger(summary.clusters)} detail={`${formatInteger(summary.production)} in production`} />
      <SummaryTile
        label="Policy engine enabled"
        value={pct(summary.engineEnabled)}
        detail={`${formatInteger(summary.engineEnabled)} of ${formatInteger(summary.clusters)}`}
        tone={summary.engineEnabled < summary.clusters ? undefined : "ok"}
      />
      <SummaryTile label="Failing a control" value={formatInteger(summary.failing)} detail={`${pct(summary.failing)} of clusters`} tone={summary.failing > 0 ? "bad" : "ok"} />
      <SummaryTile label="Allow-any rules" value={formatInteger(summary.allowAnyRules)} detail="any peer, any port" tone={summary.allowAnyRules > 0 ? "bad" : "ok"} />
      <SummaryTile
        label="Without in-cluster data"
        value={formatInteger(summary.withoutInCluster)}
        detail="namespace controls n/a"
      />
    </dl>
  );
}

/** How to read the squares of the "Failing controls" column, one per control. */
function PipLegend() {
  const swatch = "inline-block h-3 w-2.5 rounded-[2px] align-[-1px]";
  return (
    <p className="mb-2 flex flex-wrap items-center justify-end gap-x-3 gap-y-1 text-xs text-slate-600">
      <span>
        Squares: {CONTROL_IDS[0]} to {CONTROL_IDS[CONTROL_IDS.length - 1]}, left to right
      </span>
      <span className="flex items-center gap-1">
        <span aria-hidden className={cn(swatch, "bg-emerald-600")} /> pass
      </span>
      <span className="flex items-center gap-1">
        <span aria-hidden className={cn(swatch, "bg-red-600")} /> fail
      </span>
      <span className="flex items-center gap-1">
        <span aria-hidden className={cn(swatch, "bg-white ring-1 ring-inset ring-slate-400")} /> n/a (not judged)
      </span>
    </p>
  );
}

/** What the page shows before the browser has its URL parameters. */
export function ClustersViewSkeleton() {
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Clusters</h1>
        <Skeleton className="mt-2 h-4 w-2/3" label="Loading" />
      </div>
      <SummaryTiles summary={undefined} />
      <Card className="pb-3">
        <TableSkeleton label="Loading clusters" rowClassName="h-11 w-full" />
      </Card>
    </div>
  );
}

/** The Clusters page: figures, search and filters, the table and its pages, all kept in the URL. */
export function ClustersView() {
  const { searchParams, setParams, subscription, owner } = useScopeParams();
  const params = readListRequest(CLUSTERS_PARAMS, (name) => searchParams.get(name));
  const query = useClustersQuery(params);
  const data = query.data;

  const sort = (data?.sort ?? (params.sort as ClusterSortKey | undefined) ?? DEFAULT_CLUSTER_SORT.sort) as ClusterSortKey;
  const dir = (data?.dir ?? (params.dir as SortDirection | undefined) ?? (params.sort ? FIRST_SORT_DIRECTION[sort] : DEFAULT_CLUSTER_SORT.dir)) as SortDirection;
  const filtersActive = FILTER_PARAMS.some((key) => params[key]);
  const clearFilters = () => setParams(Object.fromEntries(FILTER_PARAMS.map((key) => [key, undefined])));
  const detailSearch = toSearch({ subscription, owner });

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Clusters</h1>
        <p className="mt-1 text-sm text-slate-600">
          Every AKS cluster Bulkhead knows, judged on its latest snapshot against {CONTROL_SPAN}. Open a cluster for the reasons, the evidence and the fix.
        </p>
      </div>

      <SummaryTiles summary={data?.summary} />

      <Card aria-labelledby="clusters-table-title" className="pb-3">
        <h2 id="clusters-table-title" className="sr-only">
          Cluster list
        </h2>
        <FilterBar clearLabel="Clear search and filters" onClear={filtersActive ? clearFilters : undefined}>
          <SearchBox id="cluster-search" value={params.q ?? ""} placeholder="Name, resource group or owner" onSearch={(text) => setParams({ q: text || undefined })} />
          <FilterSelect id="filter-engine" label="Policy engine" value={params.engine ?? ""} onChange={(value) => setParams({ engine: value })}>
            <option value="">Any</option>
            {ENGINE_FILTERS.map((value) => (
              <option key={value} value={value}>
                {ENGINE_FILTER_LABELS[value]}
              </option>
            ))}
          </FilterSelect>
          <FilterSelect id="filter-kind" label="Policy objects" value={params.kind ?? ""} onChange={(value) => setParams({ kind: value })} className="max-w-[16rem]">
            <option value="">Any or none</option>
            {POLICY_KINDS_IN_ORDER.map((value) => (
              <option key={value} value={value}>
                Has {POLICY_KIND_LABELS[value]}
              </option>
            ))}
            <option value="none">No policy object at all</option>
          </FilterSelect>
          <FilterSelect id="filter-failing" label="Failing control" value={params.failing ?? ""} onChange={(value) => setParams({ failing: value })}>
            <option value="">Any result</option>
            <option value="any">Fails at least one</option>
            <option value="none">Fails none</option>
            {CONTROLS.map(({ id, title }) => (
              <option key={id} value={id}>
                Fails {id}: {title}
              </option>
            ))}
          </FilterSelect>
          <FilterSelect id="filter-production" label="Environment" value={params.production ?? ""} onChange={(value) => setParams({ production: value })}>
            <option value="">All</option>
            <option value="true">Production</option>
            <option value="false">Non-production</option>
          </FilterSelect>
          <FilterSelect id="filter-deleted" label="Deleted clusters" value={params.deleted ?? "exclude"} onChange={(value) => setParams({ deleted: value === "exclude" ? undefined : value })}>
            <option value="exclude">Hide</option>
            <option value="include">Include</option>
            <option value="only">Only deleted</option>
          </FilterSelect>
          <FilterSelect id="filter-advisory" label="Advisory" value={params.advisory ?? ""} onChange={(value) => setParams({ advisory: value })} className="max-w-[16rem]">
            <option value="">Any or none</option>
            {ADVISORY_IDS.map((id) => (
              <option key={id} value={id}>
                {ADVISORY_TEXT[id].title}
              </option>
            ))}
          </FilterSelect>
        </FilterBar>

        {query.isError && !data ? (
          <ListLoadError error={query.error} onRetry={() => query.refetch()} resetHref="/clusters" />
        ) : !data ? (
          <TableSkeleton label="Loading clusters" rowClassName="h-11 w-full" />
        ) : data.total === 0 ? (
          <EmptyState title="No clusters match" className="mb-2">
            <p>
              Nothing matches {filtersActive || subscription || owner ? "this search and these filters" : "yet: no collection run has recorded a cluster"}.{" "}
              {filtersActive || subscription || owner ? (
                <Link href="/clusters" className="font-medium text-brand-700 underline">
                  Reset all filters
                </Link>
              ) : null}
            </p>
          </EmptyState>
        ) : (
          <>
            {query.isError ? <ErrorState error={query.error} onRetry={() => query.refetch()} className="mb-3" /> : null}
            <PipLegend />
            <ClustersTable
              rows={data.rows}
              sort={sort}
              dir={dir}
              search={detailSearch}
              busy={query.isPlaceholderData && query.isFetching}
              onSortChange={(nextSort, nextDir) => setParams({ sort: nextSort, dir: nextDir })}
            />
            <UrlPagination
              page={data.page}
              pageCount={data.pageCount}
              pageSize={data.pageSize}
              total={data.total}
              pageSizes={PAGE_SIZES}
              defaultPageSize={DEFAULT_PAGE_SIZE}
              noun="clusters"
              setParams={setParams}
            />
          </>
        )}
      </Card>
    </div>
  );
}
