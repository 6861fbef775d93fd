import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/state-message";
import { cn } from "@/lib/class-names";
import type { AdvisorySummary } from "@/lib/data/get-advisory-summary";
import { formatInteger } from "@/lib/format";
import { ADVISORY_TEXT } from "@/lib/posture/advisory-text";

const NAMES_SHOWN = 3;

function ClusterLinks({ advisory, allHref }: { advisory: AdvisorySummary; allHref: string }) {
  const list = (clusters: AdvisorySummary["clusters"]) => (
    <ul className="text-sm">
      {clusters.map((cluster) => (
        <li key={cluster.id}>
          <Link href={`/clusters/${cluster.id}`} title={cluster.message} className="block truncate py-0.5 text-brand-700 underline-offset-2 hover:underline">
            {cluster.name}
          </Link>
        </li>
      ))}
    </ul>
  );
  // The server lists at most 50 (production first); the Clusters page, filtered to this advisory, has them all.
  const unlisted = advisory.count - advisory.clusters.length;
  const all =
    unlisted > 0 ? (
      <Link href={allHref} className="mt-1 block text-sm font-medium text-brand-700 underline-offset-2 hover:underline">
        All {formatInteger(advisory.count)} on the Clusters page
      </Link>
    ) : null;
  if (advisory.clusters.length <= NAMES_SHOWN + 1) return <div className="mt-2">{list(advisory.clusters)}{all}</div>;
  return (
    <div className="mt-2">
      {list(advisory.clusters.slice(0, NAMES_SHOWN))}
      <details className="text-sm">
        <summary className="cursor-pointer py-1 font-medium text-slate-700 print:hidden">Show {formatInteger(advisory.clusters.length - NAMES_SHOWN)} more</summary>
        {list(advisory.clusters.slice(NAMES_SHOWN))}
      </details>
      <p className="hidden text-sm text-slate-600 print:block">and {formatInteger(advisory.count - NAMES_SHOWN)} more</p>
      {all}
    </div>
  );
}

/** Informational advisories from each cluster's latest snapshot: shown, never counted in the KPIs. */
export function AdvisoriesCard({
  advisories,
  isPending,
  error,
  onRetry,
  clustersHref,
}: {
  advisories: AdvisorySummary[] | undefined;
  isPending: boolean;
  error: unknown;
  onRetry: () => void;
  /** The Clusters page filtered to one advisory, in the Overview's scope. */
  clustersHref: (advisory: AdvisorySummary["id"]) => string;
}) {
  const total = advisories?.reduce((sum, advisory) => sum + advisory.count, 0) ?? 0;
  return (
    <Card aria-labelledby="advisories-title" className="break-inside-avoid">
      <CardHeader id="advisories-title" title="Advisories" description="From each cluster's latest snapshot. For information: not counted in the KPIs." />
      {isPending ? (
        <Skeleton className="h-40 w-full" label="Loading advisories" />
      ) : error || !advisories ? (
        <ErrorState error={error} onRetry={onRetry} />
      ) : (
        <>
          {total === 0 ? <p className="mb-3 text-sm text-slate-700">No cluster in scope has an advisory.</p> : null}
          <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4 print:grid-cols-4">
            {advisories.map((advisory) => (
              <li key={advisory.id} className="rounded-lg border border-slate-200 p-4 break-inside-avoid" data-testid={`advisory-${advisory.id}`}>
                <div className="flex items-baseline gap-3">
                  <span
                    className={cn(
                      "min-w-10 rounded-md px-2 py-0.5 text-center text-2xl font-semibold tabular-nums [print-color-adjust:exact]",
                      advisory.count === 0 ? "bg-slate-100 text-slate-600" : advisory.severity === "warning" ? "bg-amber-100 text-amber-900" : "bg-sky-100 text-sky-900",
                    )}
                  >
                    {formatInteger(advisory.count)}
                  </span>
                  <p className="font-medium text-slate-900">
                    {ADVISORY_TEXT[advisory.id].title}
                    <span className="sr-only">: {advisory.count === 1 ? "1 cluster" : `${advisory.count} clusters`}</span>
                  </p>
                </div>
                <p className="mt-2 text-sm text-slate-600">{ADVISORY_TEXT[advisory.id].advice}</p>
                {advisory.count > 0 ? <ClusterLinks advisory={advisory} allHref={clustersHref(advisory.id)} /> : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
