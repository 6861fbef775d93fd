"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCurrentUser } from "@/components/providers/current-user-provider";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/state-message";
import { useFilterOptionsQuery } from "@/hooks/use-filter-options-query";
import { useFindingAssigneesQuery } from "@/hooks/use-finding-assignees-query";
import { useFindingQuery } from "@/hooks/use-finding-query";
import { toSearch } from "@/lib/api/fetch-json";
import { cn } from "@/lib/class-names";
import { describeActor, describeDue, formatDate, formatDateTimeUtc, formatThrough, lastCoveredDay, plural } from "@/lib/findings/finding-display";
import type { FindingDetail, FindingEventView } from "@/lib/findings/get-finding";
import { AuditTrail } from "./audit-trail";
import { SeverityBadge, StatusBadge } from "./finding-badges";
import { AssignForm, CommentForm, WaiverForm, WaiverInForce } from "./finding-forms";

/** The agreed due date's last change in the trail: who moved it, when, and why. */
function lastDueChange(events: FindingEventView[]): { by: string; at: string; reason: string | null } | null {
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const event = events[index];
    if (event.type === "due-changed") return { by: event.actor, at: event.at, reason: typeof event.data.reason === "string" ? event.data.reason : null };
    if (event.type === "assigned" && "dueAt" in event.data) return { by: event.actor, at: event.at, reason: null };
  }
  return null;
}

function Fact({ label, children, className }: { label: string; children: React.ReactNode; className?: string }) {
  return (
    <div className={cn("min-w-0", className)}>
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className="mt-0.5 break-words text-sm text-slate-900">{children}</dd>
    </div>
  );
}

/**
 * The due date as a day, and the SLA story in one sentence: "breached its SLA on 24 Jun 2026,
 * extended to 20 Dec 2026 by sam@… (vendor patch)". The SLA due date never moves.
 */
function DueFact({ finding, now }: { finding: FindingDetail; now: number }) {
  const change = lastDueChange(finding.events);
  const late = finding.status === "overdue";
  const agreed = finding.agreedDueAt;
  const extended = agreed !== null && new Date(agreed).getTime() > new Date(finding.slaDueAt).getTime();
  const slaDay = formatDate(lastCoveredDay(finding.slaDueAt));
  return (
    <>
      <span className={cn("font-medium", late && "text-red-800")}>{formatThrough(finding.dueAt)}</span>
      {finding.status !== "resolved" ? (
        <span className={cn("block text-xs", late ? "font-medium text-red-700" : "text-slate-600")} suppressHydrationWarning>
          {describeDue(finding.dueAt, now)}
        </span>
      ) : null}
      <span className="mt-1 block text-xs text-slate-700" data-testid="sla-story">
        {finding.slaBreached ? (
          <span className="font-medium text-red-800">✗ Breached its SLA on {slaDay}</span>
        ) : (
          <>SLA due {formatThrough(finding.slaDueAt)}</>
        )}
        {agreed ? (
          <>
            {extended ? ", extended" : finding.slaBreached ? "; due" : "; agreed"} to {formatDate(lastCoveredDay(agreed))}
            {change ? <> by <span className="break-all">{describeActor(change.by)}</span></> : null}
            {extended && finding.dueReason ? <> ({finding.dueReason})</> : null}
          </>
        ) : null}
        .
      </span>
    </>
  );
}

/**
 * The finding page: what failed, its state, the audit trail and (by role) assign, comment and
 * waive. The page's loader hands over the first answer.
 */
export function FindingDetailView({ id }: { id: number }) {
  const searchParams = useSearchParams();
  const user = useCurrentUser();
  const query = useFindingQuery(id);
  const assignees = useFindingAssigneesQuery();
  const filterOptions = useFilterOptionsQuery();
  const finding = query.data;
  if (!finding) {
    return query.isError ? <ErrorState error={query.error} onRetry={() => query.refetch()} /> : <Skeleton className="h-96 w-full" label="Loading the finding" />;
  }
  // Durations run to when the answer was put together, not to each render.
  const now = query.dataUpdatedAt;
  const scopeSearch = toSearch({ subscription: searchParams.get("subscription"), owner: searchParams.get("owner") });

  const canAssign = user.can("finding:assign");
  const canComment = user.can("finding:comment");
  const canWaive = user.can("finding:waive");
  const resolved = finding.status === "resolved";
  const waiverDetail = finding.waiver ? finding.waivers.find((waiver) => waiver.id === finding.waiver!.id) : undefined;
  const suggestions = [
    ...new Set([...(assignees.data ?? []).map((option) => option.assignee), ...(filterOptions.data?.owners ?? []).map((o) => o.owner).filter((o) => o !== "(untagged)")]),
  ];
  const readOnly = !canAssign && !canComment && !canWaive;

  return (
    <div className="space-y-5">
      <header className="space-y-3">
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
          <ol className="flex flex-wrap items-center gap-1.5">
            <li>
              <Link href={`/findings${scopeSearch}`} className="font-medium text-brand-700 hover:underline">
                Findings
              </Link>
            </li>
            <li aria-hidden>/</li>
            <li aria-current="page" className="text-slate-700">
              #{finding.id}
            </li>
          </ol>
        </nav>
        <div className="flex flex-wrap items-center gap-2">
          <StatusBadge status={finding.status} waiverExpiresAt={finding.waiver?.expiresAt} />
          <SeverityBadge severity={finding.severity} />
          {finding.production ? <Badge tone="strong">Production</Badge> : <Badge tone="neutral">Non-production</Badge>}
        </div>
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
            <span className="font-mono text-xl text-slate-600">{finding.controlId}</span> {finding.controlTitle}
          </h1>
          <p className="mt-1 text-sm text-slate-600">
            on cluster{" "}
            <Link href={`/clusters/${finding.clusterId}${scopeSearch}`} className="font-medium text-brand-700 hover:underline">
              {finding.clusterName}
            </Link>{" "}
            · owner <span className={finding.owner === "(untagged)" ? "italic" : "font-medium text-slate-800"}>{finding.owner}</span> · opened{" "}
            <RelativeTime value={finding.openedAt} />
          </p>
        </div>
      </header>

      {query.isError ? <ErrorState error={query.error} onRetry={() => query.refetch()} /> : null}

      {/* Narrow screens: one column with the state first; wide: the story left, state and actions right. */}
      <div className="grid gap-5 lg:grid-cols-3 lg:items-start">
        <div className="contents lg:col-span-2 lg:block lg:space-y-5">
          <Card aria-labelledby="what-failed-title" className="order-3 lg:order-none">
            <CardHeader id="what-failed-title" title="What failed" />
            <p className="text-sm text-slate-800">{finding.controlDescription}</p>
            <dl className="mt-4 grid gap-x-6 gap-y-3 sm:grid-cols-2">
              <Fact label="Cluster">
                <Link href={`/clusters/${finding.clusterId}${scopeSearch}`} className="font-medium text-brand-700 hover:underline">
                  {finding.clusterName}
                </Link>
              </Fact>
              <Fact label="Resource group">{finding.resourceGroup}</Fact>
              <Fact label="Subscription">
                {finding.subscriptionName ?? <span className="font-mono text-xs">{finding.subscriptionId}</span>}
                {finding.subscriptionName ? <span className="block font-mono text-xs text-slate-600">{finding.subscriptionId}</span> : null}
              </Fact>
              <Fact label="Environment">{finding.production ? "Production" : "Non-production"}</Fact>
            </dl>
            <p className="mt-4 text-sm">
              <Link href={`/clusters/${finding.clusterId}${scopeSearch}#controls`} className="font-medium text-brand-700 hover:underline">
                See the evidence and the fix on the cluster page →
              </Link>
            </p>
          </Card>

          <Card aria-labelledby="trail-title" className="order-4 lg:order-none">
            <CardHeader id="trail-title" title="Audit trail" description={`${plural(finding.events.length, "event")}, oldest first. Entries are never changed or removed.`} />
            <AuditTrail events={finding.events} />
            {canComment ? (
              <div className="mt-6 border-t border-slate-200 pt-5">
                <CommentForm findingId={finding.id} />
              </div>
            ) : null}
          </Card>
        </div>

        <div className="contents lg:block lg:space-y-5">
          <Card aria-labelledby="state-title" className="order-1 lg:order-none">
            <CardHeader id="state-title" title="Details" />
            <dl className="grid grid-cols-2 gap-x-4 gap-y-3 md:grid-cols-3 lg:grid-cols-1">
              <Fact label="Status">
                <StatusBadge status={finding.status} waiverExpiresAt={finding.waiver?.expiresAt} />
                {resolved && finding.resolvedAt ? (
                  <span className="block text-xs text-slate-600">
                    {finding.resolution === "deleted" ? "cluster deleted" : "control passes"} since {formatDateTimeUtc(finding.resolvedAt)}
                  </span>
                ) : null}
              </Fact>
              <Fact label="Severity">
                <SeverityBadge severity={finding.severity} />
              </Fact>
              <Fact label="Assignee">{finding.assignee ? <span className="break-all">{finding.assignee}</span> : <span className="italic text-slate-600">Unassigned</span>}</Fact>
              <Fact label="Owner tag">{finding.owner}</Fact>
              <Fact label="Opened">
                {formatDateTimeUtc(finding.openedAt)}
                <span className="block text-xs text-slate-600">
                  {resolved ? "was open" : "open for"} {plural(finding.ageDays, "day")}
                </span>
              </Fact>
              <Fact label="Due">
                <DueFact finding={finding} now={now} />
              </Fact>
            </dl>
          </Card>

          {finding.waiver ? (
            <section aria-labelledby="waiver-title" className="order-2 rounded-xl border border-amber-300 bg-amber-50 p-5 shadow-sm lg:order-none">
              <CardHeader id="waiver-title" title="Waiver in force" description="Left out of the KPIs until it expires." />
              <WaiverInForce findingId={finding.id} waiver={{ ...finding.waiver, createdAt: waiverDetail?.createdAt }} canRevoke={canWaive} />
            </section>
          ) : null}

          {!resolved && (canAssign || canWaive) ? (
            <Card aria-label="Actions" className="order-5 space-y-6 lg:order-none">
              {canAssign ? (
                <AssignForm
                  findingId={finding.id}
                  assignee={finding.assignee}
                  explicitDueDay={finding.agreedDueAt ? lastCoveredDay(finding.agreedDueAt) : null}
                  currentDueAt={finding.dueAt}
                  slaDueAt={finding.slaDueAt}
                  suggestions={suggestions}
                  now={now}
                />
              ) : null}
              {canWaive && !finding.waiver ? (
                <div className={cn(canAssign && "border-t border-slate-200 pt-5")}>
                  <WaiverForm findingId={finding.id} now={now} />
                </div>
              ) : null}
            </Card>
          ) : null}

          {resolved && (canAssign || canWaive) ? (
            <p className="order-5 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700 lg:order-none">
              This finding is resolved: it can no longer be assigned or waived. If the control fails again, a new finding opens.
            </p>
          ) : null}

          {readOnly ? (
            <p className="order-2 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700 lg:order-none">
              Your role ({user.role}) can read findings and their trail. Security managers assign, comment on and waive them.
            </p>
          ) : null}
        </div>
      </div>
    </div>
  );
}
