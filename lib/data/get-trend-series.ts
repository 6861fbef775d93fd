import "server-only";
import type { Database } from "@/lib/db/client";
import { getKpiTrend, startOfUtcDay, type KpiTrendPoint } from "@/lib/kpi/get-kpi-trend";
import { exposureOf, percent, roundTo1, type KpiScope } from "@/lib/kpi/scope";
import { addSpendSums, emptySpendSums, spendFigures, type SpendSums } from "@/lib/kpi/get-spend-kpis";

export type TrendSplit = "none" | "subscription" | "owner";

/** The KPI figures of one series on one day (a trend point without its key, day and merge-only sums). */
export type TrendValues = Omit<KpiTrendPoint, "key" | "day" | "resolvedHours" | "exposureWeighted" | "exposurePods" | "spendSums">;

/** One array per figure, aligned with `TrendSeries.days`: a fraction of the JSON of one object per day. */
export type TrendColumns = { [Field in keyof TrendValues]: TrendValues[Field][] };

export const TREND_FIELDS = [
  "clusters",
  "clustersEnabled",
  "percentEnabled",
  "allowAnyRulesProduction",
  "controlsPassed",
  "controlsFailed",
  "auditPassRate",
  "mttrHours",
  "resolvedFindings",
  "openFindings",
  "lateralExposure",
  "clustersWithExposure",
  "spendCurrency",
  "spendAtRisk",
  "spendAtRiskShare",
  "spendWeightedPassRate",
] as const satisfies readonly (keyof TrendValues)[];

export interface TrendGroup {
  key: string;
  label: string;
  /** `other` merges every group outside the top ones; `all` is the whole scope (no split). */
  kind: "group" | "other" | "all";
  /** Groups merged into this series (1 for a plain group). */
  memberCount: number;
  /** For "other": the groups it merges, largest first. */
  members?: { key: string; label: string; clustersAtEnd: number }[];
  /** Clusters on the last day: what "top" is ranked by. */
  clustersAtEnd: number;
  /** The figures per day of `days`. */
  values: TrendColumns;
}

export interface TrendSeries {
  by: TrendSplit;
  range: number;
  top: number;
  /** First and last UTC day (YYYY-MM-DD), inclusive. */
  fromDay: string;
  toDay: string;
  days: string[];
  /** Groups found in the range before merging. */
  totalGroups: number;
  groups: TrendGroup[];
  /** Every group of the split, largest first (what the group picker offers). */
  available: { key: string; label: string; clustersAtEnd: number }[];
  /** The first day of the range with any cluster in scope; later than fromDay when history starts inside the range. */
  historyStartDay: string | null;
}

export interface TrendSeriesParams {
  /** Last UTC day of the trend. */
  toDay: Date;
  /** Days in the trend, the last one included. */
  range: number;
  by: TrendSplit;
  scope: KpiScope;
  /** Groups drawn on their own; the rest are merged into "other". */
  top?: number;
  /** The groups to draw on their own (the rest merged into "other"), or "all": every group, none merged. */
  groups?: string[] | "all";
}

export const DEFAULT_TREND_TOP = 6;

type Counts = Omit<TrendValues, "percentEnabled" | "auditPassRate" | "mttrHours" | "lateralExposure" | "spendCurrency" | "spendAtRisk" | "spendAtRiskShare" | "spendWeightedPassRate"> & {
  resolvedHours: number;
  exposureWeighted: number;
  exposurePods: number;
  spendSums: SpendSums;
};

const emptyCounts = (): Counts => ({
  clusters: 0,
  clustersEnabled: 0,
  allowAnyRulesProduction: 0,
  controlsPassed: 0,
  controlsFailed: 0,
  resolvedFindings: 0,
  resolvedHours: 0,
  openFindings: 0,
  clustersWithExposure: 0,
  exposureWeighted: 0,
  exposurePods: 0,
  spendSums: emptySpendSums(),
});

function addCounts(into: Counts, from: Counts | KpiTrendPoint): void {
  into.clusters += from.clusters;
  into.clustersEnabled += from.clustersEnabled;
  into.allowAnyRulesProduction += from.allowAnyRulesProduction;
  into.controlsPassed += from.controlsPassed;
  into.controlsFailed += from.controlsFailed;
  into.resolvedFindings += from.resolvedFindings;
  into.resolvedHours += from.resolvedHours;
  into.openFindings += from.openFindings;
  into.clustersWithExposure += from.clustersWithExposure;
  into.exposureWeighted += from.exposureWeighted;
  into.exposurePods += from.exposurePods;
  addSpendSums(into.spendSums, from.spendSums);
}

/** Ratios from summed counts (docs/design.md §5 rounding), never an average of percentages. */
function toValues(counts: Counts): TrendValues {
  return {
    clusters: counts.clusters,
    clustersEnabled: counts.clustersEnabled,
    percentEnabled: percent(counts.clustersEnabled, counts.clusters),
    allowAnyRulesProduction: counts.allowAnyRulesProduction,
    controlsPassed: counts.controlsPassed,
    controlsFailed: counts.controlsFailed,
    auditPassRate: percent(counts.controlsPassed, counts.controlsPassed + counts.controlsFailed),
    mttrHours: counts.resolvedFindings > 0 ? roundTo1(counts.resolvedHours / counts.resolvedFindings) : null,
    resolvedFindings: counts.resolvedFindings,
    openFindings: counts.openFindings,
    // Pod-weighted over the merged groups' clusters, as the KPI is over one group's.
    lateralExposure: exposureOf(counts.exposureWeighted, counts.exposurePods),
    clustersWithExposure: counts.clustersWithExposure,
    // From the merged sums too: spend-weighted over the merged groups' clusters; the period is the point's own.
    ...pickSpend(spendFigures(counts.spendSums, { fromDay: "", toDay: "" }, 0)),
  };
}

function pickSpend(figures: ReturnType<typeof spendFigures>) {
  return {
    spendCurrency: figures.spendCurrency,
    spendAtRisk: figures.spendAtRisk,
    spendAtRiskShare: figures.spendAtRiskShare,
    spendWeightedPassRate: figures.spendWeightedPassRate,
  };
}

function toColumns(series: Counts[]): TrendColumns {
  const points = series.map(toValues);
  return Object.fromEntries(TREND_FIELDS.map((field) => [field, points.map((point) => point[field])])) as TrendColumns;
}

const DAY_MS = 86_400_000;
// UTC arithmetic: the server's time zone must not shift a day.
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The daily KPI trend of a scope, split by subscription or owner: the `top` groups by clusters on
 * the last day, and every other group merged into one "other" series from their counts.
 */
export async function getTrendSeries(db: Database, params: TrendSeriesParams): Promise<TrendSeries> {
  const top = params.top ?? DEFAULT_TREND_TOP;
  const toDay = startOfUtcDay(params.toDay);
  const fromDay = new Date(toDay.getTime() - (params.range - 1) * DAY_MS);
  const days: string[] = [];
  for (let ms = fromDay.getTime(); ms <= toDay.getTime(); ms += DAY_MS) days.push(dayText(ms));
  const dayIndex = new Map(days.map((day, index) => [day, index]));

  const [points, labels] = await Promise.all([
    getKpiTrend(db, { fromDay, toDay, by: params.by === "none" ? "all" : params.by, scope: params.scope }),
    params.by === "subscription" ? getSubscriptionLabels(db) : Promise.resolve(new Map<string, string>()),
  ]);

  const countsByKey = new Map<string, Counts[]>();
  for (const point of points) {
    const index = dayIndex.get(point.day);
    if (index === undefined) continue;
    let series = countsByKey.get(point.key);
    if (!series) countsByKey.set(point.key, (series = days.map(emptyCounts)));
    addCounts(series[index], point);
  }

  const firstDayWithData = days.findIndex((_, index) => [...countsByKey.values()].some((series) => series[index].clusters > 0));
  const historyStartDay = firstDayWithData < 0 ? null : days[firstDayWithData];
  const base = { by: params.by, range: params.range, top, fromDay: days[0], toDay: days[days.length - 1], days, historyStartDay };
  if (params.by === "none") {
    const series = countsByKey.get("all") ?? days.map(emptyCounts);
    const group: TrendGroup = { key: "all", label: "All clusters", kind: "all", memberCount: 1, clustersAtEnd: series[series.length - 1].clusters, values: toColumns(series) };
    return { ...base, totalGroups: 1, groups: [group], available: [] };
  }

  const ranked = [...countsByKey.entries()]
    .map(([key, series]) => ({ key, series, clustersAtEnd: series[series.length - 1].clusters }))
    .sort((a, b) => b.clustersAtEnd - a.clustersAtEnd || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const available = ranked.map((group) => ({ key: group.key, label: labels.get(group.key) ?? group.key, clustersAtEnd: group.clustersAtEnd }));
  const picked = params.groups === "all" ? null : params.groups?.length ? new Set(params.groups) : null;
  // Merging a single group into "other" would only hide its name.
  const shown =
    params.groups === "all" ? ranked : picked ? ranked.filter((group) => picked.has(group.key)) : ranked.length <= top + 1 ? ranked : ranked.slice(0, top);
  const shownKeys = new Set(shown.map((group) => group.key));
  const rest = ranked.filter((group) => !shownKeys.has(group.key));
  const groups: TrendGroup[] = shown.map((group) => ({
    key: group.key,
    label: labels.get(group.key) ?? group.key,
    kind: "group",
    memberCount: 1,
    clustersAtEnd: group.clustersAtEnd,
    values: toColumns(group.series),
  }));
  if (rest.length > 0) {
    const merged = days.map(emptyCounts);
    for (const group of rest) group.series.forEach((counts, index) => addCounts(merged[index], counts));
    groups.push({
      key: "__other__",
      label: `Other (${rest.length} ${params.by === "owner" ? "owners" : "subscriptions"})`,
      kind: "other",
      memberCount: rest.length,
      members: rest.map((group) => ({ key: group.key, label: labels.get(group.key) ?? group.key, clustersAtEnd: group.clustersAtEnd })),
      clustersAtEnd: merged[merged.length - 1].clusters,
      values: toColumns(merged),
    });
  }
  return { ...base, totalGroups: ranked.length, groups, available };
}

async function getSubscriptionLabels(db: Database): Promise<Map<string, string>> {
  const rows = await db.prisma.$queryRaw<{ id: string; display_name: string | null }[]>`SELECT id, display_name FROM subscriptions`;
  return new Map(rows.map((row) => [row.id, row.display_name ?? row.id]));
}
