import { flexRender, type Header } from "@tanstack/react-table";
import { cn } from "@/lib/class-names";

type SortDirection = "asc" | "desc";

/** What a column of a server-sorted table says about its header and cells (TanStack `columnDef.meta`). */
export interface SortableColumnMeta<Key extends string> {
  sortKey?: Key;
  /** The column shows the opposite order of its sort key (an age sorted by the opening time). */
  inverted?: boolean;
  align?: "right";
  className?: string;
}

export function readColumnMeta<Key extends string>(meta: unknown): SortableColumnMeta<Key> {
  return (meta ?? {}) as SortableColumnMeta<Key>;
}

function SortIcon({ direction }: { direction: SortDirection | false }) {
  return (
    <svg aria-hidden viewBox="0 0 10 14" className={cn("h-3.5 w-2.5 shrink-0", direction ? "text-slate-900" : "text-slate-400")} fill="currentColor">
      {direction !== "desc" ? <path d="M5 1 9 6H1z" opacity={direction === "asc" ? 1 : 0.6} /> : null}
      {direction !== "asc" ? <path d="M5 13 1 8h8z" opacity={direction === "desc" ? 1 : 0.6} /> : null}
    </svg>
  );
}

/**
 * One column header of a table the server sorts: a button that reports the next sort, with
 * aria-sort on the cell; a column without a sort key gets its plain label.
 */
export function SortableHeader<Row, Key extends string>({
  header,
  sort,
  dir,
  firstDirection,
  onSortChange,
  padFirst,
}: {
  header: Header<Row, unknown>;
  sort: Key;
  dir: SortDirection;
  /** The direction a column starts in when it becomes the sort column. */
  firstDirection: Readonly<Record<Key, SortDirection>>;
  onSortChange: (sort: Key, dir: SortDirection) => void;
  /** False when a cell (a row checkbox) stands before the first column and carries the edge padding. */
  padFirst: boolean;
}) {
  const meta = readColumnMeta<Key>(header.column.columnDef.meta);
  const label = flexRender(header.column.columnDef.header, header.getContext());
  const { sortKey } = meta;
  const active = sortKey === sort;
  const shown: SortDirection = meta.inverted ? (dir === "asc" ? "desc" : "asc") : dir;
  const ariaSort = sortKey ? (active ? (shown === "asc" ? "ascending" : "descending") : "none") : undefined;
  // The same column flips its direction; another one starts in its own first direction.
  const toggle = (key: Key) => onSortChange(key, key === sort ? (dir === "asc" ? "desc" : "asc") : firstDirection[key]);
  return (
    <th
      scope="col"
      aria-sort={ariaSort}
      className={cn("whitespace-nowrap px-2.5 py-2 last:pr-5", padFirst && "first:pl-5", meta.align === "right" && "text-right", meta.className)}
    >
      {sortKey ? (
        <button
          type="button"
          onClick={() => toggle(sortKey)}
          className={cn(
            "-mx-1 inline-flex items-center gap-1 rounded px-1 py-0.5 uppercase tracking-wide hover:bg-slate-200/70 hover:text-slate-900",
            active && "text-slate-900",
          )}
        >
          {label}
          <SortIcon direction={active ? shown : false} />
        </button>
      ) : (
        label
      )}
    </th>
  );
}
