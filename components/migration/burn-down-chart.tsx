"use client";

import { axisProps, ChartContainer, tooltipContent, type ChartConfig } from "@/components/ui/chart";
import { formatDay } from "@/lib/format";
import type { EngineGroup } from "@/lib/migration/engine-groups";

/** Engine colours: NPM (what burns down) red-ish, Cilium (where it goes) green, the rest quiet. */
export const ENGINE_COLORS: Record<EngineGroup, string> = { npm: "#b91c1c", cilium: "#047857", calico: "#1d4ed8", none: "#64748b", other: "#a16207" };

/** Clusters by engine at the end of each day, stacked: the NPM band shrinking is the migration. */
export function BurnDownChart({ days, series, labels, order }: { days: string[]; series: Record<EngineGroup, number[]>; labels: Record<EngineGroup, string>; order: readonly EngineGroup[] }) {
  const config: ChartConfig = Object.fromEntries(order.map((group) => [group, { label: labels[group], color: ENGINE_COLORS[group] }]));
  const data = days.map((day, index) => ({ day, ...Object.fromEntries(order.map((group) => [group, series[group][index]])) }));
  const last = days.length - 1;
  const summary = order.map((group) => `${labels[group]} ${series[group][0] ?? 0} → ${series[group][last] ?? 0}`).join(", ");
  return (
    <ChartContainer config={config} label={`Clusters by policy engine at the end of each day, ${formatDay(days[0] ?? "")} to ${formatDay(days[last] ?? "")}: ${summary}`} height={300}>
      {({ Area, AreaChart, CartesianGrid, DayAxis, Tooltip, YAxis }) => (
      <AreaChart data={data} margin={{ top: 12, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <DayAxis dataKey="day" days={days} labelWidth={64} {...axisProps} tickFormatter={(day: string) => formatDay(day)} tickMargin={8} />
        <YAxis {...axisProps} width={56} allowDecimals={false} label={{ value: "Clusters", angle: -90, position: "insideLeft", offset: 4, style: { fill: "#334155", fontSize: 12, textAnchor: "middle" } }} />
        <Tooltip content={tooltipContent(config, (value) => (value === null ? "–" : `${value} clusters`), (day) => `${formatDay(day)} ${day.slice(0, 4)}`)} />
        {order.map((group) => (
          <Area key={group} dataKey={group} name={labels[group]} stackId="engines" type="stepAfter" stroke={ENGINE_COLORS[group]} fill={ENGINE_COLORS[group]} fillOpacity={0.35} isAnimationActive={false} />
        ))}
      </AreaChart>
      )}
    </ChartContainer>
  );
}
