import { cn } from "@/lib/class-names";

/**
 * The scrolling, focusable region around a wide list table (keyboard users scroll it too), dimmed
 * while a new page replaces the one shown.
 */
export function TableScrollRegion({ label, busy, children }: { label: string; busy: boolean; children: React.ReactNode }) {
  return (
    <div
      role="region"
      aria-label={label}
      aria-busy={busy}
      tabIndex={0}
      className={cn("-mx-5 overflow-x-auto border-y border-slate-200 transition-opacity", busy && "opacity-60")}
    >
      {children}
    </div>
  );
}
