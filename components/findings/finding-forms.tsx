"use client";

import { useId, useState } from "react";
import {
  dangerButtonClass,
  FieldLabel,
  FormError,
  FormSuccess,
  inputClass,
  primaryButtonClass,
  secondaryButtonClass,
  textareaClass,
} from "@/components/ui/form";
import { useAssignFinding, useCommentOnFinding, useRevokeWaiver, useWaiveFinding } from "@/hooks/use-finding-mutations";
import { cn } from "@/lib/class-names";
import { formatDate, formatThrough, lastCoveredDay, MAX_COMMENT_CHARS, MAX_DUE_DAYS_AHEAD, MAX_WAIVER_DAYS_AHEAD, utcDay } from "@/lib/findings/finding-display";
import { ASSIGN_LABELS } from "./bulk-assign-bar";

const COMMENT_LABELS = { text: "Comment" } as const;
const WAIVER_LABELS = { reason: "Reason", expiresAt: "Waived through" } as const;
import { formatInteger } from "@/lib/format";

// The forms send what the user typed and show the server's answer: its validation is the one
// that counts (limits, dates, conflicts); the inputs keep their values when it refuses.

/**
 * Assignee (person or team) and an agreed due date; an empty due date goes back to the SLA due date.
 * A date later than the current one asks for the reason, which goes to the trail.
 */
export function AssignForm({
  findingId,
  assignee,
  explicitDueDay,
  currentDueAt,
  slaDueAt,
  suggestions,
  now,
}: {
  findingId: number;
  assignee: string | null;
  /** YYYY-MM-DD of an agreed due date, or null when the SLA due date applies. */
  explicitDueDay: string | null;
  /** The effective due date now (ISO), to know when a new date moves it later. */
  currentDueAt: string;
  slaDueAt: string;
  suggestions: string[];
  now: number;
}) {
  const ids = useId();
  const [name, setName] = useState(assignee ?? "");
  const [due, setDue] = useState(explicitDueDay ?? "");
  const [reason, setReason] = useState("");
  // The due date last saved: an unchanged date is not sent again (it may be in the past by now).
  const [savedDue, setSavedDue] = useState(explicitDueDay ?? "");
  const [done, setDone] = useState<string | null>(null);
  const mutation = useAssignFinding(findingId);

  const dueChanged = due !== savedDue;
  // The day the new date would cover last, against the one in force: later needs a reason.
  const nextLastDay = due || lastCoveredDay(slaDueAt);
  const movesLater = dueChanged && nextLastDay > lastCoveredDay(currentDueAt);
  const save = (target: string | null) => {
    setDone(null);
    mutation.mutate(
      { assignee: target, ...(dueChanged ? { dueAt: due || null, ...(reason.trim() ? { dueReason: reason.trim() } : {}) } : {}) },
      {
        onSuccess: () => {
          setSavedDue(due);
          setReason("");
          if (target === null) setName("");
          const dueText = dueChanged ? (due ? `, due ${formatThrough(`${due}T23:59:59.999Z`)}` : ", due date back to the SLA due date") : "";
          setDone(target ? `Assigned to ${target}${dueText}.` : `Unassigned${dueText}.`);
        },
      },
    );
  };

  return (
    <form
      aria-labelledby={`${ids}-title`}
      noValidate
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        save(name.trim() || null);
      }}
    >
      <h3 id={`${ids}-title`} className="text-sm font-semibold text-slate-900">
        Assign
      </h3>
      <div>
        <FieldLabel htmlFor={`${ids}-assignee`} hint="(e-mail or team)">
          Assignee
        </FieldLabel>
        <input
          id={`${ids}-assignee`}
          className={inputClass}
          list={`${ids}-suggestions`}
          value={name}
          autoComplete="off"
          placeholder="dana@example.com or team-payments"
          aria-invalid={mutation.isError || undefined}
          aria-describedby={mutation.isError ? `${ids}-error` : undefined}
          onChange={(event) => setName(event.target.value)}
        />
        <datalist id={`${ids}-suggestions`}>
          {suggestions.map((option) => (
            <option key={option} value={option} />
          ))}
        </datalist>
      </div>
      <div>
        <FieldLabel htmlFor={`${ids}-due`} hint="(through that UTC day)">
          Due date
        </FieldLabel>
        <input
          id={`${ids}-due`}
          type="date"
          className={inputClass}
          min={utcDay(now)}
          max={utcDay(now, MAX_DUE_DAYS_AHEAD)}
          value={due}
          aria-describedby={`${ids}-due-hint`}
          onChange={(event) => setDue(event.target.value)}
        />
        <p id={`${ids}-due-hint`} className="mt-1 text-xs text-slate-600">
          Leave empty for the SLA due date ({formatThrough(slaDueAt)}); at most {MAX_DUE_DAYS_AHEAD} days ahead.
        </p>
      </div>
      {movesLater ? (
        <div>
          <FieldLabel htmlFor={`${ids}-reason`} hint="(required: the date moves later)">
            Reason for a later due date
          </FieldLabel>
          <textarea
            id={`${ids}-reason`}
            className={textareaClass}
            rows={2}
            value={reason}
            placeholder="Why, and what happens by then"
            onChange={(event) => setReason(event.target.value)}
          />
          <p className="mt-1 text-xs text-slate-600">The trail keeps the old and the new date with this reason; an SLA breach stays on record.</p>
        </div>
      ) : null}
      <FormError id={`${ids}-error`} error={mutation.error} labels={ASSIGN_LABELS} />
      {done ? <FormSuccess>{done}</FormSuccess> : null}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={primaryButtonClass} disabled={mutation.isPending}>
          {mutation.isPending ? "Saving…" : "Save assignment"}
        </button>
        {assignee ? (
          <button type="button" className={secondaryButtonClass} disabled={mutation.isPending} onClick={() => save(null)}>
            Unassign
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** A comment for the audit trail: plain text, at most 2,000 characters (the counter says how many). */
export function CommentForm({ findingId }: { findingId: number }) {
  const ids = useId();
  const [text, setText] = useState("");
  const [done, setDone] = useState(false);
  const mutation = useCommentOnFinding(findingId);
  const length = text.trim().length;
  const over = length > MAX_COMMENT_CHARS;

  return (
    <form
      noValidate
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        setDone(false);
        mutation.mutate(text, {
          onSuccess: () => {
            setText("");
            setDone(true);
          },
        });
      }}
    >
      <FieldLabel htmlFor={`${ids}-text`}>Add a comment</FieldLabel>
      <textarea
        id={`${ids}-text`}
        className={cn(textareaClass, "min-h-[6rem]")}
        rows={4}
        value={text}
        placeholder="What was done, a ticket number, who is on it…"
        aria-invalid={over || mutation.isError || undefined}
        aria-describedby={`${ids}-count${mutation.isError ? ` ${ids}-error` : ""}`}
        onChange={(event) => {
          setText(event.target.value);
          setDone(false);
        }}
      />
      <div className="flex flex-wrap items-start justify-between gap-3">
        <p id={`${ids}-count`} className={cn("text-xs tabular-nums", over ? "font-medium text-red-700" : "text-slate-600")}>
          {formatInteger(length)} / {formatInteger(MAX_COMMENT_CHARS)} characters
          {over ? ` (${formatInteger(length - MAX_COMMENT_CHARS)} too many)` : ""}
        </p>
        <button type="submit" className={primaryButtonClass} disabled={mutation.isPending || length === 0}>
          {mutation.isPending ? "Posting…" : "Comment"}
        </button>
      </div>
      <FormError id={`${ids}-error`} error={mutation.error} labels={COMMENT_LABELS} />
      {done ? <FormSuccess>Comment added to the audit trail.</FormSuccess> : null}
    </form>
  );
}

/** Waives the finding through a day (today to 180 days ahead, UTC) with a reason. */
export function WaiverForm({ findingId, now }: { findingId: number; now: number }) {
  const ids = useId();
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const mutation = useWaiveFinding(findingId);
  const latest = utcDay(now, MAX_WAIVER_DAYS_AHEAD);

  return (
    <form
      aria-labelledby={`${ids}-title`}
      noValidate
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        mutation.mutate(
          { reason, expiresAt: until },
          {
            onSuccess: () => {
              setReason("");
              setUntil("");
            },
          },
        );
      }}
    >
      <div>
        <h3 id={`${ids}-title`} className="text-sm font-semibold text-slate-900">
          Waive
        </h3>
        <p className="mt-0.5 text-xs text-slate-600">A waived finding leaves the KPIs through the last day of its waiver; then it counts again.</p>
      </div>
      <div>
        <FieldLabel htmlFor={`${ids}-reason`}>Reason</FieldLabel>
        <textarea
          id={`${ids}-reason`}
          className={textareaClass}
          rows={3}
          value={reason}
          placeholder="Why the risk is accepted, and until what happens"
          aria-invalid={mutation.isError || undefined}
          aria-describedby={mutation.isError ? `${ids}-error` : undefined}
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
      <div>
        <FieldLabel htmlFor={`${ids}-until`}>Waived through</FieldLabel>
        <input
          id={`${ids}-until`}
          type="date"
          className={inputClass}
          min={utcDay(now)}
          max={latest}
          value={until}
          aria-describedby={`${ids}-until-hint`}
          onChange={(event) => setUntil(event.target.value)}
        />
        <p id={`${ids}-until-hint`} className="mt-1 text-xs text-slate-600">
          The last day it covers (UTC); from today up to {MAX_WAIVER_DAYS_AHEAD} days ahead (latest {formatDate(`${latest}T00:00:00Z`)}).
        </p>
      </div>
      <FormError id={`${ids}-error`} error={mutation.error} labels={WAIVER_LABELS} />
      <button type="submit" className={primaryButtonClass} disabled={mutation.isPending}>
        {mutation.isPending ? "Waiving…" : "Waive finding"}
      </button>
    </form>
  );
}

/** The waiver in force, and (for those who may waive) revoking it after a confirmation. */
export function WaiverInForce({
  findingId,
  waiver,
  canRevoke,
}: {
  findingId: number;
  waiver: { reason: string; expiresAt: string; createdBy: string; createdAt?: string };
  canRevoke: boolean;
}) {
  const [confirming, setConfirming] = useState(false);
  const mutation = useRevokeWaiver(findingId);
  return (
    <div className="space-y-3">
      <dl className="space-y-2 text-sm">
        <div>
          <dt className="text-xs font-medium text-amber-900">Waived</dt>
          <dd className="font-medium text-slate-900">{formatThrough(waiver.expiresAt)}</dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-amber-900">By</dt>
          <dd className="break-all text-slate-900">
            {waiver.createdBy}
            {waiver.createdAt ? <span className="text-slate-600"> on {formatDate(waiver.createdAt)}</span> : null}
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-amber-900">Reason</dt>
          <dd className="whitespace-pre-wrap break-words text-slate-900">{waiver.reason}</dd>
        </div>
      </dl>
      {canRevoke ? (
        confirming ? (
          <div className="space-y-2 rounded-md border border-red-200 bg-white p-3">
            <p className="text-sm text-slate-900">Revoke the waiver? The finding counts in the KPIs again at once.</p>
            <div className="flex flex-wrap gap-2">
              <button type="button" className={dangerButtonClass} disabled={mutation.isPending} onClick={() => mutation.mutate(undefined, { onSuccess: () => setConfirming(false) })}>
                {mutation.isPending ? "Revoking…" : "Yes, revoke it"}
              </button>
              <button type="button" className={secondaryButtonClass} disabled={mutation.isPending} onClick={() => setConfirming(false)}>
                Keep the waiver
              </button>
            </div>
          </div>
        ) : (
          <button type="button" className={dangerButtonClass} onClick={() => setConfirming(true)}>
            Revoke waiver
          </button>
        )
      ) : null}
      <FormError error={mutation.error} />
    </div>
  );
}
