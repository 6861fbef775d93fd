"use client";

import { NoDataHelp } from "@/components/overview/no-data-help";
import { Card, CardHeader } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/state-message";
import { useComplianceQuery } from "@/hooks/use-compliance-query";
import { useScopeParams } from "@/hooks/use-scope-params";
import { cn } from "@/lib/class-names";
import type { FrameworkChoice } from "@/lib/compliance/default-framework";
import type { ComplianceSummary as ComplianceData } from "@/lib/compliance/get-compliance-view";
import { formatDate, formatDateTime, formatInteger, formatPercent } from "@/lib/format";
import { ComplianceControls } from "./compliance-controls";
import { readComplianceState, selectRequirement } from "./compliance-state";
import { RequirementDetail } from "./requirement-detail";
import { RequirementList } from "./requirement-list";

function Figure({ label, value, note }: { label: string; value: string; note: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <p className="text-sm font-medium text-slate-600">{label}</p>
      <p className="mt-1 font-mono text-2xl font-semibold tabular-nums text-slate-900">{value}</p>
      <p className="mt-1 text-xs text-slate-600">{note}</p>
    </div>
  );
}

function Summary({ view }: { view: ComplianceData }) {
  const allPassing = view.requirements.filter((requirement) => requirement.failing === 0 && requirement.passing > 0).length;
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <Figure label="Clusters in scope" value={formatInteger(view.totals.clusters)} note={view.scope.text} />
      <Figure
        label="Audit pass rate"
        value={formatPercent(view.totals.auditPassRate)}
        note={`${formatInteger(view.totals.controlsPassed)} of ${formatInteger(view.totals.controlsPassed + view.totals.controlsFailed)} control results pass; the KPI for this day.`}
      />
      <Figure label="Requirements without failures" value={`${allPassing} of ${view.requirements.length}`} note="Network evidence passes, or is waived, on every cluster with evidence." />
      <Figure label="Waived results" value={formatInteger(view.totals.controlsWaived)} note="Failures under a waiver in force: shown, left out of the rates." />
    </div>
  );
}

/**
 * The Compliance page: one framework's requirements, the clusters whose network evidence passes or
 * fails each, as of a day. `trend` is the pass-rate chart, streamed in its own Suspense boundary.
 */
export function ComplianceView({ today, frameworks, trend }: { today: string; frameworks: readonly FrameworkChoice[]; trend: React.ReactNode }) {
  const { subscription, owner, searchParams, setParams } = useScopeParams();
  const state = readComplianceState((name) => searchParams.get(name));
  const request = { framework: state.framework, asOf: state.asOf, production: state.production ? "true" : undefined, subscription, owner };
  const query = useComplianceQuery(request);
  const view = query.data;
  const selected = view ? selectRequirement(view.requirements, state.requirement) : undefined;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Compliance</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          The network controls mapped to the requirements auditors ask about, as of the end of any day in the history. A control evidences a requirement fully only where the mapping says so; partly means the requirement needs other evidence as well.
        </p>
      </div>
      <ComplianceControls frameworks={frameworks} state={state} scope={{ subscription, owner }} today={today} firstDay={view?.history.firstDay ?? null} shownDay={view?.day ?? state.asOf ?? today} onChange={setParams} />
      {query.isPending ? (
        <ComplianceBodySkeleton />
      ) : query.isError && !view ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : !view ? null : !view.history.firstDay ? (
        <EmptyState title="No history yet">
          <NoDataHelp />
        </EmptyState>
      ) : (
        <div className={cn("space-y-6", query.isPlaceholderData && "opacity-60")} aria-busy={query.isFetching}>
          {query.isError ? <ErrorState error={query.error} onRetry={() => query.refetch()} /> : null}
          <p className="text-sm text-slate-700" aria-live="polite">
            <span className="font-medium text-slate-900">{view.framework.label}</span> as of {view.partialDay ? `now (${formatDateTime(view.asOf)}); today's figures can change until the day ends` : `the end of ${formatDate(view.day)}`}. Rules version {view.rulesVersion}.
          </p>
          {view.totals.clusters === 0 ? (
            <EmptyState title={`No clusters in scope on ${formatDate(view.day)}`}>Another day, a wider scope, or clearing &ldquo;Production only&rdquo; may find some.</EmptyState>
          ) : (
            <>
              <Summary view={view} />
              <div className="grid gap-6 xl:grid-cols-[minmax(0,1.1fr)_minmax(0,1fr)]">
                <Card aria-labelledby="requirements-title">
                  <CardHeader id="requirements-title" title="Requirements" description={`${view.framework.publisher}. ${view.framework.limits}`} />
                  <RequirementList requirements={view.requirements} selected={selected?.id} onSelect={(id) => setParams({ requirement: id })} />
                </Card>
                {trend}
              </div>
              {selected ? (
                <Card id="requirement-detail" aria-labelledby="requirement-detail-title">
                  {/* While the requirements of another framework, day or scope load, the detail waits for them. */}
                  <RequirementDetail key={`${view.framework.id}-${selected.id}`} requirement={selected} request={request} enabled={!query.isPlaceholderData} />
                </Card>
              ) : null}
            </>
          )}
        </div>
      )}
    </div>
  );
}

export function ComplianceBodySkeleton() {
  return (
    <div className="space-y-6">
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {[0, 1, 2, 3].map((index) => (
          <Skeleton key={index} className="h-28" label="Loading the figures" />
        ))}
      </div>
      <Skeleton className="h-96 w-full" label="Loading the requirements" />
    </div>
  );
}
