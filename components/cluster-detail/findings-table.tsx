import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { TableScrollRegion } from "@/components/table/table-scroll-region";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
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
        <TableScrollRegion label="Findings table" placement="card-bottom">
          <Table caption="The cluster's findings, open first" className="min-w-[44rem]">
            <TableHeader>
              <tr>
                <TableHead>Control</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Opened</TableHead>
                <TableHead>Resolved</TableHead>
                <TableHead align="right">Open for</TableHead>
                <TableHead>Waiver</TableHead>
              </tr>
            </TableHeader>
            <TableBody>
              {items.map((finding) => (
                <TableRow key={finding.id}>
                  <TableCell>
                    <span className="font-mono text-xs text-slate-600">{finding.controlId}</span> <span className="text-slate-900">{finding.controlTitle}</span>
                  </TableCell>
                  <TableCell>
                    <FindingStatus finding={finding} currentlyNa={naNow.has(finding.controlId)} />
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-slate-700">{formatDateTime(finding.openedAt)}</TableCell>
                  <TableCell className="whitespace-nowrap text-slate-700">{finding.resolvedAt ? formatDateTime(finding.resolvedAt) : "–"}</TableCell>
                  <TableCell align="right" className="whitespace-nowrap text-slate-700">{formatHours(hoursBetween(finding.openedAt, finding.resolvedAt, now))}</TableCell>
                  <TableCell className="text-slate-700">
                    {finding.waiver ? (
                      <span>
                        until {formatDateTime(finding.waiver.expiresAt).slice(0, 10)}: <span className="text-slate-900">{finding.waiver.reason}</span>
                      </span>
                    ) : (
                      "–"
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableScrollRegion>
      )}
    </Card>
  );
}
