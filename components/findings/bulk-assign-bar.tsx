"use client";

import { useState } from "react";
import { FormError, inputClass, primaryButtonClass, secondaryButtonClass } from "@/components/ui/form";
import { useBulkAssignFindings } from "@/hooks/use-finding-mutations";
import { formatDate, MAX_DUE_DAYS_AHEAD, plural, utcDay } from "@/lib/findings/finding-display";

/**
 * Assigns the selected findings at once: a person (e-mail) or a team, with an optional due date.
 * The result (or the server's refusal) stays on screen, in a live region.
 */
export function BulkAssignBar({
  selectedIds,
  suggestions,
  now,
  onDone,
  onClear,
}: {
  selectedIds: number[];
  suggestions: string[];
  now: number;
  onDone: () => void;
  onClear: () => void;
}) {
  const [assignee, setAssignee] = useState("");
  const [dueAt, setDueAt] = useState("");
  const [result, setResult] = useState<string | null>(null);
  const mutation = useBulkAssignFindings();
  const count = selectedIds.length;

  const submit = (unassign: boolean) => {
    setResult(null);
    const target = unassign ? null : assignee.trim();
    const ids = [...selectedIds];
    mutation.mutate(
      { ids, assignee: target, ...(dueAt ? { dueAt } : {}) },
      {
        onSuccess: ({ updated }) => {
          const due = dueAt ? `, due ${formatDate(`${dueAt}T00:00:00Z`)}` : "";
          setResult(target ? `Assigned ${plural(updated, "finding")} to ${target}${due}.` : `Unassigned ${plural(updated, "finding")}${due}.`);
          setAssignee("");
          setDueAt("");
          onDone();
        },
      },
    );
  };

  return (
    <div className="mb-3 space-y-2">
      {count > 0 ? (
        <form
          aria-label="Assign selected findings"
          noValidate
          className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-300 bg-slate-100 px-4 py-3"
          onSubmit={(event) => {
            event.preventDefault();
            submit(false);
          }}
        >
          <p className="self-center text-sm font-semibold text-slate-900" aria-live="polite">
            {plural(count, "finding")} selected
          </p>
          <div className="min-w-[16rem] flex-1">
            <label htmlFor="bulk-assignee" className="mb-1 block text-xs font-medium text-slate-700">
              Assign to (e-mail or team)
            </label>
            <input
              id="bulk-assignee"
              className={inputClass}
              list="bulk-assignee-suggestions"
              value={assignee}
              autoComplete="off"
              placeholder="dana@example.com or team-payments"
              aria-describedby={mutation.isError ? "bulk-assign-error" : undefined}
              onChange={(event) => setAssignee(event.target.value)}
            />
            <datalist id="bulk-assignee-suggestions">
              {suggestions.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
          </div>
          <div>
            <label htmlFor="bulk-due" className="mb-1 block text-xs font-medium text-slate-700">
              Due date <span className="font-normal text-slate-600">(optional, UTC)</span>
            </label>
            <input id="bulk-due" type="date" className={inputClass} min={utcDay(now)} max={utcDay(now, MAX_DUE_DAYS_AHEAD)} value={dueAt} onChange={(event) => setDueAt(event.target.value)} />
          </div>
          <div className="flex flex-wrap gap-2">
            <button type="submit" className={primaryButtonClass} disabled={mutation.isPending || !assignee.trim()}>
              {mutation.isPending ? "Assigning…" : `Assign ${plural(count, "finding")}`}
            </button>
            <button type="button" className={secondaryButtonClass} disabled={mutation.isPending} onClick={() => submit(true)}>
              Unassign
            </button>
            <button
              type="button"
              className="h-9 rounded-md px-2 text-sm font-medium text-slate-700 underline-offset-2 hover:underline"
              onClick={() => {
                mutation.reset();
                onClear();
              }}
            >
              Clear selection
            </button>
          </div>
          <FormError id="bulk-assign-error" error={mutation.error} className="basis-full" />
        </form>
      ) : null}
      <div role="status" className="empty:hidden">
        {result ? <p className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">{result}</p> : null}
      </div>
    </div>
  );
}
