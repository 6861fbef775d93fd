"use client";

import { useState } from "react";
import { Card, CardHeader } from "@/components/ui/card";
import { axisProps, ChartContainer, ChartSeriesTooltipContent, type ChartConfig, type ChartKit } from "@/components/ui/chart";
import { Skeleton } from "@/components/ui/skeleton";
import { niceTicks, StaticLineChart } from "@/components/ui/static-line-chart";
import { EmptyState, ErrorState } from "@/components/ui/state-message";
import { useClusterTimelineQuery } from "@/hooks/use-cluster-timeline-query";
import { cn } from "@/lib/class-names";
import type { ClusterTimeline } from "@/lib/data/get-cluster-timeline";
import { formatDate, formatDay, formatPercent } from "@/lib/format";
import { CONTROL_SPAN } from "@/lib/posture/control-catalogue";
import { DEFAULT_TIMELINE_DAYS, TIMELINE_RANGES } from "./timeline-ranges";


const config: ChartConfig = {
  passRate: { label: "Audit pass rate", color: "#1d4ed8" },
  allowAny: { label: "Allow-any rules", color: "#c2410c" },
  noEngine: { label: "Policy engine", color: "#dc2626" },
};

const LEGEND_ORDER = ["passRate", "noEngine"];

const LEGEND_TEXT: Record<string, string> = {
  passRate: "Audit pass rate (%)",
  noEngine: "No policy engine (shaded)",
};

function formatLongDay(day: string): string {
  return formatDate(`${day.slice(0, 10)}T00:00:00Z`);
}

/** One sentence that says what the chart shows, for everyone (and for screen readers, who cannot see it). */
function describeTimeline(timeline: ClusterTimeline): string {
  const present = timeline.points.filter((point) => point.present);
  if (present.length === 0) return "The cluster was not known in this period.";
  const first = present[0];
  const last = present[present.length - 1];
  const daysOff = present.filter((point) => point.engineEnabled === false).length;
  const engine =
    daysOff === 0 ? "a policy engine was enabled throughout" : daysOff === present.length ? "no policy engine was enabled at any point" : `no policy engine was enabled on ${daysOff} of ${present.length} days`;
  const rate =
    first.passRate === last.passRate
      ? `The audit pass rate stayed at ${formatPercent(last.passRate)}`
      : `The audit pass rate went from ${formatPercent(first.passRate)} on ${formatLongDay(first.day)} to ${formatPercent(last.passRate)} on ${formatLongDay(last.day)}`;
  const allowAny = last.allowAny === null ? "allow-any rules not known at the end (no in-cluster data)" : `${last.allowAny} allow-any ${last.allowAny === 1 ? "rule" : "rules"} at the end`;
  return `${rate}; ${engine}; ${allowAny}.`;
}

function TimelineChart({ timeline }: { timeline: ClusterTimeline }) {
  const data = timeline.points.map((point) => ({
    day: point.day,
    passRate: point.passRate,
    allowAny: point.allowAny,
    noEngine: point.present ? (point.engineEnabled ? 0 : 100) : null,
  }));
  const days = data.map((point) => point.day);
  // Two small charts on one time axis, each with one y-axis: a rate and a count never share a chart.
  const tooltip = (Tooltip: ChartKit["Tooltip"]) => (
    <Tooltip
      content={(props) => (
        <ChartSeriesTooltipContent
          {...props}
          config={config}
          formatLabel={formatLongDay}
          formatValue={(value, key) => {
            if (value === null || value === undefined) return key === "noEngine" ? null : "not known";
            if (key === "noEngine") return value > 0 ? "not enabled" : "enabled";
            if (key === "passRate") return formatPercent(value);
            return String(value);
          }}
        />
      )}
    />
  );
  const allowAnyMax = Math.max(3, ...data.map((point) => point.allowAny ?? 0));
  const allowAnyTicks = niceTicks(allowAnyMax, { count: allowAnyMax <= 4 ? allowAnyMax + 1 : 5, allowDecimals: false });
  const percentTicks = [0, 25, 50, 75, 100];
  // The two static charts share one time axis, as the drawn ones do.
  const timeAxis = { days, labelWidth: 64, dayLabel: formatDay, yAxisWidth: 44 };
  return (
    <div className="space-y-1">
      <ChartContainer
        config={config}
        label={`Posture of the cluster over ${timeline.days} days. ${describeTimeline(timeline)}`}
        height={220}
        preview={
          <div className="flex h-full flex-col">
            <ul className="flex h-7 shrink-0 items-center gap-4 pl-11 text-xs text-slate-700" aria-hidden>
              <li className="flex items-center gap-1.5">
                <svg width="14" height="10">
                  <line x1="0" y1="5" x2="14" y2="5" stroke={config.passRate.color} strokeWidth="2" />
                </svg>
                {LEGEND_TEXT.passRate}
              </li>
              <li className="flex items-center gap-1.5">
                <span className="inline-block h-2.5 w-2.5" style={{ background: config.noEngine.color }} />
                {LEGEND_TEXT.noEngine}
              </li>
            </ul>
            <div className="min-h-0 flex-1">
              <StaticLineChart
                {...timeAxis}
                margin={{ top: 0, right: 8, bottom: 0, left: 0 }}
                y={{ max: 100, ticks: percentTicks, format: (value) => `${value}%` }}
                bands={[{ key: "noEngine", values: data.map((point) => point.noEngine), color: config.noEngine.color, opacity: 0.12 }]}
                lines={[{ key: "passRate", values: data.map((point) => point.passRate), style: { color: config.passRate.color, shape: "circle", hollow: false }, strokeWidth: 2, step: true }]}
              />
            </div>
          </div>
        }
      >
        {({ Area, CartesianGrid, ComposedChart, DayAxis, Legend, Line, Tooltip, YAxis }) => (
          <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} syncId="posture-timeline">
            <CartesianGrid stroke="#e2e8f0" vertical={false} />
            <DayAxis dataKey="day" days={days} labelWidth={64} {...axisProps} tickFormatter={formatDay} />
            <YAxis {...axisProps} domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tickFormatter={(value: number) => `${value}%`} width={44} />
            {tooltip(Tooltip)}
            <Legend
              verticalAlign="top"
              align="left"
              height={28}
              iconSize={10}
              itemSorter={(item) => LEGEND_ORDER.indexOf(String(item.dataKey))}
              formatter={(value: string) => <span className="text-xs text-slate-700">{LEGEND_TEXT[value] ?? value}</span>}
            />
            <Area dataKey="noEngine" type="stepAfter" stroke="none" fill="var(--color-noEngine)" fillOpacity={0.12} isAnimationActive={false} connectNulls={false} legendType="square" />
            <Line dataKey="passRate" type="stepAfter" stroke="var(--color-passRate)" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls={false} />
          </ComposedChart>
        )}
      </ChartContainer>
      <p className="pl-11 text-xs text-slate-700">Allow-any rules (count)</p>
      <ChartContainer
        config={config}
        label={`Allow-any rules of the cluster over ${timeline.days} days`}
        height={90}
        preview={
          <StaticLineChart
            {...timeAxis}
            margin={{ top: 4, right: 8, bottom: 0, left: 0 }}
            y={{ max: allowAnyTicks[allowAnyTicks.length - 1], ticks: allowAnyTicks, format: String }}
            lines={[{ key: "allowAny", values: data.map((point) => point.allowAny), style: { color: config.allowAny.color, shape: "circle", hollow: false }, strokeWidth: 1.75, step: true }]}
          />
        }
      >
        {({ CartesianGrid, ComposedChart, DayAxis, Line, Tooltip, YAxis }) => (
          <ComposedChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }} syncId="posture-timeline">
            <CartesianGrid stroke="#e2e8f0" vertical={false} />
            <DayAxis dataKey="day" days={days} labelWidth={64} {...axisProps} tickFormatter={formatDay} />
            <YAxis {...axisProps} allowDecimals={false} width={44} domain={[0, (max: number) => Math.max(3, max)]} />
            {tooltip(Tooltip)}
            <Line dataKey="allowAny" type="stepAfter" stroke="var(--color-allowAny)" strokeWidth={1.75} dot={false} isAnimationActive={false} connectNulls={false} />
          </ComposedChart>
        )}
      </ChartContainer>
    </div>
  );
}

/** Engine and audit pass rate of one cluster over time, from its posture intervals. */
export function PostureTimeline({ clusterId, firstSeenAt }: { clusterId: number; firstSeenAt: string }) {
  const [days, setDays] = useState<number>(DEFAULT_TIMELINE_DAYS);
  const query = useClusterTimelineQuery(clusterId, days);
  const timeline = query.data;
  return (
    <Card aria-labelledby="timeline-title">
      <CardHeader
        id="timeline-title"
        title="Posture over time"
        description={`Audit pass rate (${CONTROL_SPAN}, n/a left out), allow-any rules and the policy engine at the end of each UTC day. First seen ${formatLongDay(firstSeenAt.slice(0, 10))}.`}
        action={
          <div role="group" aria-label="Time range" className="flex shrink-0 rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
            {TIMELINE_RANGES.map((range) => (
              <button
                key={range}
                type="button"
                aria-pressed={days === range}
                onClick={() => setDays(range)}
                className={cn("rounded px-2.5 py-1 text-xs font-medium", days === range ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100")}
              >
                {range} d
              </button>
            ))}
          </div>
        }
      />
      {query.isError && !timeline ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : !timeline ? (
        <Skeleton className="h-[340px] w-full" label="Loading the timeline" />
      ) : !timeline.points.some((point) => point.present) ? (
        <EmptyState title="No history in this period">The cluster was not known in the last {days} days; choose a longer range.</EmptyState>
      ) : (
        <div className={cn("transition-opacity", query.isPlaceholderData && "opacity-60")} aria-busy={query.isPlaceholderData}>
          <TimelineChart timeline={timeline} />
          <p className="mt-2 text-sm text-slate-700">{describeTimeline(timeline)}</p>
        </div>
      )}
    </Card>
  );
}

/** The timeline's place while its first range loads. */
export function PostureTimelineSkeleton() {
  return (
    <Card aria-labelledby="timeline-title">
      <CardHeader id="timeline-title" title="Posture over time" description="Audit pass rate, allow-any rules and the policy engine at the end of each UTC day." />
      <Skeleton className="h-[340px] w-full" label="Loading the timeline" />
    </Card>
  );
}
