import { Marker, type SeriesStyle } from "@/components/ui/series-style";
import { cn } from "@/lib/class-names";
import { dayLabelIndexes } from "./day-labels";

/** One line of a static chart: its values per day (null: a gap), its look and where its markers go. */
export interface StaticLine {
  key: string;
  values: readonly (number | null)[];
  style: SeriesStyle;
  strokeWidth: number;
  opacity?: number;
  /** A marker on every `every`-th point counted from `offset`, and on the last point (none without). */
  markers?: { every: number; offset: number; size?: number };
  /** A step line (each value holds until the next day's), as a day's figure does; else straight segments. */
  step?: boolean;
}

/**
 * A shaded band, stepped: for each day until the next, from its base (0 without one) up to its value.
 * Bands with the running total of the ones below as their base draw a stacked area.
 */
export interface StaticBand {
  key: string;
  values: readonly (number | null)[];
  base?: readonly (number | null)[];
  color: string;
  opacity: number;
}

export interface StaticYAxis {
  /** The top of the axis; the bottom is 0. */
  max: number;
  ticks: readonly number[];
  format: (value: number) => string;
  /** The axis title (left out where a label beside the chart says what it counts). */
  title?: string;
}

/** Plot widths, in pixels, the day labels are picked for; each set shows at its container widths. */
const LABEL_SETS = [
  { plotWidth: 420, className: "@min-[700px]:hidden" },
  { plotWidth: 760, className: "hidden @min-[700px]:block @min-[1040px]:hidden" },
  { plotWidth: 1120, className: "hidden @min-[1040px]:block" },
] as const;

const AXIS_HEIGHT = 30;
const GRID = "#e2e8f0";
const AXIS = "#64748b";

/**
 * The ticks of a value axis from 0 that reaches `max`: `count` steps of 1, 2, 2.5 or 5 × 10ⁿ (whole
 * steps where decimals make no sense), the way chart libraries round an axis.
 */
export function niceTicks(max: number, options: { count?: number; allowDecimals?: boolean } = {}): number[] {
  const count = options.count ?? 5;
  if (!(max > 0)) return [0, 1, 2, 3, 4].slice(0, count);
  const rough = max / (count - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  let step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
  if (options.allowDecimals === false) step = Math.max(1, Math.ceil(step));
  return Array.from({ length: count }, (_, index) => Math.round(index * step * 1e6) / 1e6);
}

/** Where point `index` of `count` sits across the plot, in percent (one point sits in the middle). */
function xPercent(index: number, count: number): number {
  return count <= 1 ? 50 : (index / (count - 1)) * 100;
}

const known = (value: number | null | undefined): value is number => value !== null && value !== undefined && !Number.isNaN(value);

/** The path of a line in the plot's 1000 × 1000 box; nulls are gaps. */
function linePath(values: readonly (number | null)[], max: number, step: boolean): string {
  const y = (value: number) => ((1 - Math.min(value, max) / max) * 1000).toFixed(1);
  let path = "";
  values.forEach((value, index) => {
    if (!known(value)) return;
    const x = (xPercent(index, values.length) * 10).toFixed(1);
    const previous = values[index - 1];
    if (!known(previous)) path += `M${x},${y(value)} `;
    else if (step) path += `H${x} V${y(value)} `;
    else path += `L${x},${y(value)} `;
  });
  return path.trim();
}

/**
 * The outline of a stepped band in the plot's 1000 × 1000 box, or null when it is empty everywhere:
 * along its top from the first day to the last (each day's value held until the next), then back along
 * its base. One shape, not a box per day: boxes side by side show hairline seams where they meet.
 * A missing value draws nothing that day (the top meets the base).
 */
export function bandPath(band: Pick<StaticBand, "values" | "base">, max: number): string | null {
  const count = band.values.length;
  if (count < 2) return null;
  const y = (value: number) => ((1 - Math.min(Math.max(value, 0), max) / max) * 1000).toFixed(1);
  const x = (index: number) => (xPercent(index, count) * 10).toFixed(1);
  const bases = band.values.map((_, index) => band.base?.[index] ?? 0);
  const tops = band.values.map((value, index) => (known(value) ? Math.max(value, bases[index]) : bases[index]));
  const steps = tops.slice(0, count - 1);
  if (!steps.some((top, index) => top > bases[index])) return null;
  let path = `M${x(0)},${y(bases[0])}`;
  steps.forEach((top, index) => (path += ` V${y(top)} H${x(index + 1)}`));
  for (let index = count - 2; index >= 0; index--) path += ` V${y(bases[index])} H${x(index)}`;
  return `${path} Z`;
}

/**
 * A line chart drawn without a chart library and without measuring anything, so the server can draw
 * it and a page shows it before any script runs: the lines in an SVG stretched over the plot (their
 * strokes keep their width), the markers, labels and axis titles laid out by CSS in percent of the
 * plot. Day labels come in three densities and the chart's own width (a CSS container query) picks
 * one. The drawn chart (Recharts) replaces it when someone points at it, for its tooltip.
 */
export function StaticLineChart({
  days,
  lines,
  y,
  dayLabel,
  labelWidth,
  reference,
  bands = [],
  yAxisWidth = 64,
  margin = { top: 16, right: 16, bottom: 8, left: 8 },
  className,
}: {
  days: readonly string[];
  lines: readonly StaticLine[];
  y: StaticYAxis;
  dayLabel: (day: string) => string;
  labelWidth: number;
  /** A dashed vertical line at a day, with its label at the top (where history starts). */
  reference?: { index: number; label: string } | null;
  bands?: readonly StaticBand[];
  yAxisWidth?: number;
  margin?: { top: number; right: number; bottom: number; left: number };
  className?: string;
}) {
  const count = days.length;
  const plot = { top: margin.top, right: margin.right, bottom: margin.bottom + AXIS_HEIGHT, left: margin.left + yAxisWidth };
  return (
    <div className={cn("@container relative h-full w-full text-xs", className)} data-static-chart="">
      {y.title ? (
        <span
          className="absolute whitespace-nowrap text-[12px] text-slate-700"
          style={{ left: margin.left + 6, top: `calc(${plot.top}px + (100% - ${plot.top + plot.bottom}px) / 2)`, transform: "translate(-50%, -50%) rotate(-90deg)", transformOrigin: "center" }}
        >
          {y.title}
        </span>
      ) : null}
      <div className="absolute" style={{ top: plot.top, right: plot.right, bottom: plot.bottom, left: plot.left }}>
        {y.ticks.map((tick) => (
          <span key={tick} className="absolute right-full whitespace-nowrap pr-2 text-[12px] leading-none text-slate-600" style={{ top: `${(1 - tick / y.max) * 100}%`, transform: "translateY(-50%)" }}>
            {y.format(tick)}
          </span>
        ))}
        <svg className="absolute inset-0 h-full w-full overflow-visible" viewBox="0 0 1000 1000" preserveAspectRatio="none" aria-hidden>
          {/* The grid under the bands, as a drawn chart has it: shaded areas tint it. */}
          {y.ticks.map((tick) => (
            <line key={tick} x1={0} x2={1000} y1={(1 - tick / y.max) * 1000} y2={(1 - tick / y.max) * 1000} stroke={GRID} vectorEffect="non-scaling-stroke" />
          ))}
          {bands.map((band) => {
            const path = bandPath(band, y.max);
            return path ? <path key={band.key} d={path} fill={band.color} fillOpacity={band.opacity} stroke="none" data-static-band={band.key} /> : null;
          })}
          <line x1={0} x2={0} y1={0} y2={1000} stroke={AXIS} vectorEffect="non-scaling-stroke" />
          <line x1={0} x2={1000} y1={1000} y2={1000} stroke={AXIS} vectorEffect="non-scaling-stroke" />
          {reference ? (
            <line
              x1={xPercent(reference.index, count) * 10}
              x2={xPercent(reference.index, count) * 10}
              y1={0}
              y2={1000}
              stroke="#334155"
              strokeDasharray="3 3"
              vectorEffect="non-scaling-stroke"
            />
          ) : null}
          {lines.map((line) => (
            <path
              key={line.key}
              d={linePath(line.values, y.max, line.step ?? false)}
              fill="none"
              stroke={line.style.color}
              strokeWidth={line.strokeWidth}
              strokeOpacity={line.opacity}
              strokeDasharray={line.style.dash}
              strokeLinejoin="round"
              vectorEffect="non-scaling-stroke"
              data-static-line={line.key}
            />
          ))}
        </svg>
        {reference ? (
          <span className="absolute whitespace-nowrap pl-1 pt-1 text-[12px] text-slate-700" style={{ left: `${xPercent(reference.index, count)}%`, top: 0 }}>
            {reference.label}
          </span>
        ) : null}
        {lines.flatMap((line) => {
          const markers = line.markers;
          if (!markers) return [];
          const size = markers.size ?? 7;
          return line.values.map((value, index) => {
            if (!known(value)) return null;
            if ((index + markers.offset) % markers.every !== 0 && index !== count - 1) return null;
            return (
              <svg
                key={`${line.key}-${index}`}
                aria-hidden
                width={size + 4}
                height={size + 4}
                className="absolute overflow-visible"
                style={{ left: `${xPercent(index, count)}%`, top: `${(1 - Math.min(value, y.max) / y.max) * 100}%`, transform: "translate(-50%, -50%)", opacity: line.opacity }}
              >
                <Marker x={(size + 4) / 2} y={(size + 4) / 2} size={size} style={line.style} />
              </svg>
            );
          });
        })}
        {LABEL_SETS.map((set) => (
          <div key={set.plotWidth} className={cn("absolute inset-x-0 top-full", set.className)} aria-hidden>
            {dayLabelIndexes(count, set.plotWidth, labelWidth).map((index) => (
              <span key={index} className="absolute whitespace-nowrap pt-2 text-[12px] text-slate-600" style={{ left: `${xPercent(index, count)}%`, transform: "translateX(-50%)" }}>
                {dayLabel(days[index])}
              </span>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
