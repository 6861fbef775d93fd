import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/class-names";
import type { ControlId, ControlStatus } from "@/lib/posture";

/** The policy engine: enabled engines in green, `none` in red, unrecognised values in amber (they count as not enabled). */
export function EngineBadge({ engine, enabled }: { engine: string; enabled: boolean }) {
  if (enabled) return <Badge tone="ok">{engine}</Badge>;
  if (engine.startsWith("unknown:")) {
    return (
      <Badge tone="warn" title="Not a known engine: counts as not enabled">
        unknown: {engine.slice("unknown:".length)}
      </Badge>
    );
  }
  return <Badge tone="bad">{engine === "none" ? "none" : engine}</Badge>;
}

const STATUS_LABEL: Record<ControlStatus, string> = { pass: "Pass", fail: "Fail", "n/a": "n/a" };

export function ControlStatusBadge({ status, className }: { status: ControlStatus; className?: string }) {
  return (
    <Badge tone={status === "pass" ? "ok" : status === "fail" ? "bad" : "neutral"} className={cn("w-12 justify-center", className)}>
      {status === "pass" ? <CheckIcon /> : status === "fail" ? <CrossIcon /> : null}
      {STATUS_LABEL[status]}
    </Badge>
  );
}

function CheckIcon() {
  return (
    <svg aria-hidden viewBox="0 0 12 12" className="h-3 w-3" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M2.5 6.5 5 9l4.5-6" />
    </svg>
  );
}

function CrossIcon() {
  return (
    <svg aria-hidden viewBox="0 0 12 12" className="h-3 w-3" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="m3 3 6 6M9 3 3 9" />
    </svg>
  );
}

const PIP_CLASS: Record<ControlStatus, string> = {
  pass: "bg-emerald-600",
  fail: "bg-red-600",
  "n/a": "bg-white ring-1 ring-inset ring-slate-400",
};

/** Every control as a square, in catalogue order: a glance at which controls fail. The label spells it out. */
export function ControlPips({ statuses }: { statuses: { id: ControlId; status: ControlStatus }[] }) {
  const label = statuses.map((item) => `${item.id} ${item.status}`).join(", ");
  return (
    <span role="img" aria-label={label} title={label} className="inline-flex gap-0.5 align-middle">
      {/* A shape in every square (✓ pass, ✗ fail, – n/a): colour is never the only cue. */}
      {statuses.map((item) => (
        <span key={item.id} className={cn("grid h-3.5 w-3.5 place-items-center rounded-[2px] text-white [print-color-adjust:exact]", PIP_CLASS[item.status])}>
          {item.status === "pass" ? (
            <svg aria-hidden viewBox="0 0 12 12" className="h-2.5 w-2.5" fill="none" stroke="currentColor" strokeWidth="2.2">
              <path d="M2.5 6.5 5 9l4.5-6" />
            </svg>
          ) : item.status === "fail" ? (
            <svg aria-hidden viewBox="0 0 12 12" className="h-2.5 w-2.5" fill="none" stroke="currentColor" strokeWidth="2.2">
              <path d="m3 3 6 6M9 3 3 9" />
            </svg>
          ) : (
            <svg aria-hidden viewBox="0 0 12 12" className="h-2.5 w-2.5 text-slate-500" fill="none" stroke="currentColor" strokeWidth="2">
              <path d="M3 6h6" />
            </svg>
          )}
        </span>
      ))}
    </span>
  );
}
