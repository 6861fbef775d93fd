"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { KPIS, type KpiId } from "@/components/kpi/kpi-meta";
import { NoDataHelp } from "@/components/overview/no-data-help";
import { useCurrentUser } from "@/components/providers/current-user-provider";
import { Card, CardHeader } from "@/components/ui/card";
import { SegmentedControl } from "@/components/ui/segmented-control";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/state-message";
import { useKpiTrendQuery } from "@/hooks/use-kpi-trend-query";
import { useScopeParams } from "@/hooks/use-scope-params";
import { TREND_RANGES, type TrendRange } from "@/lib/api/query-keys";
import { cn } from "@/lib/class-names";
import type { TrendSeries, TrendSplit } from "@/lib/data/get-trend-series";
import { formatDay } from "@/lib/format";
import { formatWithUnit, TrendChart } from "./trend-chart";
import { buildTrendTable, csvFileName, toCsvWithHeaderLine, type RowGranularity } from "./trend-table-model";
import { MultiSelectFilter, splitValues } from "@/components/table/multi-select-filter";
import { SeriesSwatch, seriesStyle } from "@/components/ui/series-style";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import { useFilterOptionsQuery } from "@/hooks/use-filter-options-query";
import { TrendTable } from "./trend-table";
import { defaultRows, readTrendView } from "./trend-view-state";

/** What an empty chart means for the KPIs whose figures can be missing, and how each day's figure is made. */
const EMPTY_TITLES: Partial<Record<KpiId, string>> = {
  mttrHours: "No NP-01 finding was resolved in this range",
  lateralExposure: "No cluster in scope had in-cluster data in this range",
};
const EMPTY_HELP: Partial<Record<KpiId, string>> = {
  mttrHours: "MTTR needs at least one cluster that got a policy engine in the 30 days before a day.",
  lateralExposure: "Lateral exposure needs the namespaces and policy objects read from inside a cluster; history recorded before reachability was stored has none until it is re-evaluated.",
};
const KPI_NOTES: Partial<Record<KpiId, string>> = {
  mttrHours: "MTTR on a day is the mean over NP-01 findings resolved in the 30 days before it.",
  lateralExposure: "Lateral exposure on a day is the mean of the clusters' exposure weighted by their pods, over the clusters with in-cluster data; lower is better.",
};

const SPLIT_OPTIONS = [
  { value: "none", label: "None" },
  { value: "subscription", label: "Subscription" },
  { value: "owner", label: "Owner" },
] as const;

const RANGE_OPTIONS = TREND_RANGES.map((range) => ({ value: String(range) as `${TrendRange}`, label: `${range} days` }));

const ROW_OPTIONS = [
  { value: "daily", label: "Daily" },
  { value: "weekly", label: "Weekly" },
] as const;

/**
 * The view's parameters: kept in the address (replaceState, no server round trip) and in state, so a
 * radio button shows its new value at once rather than after the router catches up.
 */
function useViewSearch() {
  const searchParams = useSearchParams();
  const urlSearch = searchParams.toString();
  const [search, setSearch] = useState(urlSearch);
  const [seenUrl, setSeenUrl] = useState(urlSearch);
  // The address changed elsewhere (the shell's filters, navigation): follow it.
  if (urlSearch !== seenUrl) {
    setSeenUrl(urlSearch);
    setSearch(urlSearch);
  }
  const setView = useCallback(
    (changes: Record<string, string | undefined>) => {
      const next = new URLSearchParams(search);
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) next.delete(key);
        else next.set(key, value);
      }
      const query = next.toString();
      setSearch(query);
      window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
    },
    [search],
  );
  return { params: useMemo(() => new URLSearchParams(search), [search]), setView };
}

/** The export: every group of the split (none merged into "Other"), with a line saying what the file is. */
async function downloadCsv(options: {
  request: { range: number; by: TrendSplit; to: string; subscription?: string; owner?: string };
  kpi: ReturnType<typeof readTrendView>["kpi"];
  rows: RowGranularity;
  scopeText: string;
  user: string;
}) {
  const series = await fetchJson<TrendSeries>(`/api/kpis/trend${toSearch({ ...options.request, groups: options.request.by === "none" ? undefined : "all" })}`);
  const table = buildTrendTable(series, options.kpi, options.rows);
  const text = toCsvWithHeaderLine(table, series, { scope: options.scopeText, generatedAt: new Date(), generatedBy: options.user });
  const blob = new Blob([text], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = csvFileName(table, series, { subscription: options.request.subscription, owner: options.request.owner });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function splitNoun(by: TrendSplit): string {
  return by === "owner" ? "owner" : "subscription";
}

/** The FinOps page: each KPI over 30 to 365 days, one line per subscription or owner, with its table and CSV. */
export function TrendsView({ today }: { today: string }) {
  const { params, setView } = useViewSearch();
  const { subscription, owner } = useScopeParams();
  const user = useCurrentUser();
  const canExport = user.can("report:export");
  const view = readTrendView((name) => params.get(name));
  const scope = useMemo(() => ({ subscription, owner }), [subscription, owner]);
  const pickedGroups = view.by === "none" ? [] : splitValues(params.get("groups") ?? undefined);
  const trend = useKpiTrendQuery({ range: view.range, by: view.by, to: today, ...scope, groups: pickedGroups.length ? pickedGroups.join(",") : undefined }, { keepPrevious: true });
  const [hidden, setHidden] = useState<Set<string>>(() => new Set());
  const [exporting, setExporting] = useState<"idle" | "busy" | "failed">("idle");
  const filterOptions = useFilterOptionsQuery();
  const subscriptionName = subscription ? (filterOptions.data?.subscriptions.find((item) => item.id === subscription)?.displayName ?? subscription) : null;
  const scopeText = subscription || owner ? [subscriptionName ? `subscription ${subscriptionName} (${subscription})` : null, owner ? `owner ${owner}` : null].filter(Boolean).join(" and ") : "all subscriptions and owners";
  const series = trend.data;
  const table = useMemo(() => (series ? buildTrendTable(series, view.kpi, view.rows) : null), [series, view.kpi, view.rows]);
  const updating = trend.isPlaceholderData || (trend.isFetching && !trend.isPending);
  const hasData = series ? series.groups.some((group) => group.values.clusters.some((clusters) => clusters > 0) || group.values.resolvedFindings.some((resolved) => resolved > 0)) : false;
  const hasFigures = table ? table.rows.some((row) => row.values.some((value) => value !== null)) : false;

  const splitText = view.by === "none" ? "all clusters in scope" : `by ${splitNoun(view.by)}`;
  const caption = `${view.kpi.title} (${table?.unit ?? ""}), ${splitText}, last ${view.range} days${view.rows === "weekly" ? ", weekly" : ""}`;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="max-w-3xl">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Trends</h1>
          <p className="mt-1 text-sm text-slate-600">
            Each KPI at the end of every UTC day, up to today ({formatDay(today)}). Split by subscription or owner, the {series?.top ?? 6} largest groups by
            clusters today get a line each (or the ones you pick) and the rest are merged into “Other” from their counts. The CSV holds every group.
          </p>
        </div>
        {canExport ? (
          <button
            type="button"
            disabled={!table || !series || !hasFigures || exporting === "busy"}
            title="Every group of the split (none merged into Other), with a first line stating scope, definition and time"
            onClick={() => {
              setExporting("busy");
              downloadCsv({ request: { range: view.range, by: view.by, to: today, ...scope }, kpi: view.kpi, rows: view.rows, scopeText, user: user.email }).then(
                () => setExporting("idle"),
                () => setExporting("failed"),
              );
            }}
            className="inline-flex h-9 items-center gap-2 rounded-md bg-slate-900 px-3 text-sm font-medium text-white shadow-sm hover:bg-slate-800 disabled:cursor-not-allowed disabled:bg-slate-500 print:hidden"
          >
            <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
              <path d="M9 2h2v9.2l3.3-3.3 1.4 1.4L10 15 4.3 9.3l1.4-1.4L9 11.2V2Zm-6 14h14v2H3v-2Z" />
            </svg>
            {exporting === "busy" ? "Preparing CSV…" : "Download CSV"}
          </button>
        ) : (
          <p className="max-w-xs text-sm text-slate-600 print:hidden">CSV export is for the FinOps, security and admin roles.</p>
        )}
      </div>

      {view.ignored.length > 0 ? (
        <p role="status" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          Not understood in the address, so the default is shown: {view.ignored.join("; ")}.
        </p>
      ) : null}

      <div className="flex flex-wrap items-end gap-x-6 gap-y-3 print:hidden" role="group" aria-label="Chart options">
        <SegmentedControl
          legend="KPI"
          options={KPIS.map((kpi) => ({ value: kpi.slug, label: kpi.short }))}
          value={view.kpi.slug}
          onChange={(kpi) => setView({ kpi })}
        />
        {/* The granularity stays what it is when the range changes: nothing switches by itself. */}
        <SegmentedControl legend="Range" options={RANGE_OPTIONS} value={String(view.range) as `${TrendRange}`} onChange={(range) => setView({ range })} />
        <SegmentedControl legend="Split by" options={SPLIT_OPTIONS} value={view.by} onChange={(by) => (setHidden(new Set()), setView({ by: by === "none" ? undefined : by, groups: undefined }))} />
        <SegmentedControl
          legend="Granularity"
          options={ROW_OPTIONS}
          value={view.rows}
          onChange={(rows: RowGranularity) => setView({ rows: rows === defaultRows() ? undefined : rows })}
        />
        {view.by !== "none" && series?.available.length ? (
          <MultiSelectFilter
            id="trend-groups"
            label={view.by === "owner" ? "Owners shown" : "Subscriptions shown"}
            allLabel={`Largest ${series.top}, rest as Other`}
            options={series.available.map((group) => ({ value: group.key, label: `${group.label} (${group.clustersAtEnd})` }))}
            value={pickedGroups}
            onChange={(values) => setView({ groups: values?.join(",") })}
          />
        ) : null}
      </div>
      {exporting === "failed" ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
          The CSV could not be made: the server did not answer. Try again.
        </p>
      ) : null}

      <Card aria-labelledby="trend-chart-title" className="break-inside-avoid">
        <CardHeader
          id="trend-chart-title"
          title={`${view.kpi.title}, ${splitText}`}
          description={
            <>
              {view.kpi.description} {view.kpi.better === "higher" ? "Higher is better." : "Lower is better."}
            </>
          }
          action={
            <span aria-live="polite" className="text-xs font-medium text-slate-600">
              {updating ? "Updating…" : ""}
            </span>
          }
        />
        {trend.isPending ? (
          <Skeleton className="h-[340px] w-full" label="Loading the trend" />
        ) : trend.isError && !series ? (
          <ErrorState error={trend.error} onRetry={() => void trend.refetch()} />
        ) : !series || !table || !hasData ? (
          <EmptyState title={subscription || owner ? "No clusters match these filters in this range" : "No data in this range yet"}>
            {subscription || owner ? <p>Clear the filters, or pick a longer range.</p> : <NoDataHelp />}
          </EmptyState>
        ) : (
          <div className={cn("transition-opacity", updating && "opacity-60")} data-testid="trend-chart" data-kpi={view.kpi.slug} data-range={series.range} data-by={series.by}>
            {trend.isError ? <ErrorState className="mb-4" error={trend.error} onRetry={() => void trend.refetch()} /> : null}
            <ul className="mb-3 flex flex-wrap gap-x-3 gap-y-1.5 text-sm" aria-label="Legend, with the latest figure: press a series to hide or show it">
              {table.columns.map((column, index) => {
                const off = hidden.has(column.key);
                const group = series.groups[index];
                return (
                  <li key={column.id} className="flex items-center" data-testid="legend-item">
                    <button
                      type="button"
                      aria-pressed={!off}
                      onClick={() => {
                        const next = new Set(hidden);
                        if (off) next.delete(column.key);
                        else next.add(column.key);
                        setHidden(next);
                      }}
                      className={cn("flex items-center gap-2 rounded-md px-1.5 py-1 hover:bg-slate-100", off && "opacity-50")}
                      title={off ? "Show this series" : "Hide this series"}
                    >
                      <SeriesSwatch style={seriesStyle(index, column.kind)} />
                      <span className={cn("text-slate-800", off && "line-through")}>{column.label}</span>
                      <span className="font-semibold text-slate-900 tabular-nums">{formatWithUnit(table.rows[0]?.values[index] ?? null, table.unit)}</span>
                    </button>
                    {group?.members?.length ? (
                      <details className="relative ml-1 text-xs">
                        <summary className="cursor-pointer font-medium text-brand-700">who?</summary>
                        <ul aria-label="In Other" className="absolute z-20 mt-1 max-h-64 w-64 overflow-auto rounded-md border border-slate-200 bg-white p-2 shadow-lg">
                          {group.members.map((member) => (
                            <li key={member.key} className="flex justify-between gap-2 py-0.5 text-slate-800">
                              <span className="truncate" title={member.key}>
                                {member.label}
                              </span>
                              <span className="tabular-nums text-slate-600">{member.clustersAtEnd} clusters</span>
                            </li>
                          ))}
                        </ul>
                      </details>
                    ) : null}
                  </li>
                );
              })}
            </ul>
            {hasFigures ? (
              <TrendChart
                table={table}
                label={`Line chart: ${caption}. The figures are in the table below.`}
                hidden={hidden}
                historyStartDay={series.historyStartDay}
                withYear={view.range > 90}
              />
            ) : (
              <EmptyState title={EMPTY_TITLES[view.kpi.id] ?? "No figures in this range"}>{EMPTY_HELP[view.kpi.id] ? <p>{EMPTY_HELP[view.kpi.id]}</p> : null}</EmptyState>
            )}
            {KPI_NOTES[view.kpi.id] ? <p className="mt-2 text-xs text-slate-600">{KPI_NOTES[view.kpi.id]}</p> : null}
          </div>
        )}
      </Card>

      {series && table && hasData && hasFigures ? (
        <Card aria-labelledby="trend-table-title">
          <CardHeader
            id="trend-table-title"
            title="The figures"
            description={`${caption}. ${view.rows === "weekly" ? "One row per week: the figure at the end of its last day." : "One row per day: the figure at the end of that UTC day."} The CSV holds exactly this table.`}
          />
          <TrendTable table={table} caption={caption} />
        </Card>
      ) : null}
    </div>
  );
}

export function TrendsViewSkeleton() {
  return (
    <div className="space-y-6">
      <Skeleton className="h-12 w-2/3" label="Loading trends" />
      <Skeleton className="h-14 w-full" />
      <Skeleton className="h-[420px] w-full" />
    </div>
  );
}
