"use client";

import { useId, useState } from "react";
import { selectClass } from "@/components/ui/form";
import { cn } from "@/lib/class-names";

/** One labelled filter of a list page; choosing the empty option reports undefined, which drops it from the URL. */
export function FilterSelect({
  id,
  label,
  value,
  onChange,
  className,
  children,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string | undefined) => void;
  /** Extra classes for the select, such as a maximum width for long option texts. */
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-600">
        {label}
      </label>
      <select id={id} className={cn(selectClass, className)} value={value} onChange={(event) => onChange(event.target.value || undefined)}>
        {children}
      </select>
    </div>
  );
}

/**
 * The row above a list table: search and filters, then a button that clears them. On a phone the
 * filters fold behind one "Filters" button (with how many are set), so the list comes first.
 */
export function FilterBar({
  clearLabel,
  onClear,
  activeCount = 0,
  children,
}: {
  clearLabel: string;
  /** Left out while no filter is set, which hides the button. */
  onClear?: () => void;
  /** Filters set, for the phone's "Filters (2)" button. */
  activeCount?: number;
  children: React.ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  return (
    <div className="mb-4">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
        className="flex h-9 w-full items-center justify-between rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-900 shadow-sm md:hidden"
      >
        <span>Filters{activeCount > 0 ? ` (${activeCount} set)` : ""}</span>
        <svg aria-hidden viewBox="0 0 16 16" className={cn("h-4 w-4 transition-transform", open && "rotate-180")} fill="none" stroke="currentColor" strokeWidth="1.75">
          <path d="m4 6 4 4 4-4" />
        </svg>
      </button>
      <div id={panelId} className={cn("mt-3 flex-col gap-3 md:mt-0 md:flex md:flex-row md:flex-wrap md:items-end", open ? "flex" : "hidden")}>
      {children}
      {onClear ? (
        <button type="button" onClick={onClear} className="h-9 rounded-md px-2 text-sm font-medium text-brand-700 hover:bg-brand-50 hover:underline">
          {clearLabel}
        </button>
      ) : null}
      </div>
    </div>
  );
}
