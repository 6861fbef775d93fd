import "server-only";
import { Prisma } from "@prisma/client";
import type { Database } from "@/lib/db/client";
import { controlColumn, controlStatusOfSql } from "@/lib/db/control-columns";
import { groupKeySql, roundTo1, scopeFilterSql, waiverActiveSql, type KpiGroupBy, type KpiScope } from "./scope";

/**
 * Spend at risk and the spend-weighted audit pass rate (docs/design.md §5, docs/costs.md). Each
 * cluster's cost on a UTC day is judged with the cluster's posture carried forward to the end of that
 * day (§3): at risk when NP-01, NP-02 or NP-03 fails unwaived. A period is SPEND_PERIOD_DAYS days.
 */
export const SPEND_PERIOD_DAYS = 30;
/** The controls whose failure puts a cluster's spend at risk: no engine, no default deny either way. */
export const SPEND_RISK_CONTROLS = ["NP-01", "NP-02", "NP-03"] as const;
/** What a group's currency reads when its clusters are billed in more than one: its sums mean nothing then. */
export const MIXED_CURRENCIES = "mixed";

/** The additive sums behind the spend figures, so groups and days can be merged exactly. */
export interface SpendSums {
  /** ISO 4217 code; MIXED_CURRENCIES when the sums span several; null without cost data. */
  currency: string | null;
  total: number;
  atRisk: number;
  /** Σ cost × pass rate and Σ cost over cluster-days with any passed or failed control. */
  passWeighted: number;
  passWeight: number;
  /** Cluster-days with a cost. */
  costDays: number;
}

/** The spend figures of one group (the `kpis --json` fields); every figure null when no cost was read. */
export interface SpendFigures {
  spendCurrency: string | null;
  /** The period the spend covers: UTC days, inclusive. */
  spendFromDay: string;
  spendToDay: string;
  spendTotal: number | null;
  spendAtRisk: number | null;
  /** Spend at risk ÷ all spend × 100. */
  spendAtRiskShare: number | null;
  spendWeightedPassRate: number | null;
  /** Clusters with a cost in the period. */
  clustersWithCost: number;
}

export const emptySpendSums = (): SpendSums => ({ currency: null, total: 0, atRisk: 0, passWeighted: 0, passWeight: 0, costDays: 0 });

export function mergeCurrency(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null || a === b) return a;
  return MIXED_CURRENCIES;
}

export function addSpendSums(into: SpendSums, from: SpendSums): void {
  into.currency = mergeCurrency(into.currency, from.currency);
  into.total += from.total;
  into.atRisk += from.atRisk;
  into.passWeighted += from.passWeighted;
  into.passWeight += from.passWeight;
  into.costDays += from.costDays;
}

const roundMoney = (value: number) => Math.round(value * 100) / 100;

/** The figures of summed spend: missing (null), never zero, when no cost was read or the currencies differ. */
export function spendFigures(sums: SpendSums, period: { fromDay: string; toDay: string }, clustersWithCost: number): SpendFigures {
  const known = sums.costDays > 0 && sums.currency !== null && sums.currency !== MIXED_CURRENCIES;
  return {
    spendCurrency: sums.costDays > 0 ? sums.currency : null,
    spendFromDay: period.fromDay,
    spendToDay: period.toDay,
    spendTotal: known ? roundMoney(sums.total) : null,
    spendAtRisk: known ? roundMoney(sums.atRisk) : null,
    spendAtRiskShare: known && sums.total > 0 ? roundTo1((sums.atRisk / sums.total) * 100) : null,
    spendWeightedPassRate: known && sums.passWeight > 0 ? roundTo1((sums.passWeighted / sums.passWeight) * 100) : null,
    clustersWithCost,
  };
}

const DAY_MS = 86_400_000;
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The spend period of a KPI at `asOf`: the SPEND_PERIOD_DAYS complete UTC days before it (at midnight,
 * the day that just ended is the last). A day still running has no cost yet (Cost Management reports
 * a day after it), so counting it would show every "now" as a drop.
 */
export function spendPeriod(asOf: Date): { fromDay: string; toDay: string } {
  const last = lastCompleteDayMs(asOf);
  return { fromDay: dayText(last - (SPEND_PERIOD_DAYS - 1) * DAY_MS), toDay: dayText(last) };
}

/** When the spend period of a KPI at `asOf` next moves on a day: the UTC midnight after it (the KPI cache's entries end there). */
export function nextSpendPeriodAt(asOf: Date): number {
  return lastCompleteDayMs(asOf) + 2 * DAY_MS;
}

function lastCompleteDayMs(at: Date): number {
  return Math.floor(at.getTime() / DAY_MS) * DAY_MS - DAY_MS;
}

type SpendRow = { key: string; day: string; currency: string; total: number; at_risk: number; pass_weighted: number; pass_weight: number; cost_days: bigint; clusters: bigint };

/** The end of UTC day `day` (a date column): the time its cost is judged at. */
const endOfDaySql = (day: Prisma.Sql) => Prisma.sql`((${day} + 1)::timestamp AT TIME ZONE 'UTC')`;

/** True when control `control` fails in interval `pi` with no waiver of it in force at `t` (none looked for when `unwaived` holds). */
const unwaivedFailSql = (control: (typeof SPEND_RISK_CONTROLS)[number], t: Prisma.Sql, unwaived: Prisma.Sql = Prisma.sql`FALSE`) =>
  Prisma.sql`(pi.${Prisma.raw(controlColumn(control))} = 'fail' AND (${unwaived} OR NOT EXISTS (
    SELECT 1 FROM waivers w WHERE w.cluster_id = pi.cluster_id AND w.control_id = ${control} AND ${waiverActiveSql(t)})))`;

/** The failed controls of interval `pi` that a waiver in force at `t` takes out of the counts. */
const waivedFailuresSql = (t: Prisma.Sql) =>
  Prisma.sql`(SELECT count(DISTINCT w.control_id) FROM waivers w
     WHERE w.cluster_id = pi.cluster_id AND ${waiverActiveSql(t)} AND ${Prisma.raw(controlStatusOfSql("w.control_id", "pi"))} = 'fail')`;

/** A cost's Σ cost × pass rate term: numeric, so every statement that sums the same terms gets the same exact sum. */
const passWeightedTermSql = (cost: string, passed: string, failed: string) =>
  Prisma.raw(`CASE WHEN ${passed} + ${failed} > 0 THEN ${cost} * ${passed} / (${passed} + ${failed}) ELSE 0 END`);
const passWeightTermSql = (cost: string, passed: string, failed: string) => Prisma.raw(`CASE WHEN ${passed} + ${failed} > 0 THEN ${cost} ELSE 0 END`);

/**
 * Each cost of a day in [fromDay, toDay] beside the posture its cluster had at the end of that day
 * (or at `asOf`, if earlier), grouped by `by` and `perDay`. The latest run's statement of a day wins.
 * Nothing shipped reads it any more: per day it is what the spend trend sent before the rollup, per
 * period what the spend KPIs sent (2.5 s at 10,000 clusters × 30 days of costs), and both are the
 * references the rollup's answers must equal (testing/spend-trend-reference.ts,
 * lib/kpi/spend-rollup.test.ts).
 *
 * Costs meet intervals by range (a cluster's intervals never overlap: the interval that holds t is the
 * one that starts at or before t and has not ended), so Postgres hashes the few intervals and clusters
 * and streams the costs past them. Probing each cluster's interval index once per cost, as this did
 * before, took 7-20 s for a 365-day trend at 2,000 clusters (542,446 costs) with a hash built per
 * probe. The distinct cluster count is made only where it is read (the period figure, not the trend).
 * Sums are numeric (exact) and sent as float8.
 */
export function spendRowsSql(params: { fromDay: string; toDay: string; asOf: Date; by: KpiGroupBy; scope: KpiScope; perDay: boolean }): Prisma.Sql {
  const t = Prisma.sql`LEAST(${endOfDaySql(Prisma.sql`c.day`)}, ${params.asOf}::timestamptz)`;
  // Waivers are few: a cluster without any is never probed for them.
  const atRisk = Prisma.join(SPEND_RISK_CONTROLS.map((control) => unwaivedFailSql(control, t, Prisma.sql`wc.cluster_id IS NULL`)), " OR ");
  const dayColumn = params.perDay ? Prisma.sql`to_char(day, 'YYYY-MM-DD')` : Prisma.sql`''::text`;
  const groupDay = params.perDay ? Prisma.sql`, day` : Prisma.empty;
  const clusters = params.perDay ? Prisma.sql`0::bigint` : Prisma.sql`count(DISTINCT cluster_id)`;
  return Prisma.sql`
    WITH wc AS MATERIALIZED (SELECT DISTINCT cluster_id FROM waivers),
    c AS (
      SELECT cc.cluster_key, cc.day, cc.cost, cc.currency
        FROM cluster_costs cc
       WHERE cc.day BETWEEN ${params.fromDay}::date AND ${params.toDay}::date
         AND NOT EXISTS (SELECT 1 FROM cluster_costs later WHERE later.cluster_key = cc.cluster_key AND later.day = cc.day AND later.run_id > cc.run_id)
    ),
    j AS (
      SELECT ${groupKeySql(params.by, "pi")} AS key, c.day, c.currency, c.cost, pi.cluster_id,
             (${atRisk}) AS at_risk,
             pi.controls_passed AS passed,
             pi.controls_failed - CASE WHEN wc.cluster_id IS NULL THEN 0 ELSE ${waivedFailuresSql(t)} END AS failed
        FROM c
        JOIN clusters cl ON cl.key = c.cluster_key
        JOIN posture_intervals pi ON pi.cluster_id = cl.id AND pi.valid_from <= ${t} AND (pi.valid_to IS NULL OR pi.valid_to > ${t})
        LEFT JOIN wc ON wc.cluster_id = cl.id
       WHERE ${scopeFilterSql(params.scope, "pi")}
    )
    SELECT key, ${dayColumn} AS day, currency,
           sum(cost)::float8 AS total,
           COALESCE(sum(cost) FILTER (WHERE at_risk), 0)::float8 AS at_risk,
           sum(${passWeightedTermSql("cost", "passed", "failed")})::float8 AS pass_weighted,
           sum(${passWeightTermSql("cost", "passed", "failed")})::float8 AS pass_weight,
           count(*) AS cost_days,
           ${clusters} AS clusters
      FROM j
     GROUP BY key${groupDay}, currency
     ORDER BY 1, 2, 3`;
}

/** The days, grouping and scope of a spend trend's per-day rows. */
export interface SpendTrendWindow {
  /** First and last UTC day of costs, YYYY-MM-DD, inclusive. */
  fromDay: string;
  toDay: string;
  by: KpiGroupBy;
  scope: KpiScope;
}

/** The statement behind a spend trend's per-day rows; testing/spend-trend-reference.ts swaps in the one that joins every cost. */
export type SpendTrendQuery = (window: SpendTrendWindow) => Prisma.Sql;

/**
 * Per group, day and currency, the spend sums from the rollup (spend_days, docs/storage.md "The spend
 * rollup"): each day's costs summed per subscription × owner × currency by triggers on the costs and
 * the intervals, as if nothing were waived. Waivers are read live, as in the cluster trend: the costs
 * of the days a cluster had a waiver in force (few) are joined to their intervals again and the rows
 * add what the waiver changes — spend no longer at risk, failures out of the pass rate.
 */
export const rollupSpendTrendSql: SpendTrendQuery = (window) => rollupSpendSql({ ...window, perDay: true });

/**
 * The rollup's spend sums with the waivers' corrections (above), per group, currency and, with
 * `perDay`, day; without it the days are summed in SQL, exactly (numeric), as one statement over the
 * costs would.
 */
function rollupSpendSql({ fromDay, toDay, by, scope, perDay }: SpendTrendWindow & { perDay: boolean }): Prisma.Sql {
  const t = endOfDaySql(Prisma.sql`c.day`);
  const rawAtRisk = Prisma.raw(SPEND_RISK_CONTROLS.map((control) => `pi.${controlColumn(control)} = 'fail'`).join(" OR "));
  const atRisk = Prisma.join(SPEND_RISK_CONTROLS.map((control) => unwaivedFailSql(control, t)), " OR ");
  // Per day, each row of the rollup with its day's corrections; per period, their sums (exact, numeric).
  const summed = (expression: string) => Prisma.raw(perDay ? `(${expression})` : `sum(${expression})`);
  const select = Prisma.sql`SELECT r.key, ${perDay ? Prisma.sql`to_char(r.day, 'YYYY-MM-DD')` : Prisma.sql`''::text`} AS day, r.currency, ${summed("r.total")}::float8 AS total,
           ${summed("r.at_risk + COALESCE(w.at_risk, 0)")}::float8 AS at_risk, ${summed("r.pass_weighted + COALESCE(w.pass_weighted, 0)")}::float8 AS pass_weighted,
           ${summed("r.pass_weight + COALESCE(w.pass_weight, 0)")}::float8 AS pass_weight, ${summed("r.cost_days")}::bigint AS cost_days, 0::bigint AS clusters`;
  return Prisma.sql`
    WITH waived_days AS (
      -- Every day whose end may fall in a waiver (a superset: the terms below check each exactly).
      SELECT DISTINCT w.cluster_id, g.day::date AS day
        FROM waivers w
        CROSS JOIN LATERAL generate_series(GREATEST(${fromDay}::date, (w.created_at AT TIME ZONE 'UTC')::date - 1)::timestamp,
                                           LEAST(${toDay}::date, (LEAST(w.expires_at, w.revoked_at) AT TIME ZONE 'UTC')::date)::timestamp, interval '1 day') AS g(day)
    ),
    -- Driven from those days by index (a cluster's latest statement of the day, the interval holding
    -- its end): a hash over every cost and interval would cost more than all the rollup's rows.
    waived AS (
      SELECT ${groupKeySql(by, "pi")} AS key, c.day, c.currency, c.cost, (${rawAtRisk}) AS raw_at_risk, (${atRisk}) AS at_risk,
             pi.controls_passed AS passed, pi.controls_failed AS raw_failed, pi.controls_failed - ${waivedFailuresSql(t)} AS failed
        FROM waived_days wd
        CROSS JOIN LATERAL (
          SELECT cc.day, cc.currency, cc.cost FROM cluster_costs cc
           WHERE cc.cluster_key = (SELECT cl.key FROM clusters cl WHERE cl.id = wd.cluster_id) AND cc.day = wd.day
           ORDER BY cc.run_id DESC LIMIT 1) c
        CROSS JOIN LATERAL (
          SELECT * FROM posture_intervals i
           WHERE i.cluster_id = wd.cluster_id AND i.valid_from <= ${endOfDaySql(Prisma.sql`wd.day`)}
             AND (i.valid_to IS NULL OR i.valid_to > ${endOfDaySql(Prisma.sql`wd.day`)})) pi
       WHERE ${scopeFilterSql(scope, "pi")}
    ),
    corrections AS (
      SELECT key, day, currency,
             sum(CASE WHEN at_risk THEN cost ELSE 0 END - CASE WHEN raw_at_risk THEN cost ELSE 0 END) AS at_risk,
             sum(${passWeightedTermSql("cost", "passed", "failed")} - ${passWeightedTermSql("cost", "passed", "raw_failed")}) AS pass_weighted,
             sum(${passWeightTermSql("cost", "passed", "failed")} - ${passWeightTermSql("cost", "passed", "raw_failed")}) AS pass_weight
        FROM waived GROUP BY key, day, currency
    ),
    -- Aggregated before the corrections meet them: a hash over the rollup's rows, not a sort.
    rolled AS (
      SELECT ${groupKeySql(by, "s")} AS key, s.day, s.currency, sum(s.cost_days) AS cost_days, sum(s.total) AS total, sum(s.at_risk) AS at_risk,
             sum(s.pass_weighted) AS pass_weighted, sum(s.pass_weight) AS pass_weight
        FROM spend_days s
       WHERE s.day BETWEEN ${fromDay}::date AND ${toDay}::date AND ${scopeFilterSql(scope, "s")}
       GROUP BY 1, 2, 3
    )
    -- Every correction's cost is in the rollup under the same group, day and currency.
    ${select}
      FROM rolled r
      LEFT JOIN corrections w ON w.key = r.key AND w.day = r.day AND w.currency = r.currency
     ${perDay ? Prisma.empty : Prisma.sql`GROUP BY r.key, r.currency`}
     ORDER BY 1, 2, 3`;
}

const toSums = (row: SpendRow): SpendSums => ({
  currency: row.currency,
  total: Number(row.total),
  atRisk: Number(row.at_risk),
  passWeighted: Number(row.pass_weighted),
  passWeight: Number(row.pass_weight),
  costDays: Number(row.cost_days),
});

/**
 * Per group, the clusters with a cost in [fromDay, toDay] whose posture at the end of that cost's day
 * puts them in the group and scope (what the spend figures' `clustersWithCost` counts). Distinct
 * clusters do not add up across days, so this reads the costs themselves, but only to ask, for each
 * interval of the period (about one per cluster), whether one cost falls in it: a probe of the costs'
 * (cluster_key, day) index that stops at the first. Joining all of the period's costs to their
 * intervals instead hashed 240,000 rows by their 150-character keys (0.6 s at 10,000 clusters).
 */
export function clustersWithCostSql({ fromDay, toDay, by, scope }: SpendTrendWindow): Prisma.Sql {
  const t = endOfDaySql(Prisma.sql`cc.day`);
  return Prisma.sql`
    SELECT ${groupKeySql(by, "pi")} AS key, count(DISTINCT pi.cluster_id) AS clusters
      FROM posture_intervals pi
      JOIN clusters cl ON cl.id = pi.cluster_id
      CROSS JOIN LATERAL (
        SELECT 1 FROM cluster_costs cc
         WHERE cc.cluster_key = cl.key AND cc.day BETWEEN ${fromDay}::date AND ${toDay}::date
           -- The interval's days, loosely (the index range): the exact test follows.
           AND cc.day >= (pi.valid_from AT TIME ZONE 'UTC')::date - 1 AND (pi.valid_to IS NULL OR cc.day < (pi.valid_to AT TIME ZONE 'UTC')::date)
           AND pi.valid_from <= ${t} AND (pi.valid_to IS NULL OR pi.valid_to > ${t})
         LIMIT 1) costed
     WHERE pi.valid_from <= ${endOfDaySql(Prisma.sql`${toDay}::date`)}
       AND (pi.valid_to IS NULL OR pi.valid_to > ${endOfDaySql(Prisma.sql`${fromDay}::date`)})
       AND ${scopeFilterSql(scope, "pi")}
     GROUP BY 1`;
}

/**
 * The spend figures per group at `asOf`, over the spend period ending then: the sums from the rollup
 * (as the trend reads them, summed over the period's days), the cluster count from the costs. The
 * period's last day ends at or before `asOf`, so each cost is judged at the end of its day, as the
 * rollup judges it. The statement that joins every cost (spendRowsSql) is what these must equal
 * (lib/kpi/spend-rollup.test.ts).
 */
export async function getSpendKpis(db: Database, params: { asOf: Date; by: KpiGroupBy; scope: KpiScope }): Promise<Map<string, SpendFigures>> {
  const period = spendPeriod(params.asOf);
  const window = { ...period, by: params.by, scope: params.scope };
  const [rows, counts] = await Promise.all([
    db.prisma.$queryRaw<SpendRow[]>(rollupSpendSql({ ...window, perDay: false })),
    db.prisma.$queryRaw<{ key: string; clusters: bigint }[]>(clustersWithCostSql(window)),
  ]);
  const clustersByKey = new Map(counts.map((row) => [row.key, Number(row.clusters)]));
  const sumsByKey = new Map<string, SpendSums>();
  for (const row of rows) {
    let sums = sumsByKey.get(row.key);
    if (!sums) sumsByKey.set(row.key, (sums = emptySpendSums()));
    addSpendSums(sums, toSums(row));
  }
  return new Map([...sumsByKey].map(([key, sums]) => [key, spendFigures(sums, period, clustersByKey.get(key) ?? 0)]));
}

/** No cost read for a group: every figure missing, the period still stated. */
export function missingSpend(asOf: Date): SpendFigures {
  return spendFigures(emptySpendSums(), spendPeriod(asOf), 0);
}

/**
 * The spend sums of each group and day in [firstDay, lastDay] over the SPEND_PERIOD_DAYS days ending
 * that day (a trailing window, as each point of a trend states its own period). Days without any
 * cost in their window have no entry.
 */
export async function getSpendTrend(
  db: Database,
  params: { firstDay: Date; lastDay: Date; by: KpiGroupBy; scope: KpiScope; now?: Date },
  spendTrendSql: SpendTrendQuery = rollupSpendTrendSql,
): Promise<Map<string, Map<string, SpendSums>>> {
  // A day that has not ended yet states the KPI now: its window ends with the last complete day.
  const lastComplete = lastCompleteDayMs(params.now ?? new Date());
  const windowStart = params.firstDay.getTime() - (SPEND_PERIOD_DAYS - 1) * DAY_MS;
  const rows = await db.prisma.$queryRaw<SpendRow[]>(
    spendTrendSql({ fromDay: dayText(windowStart), toDay: dayText(params.lastDay.getTime()), by: params.by, scope: params.scope }),
  );
  // Each group's days as an array from the window's first day: the trailing sums below read 30 of
  // them per point (a year by owner is 100,000+ reads, too many to format a day's text for each).
  const dayNumber = (ms: number) => Math.floor(ms / DAY_MS);
  const firstIndex = dayNumber(windowStart);
  const daily = new Map<string, (SpendSums | undefined)[]>();
  for (const row of rows) {
    let days = daily.get(row.key);
    if (!days) daily.set(row.key, (days = []));
    const index = dayNumber(Date.parse(`${row.day}T00:00:00Z`)) - firstIndex;
    const sums = days[index] ?? emptySpendSums();
    addSpendSums(sums, toSums(row));
    days[index] = sums;
  }
  const result = new Map<string, Map<string, SpendSums>>();
  for (const [key, days] of daily) {
    const trailing = new Map<string, SpendSums>();
    for (let ms = params.firstDay.getTime(); ms <= params.lastDay.getTime(); ms += DAY_MS) {
      const sums = emptySpendSums();
      const windowEnd = dayNumber(Math.min(ms, lastComplete)) - firstIndex;
      for (let back = 0; back < SPEND_PERIOD_DAYS && windowEnd - back >= 0; back++) {
        const found = days[windowEnd - back];
        if (found) addSpendSums(sums, found);
      }
      if (sums.costDays > 0) trailing.set(dayText(ms), sums);
    }
    result.set(key, trailing);
  }
  return result;
}
