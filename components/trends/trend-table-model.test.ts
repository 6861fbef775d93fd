import Papa from "papaparse";
import { describe, expect, test } from "vitest";
import { KPIS } from "@/components/kpi/kpi-meta";
import type { TrendColumns, TrendSeries, TrendValues } from "@/lib/data/get-trend-series";
import { buildTrendTable, csvFileName, pickDays, toCsv, toCsvWithHeaderLine } from "./trend-table-model";

const point = (overrides: Partial<TrendValues>): TrendValues => ({
  clusters: 4,
  clustersEnabled: 3,
  percentEnabled: 75,
  allowAnyRulesProduction: 2,
  controlsPassed: 10,
  controlsFailed: 5,
  auditPassRate: 66.7,
  mttrHours: null,
  resolvedFindings: 0,
  openFindings: 1,
  lateralExposure: 38.2,
  clustersWithExposure: 3,
  spendCurrency: "EUR",
  spendAtRisk: 1234.5,
  spendAtRiskShare: 24.1,
  spendWeightedPassRate: 70.2,
  ...overrides,
});

const columns = (points: TrendValues[]): TrendColumns =>
  Object.fromEntries((Object.keys(points[0]) as (keyof TrendValues)[]).map((field) => [field, points.map((p) => p[field])])) as TrendColumns;

function series(days: number, mttr: (day: number) => number | null): TrendSeries {
  const dayTexts = Array.from({ length: days }, (_, index) => new Date(Date.UTC(2026, 2, 1 + index)).toISOString().slice(0, 10));
  return {
    by: "owner",
    range: days,
    top: 6,
    fromDay: dayTexts[0],
    toDay: dayTexts[days - 1],
    days: dayTexts,
    totalGroups: 3,
    historyStartDay: dayTexts[0],
    available: [],
    groups: [
      { key: "payments", label: "payments", kind: "group", memberCount: 1, clustersAtEnd: 4, values: columns(dayTexts.map((_, i) => point({ percentEnabled: 50 + i / 3, mttrHours: mttr(i) }))) },
      { key: "__other__", label: "Other (2 owners)", kind: "other", memberCount: 2, clustersAtEnd: 4, values: columns(dayTexts.map(() => point({ percentEnabled: null }))) },
    ],
  };
}

describe("trend table", () => {
  test("weekly rows are every 7th day counted back from the last, newest first", () => {
    expect(pickDays(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"], "weekly")).toEqual([9, 2]);
    expect(pickDays(["a", "b", "c"], "daily")).toEqual([2, 1, 0]);
  });

  test("cells carry the shown rounding, the unit is in every header, and no figure is an empty cell", () => {
    const table = buildTrendTable(series(30, () => null), KPIS[0], "daily");
    expect(table.firstHeader).toBe("Day (UTC)");
    expect(table.columns.map((c) => c.header)).toEqual(["payments (%)", "Other (2 owners) (%)"]);
    expect(table.rows[0]).toEqual({ day: "2026-03-30", texts: ["59.7", ""], values: [59.7, null] });
    expect(table.rows).toHaveLength(30);
  });

  test("MTTR switches to days when figures run long, for the whole table", () => {
    const short = buildTrendTable(series(10, (i) => 10 + i), KPIS[1], "daily");
    expect([short.unit, short.rows[0].texts[0]]).toEqual(["hours", "19.0"]);
    const long = buildTrendTable(series(10, (i) => (i === 0 ? 100 : 12)), KPIS[1], "daily");
    expect([long.unit, long.rows[0].texts[0], long.rows[9].texts[0]]).toEqual(["days", "0.5", "4.2"]);
  });

  test("the CSV is the table, header and cells", () => {
    const table = buildTrendTable(series(20, () => null), KPIS[2], "weekly");
    const parsed = Papa.parse<string[]>(toCsv(table)).data;
    expect(parsed[0]).toEqual(["Week ending (UTC)", "payments (rules)", "Other (2 owners) (rules)"]);
    expect(parsed.slice(1)).toEqual(table.rows.map((row) => [row.day, ...row.texts]));
    expect(parsed.slice(1).map((row) => row[0])).toEqual(["2026-03-20", "2026-03-13", "2026-03-06"]);
    expect(csvFileName(table, series(20, () => null), { owner: "Payments Team" })).toBe("bulkhead_allow-any_every-owner_20d_weekly_2026-03-20_owner-payments-team.csv");
  });

  test("an owner tag that is a formula is text in the CSV, in the header where it becomes a column name", () => {
    const hostile = series(10, () => null);
    hostile.groups[0] = { ...hostile.groups[0], key: "=cmd", label: '=HYPERLINK("https://evil.example","x")' };
    const parsed = Papa.parse<string[]>(toCsv(buildTrendTable(hostile, KPIS[0], "daily"))).data;
    expect(parsed[0][1]).toBe(`'=HYPERLINK("https://evil.example","x") (%)`);
    expect(parsed.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
  });
});

describe("the CSV export", () => {
  test("starts with one line saying what the file is, then the table; the line goes through the formula guard too", () => {
    const table = buildTrendTable(series(3, () => null), KPIS[3], "daily");
    const text = toCsvWithHeaderLine(table, series(3, () => null), { scope: "owner =cmd", generatedAt: new Date("2026-03-03T10:20:00Z"), generatedBy: "finops@example.com" });
    const rows = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
    expect(rows[0]).toHaveLength(1);
    expect(rows[0][0]).toMatch(/^Bulkhead trend: Audit pass rate \(%\); every owner \(2\); daily 2026-03-01 to 2026-03-03 \(UTC\); scope: owner =cmd; definition: Passed ÷ /);
    expect(rows[0][0]).toMatch(/generated 2026-03-03 10:20 UTC by finops@example\.com$/);
    expect(rows.slice(1)).toEqual(Papa.parse<string[]>(toCsv(table), { skipEmptyLines: true }).data);
  });
});
