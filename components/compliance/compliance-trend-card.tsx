"use client";

import { useSearchParams } from "next/navigation";
import { Card, CardHeader } from "@/components/ui/card";
import { axisProps, ChartContainer, tooltipContent, type ChartConfig } from "@/components/ui/chart";
import { SegmentedControl } from "@/components/ui/segmented-control";
import { SeriesSwatch, seriesStyle, sparseMarkers } from "@/components/ui/series-style";
import { Skeleton } from "@/components/ui/skeleton";
import { StaticLineChart } from "@/components/ui/static-line-chart";
import { EmptyState, ErrorState } from "@/components/ui/state-message";
import { useComplianceTrendQuery } from "@/hooks/use-compliance-query";
import { useScopeParams } from "@/hooks/use-scope-params";
import { cn } from "@/lib/class-names";
import { formatDate, formatDay, formatPercent } from "@/lib/format";
import { readComplianceState, TREND_RANGES, type TrendDays } from "./compliance-state";

const RANGE_OPTIONS = TREND_RANGES.map((days) => ({ value: String(days) as `${TrendDays}`, label: `${days} days` }));

/**
 * Each requirement's pass rate at the end of every day up to the as-of day, one line per requirement
 * (colour and marker shape), the open requirement drawn stronger. Percent on the y-axis, 0 to 100.
 */
export function ComplianceTrendCard() {
  const searchParams = useSearchParams();
  const { subscription, owner, setParams } = useScopeParams();
  const state = readComplianceState((name) => searchParams.get(name));
  const query = useComplianceTrendQuery({ framework: state.framework, asOf: state.asOf, production: state.production ? "true" : undefined, subscription, owner, days: state.days });
  const trend = query.data;
  const selected = state.requirement ?? trend?.series[0]?.id;
  const points = trend?.series[0]?.points ?? [];
  const data = points.map((point, index) => ({ day: point.day, ...Object.fromEntries((trend?.series ?? []).map((series) => [series.id, series.points[index]?.passRate ?? null])) }));
  const styles = (trend?.series ?? []).map((_, index) => seriesStyle(index, "group"));
  const config: ChartConfig = Object.fromEntries((trend?.series ?? []).map((series, index) => [series.id, { label: series.id, color: styles[index].color }]));
  const every = Math.max(1, Math.ceil(data.length / 10));
  const withYear = data.length > 90;
  return (
    <Card aria-labelledby="compliance-trend-title" aria-busy={query.isFetching}>
      <CardHeader
        id="compliance-trend-title"
        title="Pass rate per requirement"
        description={trend && trend.fromDay ? `At the end of each day, ${formatDate(trend.fromDay)} to ${formatDate(trend.toDay)}; waived and n/a clusters left out.` : "At the end of each day; waived and n/a clusters left out."}
      />
      <SegmentedControl className="-mt-2 mb-3" legend="Range" value={String(state.days) as `${TrendDays}`} onChange={(value) => setParams({ days: value === "90" ? undefined : value })} options={RANGE_OPTIONS} />
      {query.isPending ? (
        <Skeleton className="h-64 w-full" label="Loading the trend" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : data.length === 0 ? (
        <EmptyState title="No history to chart yet">The trend starts with the first collection run.</EmptyState>
      ) : (
        <div className={cn(query.isPlaceholderData && "opacity-60")}>
          <ChartContainer
            config={config}
            height={240}
            label={`Pass rate per requirement of ${trend?.framework}, daily from ${trend?.fromDay} to ${trend?.toDay}, in percent`}
            preview={
              <StaticLineChart
                days={data.map((point) => point.day)}
                labelWidth={withYear ? 84 : 64}
                dayLabel={(day) => (withYear ? `${formatDay(day)} ${day.slice(2, 4)}` : formatDay(day))}
                yAxisWidth={60}
                margin={{ top: 8, right: 16, bottom: 4, left: 4 }}
                y={{ max: 100, ticks: [0, 25, 50, 75, 100], format: (value) => `${value}%`, title: "Pass rate (%)" }}
                lines={(trend?.series ?? []).map((series, index) => {
                  const strong = series.id === selected;
                  return {
                    key: series.id,
                    values: series.points.map((point) => point.passRate),
                    style: styles[index],
                    strokeWidth: strong ? 3 : 1.5,
                    opacity: strong ? 1 : 0.55,
                    markers: { every, offset: index, size: strong ? 8 : 6 },
                  };
                })}
              />
            }
          >
            {({ CartesianGrid, DayAxis, Line, LineChart, Tooltip, YAxis }) => (
              <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 4 }} accessibilityLayer={false}>
                <CartesianGrid vertical={false} stroke="#e2e8f0" />
                <DayAxis
                  dataKey="day"
                  days={data.map((point) => point.day)}
                  labelWidth={withYear ? 84 : 64}
                  {...axisProps}
                  tickFormatter={(day: string) => (withYear ? `${formatDay(day)} ${day.slice(2, 4)}` : formatDay(day))}
                  tickMargin={8}
                />
                <YAxis
                  {...axisProps}
                  width={60}
                  domain={[0, 100]}
                  tickFormatter={(value: number) => `${value}%`}
                  label={{ value: "Pass rate (%)", angle: -90, position: "insideLeft", offset: 4, style: { fill: "#334155", fontSize: 12, textAnchor: "middle" } }}
                />
                <Tooltip content={tooltipContent(config, (value) => (value === null ? "no evidence" : formatPercent(value)), (day) => `End of ${formatDate(day)}`)} />
                {(trend?.series ?? []).map((series, index) => {
                  const strong = series.id === selected;
                  return (
                    <Line
                      key={series.id}
                      dataKey={series.id}
                      name={series.id}
                      type="linear"
                      stroke={styles[index].color}
                      strokeWidth={strong ? 3 : 1.5}
                      strokeOpacity={strong ? 1 : 0.55}
                      dot={sparseMarkers({ key: series.id, index, every, last: data.length - 1, style: styles[index], size: strong ? 8 : 6 })}
                      activeDot={{ r: 4 }}
                      connectNulls={false}
                      isAnimationActive={false}
                    />
                  );
                })}
              </LineChart>
            )}
          </ChartContainer>
          <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700" aria-label="Legend">
            {(trend?.series ?? []).map((series, index) => {
              const first = series.points.find((point) => point.passRate !== null)?.passRate ?? null;
              const last = series.points.at(-1)?.passRate ?? null;
              return (
                <li key={series.id} className={cn("flex items-center gap-1.5", series.id === selected && "font-semibold text-slate-900")}>
                  <SeriesSwatch style={styles[index]} />
                  <span className="font-mono">{series.id}</span>
                  <span className="tabular-nums">
                    {formatPercent(first)} → {formatPercent(last)}
                  </span>
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </Card>
  );
}

export function ComplianceTrendSkeleton() {
  return (
    <Card>
      <Skeleton className="mb-4 h-5 w-56" label="Loading the trend" />
      <Skeleton className="h-64 w-full" label="Loading the trend" />
    </Card>
  );
}
