import { RelativeTime } from "@/components/ui/relative-time";
import { cn } from "@/lib/class-names";
import { describeActor, formatDateTimeUtc, formatThrough } from "@/lib/findings/finding-display";
import type { FindingEventView } from "@/lib/findings/get-finding";

type Tone = "neutral" | "bad" | "ok" | "warn" | "info";

const DOT: Record<Tone, string> = {
  neutral: "bg-slate-400",
  bad: "bg-red-600",
  ok: "bg-emerald-600",
  warn: "bg-amber-500",
  info: "bg-sky-600",
};

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** What one event says. Every user-supplied string is rendered as React text, never as markup. */
function describeEvent(event: FindingEventView): { tone: Tone; title: React.ReactNode; body?: string } {
  const data = event.data;
  switch (event.type) {
    case "opened":
      return { tone: "bad", title: "Opened: the control failed in a collection run" };
    case "reopened":
      return { tone: "bad", title: "Reopened: the control fails again after it had passed" };
    case "resolved":
      return { tone: "ok", title: "Resolved: the control passes" };
    case "cluster-deleted":
      return { tone: "neutral", title: "Closed: the cluster was deleted" };
    case "run-undone":
      return { tone: "bad", title: `Resolution withdrawn: run #${typeof data.runId === "number" ? data.runId : "?"} was undone, so the finding is open again` };
    case "assigned": {
      const assignee = text(data.assignee);
      // Events written before due dates had their own entry carry the date here.
      const due =
        "dueAt" in data ? (
          text(data.dueAt) ? (
            <>
              , due <span className="font-medium">{formatThrough(text(data.dueAt)!)}</span>
            </>
          ) : (
            ", due date cleared (the control's SLA applies)"
          )
        ) : null;
      const previous = text(data.previous);
      return {
        tone: "info",
        title: (
          <>
            {assignee ? (
              <>
                Assigned to <span className="font-medium break-all">{assignee}</span>
              </>
            ) : (
              "Unassigned"
            )}
            {previous ? <span className="text-slate-600"> (was {previous})</span> : null}
            {due}
            {text(data.undoOf) ? <span className="text-slate-600"> (undo)</span> : null}
          </>
        ),
      };
    }
    case "due-changed": {
      const from = text(data.from);
      const to = text(data.to) ?? text(data.slaDueAt);
      const later = from && to ? new Date(to).getTime() > new Date(from).getTime() : false;
      const sla = text(data.slaDueAt);
      const pastSla = later && sla && to ? new Date(to).getTime() > new Date(sla).getTime() : false;
      return {
        tone: later ? "warn" : "info",
        title: (
          <>
            Due date {later ? "moved later" : text(data.agreed) === null && !text(data.undoOf) ? "back to the SLA due date" : "changed"}:{" "}
            <span className="font-medium">{from ? formatThrough(from) : "the SLA due date"}</span> →{" "}
            <span className="font-medium">{to ? formatThrough(to) : "the SLA due date"}</span>
            {pastSla ? <span className="text-red-800"> (past the SLA due date, {formatThrough(sla!)})</span> : null}
            {text(data.undoOf) ? <span className="text-slate-600"> (undo)</span> : null}
          </>
        ),
        body: text(data.reason) ?? undefined,
      };
    }
    case "commented":
      return { tone: "neutral", title: "Commented", body: text(data.text) ?? "" };
    case "waived":
      return {
        tone: "warn",
        title: (
          <>
            Waived <span className="font-medium">{text(data.expiresAt) ? formatThrough(text(data.expiresAt)!) : "?"}</span>: it leaves the KPIs until then
          </>
        ),
        body: text(data.reason) ?? undefined,
      };
    case "waiver-expired":
      return { tone: "bad", title: "Waiver expired: the finding counts in the KPIs again" };
    case "waiver-revoked":
      return { tone: "bad", title: "Waiver revoked: the finding counts in the KPIs again" };
    default:
      return { tone: "neutral", title: event.type };
  }
}

/** The audit trail, oldest first: every change with who and when. */
export function AuditTrail({ events }: { events: FindingEventView[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">No events recorded.</p>;
  return (
    <ol className="relative space-y-0" aria-label="Audit trail, oldest first">
      {events.map((event, index) => {
        const { tone, title, body } = describeEvent(event);
        return (
          <li key={event.id} className="relative flex gap-3 pb-5 last:pb-0" data-event-type={event.type}>
            {index < events.length - 1 ? <span aria-hidden className="absolute left-[5px] top-4 h-full w-px bg-slate-200" /> : null}
            <span aria-hidden className={cn("relative mt-1.5 h-[11px] w-[11px] shrink-0 rounded-full ring-4 ring-white", DOT[tone])} />
            <div className="min-w-0 flex-1">
              <p className="text-sm text-slate-900">{title}</p>
              <p className="mt-0.5 text-xs text-slate-600">
                <span className="break-all">{describeActor(event.actor)}</span> ·{" "}
                <span>{formatDateTimeUtc(event.at)}</span> · <RelativeTime value={event.at} />
              </p>
              {body !== undefined ? (
                <blockquote className="mt-2 whitespace-pre-wrap break-words rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-800">{body}</blockquote>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
