"use client";

import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Fragment, useEffect, useState } from "react";
import { useCurrentUser } from "@/components/providers/current-user-provider";
import { dangerButtonClass, FormError, secondaryButtonClass } from "@/components/ui/form";
import { fetchJson } from "@/lib/api/fetch-json";
import { queryKeys } from "@/lib/api/query-keys";
import { describeRunFailure } from "@/lib/runs/describe-run-failure";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { TableScrollRegion } from "@/components/table/table-scroll-region";
import { UrlPagination } from "@/components/table/url-pagination";
import { RelativeTime } from "@/components/ui/relative-time";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/state-message";
import { useRunErrorsQuery } from "@/hooks/use-run-errors-query";
import { useRunsQuery } from "@/hooks/use-runs-query";
import { useScopeParams } from "@/hooks/use-scope-params";
import { toSearch } from "@/lib/api/fetch-json";
import { readListRequest, RUNS_PARAMS } from "@/lib/api/query-keys";
import { cn } from "@/lib/class-names";
import { RunCollectionButton } from "./run-collection-button";
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from "@/lib/clusters/list-options";
import type { RunListRow } from "@/lib/data/list-runs";
import { formatDateTime, formatInteger, formatPercent } from "@/lib/format";
import { plural } from "@/lib/findings/finding-display";

const STATUS_TONE: Record<RunListRow["status"], BadgeTone> = { completed: "ok", failed: "bad", running: "info", undone: "neutral", cancelled: "neutral" };

/** Causes that mean the data is incomplete rather than wrong: amber; the rest red. */
const SOFT_CAUSES = new Set(["unreachable", "timeout", "throttled"]);

function formatDuration(ms: number | null): string {
  if (ms === null) return "–";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function CoverageBar({ value }: { value: number | null }) {
  if (value === null) return <span className="text-slate-600">–</span>;
  return (
    <span className="flex items-center gap-2">
      <span aria-hidden className="h-1.5 w-14 overflow-hidden rounded-full bg-slate-200">
        <span className={cn("block h-full rounded-full", value >= 90 ? "bg-emerald-600" : value >= 60 ? "bg-amber-500" : "bg-red-600")} style={{ width: `${value}%` }} />
      </span>
      <span className="tabular-nums text-slate-800">{formatPercent(value)}</span>
    </span>
  );
}

function RunErrors({ runId, errorCount }: { runId: number; errorCount: number }) {
  const [page, setPage] = useState(1);
  const { subscription, owner } = useScopeParams();
  const query = useRunErrorsQuery(runId, page);
  const data = query.data;
  if (errorCount === 0) return <p className="text-sm text-slate-600">This run recorded no errors.</p>;
  if (query.isError && !data) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!data) return <Skeleton className="h-24 w-full" label={`Loading the errors of run ${runId}`} />;
  return (
    <div className="space-y-2">
      <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <Table caption={`Errors of run ${runId}`} className="min-w-[48rem]">
          <TableHeader>
            <tr>
              <TableHead>Scope</TableHead>
              <TableHead>Target</TableHead>
              <TableHead>Cause</TableHead>
              <TableHead>Message</TableHead>
            </tr>
          </TableHeader>
          <TableBody>
            {data.errors.map((error) => (
              <TableRow key={error.id} className="align-top">
                <TableCell className="whitespace-nowrap text-slate-700">{error.scope}</TableCell>
                <TableCell className="w-[22rem] min-w-[16rem]">
                  {error.cluster ? (
                    <Link href={`/clusters/${error.cluster.id}${toSearch({ subscription, owner })}`} className="font-medium text-brand-700 hover:underline">
                      {error.cluster.name}
                    </Link>
                  ) : null}
                  <span className="block break-all font-mono text-[11px] leading-snug text-slate-600">{error.target}</span>
                </TableCell>
                <TableCell>
                  <Badge tone={SOFT_CAUSES.has(error.cause) ? "warn" : "bad"}>{error.cause}</Badge>
                </TableCell>
                <TableCell className="font-mono text-xs break-words text-slate-800">{error.message}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {data.pageCount > 1 ? (
        <div className="flex items-center gap-3 text-sm text-slate-700">
          <button type="button" className="rounded-md border border-slate-300 bg-white px-2 py-1 disabled:opacity-50" disabled={data.page <= 1} onClick={() => setPage(data.page - 1)}>
            Previous errors
          </button>
          <span>
            {formatInteger((data.page - 1) * data.pageSize + 1)}–{formatInteger(Math.min(data.total, data.page * data.pageSize))} of {formatInteger(data.total)}
          </span>
          <button type="button" className="rounded-md border border-slate-300 bg-white px-2 py-1 disabled:opacity-50" disabled={data.page >= data.pageCount} onClick={() => setPage(data.page + 1)}>
            Next errors
          </button>
        </div>
      ) : null}
    </div>
  );
}

const COLUMNS = 11;

/** A failed or cancelled run in one line, cause and what to do; the recorded text behind "Details". */
export function RunFailure({ status, message }: { status: RunListRow["status"]; message: string }) {
  const summary = describeRunFailure(message);
  return (
    <div className={status === "cancelled" ? "text-slate-800" : "text-red-900"}>
      <p>
        <span className="font-semibold">{status === "cancelled" ? "Cancelled" : "Failed"}:</span> {summary.cause}
        {summary.action ? ` — ${summary.action}` : ""}
      </p>
      {summary.detail && summary.detail !== summary.cause ? (
        <details className="mt-1">
          <summary className="cursor-pointer text-xs font-medium text-slate-700">Details</summary>
          <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-words rounded bg-white p-2 font-mono text-[11px] text-slate-800">{summary.detail}</pre>
        </details>
      ) : null}
    </div>
  );
}

function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

/** A run in progress, live: what it has listed and read, how long it has run, errors so far; admins may cancel it. */
function LiveRun({ run }: { run: RunListRow }) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const [now, setNow] = useState(() => Date.now());
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const cancel = useMutation({
    mutationFn: () => fetchJson<{ status: string }>(`/api/runs/${run.id}/cancel`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.runs.all }),
  });
  const progress = run.progress;
  const total = progress?.clustersTotal ?? null;
  const share = total ? Math.round(((progress?.clustersRead ?? 0) / total) * 100) : null;
  const phase =
    !progress || progress.phase === "listing" ? "Listing subscriptions…" : progress.phase === "writing" ? "Writing the snapshots…" : "Reading clusters…";
  return (
    <section aria-label={`Run ${run.id} in progress`} className="rounded-xl border border-sky-200 bg-sky-50 px-5 py-4 text-sm text-sky-950">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="font-semibold">
          Run #{run.id} ({run.source}) is running: {run.cancelRequested ? `cancelling (asked by ${run.cancelRequested.by})…` : phase}
        </p>
        {user.can("collection:run") && !run.cancelRequested ? (
          confirming ? (
            <span className="flex flex-wrap items-center gap-2">
              <span>Stop it? Nothing of it is kept.</span>
              <button type="button" className={dangerButtonClass} disabled={cancel.isPending} onClick={() => cancel.mutate(undefined, { onSuccess: () => setConfirming(false) })}>
                {cancel.isPending ? "Cancelling…" : "Yes, cancel the run"}
              </button>
              <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(false)}>
                Let it run
              </button>
            </span>
          ) : (
            <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(true)}>
              Cancel run
            </button>
          )
        ) : null}
      </div>
      <div className="mt-3 h-2 overflow-hidden rounded-full bg-sky-100" role="progressbar" aria-label={`Clusters read by run ${run.id}`} aria-valuemin={0} aria-valuemax={total ?? undefined} aria-valuenow={progress?.clustersRead ?? 0}>
        <div className="h-full rounded-full bg-sky-700 transition-[width]" style={{ width: `${share ?? 0}%` }} />
      </div>
      <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-1" data-testid="live-run">
        <div className="flex gap-1.5">
          <dt>Subscriptions listed</dt>
          <dd className="font-semibold tabular-nums">{formatInteger(progress?.subscriptionsListed ?? 0)}</dd>
        </div>
        <div className="flex gap-1.5">
          <dt>Clusters read</dt>
          <dd className="font-semibold tabular-nums" data-testid="clusters-read">
            {formatInteger(progress?.clustersRead ?? 0)} of {total === null ? "…" : formatInteger(total)}
          </dd>
        </div>
        <div className="flex gap-1.5">
          <dt>Elapsed</dt>
          <dd className="font-semibold tabular-nums" suppressHydrationWarning>
            {formatElapsed(now - new Date(run.startedAt).getTime())}
          </dd>
        </div>
        <div className="flex gap-1.5">
          <dt>Errors so far</dt>
          <dd className={cn("font-semibold tabular-nums", (progress?.errors ?? 0) > 0 && "text-red-800")}>{formatInteger(progress?.errors ?? 0)}</dd>
        </div>
      </dl>
      <FormError error={cancel.error} className="mt-2" />
    </section>
  );
}

function RunRow({ run, expanded, onToggle }: { run: RunListRow; expanded: boolean; onToggle: () => void }) {
  const detailId = `run-${run.id}-details`;
  const expandable = run.errorCount > 0 || run.failureMessage !== null;
  return (
    <>
      <TableRow id={`run-${run.id}`} className={expanded ? "bg-slate-50" : "hover:bg-slate-50/80"}>
        <td className="py-2 pl-5 pr-1">
          {expandable ? (
            <button
              type="button"
              aria-expanded={expanded}
              aria-controls={expanded ? detailId : undefined}
              onClick={onToggle}
              className="grid h-7 w-7 place-items-center rounded-md text-slate-700 hover:bg-slate-200"
            >
              <svg aria-hidden viewBox="0 0 16 16" className={cn("h-4 w-4 transition-transform", expanded && "rotate-90")} fill="none" stroke="currentColor" strokeWidth="1.75">
                <path d="m6 4 4 4-4 4" />
              </svg>
              <span className="sr-only">{expanded ? "Hide" : "Show"} the errors of run {run.id}</span>
            </button>
          ) : null}
        </td>
        <TableCell className="whitespace-nowrap">
          <time dateTime={run.capturedAt} className="font-medium text-slate-900">
            {formatDateTime(run.capturedAt)}
          </time>
          <span className="block text-xs text-slate-600">run #{run.id}</span>
        </TableCell>
        <TableCell className="whitespace-nowrap text-slate-700">
          <RelativeTime value={run.startedAt} />
        </TableCell>
        <TableCell className="text-slate-700">{run.source}</TableCell>
        <TableCell>
          <Badge tone={STATUS_TONE[run.status]}>{run.status}</Badge>
        </TableCell>
        <TableCell align="right" className="whitespace-nowrap text-slate-700">
          {formatDuration(run.durationMs)}
        </TableCell>
        <TableCell align="right" className="whitespace-nowrap">
          <span className="text-slate-900">{run.subscriptionsListed} listed</span>
          {run.subscriptionsFailed > 0 ? (
            <span className="block font-semibold text-red-700">{run.subscriptionsFailed} failed</span>
          ) : (
            <span className="block text-xs text-slate-600">none failed</span>
          )}
        </TableCell>
        <TableCell align="right" className="text-slate-900">
          {formatInteger(run.clustersSeen)}
        </TableCell>
        <TableCell>
          <CoverageBar value={run.inClusterCoverage} />
        </TableCell>
        <TableCell align="right" className="text-slate-700">
          {run.clustersDeleted}
        </TableCell>
        <TableCell>
          {run.errorsByCause.length === 0 ? (
            <span className="text-slate-600">none</span>
          ) : (
            <span className="flex flex-wrap gap-1">
              {run.errorsByCause.map((item) => (
                <Badge key={item.cause} tone={SOFT_CAUSES.has(item.cause) ? "warn" : "bad"}>
                  {item.cause} <span className="tabular-nums">{item.count}</span>
                </Badge>
              ))}
            </span>
          )}
        </TableCell>
      </TableRow>
      {run.undone ? (
        <tr>
          <td />
          <td colSpan={COLUMNS - 1} className="px-2.5 pb-2 pr-5 text-sm text-slate-700">
            <span className="font-medium">Undone</span> by <span className="break-all">{run.undone.by}</span> on {formatDateTime(run.undone.at)}: nothing of this run is
            counted any more.
          </td>
        </tr>
      ) : null}
      {(run.status === "failed" || run.status === "cancelled") && run.failureMessage && !expanded ? (
        <tr>
          <td />
          <td colSpan={COLUMNS - 1} className="px-2.5 pb-2 pr-5 text-sm">
            <RunFailure status={run.status} message={run.failureMessage} />
          </td>
        </tr>
      ) : null}
      {expanded ? (
        <tr id={detailId} className="bg-slate-50">
          <td />
          <td colSpan={COLUMNS - 1} className="space-y-3 px-2.5 pb-4 pr-5 pt-1">
            {run.failureMessage ? (
              <div role="note" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm">
                <RunFailure status={run.status} message={run.failureMessage} />
              </div>
            ) : null}
            <RunErrors runId={run.id} errorCount={run.errorCount} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function RunsViewSkeleton() {
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Collection runs</h1>
      <Card>
        <div className="space-y-2" aria-hidden>
          {Array.from({ length: 10 }, (_, index) => (
            <Skeleton key={index} className="h-10 w-full" label="Loading runs" />
          ))}
        </div>
      </Card>
    </div>
  );
}

/** The Runs page: collection history, newest first, each run's errors one click away. */
export function RunsView() {
  const { searchParams, setParams, subscription, owner } = useScopeParams();
  const params = readListRequest(RUNS_PARAMS, (name) => searchParams.get(name));
  const query = useRunsQuery(params);
  const data = query.data;
  // `?run=12` (the Overview's "errors in the run") opens that run's errors.
  const linkedRun = Number(searchParams.get("run")) || null;
  const [expanded, setExpanded] = useState<Set<number>>(() => new Set(linkedRun ? [linkedRun] : []));
  const running = data?.rows.filter((run) => run.status === "running") ?? [];
  useEffect(() => {
    if (linkedRun) document.getElementById(`run-${linkedRun}`)?.scrollIntoView({ block: "center" });
  }, [linkedRun, data]);
  const toggle = (id: number) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="max-w-3xl">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Collection runs</h1>
          <p className="mt-1 text-sm text-slate-600">
            Every run that read the estate: what it listed, how much in-cluster data it got, and what went wrong. Clusters a run could not read keep their previous state.
            {subscription || owner ? " Runs cover every subscription and owner, so the filters above do not narrow this list." : ""}
          </p>
        </div>
        <RunCollectionButton />
      </div>
      {running.map((run) => (
        <LiveRun key={run.id} run={run} />
      ))}
      <Card aria-labelledby="runs-title" className="pb-3">
        <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
          <h2 id="runs-title" className="text-base font-semibold text-slate-900">
            History
          </h2>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            Status
            <select
              className="h-9 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 shadow-sm"
              value={params.status ?? ""}
              onChange={(event) => setParams({ status: event.target.value || undefined })}
            >
              <option value="">All</option>
              <option value="completed">Completed</option>
              <option value="failed">Failed</option>
              <option value="running">Running</option>
              <option value="undone">Undone</option>
              <option value="cancelled">Cancelled</option>
            </select>
          </label>
        </div>
        {query.isError && !data ? (
          <ErrorState error={query.error} onRetry={() => query.refetch()} />
        ) : !data ? (
          <div className="space-y-2" aria-hidden>
            {Array.from({ length: 10 }, (_, index) => (
              <Skeleton key={index} className="h-10 w-full" label="Loading runs" />
            ))}
          </div>
        ) : data.total === 0 ? (
          <EmptyState title={params.status ? `No ${params.status} runs` : "No collection runs yet"}>
            {params.status ? (
              <Link href="/runs" className="font-medium text-brand-700 underline">
                Show all runs
              </Link>
            ) : (
              <>
                Run <code className="font-mono">bulkhead collect</code>, <code className="font-mono">bulkhead import</code> or <code className="font-mono">bulkhead demo</code> to record one.
              </>
            )}
          </EmptyState>
        ) : (
          <>
            <div className="hidden md:block">
            <TableScrollRegion label="Runs table" busy={query.isPlaceholderData && query.isFetching}>
              <Table caption="Collection runs, newest capture first" className="min-w-[68rem]">
                <TableHeader>
                  <tr>
                    <TableHead className="w-10 pr-1">
                      <span className="sr-only">Details</span>
                    </TableHead>
                    <TableHead>Capture time</TableHead>
                    <TableHead>Started</TableHead>
                    <TableHead>Source</TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead align="right">Duration</TableHead>
                    <TableHead align="right">Subscriptions</TableHead>
                    <TableHead align="right">Clusters</TableHead>
                    <TableHead>In-cluster data</TableHead>
                    <TableHead align="right">Deleted</TableHead>
                    <TableHead>Errors by cause</TableHead>
                  </tr>
                </TableHeader>
                <TableBody>
                  {data.rows.map((run) => (
                    <Fragment key={run.id}>
                      <RunRow run={run} expanded={expanded.has(run.id)} onToggle={() => toggle(run.id)} />
                    </Fragment>
                  ))}
                </TableBody>
              </Table>
            </TableScrollRegion>
            </div>
            <ul aria-label="Runs" className="-mx-5 divide-y divide-slate-200 border-y border-slate-200 md:hidden">
              {data.rows.map((run) => (
                <li key={run.id} className="space-y-1.5 px-5 py-3 text-sm">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <time dateTime={run.capturedAt} className="font-medium text-slate-900">
                      {formatDateTime(run.capturedAt)}
                    </time>
                    <Badge tone={STATUS_TONE[run.status]}>{run.status}</Badge>
                  </div>
                  <p className="text-xs text-slate-600">
                    run #{run.id} · {run.source} · {formatDuration(run.durationMs)} · {formatInteger(run.clustersSeen)} clusters · in-cluster {formatPercent(run.inClusterCoverage)}
                    {run.subscriptionsFailed > 0 ? ` · ${run.subscriptionsFailed} subscriptions failed` : ""}
                  </p>
                  {run.failureMessage ? <RunFailure status={run.status} message={run.failureMessage} /> : null}
                  {run.errorCount > 0 ? (
                    <>
                      <button type="button" className="text-sm font-medium text-brand-700 underline" aria-expanded={expanded.has(run.id)} onClick={() => toggle(run.id)}>
                        {expanded.has(run.id) ? "Hide" : "Show"} {plural(run.errorCount, "error")}
                      </button>
                      {expanded.has(run.id) ? <RunErrors runId={run.id} errorCount={run.errorCount} /> : null}
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
            <UrlPagination
              page={data.page}
              pageCount={data.pageCount}
              pageSize={data.pageSize}
              total={data.total}
              pageSizes={PAGE_SIZES}
              defaultPageSize={DEFAULT_PAGE_SIZE}
              noun="runs"
              setParams={setParams}
            />
          </>
        )}
      </Card>
    </div>
  );
}
