// The Recharts parts our charts use, in one module that only ChartContainer loads, on demand
// (components/ui/chart.tsx): Recharts is the largest library of the client (about 125 KB gzip), so
// no page loads it before it has a chart to draw. ESLint keeps every other module from importing
// Recharts itself (eslint.config.mjs); a chart that needs another part adds it here.
import { useMemo } from "react";
import { usePlotArea, XAxis, type XAxisProps } from "recharts";
import { dayLabelIndexes } from "./day-labels";

export { Area, AreaChart, CartesianGrid, ComposedChart, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/**
 * An x-axis of days that picks its labels by arithmetic: as many as fit at `labelWidth` pixels each
 * (label and gap), evenly spaced and always ending on the last day. Recharts' own choice measures
 * every candidate label in the DOM, forcing a layout per label (about a third of the time a
 * 365-day chart took to draw).
 */
export function DayAxis({ days, labelWidth, ...props }: Omit<XAxisProps, "ticks" | "interval"> & { days: readonly string[]; labelWidth: number }) {
  const width = usePlotArea()?.width ?? 0;
  const ticks = useMemo(() => (width > 0 ? dayLabelIndexes(days.length, width, labelWidth).map((index) => days[index]) : []), [days, labelWidth, width]);
  return <XAxis {...props} ticks={ticks} interval={0} />;
}
