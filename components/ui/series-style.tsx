// How a chart tells its series apart without colour alone: a colour-blind-safe palette (Okabe–Ito,
// darkened where a colour falls under 3:1 against white) and a marker shape per series, repeated
// in the legend. "Other" is a dashed grey line with hollow markers.

export const SERIES_COLORS = ["#0072B2", "#D55E00", "#007A5E", "#882255", "#1F2937", "#A0522D", "#5B3FA6", "#3F6F1F", "#B8336A", "#0E6E8C", "#7A5C00", "#6B7280"];
export const OTHER_COLOR = "#64748b";

export type MarkerShape = "circle" | "square" | "triangle" | "diamond" | "cross" | "triangle-down";
const SHAPES: MarkerShape[] = ["circle", "square", "triangle", "diamond", "cross", "triangle-down"];

export interface SeriesStyle {
  color: string;
  shape: MarkerShape;
  dash?: string;
  hollow: boolean;
}

export function seriesStyle(index: number, kind: string): SeriesStyle {
  if (kind === "other") return { color: OTHER_COLOR, shape: "circle", dash: "6 4", hollow: true };
  return {
    color: SERIES_COLORS[index % SERIES_COLORS.length],
    shape: SHAPES[index % SHAPES.length],
    // Past the palette, a dash pattern keeps series apart.
    dash: index >= SERIES_COLORS.length ? "8 3" : undefined,
    hollow: false,
  };
}

/** The marker as SVG at (x, y), `size` across. */
export function Marker({ x, y, size = 7, style }: { x: number; y: number; size?: number; style: SeriesStyle }) {
  const r = size / 2;
  const fill = style.hollow ? "#ffffff" : style.color;
  const common = { fill, stroke: style.color, strokeWidth: 1.5 };
  switch (style.shape) {
    case "square":
      return <rect x={x - r} y={y - r} width={size} height={size} {...common} />;
    case "triangle":
      return <polygon points={`${x},${y - r - 1} ${x + r + 1},${y + r} ${x - r - 1},${y + r}`} {...common} />;
    case "triangle-down":
      return <polygon points={`${x},${y + r + 1} ${x + r + 1},${y - r} ${x - r - 1},${y - r}`} {...common} />;
    case "diamond":
      return <polygon points={`${x},${y - r - 1} ${x + r + 1},${y} ${x},${y + r + 1} ${x - r - 1},${y}`} {...common} />;
    case "cross":
      return (
        <g stroke={style.color} strokeWidth={2.25}>
          <line x1={x - r} y1={y - r} x2={x + r} y2={y + r} />
          <line x1={x - r} y1={y + r} x2={x + r} y2={y - r} />
        </g>
      );
    default:
      return <circle cx={x} cy={y} r={r} {...common} />;
  }
}

/** The legend's swatch: a short line in the series' colour and dash with its marker. */
export function SeriesSwatch({ style }: { style: SeriesStyle }) {
  return (
    <svg aria-hidden width="26" height="12" className="shrink-0">
      <line x1="0" y1="6" x2="26" y2="6" stroke={style.color} strokeWidth="2.5" strokeDasharray={style.dash} />
      <Marker x={13} y={6} style={style} />
    </svg>
  );
}

/**
 * A Recharts `dot` that draws the series' marker every `every` points (staggered by the series'
 * index so markers of different series do not sit on each other) and on the last point.
 */
export function sparseMarkers(options: { key: string; index: number; every: number; last: number; style: SeriesStyle; size?: number }) {
  function Dot(props: { cx?: number; cy?: number; index?: number; value?: unknown }) {
    const point = props.index ?? 0;
    const id = `${options.key}-${point}`;
    if (props.cx === undefined || props.cy === undefined || props.value === null || props.value === undefined) return <g key={id} />;
    if ((point + options.index) % options.every !== 0 && point !== options.last) return <g key={id} />;
    return <Marker key={id} x={props.cx} y={props.cy} style={options.style} size={options.size} />;
  }
  return Dot;
}
