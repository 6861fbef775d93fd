import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/state-message";
import type { UnprotectedClusters as UnprotectedClustersData } from "@/lib/data/list-unprotected-production-clusters";
import { formatDateTime, formatDay, formatInteger } from "@/lib/format";

const DAY_MS = 86_400_000;

function since(iso: string | null, asOf: string): string {
  if (!iso) return "–";
  const days = Math.floor((new Date(asOf).getTime() - new Date(iso).getTime()) / DAY_MS);
  return days < 1 ? "less than a day" : days === 1 ? "1 day" : `${formatInteger(days)} days`;
}

/** Production clusters without a network policy engine: NetworkPolicies there are not enforced at all. */
export function UnprotectedClusters({
  data,
  asOf,
  isPending,
  error,
  onRetry,
  clustersHref,
}: {
  /** The longest-failing of them (the server lists at most UNPROTECTED_LISTED) and the count of all. */
  data: UnprotectedClustersData | undefined;
  asOf: string;
  isPending: boolean;
  error: unknown;
  onRetry: () => void;
  clustersHref: string;
}) {
  const rows = data?.rows;
  const total = data?.total ?? 0;
  return (
    <Card aria-labelledby="unprotected-title" className="min-w-0">
      <CardHeader
        id="unprotected-title"
        title="Production clusters with no policy engine"
        description="NP-01 fails: no NetworkPolicy is enforced in these clusters. Longest first."
        action={total > 0 ? <span className="rounded-full bg-red-50 px-2.5 py-0.5 text-sm font-semibold text-bad [print-color-adjust:exact]">{formatInteger(total)}</span> : null}
      />
      {isPending ? (
        <Skeleton className="h-40 w-full" label="Loading production clusters without an engine" />
      ) : error || !rows ? (
        <ErrorState error={error} onRetry={onRetry} />
      ) : rows.length === 0 ? (
        <p className="rounded-lg border border-green-200 bg-green-50 px-4 py-6 text-center text-sm font-medium text-green-900 [print-color-adjust:exact]">
          Every production cluster in scope has a policy engine.
        </p>
      ) : (
        <>
          <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Production clusters with no policy engine (table)">
            <table className="w-full text-sm">
              <thead>
                <tr className="border-b border-slate-200 text-left text-xs text-slate-600">
                  <th scope="col" className="py-2 pr-3 font-medium">Cluster</th>
                  <th scope="col" className="py-2 pr-3 font-medium">Subscription</th>
                  <th scope="col" className="py-2 pr-3 font-medium">Owner</th>
                  <th scope="col" className="py-2 pr-3 font-medium">networkPolicy</th>
                  <th scope="col" className="py-2 pr-3 font-medium">No engine since</th>
                  <th scope="col" className="py-2 text-right font-medium">Allow-any rules</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id} className="border-b border-slate-100 last:border-0 break-inside-avoid">
                    <th scope="row" className="py-2 pr-3 text-left font-medium">
                      <Link href={`/clusters/${row.id}`} className="text-brand-700 underline-offset-2 hover:underline">
                        {row.name}
                      </Link>
                      {row.waivedUntil ? (
                        <span className="mt-1 block w-fit rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-700">waived until {row.waivedUntil.slice(0, 10)}</span>
                      ) : null}
                    </th>
                    <td className="max-w-[12rem] truncate py-2 pr-3 text-slate-700" title={row.subscriptionId}>
                      {row.subscriptionLabel}
                    </td>
                    <td className="py-2 pr-3 text-slate-700">{row.owner}</td>
                    <td className="py-2 pr-3">
                      <code className="rounded bg-slate-100 px-1 font-mono text-xs text-slate-800">{row.rawNetworkPolicy ?? "(not set)"}</code>
                    </td>
                    <td className="py-2 pr-3 text-slate-700">
                      {row.failingSince ? (
                        <>
                          <time dateTime={row.failingSince} title={formatDateTime(row.failingSince)} className="block whitespace-nowrap">
                            {formatDay(row.failingSince)} {row.failingSince.slice(0, 4)}
                          </time>{" "}
                          <span className="block whitespace-nowrap text-slate-600" title={row.failingSinceFirstRun ? "Since the first run on record: it may have been without an engine for longer." : undefined}>
                            ({row.failingSinceFirstRun ? "at least " : ""}
                            {since(row.failingSince, asOf)})
                          </span>
                        </>
                      ) : (
                        "–"
                      )}
                    </td>
                    <td className={`py-2 text-right tabular-nums ${row.allowAnyRules > 0 ? "font-semibold text-bad" : "text-slate-700"}`}>{formatInteger(row.allowAnyRules)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {total > rows.length ? (
            <p className="mt-3 text-sm text-slate-600">
              {formatInteger(total - rows.length)} more:{" "}
              <Link href={clustersHref} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                see them all on the Clusters page
              </Link>
            </p>
          ) : null}
        </>
      )}
    </Card>
  );
}
