"use client";

import { formatInteger } from "@/lib/format";
import { cn } from "@/lib/class-names";

const buttonClass =
  "inline-flex h-8 items-center rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50";

/** Page controls under a table: the range shown, page size choice, previous and next. */
export function Pagination({
  page,
  pageCount,
  pageSize,
  total,
  pageSizes,
  noun,
  onPageChange,
  onPageSizeChange,
  className,
}: {
  page: number;
  pageCount: number;
  pageSize: number;
  total: number;
  pageSizes: readonly number[];
  /** Plural noun of the rows, e.g. "clusters". */
  noun: string;
  onPageChange: (page: number) => void;
  onPageSizeChange: (pageSize: number) => void;
  className?: string;
}) {
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav aria-label={`Pages of ${noun}`} className={cn("flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700", className)}>
      <p aria-live="polite">
        {total === 0 ? (
          `No ${noun}`
        ) : (
          <>
            <span className="font-medium text-slate-900">
              {formatInteger(first)}–{formatInteger(last)}
            </span>{" "}
            of <span className="font-medium text-slate-900">{formatInteger(total)}</span> {noun}
          </>
        )}
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-2">
          Rows per page
          <select
            className="h-8 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 shadow-sm"
            value={pageSize}
            onChange={(event) => onPageSizeChange(Number(event.target.value))}
          >
            {pageSizes.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <span>
          Page {formatInteger(page)} of {formatInteger(pageCount)}
        </span>
        <div className="flex gap-2">
          <button type="button" className={buttonClass} disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
            Previous<span className="sr-only"> page</span>
          </button>
          <button type="button" className={buttonClass} disabled={page >= pageCount} onClick={() => onPageChange(page + 1)}>
            Next<span className="sr-only"> page</span>
          </button>
        </div>
      </div>
    </nav>
  );
}
