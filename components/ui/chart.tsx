"use client";

import { startTransition, useEffect, useState } from "react";
import type { TooltipContentProps, TooltipValueType } from "recharts";
import { cn } from "@/lib/class-names";

/** Series of a chart: label and colour per data key (shadcn's ChartConfig pattern). */
export type ChartConfig = Record<string, { label: string; color: string }>;

/** The Recharts parts a chart draws with (components/ui/chart-kit.tsx), handed to it once loaded. */
export type ChartKit = typeof import("./chart-kit");

interface KitState {
  kit: ChartKit | null;
  failed: boolean;
}

// Recharts is loaded once per page, by the first chart someone points at, and never on the server:
// until then every chart shows its static drawing (components/ui/static-line-chart.tsx).
let kitState: KitState = { kit: null, failed: false };
let kitLoading: Promise<void> | null = null;
const kitListeners = new Set<() => void>();
const SERVER_STATE: KitState = { kit: null, failed: false };

function setKitState(next: KitState): void {
  kitState = next;
  for (const listener of kitListeners) listener();
}

function loadKit(): void {
  kitLoading ??= import("./chart-kit").then(
    (kit) => setKitState({ kit, failed: false }),
    () => {
      // A chunk that did not arrive (a deploy in between, a dropped connection) may be asked for again.
      kitLoading = null;
      setKitState({ kit: null, failed: true });
    },
  );
}

/**
 * The loaded Recharts parts, or not yet. The first render (the server's, and hydration's) has none;
 * the chart is drawn in a transition: drawing is the heaviest work on its page (Recharts lays out
 * every point), and a transition lets React do it in slices, so the page answers input meanwhile
 * (and no task blocks the main thread for long).
 */
function useChartKit(): KitState {
  const [state, setState] = useState<KitState>(SERVER_STATE);
  useEffect(() => {
    const update = () => startTransition(() => setState(kitState));
    kitListeners.add(update);
    if (kitState.kit || kitState.failed) update();
    return () => {
      kitListeners.delete(update);
    };
  }, []);
  return state;
}

/**
 * The one Recharts wrapper: a labelled figure with a fixed height and the series colours as CSS
 * variables. It shows `preview`, the same chart drawn statically, which the server draws too, and
 * loads Recharts only when someone points at the chart or touches it, for its tooltip: a page of
 * charts runs no chart code at all until one is used, and nothing moves when the drawn chart takes
 * the preview's place (same height, same axes). If the chunk does not arrive the preview stays, with
 * a small alert to try again.
 */
export function ChartContainer({
  config,
  label,
  height = 260,
  className,
  preview,
  children,
}: {
  config: ChartConfig;
  /** What the chart shows, for screen readers (the table under it has the figures). */
  label: string;
  height?: number;
  className?: string;
  /** The chart drawn without Recharts, shown until Recharts is wanted (on pointing at the chart). */
  preview: React.ReactNode;
  /** The chart, drawn with the loaded Recharts parts: `(kit) => <kit.LineChart …>`. */
  children: (kit: ChartKit) => React.ReactElement;
}) {
  const { kit, failed } = useChartKit();
  const style = Object.fromEntries(Object.entries(config).map(([key, item]) => [`--color-${key}`, item.color])) as React.CSSProperties;
  if (!kit) {
    return (
      <div className={cn("relative w-full", className)} onPointerEnter={loadKit}>
        <figure role="img" aria-label={label} className="w-full text-xs" style={{ height }} data-chart-preview="">
          {preview}
        </figure>
        {failed ? (
          // The figures are all drawn; only the tooltip is missing.
          <div role="alert" className="absolute right-2 top-0 flex items-center gap-2 rounded-md border border-red-200 bg-red-50 px-2 py-1 text-xs text-red-900">
            <span>The chart&apos;s details could not be loaded.</span>
            <button type="button" onClick={loadKit} className="rounded border border-red-300 bg-white px-2 py-0.5 font-medium hover:bg-red-100">
              Try again
            </button>
          </div>
        ) : null}
      </div>
    );
  }
  return (
    <figure role="img" aria-label={label} className={cn("w-full text-xs", className)} style={{ ...style, height }}>
      <kit.ResponsiveContainer width="100%" height="100%" minWidth={0}>
        {children(kit)}
      </kit.ResponsiveContainer>
    </figure>
  );
}

export const axisProps = {
  stroke: "#64748b",
  // No width for a tick label: Recharts would otherwise measure each of its words in the DOM (a
  // forced layout per word) to wrap a label that is always one short line.
  tick: { fill: "#475569", fontSize: 12, width: undefined },
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

/** A Tooltip `content` that renders ChartTooltipContent for `config`: `<kit.Tooltip content={tooltipContent(...)} />`. */
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
