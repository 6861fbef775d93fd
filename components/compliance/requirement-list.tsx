"use client";

import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/class-names";
import type { RequirementSummary } from "@/lib/compliance/compliance-report";
import { formatInteger, formatPercent } from "@/lib/format";

export function EvidenceBadge({ evidence }: { evidence: "fully" | "partly" }) {
  return evidence === "fully" ? (
    <Badge tone="ok" title="Every mapped control passing meets this requirement for the cluster">
      Fully evidenced
    </Badge>
  ) : (
    <Badge tone="neutral" title="The controls evidence the network part only; the requirement needs other evidence too">
      Partly evidenced
    </Badge>
  );
}

/** The pass rate as a bar with its figure; the figure carries the meaning. */
function PassRateBar({ value }: { value: number | null }) {
  return (
    <div className="flex items-center gap-2">
      <div className="h-2 w-24 overflow-hidden rounded-full bg-slate-200" aria-hidden>
        <div className={cn("h-full rounded-full", value === null ? "bg-transparent" : value >= 90 ? "bg-emerald-600" : value >= 60 ? "bg-amber-500" : "bg-red-600")} style={{ width: `${value ?? 0}%` }} />
      </div>
      <span className="w-14 text-right font-mono text-sm tabular-nums text-slate-900">{formatPercent(value)}</span>
    </div>
  );
}

/**
 * One row per requirement: its evidence level, controls, pass rate and counts. A row is a button
 * (Tab reaches it, Enter or Space opens it); the open one carries aria-pressed.
 */
export function RequirementList({ requirements, selected, onSelect }: { requirements: RequirementSummary[]; selected: string | undefined; onSelect: (id: string) => void }) {
  return (
    <ul className="divide-y divide-slate-200" aria-label="Requirements">
      {requirements.map((requirement) => {
        const active = requirement.id === selected;
        return (
          <li key={requirement.id}>
            <button
              type="button"
              aria-pressed={active}
              aria-controls="requirement-detail"
              onClick={() => onSelect(requirement.id)}
              className={cn(
                "block w-full px-3 py-3 text-left hover:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600",
                active && "bg-slate-100 shadow-[inset_3px_0_0_0_var(--color-slate-900)] hover:bg-slate-100",
              )}
            >
              <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <span className="font-mono text-sm font-semibold text-slate-900">{requirement.id}</span>
                <EvidenceBadge evidence={requirement.evidence} />
                <span className="text-xs text-slate-600">{requirement.controls.join(" · ")}</span>
              </span>
              <span className="mt-1 line-clamp-2 block text-sm text-slate-700" title={requirement.title}>
                {requirement.title}
              </span>
              <span className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1.5">
                <PassRateBar value={requirement.passRate} />
                <span className="flex flex-wrap gap-1.5 text-xs">
                  <Badge tone="ok">{formatInteger(requirement.passing)} pass</Badge>
                  <Badge tone={requirement.failing > 0 ? "bad" : "neutral"}>{formatInteger(requirement.failing)} fail</Badge>
                  {requirement.waived > 0 ? <Badge tone="warn">{formatInteger(requirement.waived)} waived</Badge> : null}
                  {requirement.notApplicable > 0 ? <Badge tone="neutral">{formatInteger(requirement.notApplicable)} n/a</Badge> : null}
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
