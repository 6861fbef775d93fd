// The Trends page's view, read from the URL: which KPI, range, split and row granularity.
import { KPIS, kpiBySlug, type KpiMeta } from "@/components/kpi/kpi-meta";
import { DEFAULT_TREND_RANGE, TREND_RANGES, type TrendRange } from "@/lib/api/query-keys";
import type { TrendSplit } from "@/lib/data/get-trend-series";
import type { RowGranularity } from "./trend-table-model";

export interface TrendViewState {
  kpi: KpiMeta;
  range: TrendRange;
  by: TrendSplit;
  rows: RowGranularity;
  /** Parameters that were given but not understood, with what was used instead. */
  ignored: string[];
}

const SPLITS: readonly TrendSplit[] = ["none", "subscription", "owner"];

/** Daily rows for every range: a longer range never changes the granularity behind the person's back. */
export const defaultRows = (): RowGranularity => "daily";

export function readTrendView(get: (name: string) => string | null | undefined): TrendViewState {
  const ignored: string[] = [];
  const kpiText = get("kpi");
  const kpi = kpiBySlug(kpiText) ?? KPIS[0];
  if (kpiText && !kpiBySlug(kpiText)) ignored.push(`kpi "${kpiText}" (use ${KPIS.map((k) => k.slug).join(", ")})`);

  const rangeText = get("range");
  const range = (TREND_RANGES as readonly number[]).includes(Number(rangeText)) ? (Number(rangeText) as TrendRange) : DEFAULT_TREND_RANGE;
  if (rangeText && range !== Number(rangeText)) ignored.push(`range "${rangeText}" (use ${TREND_RANGES.join(", ")})`);

  const byText = get("by");
  const by = SPLITS.includes(byText as TrendSplit) ? (byText as TrendSplit) : "none";
  if (byText && by !== byText) ignored.push(`by "${byText}" (use ${SPLITS.join(", ")})`);

  const rowsText = get("rows");
  const rows = rowsText === "daily" || rowsText === "weekly" ? rowsText : defaultRows();
  if (rowsText && rows !== rowsText) ignored.push(`rows "${rowsText}" (use daily or weekly)`);
  return { kpi, range, by, rows, ignored };
}
