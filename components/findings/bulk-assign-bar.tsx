"use client";

import { useState } from "react";
import { FieldLabel, FormError, inputClass, primaryButtonClass, secondaryButtonClass, textareaClass } from "@/components/ui/form";
import { useBulkAssignFindings, type AssignResult, type BulkTarget } from "@/hooks/use-finding-mutations";
import { formatThrough, MAX_DUE_DAYS_AHEAD, plural, utcDay } from "@/lib/findings/finding-display";

/** How the server's parameters read on this form. */
export const ASSIGN_LABELS = { assignee: "Assign to", dueAt: "Due date", dueReason: "Reason for a later due date", ids: "Selection", match: "Selection" } as const;

/**
 * Assigns the selected findings at once (ticked, or every one that matches): a person or team, an
 * agreed due date, and the reason when that date moves any of them later. The page shows the
 * outcome (and its undo) above the list.
 */
export function BulkAssignBar({
  target,
  count,
  suggestions,
  now,
  onDone,
  onClear,
}: {
  target: BulkTarget;
  count: number;
  suggestions: string[];
  now: number;
  onDone: (result: AssignResult, message: string) => void;
  onClear: () => void;
}) {
  const [assignee, setAssignee] = useState("");
  const [dueAt, setDueAt] = useState("");
  const [reason, setReason] = useState("");
  const mutation = useBulkAssignFindings();

  const submit = (unassign: boolean) => {
    const target_ = unassign ? null : assignee.trim() || undefined;
    mutation.mutate(
      { ...target, ...(target_ !== undefined ? { assignee: target_ } : {}), ...(dueAt ? { dueAt, ...(reason.trim() ? { dueReason: reason.trim() } : {}) } : {}) },
      {
        onSuccess: (result) => {
          const due = dueAt ? `, due ${formatThrough(`${dueAt}T23:59:59.999Z`)}` : "";
          const extended = result.extended ? ` (${plural(result.extended, "due date")} moved later: ${reason.trim()})` : "";
          const who = target_ ? `Assigned ${plural(result.updated, "finding")} to ${target_}` : target_ === null ? `Unassigned ${plural(result.updated, "finding")}` : `Set the due date of ${plural(result.updated, "finding")}`;
          onDone(result, `${who}${due}${extended}.`);
          setAssignee("");
          setDueAt("");
          setReason("");
        },
      },
    );
  };

  if (count === 0) return null;
  return (
    <form
      aria-label="Assign selected findings"
      noValidate
      className="mb-3 flex flex-wrap items-end gap-3 rounded-lg border border-slate-300 bg-slate-100 px-4 py-3"
      onSubmit={(event) => {
        event.preventDefault();
        submit(false);
      }}
    >
      <p className="basis-full text-sm font-semibold text-slate-900 md:basis-auto md:self-center" aria-live="polite">
        {plural(count, "finding")} selected
      </p>
      <div className="min-w-[14rem] flex-1">
        <FieldLabel htmlFor="bulk-assignee" hint="(e-mail or team)">
          Assign to
        </FieldLabel>
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
        <FieldLabel htmlFor="bulk-due" hint="(optional; through that UTC day)">
          Due date
        </FieldLabel>
        <input id="bulk-due" type="date" className={inputClass} min={utcDay(now)} max={utcDay(now, MAX_DUE_DAYS_AHEAD)} value={dueAt} onChange={(event) => setDueAt(event.target.value)} />
      </div>
      {dueAt ? (
        <div className="min-w-[16rem] flex-1">
          <FieldLabel htmlFor="bulk-reason" hint="(needed when a due date moves later)">
            Reason for a later due date
          </FieldLabel>
          <textarea id="bulk-reason" rows={1} className={textareaClass} value={reason} placeholder="Why the date moves, e.g. vendor patch lands 12 Feb" onChange={(event) => setReason(event.target.value)} />
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={primaryButtonClass} disabled={mutation.isPending || (!assignee.trim() && !dueAt)}>
          {mutation.isPending ? "Saving…" : assignee.trim() ? `Assign ${plural(count, "finding")}` : `Set due date of ${plural(count, "finding")}`}
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
      <p className="basis-full text-xs text-slate-600">
        The SLA due date never moves: a finding past it stays an SLA breach on the Overview, whatever date is agreed here.
      </p>
      <FormError id="bulk-assign-error" error={mutation.error} labels={ASSIGN_LABELS} className="basis-full" />
    </form>
  );
}
