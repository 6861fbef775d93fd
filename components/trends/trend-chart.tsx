"use client";

import { CartesianGrid, Line, LineChart, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { axisProps, ChartContainer, ChartTooltip, ChartTooltipContent, type ChartConfig } from "@/components/ui/chart";
import { formatDay } from "@/lib/format";
import type { TrendTable } from "./trend-table-model";

/** Line colours, each at least 3:1 against white; "other" is a dashed grey. */
export const SERIES_COLORS = ["#1d4ed8", "#c2410c", "#047857", "#7c3aed", "#be123c", "#0f172a", "#4d7c0f", "#a21caf", "#9a3412", "#1e3a8a", "#115e59", "#6d28d9"];
export const OTHER_COLOR = "#64748b";

export function seriesColor(index: number, kind: string): string {
  return kind === "other" ? OTHER_COLOR : SERIES_COLORS[index % SERIES_COLORS.length];
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
  return `${value.toFixed(1)} ${unit === "days" ? "d" : "h"}`;
}

/** One line per series of the table, oldest day on the left; the same rounded figures as the table. */
export function TrendChart({ table, label, height = 340 }: { table: TrendTable; label: string; height?: number }) {
  const config: ChartConfig = Object.fromEntries(table.columns.map((column, index) => [column.id, { label: column.label, color: seriesColor(index, column.kind) }]));
  const data = [...table.rows].reverse().map((row) => ({ day: row.day, ...Object.fromEntries(table.columns.map((column, index) => [column.id, row.values[index]])) }));
  const percent = table.unit === "%";
  const weekly = table.granularity === "weekly";
  return (
    <ChartContainer config={config} label={label} height={height}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <XAxis dataKey="day" {...axisProps} tickFormatter={(day: string) => formatDay(day)} minTickGap={28} tickMargin={8} />
        <YAxis
          {...axisProps}
          width={64}
          domain={percent ? [0, 100] : [0, "auto"]}
          allowDecimals={!(table.unit === "rules")}
          tickFormatter={(value: number) => (percent ? `${value}%` : String(value))}
          label={{ value: AXIS_TITLE[table.unit] ?? table.unit, angle: -90, position: "insideLeft", offset: 4, style: { fill: "#334155", fontSize: 12, textAnchor: "middle" } }}
        />
        <ChartTooltip
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
        {table.columns.map((column, index) => (
          <Line
            key={column.id}
            dataKey={column.id}
            name={column.label}
            type="linear"
            stroke={seriesColor(index, column.kind)}
            strokeWidth={column.kind === "other" ? 2 : 2.25}
            strokeDasharray={column.kind === "other" ? "6 4" : undefined}
            dot={weekly && table.rows.length <= 30 ? { r: 2.5 } : false}
            activeDot={{ r: 4 }}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ChartContainer>
  );
}
