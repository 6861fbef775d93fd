"use client";

import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/state-message";
import { useOverdueByOwnerQuery } from "@/hooks/use-overdue-by-owner-query";
import { useScopeParams } from "@/hooks/use-scope-params";
import { toSearch } from "@/lib/api/fetch-json";
import { cn } from "@/lib/class-names";
import { daysUntil, formatDate, plural } from "@/lib/findings/finding-display";
import { formatInteger } from "@/lib/format";

/**
 * "Who owns the overdue risk": owners ranked by SLA breaches (open findings past their SLA due date,
 * extended or not, waived ones left out), each linking to its list. Self-contained: it fetches its
 * own data, in the scope given or else the one in the URL.
 */
export function OverdueByOwnerCard({
  scope,
  asOf,
  limit = 8,
  className,
}: {
  scope?: { subscription?: string; owner?: string };
  /** ISO time to judge "overdue" at; default now. */
  asOf?: string;
  limit?: number;
  className?: string;
}) {
  const fromUrl = useScopeParams();
  const subscription = scope ? scope.subscription : fromUrl.subscription;
  const owner = scope ? scope.owner : fromUrl.owner;
  const query = useOverdueByOwnerQuery({ subscription, owner, asOf, limit });
  const data = query.data;
  const now = asOf ? Date.parse(asOf) : query.dataUpdatedAt;
  const listHref = (forOwner?: string) => `/findings${toSearch({ sla: "breached", subscription, owner: forOwner ?? owner })}`;
  const max = data?.owners[0]?.overdue ?? 0;

  return (
    <Card aria-labelledby="overdue-by-owner-title" className={className}>
      <CardHeader
        id="overdue-by-owner-title"
        title="SLA breaches by owner"
        description={
          data && data.totalOverdue > 0
            ? `${plural(data.totalOverdue, "open finding")} past their SLA due date, across ${plural(data.ownerCount, "owner")}; an agreed later date does not take a finding off this list, a waiver does.`
            : "Open findings past their SLA due date, per owner tag, whatever date was agreed since."
        }
        action={
          data && data.totalOverdue > 0 ? (
            <Link href={listHref()} className="whitespace-nowrap text-sm font-medium text-brand-700 hover:underline print:hidden">
              All SLA breaches →
            </Link>
          ) : undefined
        }
      />
      {query.isError && !data ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : !data ? (
        <div className="space-y-3" aria-hidden>
          {Array.from({ length: 4 }, (_, index) => (
            <Skeleton key={index} className="h-10 w-full" label="Loading overdue findings" />
          ))}
        </div>
      ) : data.owners.length === 0 ? (
        <EmptyState title="No SLA breaches">Every open finding in this scope is within its SLA, or waived.</EmptyState>
      ) : (
        <>
          <ol className="divide-y divide-slate-100">
            {data.owners.map((row, index) => {
              const late = -daysUntil(row.oldestDueAt, now);
              return (
                <li key={row.owner} className="flex items-center gap-3 py-2.5">
                  <span aria-hidden className="w-5 shrink-0 text-right text-xs font-semibold tabular-nums text-slate-500">
                    {index + 1}
                  </span>
                  <div className="min-w-0 flex-1">
                    <div className="flex items-baseline justify-between gap-3">
                      <Link
                        href={listHref(row.owner)}
                        className={cn("truncate font-medium text-brand-700 hover:underline", row.owner === "(untagged)" && "italic")}
                        aria-label={`${row.owner}: ${plural(row.overdue, "SLA breach", "SLA breaches")}`}
                      >
                        {row.owner}
                      </Link>
                      <span className="shrink-0 text-sm font-semibold tabular-nums text-red-700">{formatInteger(row.overdue)}</span>
                    </div>
                    <div aria-hidden className="mt-1 h-1.5 rounded-full bg-slate-100">
                      <div className="h-1.5 rounded-full bg-red-500" style={{ width: `${Math.max(4, (row.overdue / max) * 100)}%` }} />
                    </div>
                    <p className="mt-1 text-xs text-slate-600" suppressHydrationWarning>
                      Oldest SLA due {formatDate(row.oldestDueAt)}
                      {late > 0 ? ` (${plural(late, "day")} late)` : ""}
                      {row.severe > 0 ? ` · ${formatInteger(row.severe)} critical or high` : ""}
                      {row.extended > 0 ? ` · ${formatInteger(row.extended)} extended` : ""}
                    </p>
                  </div>
                </li>
              );
            })}
          </ol>
          {data.ownerCount > data.owners.length ? (
            <p className="mt-2 text-xs text-slate-600">
              {plural(data.ownerCount - data.owners.length, "more owner")} with SLA breaches not shown.
            </p>
          ) : null}
        </>
      )}
    </Card>
  );
}
