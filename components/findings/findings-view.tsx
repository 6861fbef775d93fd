"use client";

import Link from "next/link";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCurrentUser } from "@/components/providers/current-user-provider";
import { FilterBar, FilterSelect } from "@/components/table/filter-bar";
import { MultiSelectFilter, splitValues } from "@/components/table/multi-select-filter";
import { ListLoadError, TableSkeleton } from "@/components/table/list-states";
import { UrlPagination } from "@/components/table/url-pagination";
import { Card } from "@/components/ui/card";
import { SearchBox } from "@/components/ui/search-box";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/state-message";
import { useFindingAssigneesQuery } from "@/hooks/use-finding-assignees-query";
import { invalidateFindingViews, useUndoAssignment, type AssignResult, type BulkTarget } from "@/hooks/use-finding-mutations";
import { useFindingsQuery } from "@/hooks/use-findings-query";
import { useFilterOptionsQuery } from "@/hooks/use-filter-options-query";
import { useScopeParams } from "@/hooks/use-scope-params";
import { toSearch } from "@/lib/api/fetch-json";
import { FINDINGS_PARAMS, readListRequest } from "@/lib/api/query-keys";
import { cn } from "@/lib/class-names";
import {
  countForStatus,
  DEFAULT_FINDING_PAGE_SIZE,
  DEFAULT_FINDING_SORT,
  FINDING_PAGE_SIZES,
  FINDING_SORT_KEYS,
  FIRST_SORT_DIRECTION,
  SEVERITIES,
  STATUS_FILTERS,
  STATUS_TABS,
  UNASSIGNED,
  plural,
  type FindingSortKey,
  type SortDirection,
  type StatusFilter,
} from "@/lib/findings/finding-display";
import type { FindingPage, FindingRow } from "@/lib/findings/list-findings";
import { formatInteger } from "@/lib/format";
import { FormError } from "@/components/ui/form";
import { CONTROLS } from "@/lib/posture/control-catalogue";
import { BulkAssignBar } from "./bulk-assign-bar";
import { SeveritySlaExplainer } from "./severity-sla-explainer";
import { FindingsTable } from "./findings-table";

const FILTER_PARAMS = ["control", "severity", "sla", "assignee", "production", "q"] as const;

/** Findings a bulk action can take at once ("select all N matching" beyond this asks to narrow the filters). */
const MAX_BULK = 500;

const SEVERITY_OPTIONS = SEVERITIES.map((severity) => ({ value: severity, label: severity[0].toUpperCase() + severity.slice(1) }));
const CONTROL_OPTIONS = CONTROLS.map((control) => ({ value: control.id, label: `${control.id}: ${control.title}` }));

/** After a bulk action, the page keeps the rows it showed (with their new values) and says what happened. */
interface BulkOutcome {
  viewKey: string;
  order: number[];
  rows: Map<number, FindingRow>;
  message: string;
  batch: string | null;
}

/** Status tabs with their counts (in the page's subscription/owner scope); links, so they keep the URL. */
function StatusTabs({ current, counts, hrefFor }: { current: StatusFilter; counts: FindingPage["counts"] | undefined; hrefFor: (status: StatusFilter) => string }) {
  return (
    <nav aria-label="Finding status" className="relative -mx-5 mb-4 overflow-x-auto border-b border-slate-200 px-5">
      <ul className="flex min-w-max gap-1">
        {STATUS_TABS.map((tab) => {
          const active = tab.value === current;
          const count = counts ? countForStatus(counts, tab.value) : null;
          return (
            <li key={tab.value}>
              <Link
                href={hrefFor(tab.value)}
                scroll={false}
                aria-current={active ? "page" : undefined}
                title={`${tab.label}: ${tab.hint}`}
                className={cn(
                  "-mb-px inline-flex items-center gap-2 border-b-2 px-3 py-2.5 text-sm font-medium",
                  active ? "border-slate-900 text-slate-900" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
                )}
              >
                {tab.label}
                <span
                  className={cn(
                    "min-w-[1.75rem] rounded-full px-1.5 py-0.5 text-center text-xs tabular-nums",
                    active ? "bg-slate-900 text-white" : tab.value === "overdue" && count ? "bg-red-100 text-red-800" : "bg-slate-100 text-slate-700",
                  )}
                >
                  {count === null ? "…" : formatInteger(count)}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function PageHeading() {
  return (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Findings</h1>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">
        One finding per cluster and failing control. It stays open until the control passes; each has an owner tag, an assignee, the SLA due date of its
        control and, when one was agreed, a later or earlier due date. Open a finding for its audit trail, comments and waivers.
      </p>
      <SeveritySlaExplainer />
    </div>
  );
}

/** What the page shows before the browser has its URL parameters. */
export function FindingsViewSkeleton() {
  return (
    <div className="space-y-5">
      <PageHeading />
      <Card className="pb-3">
        <Skeleton className="mb-4 h-10 w-full" label="Loading" />
        <TableSkeleton label="Loading findings" rowClassName="h-12 w-full" />
      </Card>
    </div>
  );
}

/** The Findings page: status tabs, filters, the table with bulk assign, and pages; all kept in the URL. */
export function FindingsView() {
  const { searchParams, setParams, subscription, owner } = useScopeParams();
  const user = useCurrentUser();
  const canAssign = user.can("finding:assign");
  const params = readListRequest(FINDINGS_PARAMS, (name) => searchParams.get(name));
  const query = useFindingsQuery(params);
  const assignees = useFindingAssigneesQuery();
  const filterOptions = useFilterOptionsQuery();
  const data = query.data;

  // The selection belongs to one view (page, filters, sort): a new view starts with none.
  const viewKey = JSON.stringify(params);
  const [selection, setSelection] = useState<{ viewKey: string; ids: Set<number>; allMatching: boolean }>({ viewKey, ids: new Set(), allMatching: false });
  const selected = selection.viewKey === viewKey ? selection.ids : new Set<number>();
  const allMatching = selection.viewKey === viewKey && selection.allMatching;
  const setSelected = (ids: Set<number>) => setSelection({ viewKey, ids, allMatching: false });
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const sticky = outcome && outcome.viewKey === viewKey ? outcome : null;
  const queryClient = useQueryClient();
  const undo = useUndoAssignment();

  const status: StatusFilter = (STATUS_FILTERS as readonly string[]).includes(params.status ?? "") ? (params.status as StatusFilter) : "active";
  const sort: FindingSortKey = (FINDING_SORT_KEYS as readonly string[]).includes(params.sort ?? "") ? (params.sort as FindingSortKey) : DEFAULT_FINDING_SORT.sort;
  const dir: SortDirection = params.dir === "asc" || params.dir === "desc" ? params.dir : params.sort ? FIRST_SORT_DIRECTION[sort] : DEFAULT_FINDING_SORT.dir;
  const activeFilters = FILTER_PARAMS.filter((key) => params[key]).length;
  const filtersActive = activeFilters > 0;
  const matchingTotal = data ? data.total : 0;
  const canSelectAll = status !== "resolved" && status !== "all" && matchingTotal <= MAX_BULK;
  const rows: FindingRow[] = sticky ? sticky.order.map((id) => sticky.rows.get(id)).filter((row): row is FindingRow => row !== undefined) : (data?.rows ?? []);
  const bulkTarget: BulkTarget = allMatching
    ? { match: { ...Object.fromEntries(Object.entries(params).filter(([key]) => !["sort", "dir", "page", "pageSize"].includes(key))), expected: matchingTotal } }
    : { ids: [...selected] };
  const selectedCount = allMatching ? matchingTotal : selected.size;
  const exportHref = (format: "csv" | "json") =>
    `/api/findings/export${toSearch({ ...Object.fromEntries(Object.entries(params).filter(([key]) => key !== "page" && key !== "pageSize")), format })}`;

  const showOutcome = (result: AssignResult, message: string) => {
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const row of result.rows) if (byId.has(row.id)) byId.set(row.id, row);
    setOutcome({ viewKey, order: rows.map((row) => row.id), rows: byId, message, batch: result.batch });
    setSelection({ viewKey, ids: new Set(), allMatching: false });
    void invalidateFindingViews(queryClient);
  };
  const undoOutcome = () => {
    if (!sticky?.batch) return;
    undo.mutate(sticky.batch, {
      onSuccess: (result) => {
        const byId = new Map(sticky.rows);
        for (const row of result.rows) if (byId.has(row.id)) byId.set(row.id, row);
        setOutcome({
          ...sticky,
          rows: byId,
          batch: null,
          message: `Undone: ${plural(result.restored, "finding")} back as ${result.restored === 1 ? "it was" : "they were"}${result.skipped ? `; ${plural(result.skipped, "finding")} changed by someone since, left as ${result.skipped === 1 ? "it is" : "they are"}` : ""}.`,
        });
        void invalidateFindingViews(queryClient);
      },
    });
  };
  const clearFilters = () => setParams(Object.fromEntries(FILTER_PARAMS.map((key) => [key, undefined])));
  const detailSearch = toSearch({ subscription, owner });
  const clusterSearch = detailSearch;
  const pageSize = data?.pageSize ?? DEFAULT_FINDING_PAGE_SIZE;
  const pageCount = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const now = query.dataUpdatedAt;

  const statusHref = (next: StatusFilter) => {
    const search = new URLSearchParams(searchParams.toString());
    if (next === "active") search.delete("status");
    else search.set("status", next);
    search.delete("page");
    const text = search.toString();
    return text ? `/findings?${text}` : "/findings";
  };

  const assigneeOptions = assignees.data ?? [];
  const suggestions = [...new Set([...assigneeOptions.map((option) => option.assignee), ...(filterOptions.data?.owners ?? []).map((o) => o.owner).filter((o) => o !== "(untagged)")])];

  return (
    <div className="space-y-5">
      <PageHeading />

      <Card aria-labelledby="findings-table-title" className="pb-3 pt-1">
        <h2 id="findings-table-title" className="sr-only">
          Finding list
        </h2>
        <StatusTabs current={status} counts={data?.counts} hrefFor={statusHref} />
        {user.can("report:export") ? (
          <div className="-mt-2 mb-3 flex flex-wrap items-center justify-end gap-2 text-sm print:hidden">
            <span className="text-xs text-slate-600">Export this list ({data ? plural(data.total, "finding") : "…"}):</span>
            <a href={exportHref("csv")} download className="rounded-md border border-slate-300 bg-white px-2.5 py-1 font-medium text-slate-800 hover:bg-slate-50">
              CSV
            </a>
            <a href={exportHref("json")} download className="rounded-md border border-slate-300 bg-white px-2.5 py-1 font-medium text-slate-800 hover:bg-slate-50">
              JSON
            </a>
          </div>
        ) : null}

        <FilterBar clearLabel="Clear filters" activeCount={activeFilters} onClear={filtersActive ? clearFilters : undefined}>
          <SearchBox
            id="finding-search"
            value={params.q ?? ""}
            placeholder="Cluster, resource group, owner or assignee"
            onSearch={(text) => setParams({ q: text || undefined })}
          />
          <MultiSelectFilter
            id="filter-control"
            label="Control"
            allLabel="All controls"
            options={CONTROL_OPTIONS}
            value={splitValues(params.control)}
            onChange={(values) => setParams({ control: values?.join(",") })}
          />
          <MultiSelectFilter
            id="filter-severity"
            label="Severity"
            allLabel="Any severity"
            options={SEVERITY_OPTIONS}
            value={splitValues(params.severity)}
            presets={[{ label: "Critical + High", values: ["critical", "high"] }]}
            onChange={(values) => setParams({ severity: values?.join(",") })}
          />
          <FilterSelect id="filter-sla" label="SLA" value={params.sla ?? ""} className="md:max-w-[15rem]" onChange={(value) => setParams({ sla: value })}>
            <option value="">Any</option>
            <option value="breached">SLA breached (extended or not)</option>
            <option value="within">Within the SLA</option>
          </FilterSelect>
          <FilterSelect id="filter-assignee" label="Assignee" value={params.assignee ?? ""} className="md:max-w-[15rem]" onChange={(value) => setParams({ assignee: value })}>
            <option value="">Anyone</option>
            <option value={UNASSIGNED}>Unassigned</option>
            {params.assignee && params.assignee !== UNASSIGNED && !assigneeOptions.some((option) => option.assignee === params.assignee) ? (
              <option value={params.assignee}>{params.assignee}</option>
            ) : null}
            {assigneeOptions.map((option) => (
              <option key={option.assignee} value={option.assignee}>
                {option.assignee} ({option.active} active)
              </option>
            ))}
          </FilterSelect>
          <FilterSelect id="filter-production" label="Environment" value={params.production ?? ""} className="md:max-w-[15rem]" onChange={(value) => setParams({ production: value })}>
            <option value="">All</option>
            <option value="true">Production</option>
            <option value="false">Non-production</option>
          </FilterSelect>
        </FilterBar>

        {canAssign && data ? (
          <BulkAssignBar
            target={bulkTarget}
            count={selectedCount}
            suggestions={suggestions}
            now={now}
            onDone={showOutcome}
            onClear={() => setSelected(new Set())}
          />
        ) : null}

        {sticky ? (
          <div role="status" className="mb-3 flex flex-wrap items-center gap-x-4 gap-y-2 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-950">
            <span>{sticky.message}</span>
            {sticky.batch ? (
              <button type="button" className="font-semibold underline underline-offset-2" disabled={undo.isPending} onClick={undoOutcome}>
                {undo.isPending ? "Undoing…" : "Undo"}
              </button>
            ) : null}
            <button type="button" className="font-medium underline underline-offset-2" onClick={() => setOutcome(null)}>
              Refresh the list
            </button>
            <span className="text-xs text-emerald-900">The rows stay as they were until you refresh, even those that no longer match the filters.</span>
            <FormError error={undo.error} className="basis-full" />
          </div>
        ) : null}

        {query.isError && !data ? (
          <ListLoadError error={query.error} onRetry={() => query.refetch()} resetHref="/findings" />
        ) : !data ? (
          <TableSkeleton label="Loading findings" rowClassName="h-12 w-full" />
        ) : data.rows.length === 0 && data.page > 1 ? (
          <EmptyState title="No findings on this page" className="mb-2">
            <p>
              {/* The API counts the rows of the page it returns, so past the end it cannot say how many there are. */}
              This page number is past the end of the list.{" "}
              <button type="button" className="font-medium text-brand-700 underline" onClick={() => setParams({ page: undefined })}>
                Go to the first page
              </button>
            </p>
          </EmptyState>
        ) : data.total === 0 ? (
          <EmptyState title={status === "overdue" && !filtersActive ? "Nothing is overdue" : "No findings match"} className="mb-2">
            <p>
              {filtersActive
                ? "Nothing matches this search and these filters. "
                : status === "active" || status === "open" || status === "overdue"
                  ? "Every failing control in this scope is within its due date, waived or fixed. "
                  : `No ${status === "all" ? "" : `${status} `}findings in this scope. `}
              {filtersActive ? (
                <button type="button" className="font-medium text-brand-700 underline" onClick={clearFilters}>
                  Clear the filters
                </button>
              ) : null}
            </p>
          </EmptyState>
        ) : (
          <>
            {query.isError ? <ErrorState error={query.error} onRetry={() => query.refetch()} className="mb-3" /> : null}
            {canAssign && selectedCount === 0 && !sticky ? (
              <p className="mb-2 text-xs text-slate-600">Tick findings to assign them together; resolved findings cannot be assigned.</p>
            ) : null}
            {canAssign && !allMatching && selected.size > 0 && selected.size === data.rows.filter((row) => row.status !== "resolved").length && data.total > selected.size ? (
              <p className="mb-2 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800">
                All {formatInteger(selected.size)} on this page are selected.{" "}
                {canSelectAll ? (
                  <button type="button" className="font-semibold text-brand-700 underline" onClick={() => setSelection({ viewKey, ids: new Set(selected), allMatching: true })}>
                    Select all {formatInteger(data.total)} matching findings
                  </button>
                ) : (
                  <span className="text-slate-600">
                    {status === "resolved" || status === "all" ? "Resolved findings cannot be assigned: pick another tab to select every match." : `At most ${MAX_BULK} at once: narrow the filters to select every match.`}
                  </span>
                )}
              </p>
            ) : null}
            {allMatching ? (
              <p className="mb-2 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800">
                All {formatInteger(data.total)} findings that match are selected, on every page.{" "}
                <button type="button" className="font-semibold text-brand-700 underline" onClick={() => setSelected(new Set())}>
                  Clear the selection
                </button>
              </p>
            ) : null}
            <FindingsTable
              rows={rows}
              clusterSearch={clusterSearch}
              sort={sort}
              dir={dir}
              detailSearch={detailSearch}
              busy={query.isPlaceholderData && query.isFetching}
              now={now}
              selectable={canAssign}
              selected={allMatching ? new Set(rows.filter((row) => row.status !== "resolved").map((row) => row.id)) : selected}
              onSelectedChange={setSelected}
              onSortChange={(nextSort, nextDir) => setParams({ sort: nextSort, dir: nextDir })}
            />
            <UrlPagination
              page={data.page}
              pageCount={pageCount}
              pageSize={pageSize}
              total={data.total}
              pageSizes={FINDING_PAGE_SIZES}
              defaultPageSize={DEFAULT_FINDING_PAGE_SIZE}
              noun="findings"
              setParams={setParams}
            />
          </>
        )}
      </Card>
    </div>
  );
}
