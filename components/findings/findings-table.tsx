"use client";

import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { useEffect, useMemo, useRef } from "react";
import { ServerSortedTable, type LeadingColumn } from "@/components/table/server-sorted-table";
import type { SortableColumnMeta } from "@/components/table/sortable-header";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/class-names";
import { describeDue, FIRST_SORT_DIRECTION, formatDate, formatThrough, type FindingSortKey, type SortDirection } from "@/lib/findings/finding-display";
import type { FindingRow } from "@/lib/findings/list-findings";
import { CONTROLS } from "@/lib/posture/control-catalogue";
import { SeverityBadge, StatusBadge } from "./finding-badges";

type ColumnMeta = SortableColumnMeta<FindingSortKey>;

const CONTROL_TITLES = new Map<string, string>(CONTROLS.map((control) => [control.id, control.title]));

export function controlTitle(controlId: string): string {
  return CONTROL_TITLES.get(controlId) ?? controlId;
}

/** The due date as a day ("through 27 Feb"), how far off it is, and an SLA breach whatever was agreed. */
function DueCell({ row, now }: { row: FindingRow; now: number }) {
  if (row.status === "resolved") {
    return (
      <span className="text-slate-600">
        {row.resolvedAt ? `Resolved ${formatDate(row.resolvedAt)}` : "–"}
        {row.slaBreached ? <span className="block text-xs text-red-800">after its SLA ({formatThrough(row.slaDueAt, { year: false })})</span> : null}
      </span>
    );
  }
  const late = row.status === "overdue";
  const extended = row.agreedDueAt !== null && new Date(row.agreedDueAt).getTime() > new Date(row.slaDueAt).getTime();
  return (
    <div className="whitespace-nowrap">
      <span className={cn(late ? "font-medium text-red-800" : "text-slate-900")}>{formatThrough(row.dueAt)}</span>
      <div className={cn("text-xs", late ? "text-red-700" : "text-slate-600")} suppressHydrationWarning>
        {row.status === "waived" && row.waiver ? `waived ${formatThrough(row.waiver.expiresAt, { year: false })}` : describeDue(row.dueAt, now)}
      </div>
      {row.slaBreached && (extended || row.status === "waived") ? (
        <div className="text-xs font-medium text-red-800" title={row.dueReason ?? undefined}>
          ✗ SLA breached {formatDate(row.slaDueAt).replace(/ \d{4}$/, "")}
          {extended ? ", extended" : ""}
        </div>
      ) : null}
    </div>
  );
}

function ClusterCell({ row, clusterSearch }: { row: FindingRow; clusterSearch: string }) {
  return (
    <div className="min-w-0 max-w-[15rem]">
      <div className="flex items-center gap-1.5">
        <Link href={`/clusters/${row.clusterId}${clusterSearch}`} className="truncate font-medium text-brand-700 hover:underline" title={row.clusterName}>
          {row.clusterName}
        </Link>
        {row.production ? (
          <Badge tone="strong" title="Production cluster">
            Prod
          </Badge>
        ) : null}
      </div>
      <div className="truncate text-xs text-slate-600" title={`Resource group ${row.resourceGroup}, subscription ${row.subscriptionName ?? row.subscriptionId}`}>
        {row.resourceGroup} · {row.subscriptionName ?? row.subscriptionId}
      </div>
    </div>
  );
}

function buildColumns(detailSearch: string, clusterSearch: string, now: number): ColumnDef<FindingRow>[] {
  return [
    {
      id: "control",
      header: "Finding",
      meta: { sortKey: "control" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) => (
        <div className="min-w-[13rem]">
          <Link href={`/findings/${row.id}${detailSearch}`} className="font-medium text-brand-700 hover:underline">
            <span className="font-mono text-xs">{row.controlId}</span> {controlTitle(row.controlId)}
          </Link>
          <div className="mt-0.5 text-xs text-slate-600">#{row.id}</div>
        </div>
      ),
    },
    {
      id: "cluster",
      header: "Cluster",
      meta: { sortKey: "cluster" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) => <ClusterCell row={row} clusterSearch={clusterSearch} />,
    },
    {
      id: "severity",
      header: "Severity",
      meta: { sortKey: "severity" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) => <SeverityBadge severity={row.severity} />,
    },
    {
      id: "status",
      header: "Status",
      meta: { sortKey: "status" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) => <StatusBadge status={row.status} waiverExpiresAt={row.waiver?.expiresAt} />,
    },
    {
      id: "age",
      header: "Age",
      meta: { sortKey: "age", inverted: true, align: "right" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) => (
        <span className="whitespace-nowrap tabular-nums text-slate-800" title={`Opened ${formatDate(row.openedAt)}`}>
          {row.ageDays} d
        </span>
      ),
    },
    {
      id: "due",
      header: "Due",
      meta: { sortKey: "due" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) => <DueCell row={row} now={now} />,
    },
    {
      id: "owner",
      header: "Owner",
      meta: { sortKey: "owner" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) => (
        <span className={cn("whitespace-nowrap", row.owner === "(untagged)" ? "italic text-slate-600" : "text-slate-800")}>{row.owner}</span>
      ),
    },
    {
      id: "assignee",
      header: "Assignee",
      meta: { sortKey: "assignee", className: "max-w-[14rem]" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) =>
        row.assignee ? (
          <span className="block truncate text-slate-900" title={row.assignee}>
            {row.assignee}
          </span>
        ) : (
          <span className="italic text-slate-600">Unassigned</span>
        ),
    },
  ];
}

function Checkbox({ checked, indeterminate, disabled, label, onChange }: { checked: boolean; indeterminate?: boolean; disabled?: boolean; label: string; onChange: (checked: boolean) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = Boolean(indeterminate);
  }, [indeterminate]);
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label={label}
      checked={checked}
      disabled={disabled}
      onChange={(event) => onChange(event.target.checked)}
      className="h-4 w-4 cursor-pointer rounded border-slate-400 accent-slate-900 disabled:cursor-not-allowed disabled:opacity-40"
    />
  );
}

/**
 * The findings table in manual mode: the server sorts and pages, the table renders the page,
 * reports header clicks and (for those who may assign) which rows are selected.
 */
export function FindingsTable({
  rows,
  sort,
  dir,
  onSortChange,
  detailSearch,
  clusterSearch,
  busy,
  now,
  selectable,
  selected,
  onSelectedChange,
}: {
  rows: FindingRow[];
  sort: FindingSortKey;
  dir: SortDirection;
  onSortChange: (sort: FindingSortKey, dir: SortDirection) => void;
  /** Query string kept on detail links (the scope filters). */
  detailSearch: string;
  /** Query string kept on cluster links. */
  clusterSearch: string;
  busy: boolean;
  /** The time the rows were computed at, for "due in …". */
  now: number;
  selectable: boolean;
  selected: ReadonlySet<number>;
  onSelectedChange: (ids: Set<number>) => void;
}) {
  const columns = useMemo(() => buildColumns(detailSearch, clusterSearch, now), [detailSearch, clusterSearch, now]);
  // Resolved findings cannot be assigned any more.
  const selectableIds = rows.filter((row) => row.status !== "resolved").map((row) => row.id);
  const selectedOnPage = selectableIds.filter((id) => selected.has(id)).length;
  const allSelected = selectableIds.length > 0 && selectedOnPage === selectableIds.length;

  const setRow = (id: number, checked: boolean) => {
    const next = new Set(selected);
    if (checked) next.add(id);
    else next.delete(id);
    onSelectedChange(next);
  };
  const selection: LeadingColumn<FindingRow> = {
    header: (
      <Checkbox
        label="Select every finding on this page"
        checked={allSelected}
        indeterminate={selectedOnPage > 0 && !allSelected}
        disabled={selectableIds.length === 0}
        onChange={(checked) => {
          const next = new Set(selected);
          for (const id of selectableIds) {
            if (checked) next.add(id);
            else next.delete(id);
          }
          onSelectedChange(next);
        }}
      />
    ),
    cell: (finding) => (
      <Checkbox
        label={`Select finding ${finding.id}: ${finding.controlId} on ${finding.clusterName}`}
        checked={selected.has(finding.id)}
        disabled={finding.status === "resolved"}
        onChange={(checked) => setRow(finding.id, checked)}
      />
    ),
  };

  return (
    <ServerSortedTable
      label="Findings table"
      caption="Findings: one row per cluster and failing control. Column headers with buttons sort the table."
      className="min-w-[64rem]"
      rows={rows}
      columns={columns}
      getRowId={(row) => String(row.id)}
      sort={sort}
      dir={dir}
      firstDirection={FIRST_SORT_DIRECTION}
      onSortChange={onSortChange}
      busy={busy}
      leading={selectable ? selection : undefined}
      rowClassName={(finding) =>
        selected.has(finding.id) ? "bg-brand-50" : finding.status === "resolved" ? "bg-slate-50/60 hover:bg-slate-50" : "hover:bg-slate-50/80"
      }
      card={(finding) => (
        <div className="flex gap-3">
          {selectable ? <div className="pt-0.5">{selection.cell(finding)}</div> : null}
          <div className="min-w-0 flex-1 space-y-1.5">
            <Link href={`/findings/${finding.id}${detailSearch}`} className="block font-medium text-brand-700 hover:underline">
              <span className="font-mono text-xs">{finding.controlId}</span> {controlTitle(finding.controlId)} <span className="text-xs font-normal text-slate-600">#{finding.id}</span>
            </Link>
            <div className="flex flex-wrap items-center gap-1.5">
              <StatusBadge status={finding.status} waiverExpiresAt={finding.waiver?.expiresAt} />
              <SeverityBadge severity={finding.severity} />
              <span className="text-xs text-slate-600">{finding.ageDays} d old</span>
            </div>
            <ClusterCell row={finding} clusterSearch={clusterSearch} />
            <div className="flex flex-wrap justify-between gap-x-4 gap-y-1 text-sm">
              <DueCell row={finding} now={now} />
              <div className="text-right text-xs text-slate-700">
                <div>{finding.owner}</div>
                <div className={finding.assignee ? "break-all" : "italic text-slate-600"}>{finding.assignee ?? "Unassigned"}</div>
              </div>
            </div>
          </div>
        </div>
      )}
    />
  );
}
