import { cn } from "@/lib/class-names";
import type { KpiMeta } from "./kpi-meta";

function formatChange(change: number, unit: KpiMeta["unit"], scaleHours: number): string {
  const size = Math.abs(change);
  if (unit === "percent") return `${size.toFixed(1)} pp`;
  if (unit === "hours") return scaleHours >= 48 ? `${(size / 24).toFixed(1)} d` : `${size.toFixed(1)} h`;
  return Math.round(size).toLocaleString("en-US");
}

/**
 * The change against an earlier figure, said in words (better / worse / no change) as well as in
 * colour and arrow, since for MTTR and allow-any rules lower is better.
 */
export function KpiDelta({ meta, current, previous, previousText, since }: { meta: KpiMeta; current: number | null; previous: number | null; previousText: string; since: string }) {
  if (current === null || previous === null) {
    return <p className="text-sm text-slate-600">No figure {since} to compare with</p>;
  }
  const change = Math.round((current - previous) * 10) / 10;
  const reference = (
    <span className="text-sm font-normal text-slate-600">
      vs {previousText} {since}
    </span>
  );
  if (change === 0) {
    return (
      <p className="flex flex-wrap items-baseline gap-x-2 text-sm font-medium text-slate-700" data-direction="same">
        <span>
          <span aria-hidden>= </span>No change
        </span>
        {reference}
      </p>
    );
  }
  const better = meta.better === "higher" ? change > 0 : change < 0;
  return (
    <p className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 text-sm" data-direction={better ? "better" : "worse"}>
      <span className={cn("font-semibold whitespace-nowrap", better ? "text-ok" : "text-bad")}>
        <span aria-hidden>{change > 0 ? "▲" : "▼"} </span>
        <span className="sr-only">{change > 0 ? "up" : "down"} </span>
        {formatChange(change, meta.unit, Math.max(Math.abs(current), Math.abs(previous)))}
      </span>
      <span
        className={cn(
          "rounded px-1.5 py-px text-xs font-semibold uppercase tracking-wide [print-color-adjust:exact]",
          better ? "bg-green-50 text-ok ring-1 ring-green-200" : "bg-red-50 text-bad ring-1 ring-red-200",
        )}
      >
        {better ? "better" : "worse"}
      </span>
      {reference}
    </p>
  );
}
