"use client";

import { axisProps, ChartContainer, tooltipContent, type ChartConfig } from "@/components/ui/chart";
import { niceTicks, StaticLineChart, type StaticBand, type StaticLine } from "@/components/ui/static-line-chart";
import { formatDay } from "@/lib/format";
import type { EngineGroup } from "@/lib/migration/engine-groups";

/** Engine colours: NPM (what burns down) red-ish, Cilium (where it goes) green, the rest quiet. */
export const ENGINE_COLORS: Record<EngineGroup, string> = { npm: "#b91c1c", cilium: "#047857", calico: "#1d4ed8", none: "#64748b", other: "#a16207" };

const FILL_OPACITY = 0.35;
const MARGIN = { top: 12, right: 16, bottom: 8, left: 8 };

/**
 * The engines stacked in `order`, first at the bottom: each one's band runs from the running total of
 * those below it (its base) to that total plus its own count, day by day.
 */
export function stackEngines(order: readonly EngineGroup[], series: Record<EngineGroup, readonly number[]>, days: number): { group: EngineGroup; base: number[]; top: number[] }[] {
  const below = Array.from({ length: days }, () => 0);
  return order.map((group) => {
    const base = [...below];
    const top = base.map((value, index) => value + (series[group][index] ?? 0));
    top.forEach((value, index) => (below[index] = value));
    return { group, base, top };
  });
}

/** Clusters by engine at the end of each day, stacked: the NPM band shrinking is the migration. */
export function BurnDownChart({ days, series, labels, order }: { days: string[]; series: Record<EngineGroup, number[]>; labels: Record<EngineGroup, string>; order: readonly EngineGroup[] }) {
  const config: ChartConfig = Object.fromEntries(order.map((group) => [group, { label: labels[group], color: ENGINE_COLORS[group] }]));
  const data = days.map((day, index) => ({ day, ...Object.fromEntries(order.map((group) => [group, series[group][index]])) }));
  const last = days.length - 1;
  const summary = order.map((group) => `${labels[group]} ${series[group][0] ?? 0} → ${series[group][last] ?? 0}`).join(", ");
  const stacked = stackEngines(order, series, days.length);
  const ticks = niceTicks(Math.max(0, ...(stacked.at(-1)?.top ?? [])), { allowDecimals: false });
  // Drawn as Recharts draws the stacked step areas: a shaded band per engine and its top edge.
  const bands: StaticBand[] = stacked.map(({ group, base, top }) => ({ key: group, values: top, base, color: ENGINE_COLORS[group], opacity: FILL_OPACITY }));
  const edges: StaticLine[] = stacked.map(({ group, top }) => ({ key: group, values: top, step: true, strokeWidth: 1, style: { color: ENGINE_COLORS[group], shape: "circle", hollow: false } }));
  const preview = (
    <StaticLineChart
      days={days}
      labelWidth={64}
      dayLabel={formatDay}
      y={{ max: ticks[ticks.length - 1], ticks, format: String, title: "Clusters" }}
      bands={bands}
      lines={edges}
      yAxisWidth={56}
      margin={MARGIN}
    />
  );
  return (
    <ChartContainer config={config} label={`Clusters by policy engine at the end of each day, ${formatDay(days[0] ?? "")} to ${formatDay(days[last] ?? "")}: ${summary}`} height={300} preview={preview}>
      {({ Area, AreaChart, CartesianGrid, DayAxis, Tooltip, YAxis }) => (
      <AreaChart data={data} margin={MARGIN} accessibilityLayer={false}>
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <DayAxis dataKey="day" days={days} labelWidth={64} {...axisProps} tickFormatter={(day: string) => formatDay(day)} tickMargin={8} />
        <YAxis {...axisProps} width={56} allowDecimals={false} domain={[0, ticks[ticks.length - 1]]} ticks={ticks} label={{ value: "Clusters", angle: -90, position: "insideLeft", offset: 4, style: { fill: "#334155", fontSize: 12, textAnchor: "middle" } }} />
        <Tooltip content={tooltipContent(config, (value) => (value === null ? "–" : `${value} clusters`), (day) => `${formatDay(day)} ${day.slice(0, 4)}`)} />
        {order.map((group) => (
          <Area key={group} dataKey={group} name={labels[group]} stackId="engines" type="stepAfter" stroke={ENGINE_COLORS[group]} fill={ENGINE_COLORS[group]} fillOpacity={FILL_OPACITY} isAnimationActive={false} />
        ))}
      </AreaChart>
      )}
    </ChartContainer>
  );
}
