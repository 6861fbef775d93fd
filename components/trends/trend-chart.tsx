"use client";

import type { TooltipContentProps } from "recharts";
import { axisProps, ChartContainer, ChartTooltipContent, type ChartConfig } from "@/components/ui/chart";
import { Marker, seriesStyle } from "@/components/ui/series-style";
import { niceTicks, StaticLineChart } from "@/components/ui/static-line-chart";
import { formatDay } from "@/lib/format";
import type { TrendTable } from "./trend-table-model";

export { OTHER_COLOR, SERIES_COLORS } from "@/components/ui/series-style";

export function seriesColor(index: number, kind: string): string {
  return seriesStyle(index, kind).color;
}

const AXIS_TITLE: Record<string, string> = {
  "%": "Percent (%)",
  hours: "Hours",
  days: "Days",
  rules: "Rules (count)",
};

export function formatWithUnit(value: number | null, unit: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "no data";
  if (unit === "%") return `${value.toFixed(1)}%`;
  if (unit === "rules") return `${value} ${value === 1 ? "rule" : "rules"}`;
  // Money: the billing currency's code is the unit (docs/costs.md).
  if (/^[A-Z]{3}$/.test(unit) || unit === "currency") return `${unit} ${Math.round(value).toLocaleString("en-US")}`;
  return `${value.toFixed(1)} ${unit === "days" ? "d" : "h"}`;
}

/** "7 Dec" within 90 days; "7 Dec 2025" beyond, where the year is no longer obvious. */
export function dayTick(day: string, withYear: boolean): string {
  return withYear ? `${formatDay(day)} ${day.slice(0, 4)}` : formatDay(day);
}

/**
 * One line per series of the table, oldest day on the left; the same rounded figures as the table.
 * Each series has a colour and a marker shape (every few points, staggered), so colour is never the
 * only cue. One y-axis; the first day with data is marked when history starts inside the range.
 */
export function TrendChart({
  table,
  label,
  height = 340,
  hidden = new Set<string>(),
  historyStartDay,
  withYear,
}: {
  table: TrendTable;
  label: string;
  height?: number;
  /** Series keys the legend has switched off. */
  hidden?: ReadonlySet<string>;
  historyStartDay?: string | null;
  withYear: boolean;
}) {
  const styles = table.columns.map((column, index) => seriesStyle(index, column.kind));
  const config: ChartConfig = Object.fromEntries(table.columns.map((column, index) => [column.id, { label: column.label, color: styles[index].color }]));
  const data = [...table.rows].reverse().map((row) => ({ day: row.day, ...Object.fromEntries(table.columns.map((column, index) => [column.id, row.values[index]])) }));
  const percent = table.unit === "%";
  const weekly = table.granularity === "weekly";
  const every = Math.max(1, Math.ceil(data.length / 12));
  const days = data.map((point) => point.day);
  const firstDay = data[0]?.day;
  const showStart = historyStartDay && firstDay && historyStartDay > firstDay;
  const integers = table.unit === "rules";
  const oldestFirst = [...table.rows].reverse();
  const valuesOf = (index: number) => oldestFirst.map((row) => row.values[index] ?? null);
  const dataMax = Math.max(0, ...table.columns.flatMap((column, index) => (hidden.has(column.key) ? [] : valuesOf(index))).filter((value): value is number => typeof value === "number"));
  const yTicks = percent ? [0, 25, 50, 75, 100] : niceTicks(dataMax, { allowDecimals: !integers });
  const preview = (
    <StaticLineChart
      days={days}
      labelWidth={withYear ? 110 : 64}
      dayLabel={(day) => dayTick(day, withYear)}
      y={{ max: yTicks[yTicks.length - 1], ticks: yTicks, format: (value) => (percent ? `${value}%` : String(value)), title: AXIS_TITLE[table.unit] ?? table.unit }}
      reference={showStart ? { index: days.indexOf(historyStartDay), label: `History starts ${dayTick(historyStartDay, true)}` } : null}
      lines={table.columns.flatMap((column, index) =>
        hidden.has(column.key)
          ? []
          : [{ key: column.id, values: valuesOf(index), style: styles[index], strokeWidth: column.kind === "other" ? 2 : 2.25, markers: { every, offset: index } }],
      )}
    />
  );
  return (
    <ChartContainer config={config} label={label} height={height} preview={preview}>
      {({ CartesianGrid, DayAxis, Line, LineChart, ReferenceLine, Tooltip, YAxis }) => (
        <LineChart data={data} margin={{ top: 16, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <DayAxis dataKey="day" days={days} labelWidth={withYear ? 110 : 64} {...axisProps} tickFormatter={(day: string) => dayTick(day, withYear)} tickMargin={8} />
          <YAxis
            {...axisProps}
            width={64}
            domain={percent ? [0, 100] : [0, "auto"]}
            allowDecimals={!(table.unit === "rules")}
            tickFormatter={(value: number) => (percent ? `${value}%` : String(value))}
            label={{ value: AXIS_TITLE[table.unit] ?? table.unit, angle: -90, position: "insideLeft", offset: 4, style: { fill: "#334155", fontSize: 12, textAnchor: "middle" } }}
          />
          {showStart ? (
            <ReferenceLine
              x={historyStartDay}
              stroke="#334155"
              strokeDasharray="3 3"
              label={{ value: `History starts ${dayTick(historyStartDay, true)}`, position: "insideTopLeft", fill: "#334155", fontSize: 12 }}
            />
          ) : null}
          <Tooltip
            content={(props) => (
              <ChartTooltipContent
                active={props.active}
                payload={props.payload as TooltipContentProps<number, string>["payload"]}
                label={props.label}
                config={config}
                formatValue={(value) => formatWithUnit(value, table.unit)}
                formatLabel={(day) => `${weekly ? "Week ending " : ""}${formatDay(day)} ${day.slice(0, 4)}`}
              />
            )}
          />
          {table.columns.map((column, index) =>
            hidden.has(column.key) ? null : (
              <Line
                key={column.id}
                dataKey={column.id}
                name={column.label}
                type="linear"
                stroke={styles[index].color}
                strokeWidth={column.kind === "other" ? 2 : 2.25}
                strokeDasharray={styles[index].dash}
                dot={(props: { cx?: number; cy?: number; index?: number; value?: unknown }) => {
                  const point = props.index ?? 0;
                  if (props.cx === undefined || props.cy === undefined || props.value === null || props.value === undefined) return <g key={`${column.id}-${point}`} />;
                  // Markers every few points, staggered per series so they do not sit on each other.
                  if ((point + index) % every !== 0 && point !== data.length - 1) return <g key={`${column.id}-${point}`} />;
                  return <Marker key={`${column.id}-${point}`} x={props.cx} y={props.cy} style={styles[index]} />;
                }}
                activeDot={{ r: 4 }}
                connectNulls={false}
                isAnimationActive={false}
              />
            ),
          )}
        </LineChart>
      )}
    </ChartContainer>
  );
}
