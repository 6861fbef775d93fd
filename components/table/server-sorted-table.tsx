"use client";

import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";
import { Table, TableBody, TableCell, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/class-names";
import { readColumnMeta, SortableHeader } from "./sortable-header";
import { TableScrollRegion } from "./table-scroll-region";

type SortDirection = "asc" | "desc";

/** A column before the data columns that is not sorted (a row checkbox): its header and its cell per row. */
export interface LeadingColumn<Row> {
  header: React.ReactNode;
  cell: (row: Row) => React.ReactNode;
}

/**
 * A list table whose rows the server sorts and pages (TanStack Table in manual mode): it renders
 * the page it is given and reports header clicks. Columns say how they sort and align through
 * their `meta` (SortableColumnMeta).
 */
export function ServerSortedTable<Row, Key extends string>({
  label,
  caption,
  className,
  rows,
  columns,
  getRowId,
  sort,
  dir,
  firstDirection,
  onSortChange,
  busy,
  rowClassName,
  leading,
  card,
}: {
  /** The scroll region's accessible name. */
  label: string;
  caption: string;
  /** Extra table classes, such as a minimum width. */
  className?: string;
  rows: Row[];
  columns: ColumnDef<Row>[];
  getRowId: (row: Row) => string;
  sort: Key;
  dir: SortDirection;
  firstDirection: Readonly<Record<Key, SortDirection>>;
  onSortChange: (sort: Key, dir: SortDirection) => void;
  busy: boolean;
  rowClassName?: (row: Row) => string | undefined;
  leading?: LeadingColumn<Row>;
  /** On a phone the rows are cards: one per row, instead of a table to scroll sideways. */
  card?: (row: Row) => React.ReactNode;
}) {
  // eslint-disable-next-line react-hooks/incompatible-library -- manual mode: the table only renders the rows it is given
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId,
    manualSorting: true,
    manualPagination: true,
    manualFiltering: true,
    state: { sorting: [{ id: sort, desc: dir === "desc" }] },
  });
  const tableView = (
    <TableScrollRegion label={label} busy={busy}>
      <Table caption={caption} className={className}>
        <TableHeader>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {leading ? (
                <th scope="col" className="w-10 py-2 pl-5 pr-1">
                  {leading.header}
                </th>
              ) : null}
              {group.headers.map((header) => (
                <SortableHeader key={header.id} header={header} sort={sort} dir={dir} firstDirection={firstDirection} onSortChange={onSortChange} padFirst={!leading} />
              ))}
            </tr>
          ))}
        </TableHeader>
        <TableBody>
          {table.getRowModel().rows.map((row) => (
            <TableRow key={row.id} className={rowClassName?.(row.original) ?? "hover:bg-slate-50/80"}>
              {leading ? <td className="py-2.5 pl-5 pr-1">{leading.cell(row.original)}</td> : null}
              {row.getVisibleCells().map((cell) => {
                const meta = readColumnMeta<Key>(cell.column.columnDef.meta);
                return (
                  <TableCell key={cell.id} className={cn(meta.align === "right" && "text-right", meta.className)}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableScrollRegion>
  );
  if (!card) return tableView;
  return (
    <>
      <div className="hidden md:block">{tableView}</div>
      <ul aria-label={label} aria-busy={busy} className={cn("-mx-5 divide-y divide-slate-200 border-y border-slate-200 md:hidden", busy && "opacity-60")}>
        {rows.map((row) => (
          <li key={getRowId(row)} className={cn("px-5 py-3", rowClassName?.(row))}>
            {card(row)}
          </li>
        ))}
      </ul>
    </>
  );
}
