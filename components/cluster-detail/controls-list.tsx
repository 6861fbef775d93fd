import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { formatThrough } from "@/lib/format";
import { ControlStatusBadge } from "@/components/clusters/posture-badges";
import type { ClusterDetail } from "@/lib/data/get-cluster-detail";
import type { ControlEvidence } from "@/lib/posture";

const MAX_CHIPS = 24;

function Chips({ label, items }: { label: string; items: string[] }) {
  if (items.length === 0) return null;
  const shown = items.slice(0, MAX_CHIPS);
  return (
    <div className="flex flex-wrap items-baseline gap-1.5">
      <span className="text-xs font-medium text-slate-600">{label}:</span>
      {shown.map((item) => (
        <code key={item} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">
          {item}
        </code>
      ))}
      {items.length > shown.length ? <span className="text-xs text-slate-600">and {items.length - shown.length} more</span> : null}
    </div>
  );
}

function Evidence({ evidence }: { evidence: ControlEvidence }) {
  const rules = (evidence.rules ?? []).map((rule) => `${rule.namespace ?? "(cluster-wide)"}/${rule.policy} ${rule.direction}[${rule.index}]`);
  const policies = (evidence.policies ?? []).map((policy) => `${policy.namespace ?? "(cluster-wide)"}/${policy.policy}`);
  const namespaces = evidence.namespaces ?? [];
  if (rules.length === 0 && policies.length === 0 && namespaces.length === 0 && evidence.value === undefined) return null;
  return (
    <div className="mt-2 space-y-1.5">
      {evidence.value !== undefined ? (
        <div className="flex items-baseline gap-1.5">
          <span className="text-xs font-medium text-slate-600">Value:</span>
          <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">{evidence.value}</code>
        </div>
      ) : null}
      <Chips label="Namespaces" items={namespaces} />
      <Chips label="Policies" items={policies} />
      <Chips label="Rules" items={rules} />
    </div>
  );
}

/**
 * Every control with its status, the reason in a sentence, and the evidence behind it; a failing
 * control links to its fix (and to the apply-all file when that holds it) and to its finding, and
 * says when a waiver is in force.
 */
export function ControlsList({ detail, findingSearch = "" }: { detail: ClusterDetail; findingSearch?: string }) {
  const fixable = new Set(detail.remediation.map((item) => item.controlId));
  const bundled = new Set(detail.bundle?.fixes ?? []);
  const openFinding = new Map(detail.findings.items.filter((finding) => finding.status !== "resolved").map((finding) => [finding.controlId, finding]));
  return (
    <Card id="controls" aria-labelledby="controls-title">
      <CardHeader id="controls-title" title="Controls" description="Each control on the latest snapshot: why it passes or fails, and the namespaces, policies and rules that decide it." />
      <ol className="divide-y divide-slate-100">
        {detail.controls.map((control) => (
          <li key={control.id} className="flex gap-4 py-3 first:pt-0 last:pb-0">
            <div className="w-14 shrink-0 pt-0.5">
              <ControlStatusBadge status={control.status} />
            </div>
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                <h3 className="text-sm font-semibold text-slate-900">
                  <span className="font-mono text-slate-600">{control.id}</span> {control.title}
                </h3>
                <span className="flex flex-wrap gap-x-3 text-sm">
                  {openFinding.get(control.id) ? (
                    <Link href={`/findings/${openFinding.get(control.id)!.id}${findingSearch}`} className="font-medium text-brand-700 hover:underline">
                      Finding #{openFinding.get(control.id)!.id}
                    </Link>
                  ) : null}
                  {control.status === "fail" && bundled.has(control.id) ? (
                    <a href="#fix-bundle" className="font-medium text-brand-700 hover:underline">
                      In the apply-all file<span className="sr-only"> ({control.id})</span> ↓
                    </a>
                  ) : null}
                  {control.status === "fail" && fixable.has(control.id) ? (
                    <a href={`#fix-${control.id}`} className="font-medium text-brand-700 hover:underline">
                      How to fix<span className="sr-only"> {control.id}</span> ↓
                    </a>
                  ) : null}
                </span>
              </div>
              {openFinding.get(control.id)?.waiver ? (
                <p className="mt-1 inline-flex flex-wrap items-center gap-1.5 text-sm text-amber-950">
                  <Badge tone="warn">Waived</Badge>
                  {formatThrough(openFinding.get(control.id)!.waiver!.expiresAt)} by {openFinding.get(control.id)!.waiver!.createdBy}: left out of the KPIs until then.
                </p>
              ) : null}
              <p className="mt-0.5 text-sm text-slate-700">{control.reason}</p>
              <Evidence evidence={control.evidence} />
            </div>
          </li>
        ))}
      </ol>
    </Card>
  );
}
