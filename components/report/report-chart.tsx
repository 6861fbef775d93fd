import type { KpiMeta } from "@/components/kpi/kpi-meta";
import { Marker, seriesStyle } from "@/components/ui/series-style";
import type { TrendSeries } from "@/lib/data/get-trend-series";
import { formatDate } from "@/lib/format";

const WIDTH = 680;
const HEIGHT = 230;
const PAD = { top: 14, right: 14, bottom: 30, left: 52 };

/**
 * The report's 12-month chart as plain SVG (it prints the same everywhere, without scripts): one
 * line per KPI marked for the report (percentages, one labelled y-axis from 0 to 100%), the months
 * on the x-axis with their year, a marker shape per line and its legend.
 */
export function ReportChart({ series, kpis }: { series: TrendSeries; kpis: readonly KpiMeta[] }) {
  const values = series.groups[0]?.values;
  const lines = kpis
    .map((kpi, index) => ({ kpi, style: seriesStyle(index, "group"), points: (values?.[kpi.id as keyof typeof values] as (number | null)[] | undefined) ?? [] }))
    .filter((line) => line.points.some((value) => value !== null));
  const days = series.days;
  const x = (index: number) => PAD.left + (index / Math.max(1, days.length - 1)) * (WIDTH - PAD.left - PAD.right);
  const y = (value: number) => PAD.top + (1 - value / 100) * (HEIGHT - PAD.top - PAD.bottom);
  const months = days.map((day, index) => ({ day, index })).filter(({ day }) => day.endsWith("-01"));
  const start = series.historyStartDay && series.historyStartDay > series.fromDay ? days.indexOf(series.historyStartDay) : -1;
  const caption = `${lines.map((line) => line.kpi.title).join(" and ")}, ${formatDate(series.fromDay)} to ${formatDate(series.toDay)}, end of each UTC day`;
  return (
    <figure className="break-inside-avoid">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={caption} className="h-auto w-full">
        {[0, 25, 50, 75, 100].map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} stroke="#e2e8f0" />
            <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" fontSize="10" fill="#475569">
              {tick}%
            </text>
          </g>
        ))}
        <text x={12} y={(HEIGHT - PAD.bottom + PAD.top) / 2} fontSize="10" fill="#334155" textAnchor="middle" transform={`rotate(-90 12 ${(HEIGHT - PAD.bottom + PAD.top) / 2})`}>
          Percent (%)
        </text>
        {months.map(({ day, index }) => (
          <text key={day} x={x(index)} y={HEIGHT - PAD.bottom + 16} fontSize="10" fill="#475569" textAnchor="middle">
            {formatDate(day).replace(/^\d+ /, "")}
          </text>
        ))}
        {start > 0 ? (
          <g>
            <line x1={x(start)} x2={x(start)} y1={PAD.top} y2={HEIGHT - PAD.bottom} stroke="#334155" strokeDasharray="3 3" />
            <text x={x(start) + 4} y={PAD.top + 10} fontSize="10" fill="#334155">
              History starts {formatDate(days[start])}
            </text>
          </g>
        ) : null}
        {lines.map((line) => {
          const path = line.points
            .map((value, index) => (value === null ? null : `${x(index).toFixed(1)},${y(value).toFixed(1)}`))
            .reduce<string[]>((segments, point, index, all) => {
              if (point === null) return segments;
              segments.push(`${index === 0 || all[index - 1] === null ? "M" : "L"}${point}`);
              return segments;
            }, [])
            .join(" ");
          const every = Math.ceil(days.length / 12);
          return (
            <g key={line.kpi.id}>
              <path d={path} fill="none" stroke={line.style.color} strokeWidth={2} strokeDasharray={line.style.dash} />
              {line.points.map((value, index) => (value !== null && (index % every === 0 || index === days.length - 1) ? <Marker key={index} x={x(index)} y={y(value)} style={line.style} size={6} /> : null))}
            </g>
          );
        })}
        <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={HEIGHT - PAD.bottom} stroke="#64748b" />
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={HEIGHT - PAD.bottom} y2={HEIGHT - PAD.bottom} stroke="#64748b" />
      </svg>
      <figcaption className="mt-1 flex flex-wrap gap-x-5 text-xs text-slate-700">
        {lines.map((line) => (
          <span key={line.kpi.id} className="flex items-center gap-1.5">
            <svg aria-hidden width="26" height="12">
              <line x1="0" y1="6" x2="26" y2="6" stroke={line.style.color} strokeWidth="2.5" strokeDasharray={line.style.dash} />
              <Marker x={13} y={6} style={line.style} size={6} />
            </svg>
            {line.kpi.title} (%{line.kpi.better === "lower" ? ", lower is better" : ""})
          </span>
        ))}
        <span className="text-slate-600">{caption}.</span>
      </figcaption>
    </figure>
  );
}
