"use client";

import Link from "next/link";
import { useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { SegmentedControl } from "@/components/ui/segmented-control";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/state-message";
import { useRequirementEvidenceQuery } from "@/hooks/use-compliance-query";
import type { ComplianceRequest } from "@/lib/api/query-keys";
import type { RequirementSummary } from "@/lib/compliance/compliance-report";
import type { ClusterEvidenceView } from "@/lib/compliance/get-compliance-view";
import { EVIDENCE_PAGE as PAGE, VIEW_CLUSTER_LIMIT, type EvidenceList as ListKey } from "@/lib/compliance/view-limits";
import { cn } from "@/lib/class-names";
import { formatDate, formatDateTime, formatInteger, formatThrough } from "@/lib/format";
import { countInList, firstEvidenceList } from "./compliance-state";
import { EvidenceBadge } from "./requirement-list";

const OUTCOME_TONE: Record<string, BadgeTone> = { pass: "ok", fail: "bad", waived: "warn", "n/a": "neutral" };
const OUTCOME_TEXT: Record<string, string> = { pass: "pass", fail: "fail", waived: "waived", "n/a": "n/a" };
const LIST_LABEL: Record<ListKey, string> = { fail: "Failing clusters", waived: "Waived clusters", pass: "Passing clusters", na: "Clusters without evidence" };
const EMPTY_TEXT: Record<ListKey, string> = {
  fail: "No cluster fails this requirement's network evidence.",
  waived: "No failure of this requirement is under a waiver.",
  pass: "No cluster passes this requirement's network evidence.",
  na: "Every cluster has evidence for this requirement.",
};

function ClusterEvidence({ cluster }: { cluster: ClusterEvidenceView }) {
  return (
    <li className="py-3">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <Link href={`/clusters/${cluster.clusterId}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
          {cluster.name}
        </Link>
        <span className="text-sm text-slate-600">{cluster.owner}</span>
        {cluster.production ? <Badge tone="strong">production</Badge> : null}
        <span className="text-xs text-slate-500">judged from the snapshot of {formatDateTime(cluster.capturedAt)}</span>
      </div>
      <ul className="mt-2 space-y-1.5">
        {cluster.controls.map((control) => (
          <li key={control.id} className="grid gap-1 text-sm sm:grid-cols-[9.5rem_minmax(0,1fr)] sm:gap-3">
            <span className="flex items-center gap-2">
              <Badge tone={OUTCOME_TONE[control.outcome]}>{OUTCOME_TEXT[control.outcome]}</Badge>
              <span className="font-mono text-xs text-slate-700">{control.id}</span>
            </span>
            <span className="min-w-0 break-words text-slate-700">
              {control.reason || "No reason was recorded."}
              {control.waiver ? (
                <span className="mt-1 block rounded-md bg-amber-50 px-2 py-1 text-amber-950">
                  Waived by <span className="font-medium">{control.waiver.approvedBy}</span> on {formatDate(control.waiver.approvedAt)}, {formatThrough(control.waiver.expiresAt)}: {control.waiver.reason}
                </span>
              ) : null}
              {control.finding ? (
                <Link href={`/findings/${control.finding.id}`} className="ml-1 whitespace-nowrap text-xs font-medium text-brand-700 underline-offset-2 hover:underline">
                  Finding #{control.finding.id}
                </Link>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
    </li>
  );
}

/**
 * The open requirement: why its controls evidence it, then its clusters by outcome with their
 * evidence, fetched a list and a page at a time (`request` is the page's framework, day and scope).
 */
export function RequirementDetail({ requirement, request, enabled }: { requirement: RequirementSummary; request: ComplianceRequest; enabled: boolean }) {
  const [list, setList] = useState<ListKey>(firstEvidenceList(requirement));
  const [visible, setVisible] = useState(PAGE);
  const count = countInList(requirement, list);
  const evidence = useRequirementEvidenceQuery({ ...request, requirement: requirement.id, list, limit: visible }, { enabled: enabled && count > 0 });
  const listed = evidence.data?.listed ?? 0;
  const shown = evidence.data?.clusters.slice(0, visible) ?? [];
  return (
    <div>
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="requirement-detail-title" className="text-base font-semibold text-slate-900">
          Requirement <span className="font-mono">{requirement.id}</span>
        </h2>
        <EvidenceBadge evidence={requirement.evidence} />
      </div>
      <p className="mt-1 text-sm text-slate-800">{requirement.title}</p>
      <p className="mt-2 text-sm text-slate-600">
        <span className="font-medium text-slate-800">Evidenced by {requirement.controls.join(", ")}.</span> {requirement.rationale}
      </p>
      <SegmentedControl
        className="mt-4"
        legend="Clusters"
        value={list}
        onChange={(value) => {
          setList(value);
          setVisible(PAGE);
        }}
        options={[
          { value: "fail", label: `Failing (${formatInteger(requirement.failing)})` },
          { value: "waived", label: `Waived (${formatInteger(requirement.waived)})` },
          { value: "pass", label: `Passing (${formatInteger(requirement.passing)})` },
          { value: "na", label: `No evidence (${formatInteger(requirement.notApplicable)})` },
        ]}
      />
      {count === 0 || (evidence.data && listed === 0) ? (
        <EmptyState className="mt-3" title={EMPTY_TEXT[list]} />
      ) : evidence.isError && !evidence.data ? (
        <ErrorState className="mt-3" error={evidence.error} onRetry={() => void evidence.refetch()} />
      ) : !evidence.data ? (
        <div className="mt-3 space-y-3">
          {Array.from({ length: Math.min(count, 3) }, (_, index) => (
            <Skeleton key={index} className="h-16 w-full" label={`Loading the ${LIST_LABEL[list].toLowerCase()}`} />
          ))}
        </div>
      ) : (
        <div className={cn(evidence.isPlaceholderData && "opacity-60")} aria-busy={evidence.isFetching}>
          {evidence.isError ? <ErrorState className="mt-3" error={evidence.error} onRetry={() => void evidence.refetch()} /> : null}
          <ul className="mt-2 divide-y divide-slate-200" aria-label={`${LIST_LABEL[list]} for ${requirement.id}`}>
            {shown.map((cluster) => (
              <ClusterEvidence key={cluster.clusterId} cluster={cluster} />
            ))}
          </ul>
          <div className="mt-2 flex flex-wrap items-center gap-3 text-sm text-slate-600">
            <span>
              {formatInteger(shown.length)} of {formatInteger(count)} shown, production clusters first
              {count > VIEW_CLUSTER_LIMIT ? `; the page lists up to ${VIEW_CLUSTER_LIMIT}, the evidence pack every one` : ""}.
            </span>
            {listed > shown.length ? (
              <button
                type="button"
                disabled={evidence.isPlaceholderData}
                onClick={() => setVisible((visible) => visible + PAGE)}
                className="rounded-md border border-slate-300 bg-white px-3 py-1 font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-60"
              >
                Show {Math.min(PAGE, listed - shown.length)} more
              </button>
            ) : null}
          </div>
        </div>
      )}
    </div>
  );
}
