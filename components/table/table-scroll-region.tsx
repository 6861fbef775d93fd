import { cn } from "@/lib/class-names";

/**
 * The scrolling, focusable region around a wide table (keyboard users scroll it too), dimmed while
 * a new page replaces the one shown. `inset`: between other content of a card; `card-bottom`: the
 * card's last block, flush with its bottom edge.
 */
export function TableScrollRegion({
  label,
  busy = false,
  placement = "inset",
  children,
}: {
  label: string;
  busy?: boolean;
  placement?: "inset" | "card-bottom";
  children: React.ReactNode;
}) {
  return (
    <div
      role="region"
      aria-label={label}
      aria-busy={busy}
      tabIndex={0}
      className={cn(
        // relative: screen-reader-only text in a far column is positioned inside the region, not past the page edge.
        "relative -mx-5 overflow-x-auto border-slate-200 transition-opacity",
        placement === "inset" ? "border-y" : "-mb-5 rounded-b-xl border-t",
        busy && "opacity-60",
      )}
    >
      {children}
    </div>
  );
}
