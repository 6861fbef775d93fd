// The figures of the Trends page, built once: the table shows them, the chart draws them and the
// CSV exports them, so the three cannot disagree.
import { toSafeCsv } from "@/lib/csv";
import { chooseDurationUnit, displayNumber, unitLabel, type DurationUnit, type KpiMeta } from "@/components/kpi/kpi-meta";
import type { TrendGroup, TrendSeries } from "@/lib/data/get-trend-series";

export type RowGranularity = "daily" | "weekly";

export interface TrendColumn {
  /** Safe data key for the chart (`s0`, `s1`, ...). */
  id: string;
  key: string;
  label: string;
  /** The header as shown and exported, with the unit. */
  header: string;
  kind: TrendGroup["kind"];
}

export interface TrendRow {
  /** UTC day, YYYY-MM-DD: the day, or the last day of the week. */
  day: string;
  /** The figures as shown (rounded); null where there is none. */
  values: (number | null)[];
  /** The same figures as text, "" where there is none. */
  texts: string[];
}

export interface TrendTable {
  kpi: KpiMeta;
  duration: DurationUnit;
  /** "%", "hours", "days" or "rules". */
  unit: string;
  granularity: RowGranularity;
  firstHeader: string;
  columns: TrendColumn[];
  /** Newest first, as in the table and the CSV. */
  rows: TrendRow[];
}

/** The days a table shows: every day, or every 7th day counted back from the last (week endings). */
export function pickDays(days: string[], granularity: RowGranularity): number[] {
  const indexes: number[] = [];
  const step = granularity === "weekly" ? 7 : 1;
  for (let index = days.length - 1; index >= 0; index -= step) indexes.push(index);
  return indexes;
}

export function buildTrendTable(series: TrendSeries, kpi: KpiMeta, granularity: RowGranularity): TrendTable {
  const duration = kpi.unit === "hours" ? chooseDurationUnit(series.groups.flatMap((group) => group.values.mttrHours)) : "h";
  const unit = unitLabel(kpi.unit, duration, kpi.unit === "money" ? seriesCurrency(series) : null);
  const columns = series.groups.map((group, index) => ({
    id: `s${index}`,
    key: group.key,
    label: group.label,
    header: `${group.label} (${unit})`,
    kind: group.kind,
  }));
  const rows = pickDays(series.days, granularity).map((dayIndex): TrendRow => {
    const texts = series.groups.map((group) => displayNumber(group.values[kpi.id][dayIndex], kpi.unit, duration));
    return { day: series.days[dayIndex], texts, values: texts.map((text) => (text === "" ? null : Number(text))) };
  });
  return { kpi, duration, unit, granularity, firstHeader: granularity === "weekly" ? "Week ending (UTC)" : "Day (UTC)", columns, rows };
}

/** The one billing currency of a series' spend, or null when there is none or several (docs/costs.md). */
export function seriesCurrency(series: TrendSeries): string | null {
  const currencies = new Set(series.groups.flatMap((group) => group.values.spendCurrency).filter((currency): currency is string => currency !== null));
  return currencies.size === 1 ? [...currencies][0] : null;
}

/** The table as CSV: same columns, same rows, same rounding. */
export function toCsv(table: TrendTable): string {
  return toSafeCsv([table.firstHeader, ...table.columns.map((column) => column.header)], table.rows.map((row) => [row.day, ...row.texts]));
}

/** What the export's first line states: the figure, its definition, the scope and when it was made. */
export interface TrendCsvContext {
  scope: string;
  generatedAt: Date;
  generatedBy: string;
}

/**
 * The export: a first line that says what the file is (KPI and unit, split, range, scope,
 * definition, generation time), then the table with every group of the split (none merged).
 */
export function toCsvWithHeaderLine(table: TrendTable, series: TrendSeries, context: TrendCsvContext): string {
  const split = series.by === "none" ? "all clusters in scope" : `every ${series.by === "owner" ? "owner" : "subscription"} (${table.columns.length})`;
  const line = [
    `Bulkhead trend: ${table.kpi.title} (${table.unit})`,
    split,
    `${table.granularity} ${series.fromDay} to ${series.toDay} (UTC)`,
    `scope: ${context.scope}`,
    `definition: ${table.kpi.description}`,
    `generated ${context.generatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC by ${context.generatedBy}`,
  ].join("; ");
  return `${toSafeCsv([line], [])}\r\n${toCsv(table)}`;
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);

export function csvFileName(table: TrendTable, series: TrendSeries, scope: { subscription?: string; owner?: string }): string {
  const parts = ["bulkhead", table.kpi.slug, series.by === "none" ? "all" : `every-${series.by}`, `${series.range}d`, table.granularity, series.toDay];
  if (scope.subscription) parts.push(`sub-${scope.subscription.slice(0, 8)}`);
  if (scope.owner) parts.push(`owner-${slug(scope.owner)}`);
  return `${parts.filter(Boolean).join("_")}.csv`;
}
