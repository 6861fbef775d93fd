import Link from "next/link";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/state-message";
import { cn } from "@/lib/class-names";
import type { LastRunSummary } from "@/lib/data/get-last-run";
import { formatDateTime, formatInteger, formatPercent } from "@/lib/format";
import { NoDataHelp } from "./no-data-help";

function formatAgeHours(hours: number): string {
  if (hours < 1) return "less than an hour";
  if (hours < 48) return `${Math.floor(hours)} h`;
  return `${Math.floor(hours / 24)} days`;
}

/**
 * How fresh the figures are: the last successful run, what it covered, and a warning when it is older
 * than 36 hours or a later run failed.
 */
export function FreshnessBanner({ lastRun, isPending, error, onRetry, runsHref }: { lastRun: LastRunSummary | undefined; isPending: boolean; error: unknown; onRetry: () => void; runsHref: string }) {
  const runHref = (id: number) => `${runsHref}${runsHref.includes("?") ? "&" : "?"}run=${id}`;
  if (isPending) return <Skeleton className="h-14 w-full" label="Loading the last run" />;
  if (error || !lastRun) return <ErrorState error={error} onRetry={onRetry} />;
  const run = lastRun.lastSuccessful;
  if (!run) {
    return (
      <section aria-label="Data freshness" className="rounded-xl border border-amber-300 bg-amber-50 px-5 py-4 text-sm text-amber-950">
        <p className="font-semibold">No successful collection run yet, so there is nothing to show.</p>
        <div className="mt-2">
          <NoDataHelp />
        </div>
      </section>
    );
  }
  const stale = run.stale;
  return (
    <section
      aria-label="Data freshness"
      data-testid="freshness"
      data-stale={stale ? "true" : "false"}
      className={cn(
        "rounded-xl border px-5 py-3 text-sm break-inside-avoid [print-color-adjust:exact]",
        stale ? "border-amber-300 bg-amber-50 text-amber-950" : "border-slate-200 bg-white text-slate-700",
      )}
    >
      {stale ? (
        <p className="mb-1 font-semibold">
          <span aria-hidden>⚠ </span>Stale data: the last successful run is {formatAgeHours(run.ageHours)} old (more than {lastRun.staleAfterHours} h). The figures below may not match the estate today.
        </p>
      ) : null}
      <div className="flex items-start gap-4">
        <dl className="flex flex-1 flex-wrap items-baseline gap-x-6 gap-y-1">
          <div className="flex gap-1.5">
            <dt className="text-slate-600">Last successful run</dt>
            <dd className="font-medium text-slate-900">
              <time dateTime={run.capturedAt}>{formatDateTime(run.capturedAt)}</time> ({formatAgeHours(run.ageHours)} old)
            </dd>
          </div>
          <div className="flex gap-1.5">
            <dt className="text-slate-600">Clusters seen</dt>
            <dd className="font-medium text-slate-900">
              {formatInteger(run.clustersSeen)} of {formatInteger(run.clustersInScope)}
              {run.clustersInScope > run.clustersSeen ? <span className="font-normal text-slate-600"> (the rest carried forward)</span> : null}
            </dd>
          </div>
          <div className="flex gap-1.5">
            <dt className="text-slate-600">In-cluster coverage</dt>
            <dd className="font-medium text-slate-900">
              {formatPercent(run.inClusterCoverage)} <span className="font-normal text-slate-600">({formatInteger(run.clustersWithInCluster)} read)</span>
            </dd>
          </div>
          <div className="flex gap-1.5">
            <dt className="text-slate-600">Errors in the run</dt>
            <dd className={cn("font-medium", run.errorCount > 0 ? "text-bad" : "text-slate-900")}>
              {run.errorCount > 0 ? (
                <Link href={runHref(run.id)} className="underline underline-offset-2 print:no-underline" aria-label={`${formatInteger(run.errorCount)} errors in run ${run.id}: show them`}>
                  {formatInteger(run.errorCount)}
                </Link>
              ) : (
                formatInteger(run.errorCount)
              )}
              {run.subscriptionsFailed > 0 ? `, ${formatInteger(run.subscriptionsFailed)} subscriptions not listed` : ""}
            </dd>
          </div>
        </dl>
        <Link href={runsHref} className="shrink-0 py-0.5 font-medium text-brand-700 underline-offset-2 hover:underline print:hidden">
          All runs
        </Link>
      </div>
      {lastRun.laterFailure ? (
        <p className="mt-2 text-bad">
          {/* The cause is one line on the Runs page; raw SDK text never heads the Overview or its print. */}
          The latest collection failed (<time dateTime={lastRun.laterFailure.capturedAt}>{formatDateTime(lastRun.laterFailure.capturedAt)}</time>) —{" "}
          <Link href={runHref(lastRun.laterFailure.id)} className="font-medium underline underline-offset-2 print:no-underline">
            see Runs
          </Link>
          . The figures are from the last successful run.
        </p>
      ) : null}
    </section>
  );
}
