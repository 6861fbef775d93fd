import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/state-message";
import type { ClusterDetail, ClusterFinding } from "@/lib/data/get-cluster-detail";
import { formatDateTime, formatHours } from "@/lib/format";

function hoursBetween(from: string, to: string | null, now: number): number {
  return ((to ? new Date(to).getTime() : now) - new Date(from).getTime()) / 3_600_000;
}

function FindingStatus({ finding, currentlyNa }: { finding: ClusterFinding; currentlyNa: boolean }) {
  if (finding.resolvedAt === null) {
    return (
      <span className="flex flex-wrap gap-1">
        {finding.waiver ? (
          <Badge tone="warn" title={`Waived by ${finding.waiver.createdBy}: ${finding.waiver.reason}`}>
            Waived
          </Badge>
        ) : (
          <Badge tone="bad">Open</Badge>
        )}
        {currentlyNa ? (
          <Badge tone="neutral" title="The control is n/a on the latest snapshot (no in-cluster data); the finding stays open until the control passes.">
            now n/a
          </Badge>
        ) : null}
      </span>
    );
  }
  return finding.resolution === "deleted" ? <Badge tone="neutral">Closed: cluster deleted</Badge> : <Badge tone="ok">Resolved</Badge>;
}

/** The cluster's findings (one per failing episode of a control): open first, then the history. */
export function FindingsTable({ detail, now }: { detail: ClusterDetail; now: number }) {
  const { items, total, open } = detail.findings;
  const naNow = new Set(detail.controls.filter((control) => control.status === "n/a").map((control) => control.id));
  return (
    <Card id="findings" aria-labelledby="findings-title">
      <CardHeader
        id="findings-title"
        title="Findings"
        description={`${open} open, ${total - open} resolved. A finding opens on the first failing snapshot of a control and resolves on the first passing one.${
          total > items.length ? ` The latest ${items.length} are shown.` : ""
        }`}
      />
      {items.length === 0 ? (
        <EmptyState title="No findings">No control of this cluster has failed since it was first seen.</EmptyState>
      ) : (
        <div role="region" aria-label="Findings table" tabIndex={0} className="-mx-5 -mb-5 overflow-x-auto rounded-b-xl border-t border-slate-200">
          <table className="w-full min-w-[44rem] text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 pl-5">Control</th>
                <th scope="col" className="px-3 py-2">Status</th>
                <th scope="col" className="px-3 py-2">Opened</th>
                <th scope="col" className="px-3 py-2">Resolved</th>
                <th scope="col" className="px-3 py-2 text-right">Open for</th>
                <th scope="col" className="px-3 py-2 pr-5">Waiver</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((finding) => (
                <tr key={finding.id}>
                  <td className="px-3 py-2 pl-5">
                    <span className="font-mono text-xs text-slate-600">{finding.controlId}</span> <span className="text-slate-900">{finding.controlTitle}</span>
                  </td>
                  <td className="px-3 py-2">
                    <FindingStatus finding={finding} currentlyNa={naNow.has(finding.controlId)} />
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-slate-700">{formatDateTime(finding.openedAt)}</td>
                  <td className="whitespace-nowrap px-3 py-2 text-slate-700">{finding.resolvedAt ? formatDateTime(finding.resolvedAt) : "–"}</td>
                  <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums text-slate-700">{formatHours(hoursBetween(finding.openedAt, finding.resolvedAt, now))}</td>
                  <td className="px-3 py-2 pr-5 text-slate-700">
                    {finding.waiver ? (
                      <span>
                        until {formatDateTime(finding.waiver.expiresAt).slice(0, 10)}: <span className="text-slate-900">{finding.waiver.reason}</span>
                      </span>
                    ) : (
                      "–"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
