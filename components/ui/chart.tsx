"use client";

import { ResponsiveContainer, Tooltip, type TooltipContentProps, type TooltipValueType } from "recharts";
import { cn } from "@/lib/class-names";

/** Series of a chart: label and colour per data key (shadcn's ChartConfig pattern). */
export type ChartConfig = Record<string, { label: string; color: string }>;

/** The one Recharts wrapper: a labelled figure with a fixed height and the series colours as CSS variables. */
export function ChartContainer({
  config,
  label,
  height = 260,
  className,
  children,
}: {
  config: ChartConfig;
  /** What the chart shows, for screen readers (the table under it has the figures). */
  label: string;
  height?: number;
  className?: string;
  children: React.ReactElement;
}) {
  const style = Object.fromEntries(Object.entries(config).map(([key, item]) => [`--color-${key}`, item.color])) as React.CSSProperties;
  return (
    <figure role="img" aria-label={label} className={cn("w-full text-xs", className)} style={{ ...style, height }}>
      <ResponsiveContainer width="100%" height="100%" minWidth={0}>
        {children}
      </ResponsiveContainer>
    </figure>
  );
}

export const axisProps = {
  stroke: "#64748b",
  tick: { fill: "#475569", fontSize: 12 },
  tickLine: false,
} as const;

type Formatter = (value: number | null) => string;

/** Tooltip body: the label, then one row per series with its colour and formatted value. */
export function ChartTooltipContent({
  active,
  payload,
  label,
  config,
  formatValue,
  formatLabel,
}: Partial<TooltipContentProps<number, string>> & { config: ChartConfig; formatValue: Formatter; formatLabel?: (label: string) => string }) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow-md">
      <p className="mb-1 font-medium text-slate-900">{formatLabel ? formatLabel(String(label)) : String(label)}</p>
      <ul className="space-y-0.5">
        {payload.map((item) => {
          const key = String(item.dataKey);
          return (
            <li key={key} className="flex items-center gap-2">
              <span aria-hidden className="inline-block h-2 w-2 rounded-sm" style={{ background: config[key]?.color ?? item.color }} />
              <span className="text-slate-600">{config[key]?.label ?? key}</span>
              <span className="ml-auto pl-3 font-mono tabular-nums text-slate-900">{formatValue(item.value as number | null)}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export { Tooltip as ChartTooltip };

/** A Tooltip `content` that renders ChartTooltipContent for `config`: `<ChartTooltip content={tooltipContent(...)} />`. */
export function tooltipContent(config: ChartConfig, formatValue: Formatter, formatLabel?: (label: string) => string) {
  function Content(props: { active?: boolean; payload?: unknown; label?: unknown }) {
    return (
      <ChartTooltipContent
        active={props.active}
        payload={props.payload as TooltipContentProps<number, string>["payload"]}
        label={props.label as string | undefined}
        config={config}
        formatValue={formatValue}
        formatLabel={formatLabel}
      />
    );
  }
  return Content;
}

/**
 * Tooltip body for charts whose series have different units: `formatValue` gets the series key too.
 * Rows whose formatted value is null are left out.
 */
export function ChartSeriesTooltipContent({
  active,
  payload,
  label,
  config,
  formatValue,
  formatLabel,
}: Partial<Pick<TooltipContentProps<TooltipValueType, string | number>, "active" | "payload" | "label">> & {
  config: ChartConfig;
  formatValue: (value: number | null, key: string) => string | null;
  formatLabel?: (label: string) => string;
}) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow-md">
      <p className="mb-1 font-medium text-slate-900">{formatLabel ? formatLabel(String(label)) : String(label)}</p>
      <ul className="space-y-0.5">
        {payload.map((item) => {
          const key = String(item.dataKey);
          const text = formatValue(typeof item.value === "number" ? item.value : null, key);
          if (text === null) return null;
          return (
            <li key={key} className="flex items-center gap-2">
              <span aria-hidden className="inline-block h-2 w-2 rounded-sm" style={{ background: config[key]?.color ?? item.color }} />
              <span className="text-slate-600">{config[key]?.label ?? key}</span>
              <span className="ml-auto pl-3 font-mono tabular-nums text-slate-900">{text}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
