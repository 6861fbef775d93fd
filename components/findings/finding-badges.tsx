import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { Severity } from "@/lib/findings/control-policy";
import { formatDate, STATUS_LABEL } from "@/lib/findings/finding-display";
import type { FindingStatus } from "@/lib/findings/list-findings";

const SEVERITY_TONE: Record<Severity, BadgeTone> = { critical: "bad", high: "warn", medium: "info", low: "neutral" };
const STATUS_TONE: Record<FindingStatus, BadgeTone> = { open: "info", overdue: "bad", waived: "warn", resolved: "ok" };

const SEVERITY_DOT: Record<Severity, string> = { critical: "bg-red-600", high: "bg-amber-500", medium: "bg-sky-500", low: "bg-slate-400" };

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge tone={SEVERITY_TONE[severity]} className="capitalize">
      <span aria-hidden className={`h-1.5 w-1.5 rounded-full ${SEVERITY_DOT[severity]}`} />
      {severity}
    </Badge>
  );
}

export function StatusBadge({ status, waiverExpiresAt }: { status: FindingStatus; waiverExpiresAt?: string | null }) {
  return (
    <Badge tone={STATUS_TONE[status]} title={status === "waived" && waiverExpiresAt ? `Waived until ${formatDate(waiverExpiresAt)}` : undefined}>
      {STATUS_LABEL[status]}
    </Badge>
  );
}
