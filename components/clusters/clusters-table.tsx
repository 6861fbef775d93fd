"use client";

import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { ServerSortedTable } from "@/components/table/server-sorted-table";
import type { SortableColumnMeta } from "@/components/table/sortable-header";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { cn } from "@/lib/class-names";
import { FIRST_SORT_DIRECTION, type ClusterSortKey, type SortDirection } from "@/lib/clusters/list-options";
import type { ClusterListRow } from "@/lib/data/list-clusters";
import { formatDateTime } from "@/lib/format";
import { ControlPips, EngineBadge } from "./posture-badges";

type ColumnMeta = SortableColumnMeta<ClusterSortKey>;

function InClusterCell({ row }: { row: ClusterListRow }) {
  if (row.inCluster === "read") return <span className="text-slate-700">Read</span>;
  if (row.inCluster === "carried" && row.inClusterCapturedAt) {
    return (
      <Badge tone="warn" title={`The latest read failed; objects from ${formatDateTime(row.inClusterCapturedAt)} were judged again`}>
        From <RelativeTime value={row.inClusterCapturedAt} />
      </Badge>
    );
  }
  return (
    <Badge tone="neutral" title="Namespaces and NetworkPolicies were not read: in-cluster controls are n/a">
      Not read
    </Badge>
  );
}

/** The clusters table columns; `clusterHref` carries the page's filters to the detail link. */
function buildColumns(search: string): ColumnDef<ClusterListRow>[] {
  return [
    {
      id: "name",
      header: "Cluster",
      meta: { sortKey: "name" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) => (
        <div className="min-w-0">
          <Link href={`/clusters/${row.id}${search}`} className="whitespace-nowrap font-medium text-brand-700 hover:underline">
            {row.name}
          </Link>
          <div className="mt-0.5 flex items-center gap-1.5 text-xs text-slate-600">
            <span className="truncate" title="Resource group">
              {row.resourceGroup}
            </span>
            {row.deletedAt ? (
              <Badge tone="neutral" title={`Deleted ${formatDateTime(row.deletedAt)}`}>
                Deleted
              </Badge>
            ) : null}
          </div>
        </div>
      ),
    },
    {
      id: "engine",
      header: "Engine",
      meta: { sortKey: "engine" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) => <EngineBadge engine={row.engine} enabled={row.engineEnabled} />,
    },
    {
      id: "failed",
      header: "Failing controls",
      meta: { sortKey: "failed", className: "whitespace-nowrap" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) => (
        <div className="flex items-center gap-2.5">
          <span className={cn("w-4 text-right font-semibold tabular-nums", row.controlsFailed > 0 ? "text-red-700" : "text-slate-500")}>{row.controlsFailed}</span>
          <div>
            <ControlPips statuses={row.statuses} />
            <div className="mt-0.5 text-xs text-slate-600">
              {row.controlsPassed} passed{row.controlsNa > 0 ? ` · ${row.controlsNa} n/a` : ""}
            </div>
          </div>
        </div>
      ),
    },
    {
      id: "allowAny",
      header: "Allow-any",
      meta: { sortKey: "allowAny", align: "right" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) =>
        row.inCluster === "none" ? (
          <span className="text-slate-500" title="n/a: no in-cluster data">
            n/a
          </span>
        ) : (
          <span className={cn("tabular-nums", row.allowAnyCount > 0 ? "font-semibold text-red-700" : "text-slate-600")}>{row.allowAnyCount}</span>
        ),
    },
    {
      id: "inCluster",
      header: "In-cluster",
      cell: ({ row: { original: row } }) => <InClusterCell row={row} />,
    },
    {
      id: "owner",
      header: "Owner",
      meta: { sortKey: "owner" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) => <span className={cn("whitespace-nowrap", row.owner === "(untagged)" ? "italic text-slate-600" : "text-slate-800")}>{row.owner}</span>,
    },
    {
      id: "subscription",
      header: "Subscription",
      meta: { sortKey: "subscription", className: "max-w-[11rem]" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) => (
        <span className="block truncate text-slate-800" title={row.subscriptionId}>
          {row.subscriptionName ?? row.subscriptionId}
        </span>
      ),
    },
    {
      id: "production",
      header: "Environment",
      meta: { sortKey: "production" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) => (row.production ? <Badge tone="strong">Production</Badge> : <span className="text-slate-600">Non-prod</span>),
    },
    {
      id: "lastSeen",
      header: "Last seen",
      meta: { sortKey: "lastSeen" } satisfies ColumnMeta,
      cell: ({ row: { original: row } }) => <RelativeTime value={row.lastSeenAt} className="whitespace-nowrap text-slate-700" />,
    },
  ];
}

/**
 * The clusters table in manual mode: sorting and paging happen on the server, so the table only
 * renders the page and reports header clicks.
 */
export function ClustersTable({
  rows,
  sort,
  dir,
  onSortChange,
  search,
  busy,
}: {
  rows: ClusterListRow[];
  sort: ClusterSortKey;
  dir: SortDirection;
  onSortChange: (sort: ClusterSortKey, dir: SortDirection) => void;
  /** Query string kept on detail links (the scope filters). */
  search: string;
  busy: boolean;
}) {
  const columns = useMemo(() => buildColumns(search), [search]);
  return (
    <ServerSortedTable
      label="Clusters table"
      caption="Clusters with their latest posture; column headers with buttons sort the table."
      className="min-w-[60rem]"
      rows={rows}
      columns={columns}
      getRowId={(row) => String(row.id)}
      sort={sort}
      dir={dir}
      firstDirection={FIRST_SORT_DIRECTION}
      onSortChange={onSortChange}
      busy={busy}
      rowClassName={(row) => cn("hover:bg-slate-50/80", row.deletedAt && "bg-slate-50/60")}
      card={(row) => (
        <div className="space-y-1.5">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <Link href={`/clusters/${row.id}${search}`} className="break-all font-medium text-brand-700 hover:underline">
              {row.name}
            </Link>
            <span className="flex items-center gap-1.5">
              {row.production ? <Badge tone="strong">Prod</Badge> : null}
              <EngineBadge engine={row.engine} enabled={row.engineEnabled} />
            </span>
          </div>
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-700">
            <ControlPips statuses={row.statuses} />
            <span>
              {row.controlsFailed} failing · {row.controlsPassed} passing{row.controlsNa ? ` · ${row.controlsNa} n/a` : ""}
            </span>
            <span>{row.allowAnyCount} allow-any</span>
          </div>
          <div className="text-xs text-slate-600">
            {row.owner} · {row.subscriptionName ?? row.subscriptionId} · {row.resourceGroup}
            {row.deletedAt ? " · deleted" : ""}
          </div>
        </div>
      )}
    />
  );
}
