"use client";

import { useOptimistic, useTransition } from "react";
import { useCurrentUser } from "@/components/providers/current-user-provider";
import { toSearch } from "@/lib/api/fetch-json";
import type { FrameworkChoice } from "@/lib/compliance/default-framework";
import { formatDate } from "@/lib/format";
import type { ComplianceState } from "./compliance-state";

const fieldClass = "h-9 w-full min-w-0 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 shadow-sm disabled:opacity-60";
const labelClass = "flex min-w-0 flex-col gap-1 text-sm font-medium text-slate-700";

/** Ends of months and quarters auditors ask about, within history. */
function quickDays(today: string, firstDay: string | null): { label: string; day: string }[] {
  const [year, month] = today.split("-").map(Number);
  /** The last day of month `m` (1-12) of year `y`; month 0 is December of the year before. */
  const lastOf = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  const quarterStart = Math.floor((month - 1) / 3) * 3 + 1;
  const picks = [
    { label: "End of last month", day: lastOf(year, month - 1) },
    { label: "End of last quarter", day: lastOf(year, quarterStart - 1) },
    { label: "End of last year", day: `${year - 1}-12-31` },
  ];
  return picks.filter((pick, index, all) => (!firstDay || pick.day >= firstDay) && all.findIndex((other) => other.day === pick.day) === index);
}

/** Framework, day, production only, and the evidence pack download: what the page shows and exports. */
export function ComplianceControls({
  frameworks,
  state,
  scope,
  today,
  firstDay,
  shownDay,
  onChange,
}: {
  /** The catalogue's frameworks (from the server: the catalogue itself stays out of the page's JavaScript). */
  frameworks: readonly FrameworkChoice[];
  state: ComplianceState;
  scope: { subscription?: string; owner?: string };
  today: string;
  firstDay: string | null;
  /** The day the figures on screen are for. */
  shownDay: string;
  onChange: (changes: Record<string, string | undefined>) => void;
}) {
  const user = useCurrentUser();
  const canExport = user.can("report:export");
  // The address changes once the server has answered; until then the fields show what was picked.
  const [, startTransition] = useTransition();
  const [shown, showPicked] = useOptimistic(state, (current, picked: Partial<ComplianceState>) => ({ ...current, ...picked }));
  const pick = (picked: Partial<ComplianceState>, changes: Record<string, string | undefined>) =>
    startTransition(() => {
      showPicked(picked);
      onChange(changes);
    });
  const packHref = `/api/compliance/evidence-pack${toSearch({
    framework: state.framework,
    asOf: state.asOf,
    production: state.production ? "true" : undefined,
    subscription: scope.subscription,
    owner: scope.owner,
    by: state.by === "all" ? undefined : state.by,
  })}`;
  const picks = quickDays(today, firstDay);
  return (
    <div className="grid gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-2 xl:grid-cols-[minmax(16rem,2fr)_minmax(10rem,1fr)_auto_minmax(14rem,1.4fr)]">
      <label className={labelClass}>
        Framework
        <select className={fieldClass} value={shown.framework} onChange={(event) => pick({ framework: event.target.value }, { framework: event.target.value, requirement: undefined })}>
          {frameworks.map((framework) => (
            <option key={framework.id} value={framework.id}>
              {framework.label}
            </option>
          ))}
          {frameworks.some((framework) => framework.id === shown.framework) ? null : <option value={shown.framework}>{shown.framework}</option>}
        </select>
      </label>
      <div className="flex min-w-0 flex-col gap-1">
        <label className={labelClass}>
          As of the end of
          <input
            type="date"
            className={fieldClass}
            value={shown.asOf ?? today}
            min={firstDay ?? undefined}
            max={today}
            required
            onChange={(event) => {
              const value = event.target.value;
              if (value) pick({ asOf: value === today ? undefined : value }, { asOf: value === today ? undefined : value });
            }}
          />
        </label>
        {picks.length > 0 ? (
          <div className="flex flex-wrap gap-x-3 gap-y-1 text-xs" aria-label="Quick picks">
            {picks.map((quick) => (
              <button key={quick.label} type="button" onClick={() => pick({ asOf: quick.day }, { asOf: quick.day })} className="font-medium text-brand-700 underline-offset-2 hover:underline" title={formatDate(quick.day)}>
                {quick.label}
              </button>
            ))}
            {shown.asOf ? (
              <button type="button" onClick={() => pick({ asOf: undefined }, { asOf: undefined })} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                Today
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
      <label className="flex items-center gap-2 self-center text-sm font-medium text-slate-700 xl:mt-5">
        <input type="checkbox" className="h-4 w-4 rounded border-slate-300" checked={shown.production} onChange={(event) => pick({ production: event.target.checked }, { production: event.target.checked ? "true" : undefined })} />
        Production only
      </label>
      <div className="flex min-w-0 flex-col gap-1">
        <span className="text-sm font-medium text-slate-700">Evidence pack for auditors</span>
        {canExport ? (
          <div className="flex flex-wrap items-center gap-2">
            <label className="sr-only" htmlFor="compliance-pack-by">
              Break the pack down by
            </label>
            <select id="compliance-pack-by" className={`${fieldClass} w-auto`} value={shown.by} onChange={(event) => pick({ by: event.target.value as ComplianceState["by"] }, { by: event.target.value === "all" ? undefined : event.target.value })}>
              <option value="all">No breakdown</option>
              <option value="owner">By owner</option>
              <option value="subscription">By subscription</option>
            </select>
            <a href={packHref} download className="inline-flex h-9 items-center rounded-md bg-slate-900 px-3 text-sm font-medium text-white hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600">
              Download ZIP ({formatDate(shownDay)})
            </a>
          </div>
        ) : (
          <p className="text-sm text-slate-600">Your role ({user.role}) cannot export; finops, security and admin accounts can.</p>
        )}
      </div>
    </div>
  );
}
