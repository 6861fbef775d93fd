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

/** The row above a list table: search and filters, then a button that clears them. */
export function FilterBar({
  clearLabel,
  onClear,
  children,
}: {
  clearLabel: string;
  /** Left out while no filter is set, which hides the button. */
  onClear?: () => void;
  children: React.ReactNode;
}) {
  return (
    <div className="mb-4 flex flex-wrap items-end gap-3">
      {children}
      {onClear ? (
        <button type="button" onClick={onClear} className="h-9 rounded-md px-2 text-sm font-medium text-brand-700 hover:bg-brand-50 hover:underline">
          {clearLabel}
        </button>
      ) : null}
    </div>
  );
}
