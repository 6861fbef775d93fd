import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { StatusBadge } from "@/components/findings/finding-badges";
import { TableScrollRegion } from "@/components/table/table-scroll-region";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { EmptyState } from "@/components/ui/state-message";
import type { ClusterDetail } from "@/lib/data/get-cluster-detail";
import { formatDate, formatDateTime, formatHours, formatThrough } from "@/lib/format";

function hoursBetween(from: string, to: string | null, now: number): number {
  return ((to ? new Date(to).getTime() : now) - new Date(from).getTime()) / 3_600_000;
}

/**
 * The cluster's findings (one per failing episode of a control): open first, then the history. Each
 * links to its finding and says its status in the Findings page's words (Open, Overdue, Waived, Resolved).
 */
export function FindingsTable({ detail, now, findingSearch = "" }: { detail: ClusterDetail; now: number; findingSearch?: string }) {
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
        <TableScrollRegion label="Findings table" placement="card-bottom">
          <Table caption="The cluster's findings, open first" className="min-w-[50rem]">
            <TableHeader>
              <tr>
                <TableHead>Finding</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Opened</TableHead>
                <TableHead>Due or resolved</TableHead>
                <TableHead align="right">Open for</TableHead>
                <TableHead>Assignee</TableHead>
              </tr>
            </TableHeader>
            <TableBody>
              {items.map((finding) => (
                <TableRow key={finding.id}>
                  <TableCell>
                    <Link href={`/findings/${finding.id}${findingSearch}`} className="font-medium text-brand-700 hover:underline">
                      <span className="font-mono text-xs">{finding.controlId}</span> {finding.controlTitle}
                    </Link>
                    <span className="block text-xs text-slate-600">#{finding.id}</span>
                  </TableCell>
                  <TableCell>
                    <span className="flex flex-wrap gap-1">
                      <StatusBadge status={finding.status} waiverExpiresAt={finding.waiver?.expiresAt} />
                      {finding.status === "resolved" && finding.resolution === "deleted" ? <Badge tone="neutral">cluster deleted</Badge> : null}
                      {finding.slaBreached && finding.status !== "resolved" && finding.status !== "overdue" ? <Badge tone="bad">✗ SLA breached</Badge> : null}
                      {finding.status !== "resolved" && naNow.has(finding.controlId) ? (
                        <Badge tone="neutral" title="The control is n/a on the latest snapshot (no in-cluster data); the finding stays open until the control passes.">
                          now n/a
                        </Badge>
                      ) : null}
                    </span>
                    {finding.waiver ? (
                      <span className="mt-1 block max-w-[18rem] text-xs text-slate-700">
                        Waived {formatThrough(finding.waiver.expiresAt)} by {finding.waiver.createdBy}: <span className="text-slate-900">{finding.waiver.reason}</span>
                      </span>
                    ) : null}
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-slate-700">{formatDateTime(finding.openedAt)}</TableCell>
                  <TableCell className="whitespace-nowrap text-slate-700">
                    {finding.resolvedAt ? `Resolved ${formatDate(finding.resolvedAt)}` : <span className={finding.status === "overdue" ? "font-medium text-red-800" : undefined}>Due {formatThrough(finding.dueAt)}</span>}
                  </TableCell>
                  <TableCell align="right" className="whitespace-nowrap text-slate-700">
                    {formatHours(hoursBetween(finding.openedAt, finding.resolvedAt, now))}
                  </TableCell>
                  <TableCell className="max-w-[14rem] break-all text-slate-700">{finding.assignee ?? <span className="italic text-slate-600">Unassigned</span>}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableScrollRegion>
      )}
    </Card>
  );
}
