// The spend trend reads its per-day sums from the rollup kept by triggers on the costs and the
// intervals (spend_days, docs/storage.md "The spend rollup"). On a generated history with costs it
// must equal the spend trend that joins every cost to its interval (testing/spend-trend-reference.ts)
// for every scope and split over several windows, and the rollup must equal one rebuilt from the
// costs and intervals, after every kind of write: runs, a restatement of past days, waivers, undo,
// re-evaluation, and the migration replayed on a store with history.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import type { ClusterCost } from "@/lib/costs/cluster-cost";
import { reevaluateStore } from "@/lib/collector/reevaluate/reevaluate";
import { runCollection } from "@/lib/collector/run-collection";
import { undoLastRun } from "@/lib/collector/undo-run";
import { findProjectRoot } from "@/lib/db/project-root";
import { createWaiver } from "@/lib/db/waivers";
import { recordDemoWaivers } from "@/lib/demo/fill-demo-store";
import { getEnv } from "@/lib/env";
import { revokeWaiver } from "@/lib/findings/finding-actions";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { createDemoEstate, describeDemoDay } from "@/lib/sources/demo";
import { openSource } from "@/lib/sources/open-source";
import type { PostureSource } from "@/lib/sources/source";
import { judgeWithRulesOne } from "@/testing/rules-one";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { getSpendKpisFromCosts, getSpendTrendFromCosts } from "@/testing/spend-trend-reference";
import { startOfUtcDay } from "./get-kpi-trend";
import { getSpendKpis, getSpendTrend, spendRowsSql, type SpendSums } from "./get-spend-kpis";
import type { KpiGroupBy, KpiScope } from "./scope";

const db = setupTestDatabase();
const DAY = 86_400_000;
// 40 days, costs from day 6 (the demo connects Cost Management a sixth in); the first 14 judged by
// rules version 1, so a re-evaluation rewrites their intervals. The last two days are run by the tests.
const estate = createDemoEstate({ clusters: 24, days: 40, seed: 7, endAt: new Date("2026-05-10T06:00:00Z") });
const LAST_DAY = estate.options.days - 1;
const OLD_RULES_DAYS = 14;
const MIGRATION = "20261207183000_spend_days";
const captureOf = (dayIndex: number) => estate.day(dayIndex).capturedAt;
// Fixed, so both sides state the same "now" (the trend's last complete day).
const NOW = new Date(captureOf(LAST_DAY).getTime() + 3 * DAY);

async function demoSource(dayIndex: number, extraCosts: ClusterCost[] = []): Promise<PostureSource> {
  const source = await openSource(describeDemoDay(estate, dayIndex), getEnv());
  if (extraCosts.length === 0) return source;
  return {
    ...source,
    async readCosts(clusters, capturedAt, signal) {
      const reading = await source.readCosts!(clusters, capturedAt, signal);
      return { ...reading, costs: [...reading.costs, ...extraCosts] };
    },
  };
}

async function collectDay(dayIndex: number, extraCosts: ClusterCost[] = []): Promise<void> {
  const judge = dayIndex < OLD_RULES_DAYS ? judgeWithRulesOne : undefined;
  const run = await runCollection(db, { source: await demoSource(dayIndex, extraCosts), capturedAt: captureOf(dayIndex), config: DEFAULT_POSTURE_CONFIG, judge });
  expect(run.status).toBe("completed");
}

beforeAll(async () => {
  for (let dayIndex = 0; dayIndex < LAST_DAY - 1; dayIndex++) await collectDay(dayIndex);
  // The demo's waivers, as `bulkhead demo` records them.
  await recordDemoWaivers(db, estate);
}, 300_000);

type TrendWindow = { firstDay: Date; lastDay: Date };

/** Times the period spend figures are compared at: the test's now, inside the history, and early. */
function periodTimes(): Date[] {
  const middle = captureOf(LAST_DAY - 10);
  return [NOW, middle, startOfUtcDay(new Date(middle.getTime() + DAY)), new Date(captureOf(12).getTime() + 3_600_000)];
}

/** The whole history and more (a year, as /trends asks), a window inside it, and its last week past the last run. */
function windows(): TrendWindow[] {
  const first = startOfUtcDay(captureOf(0));
  const last = startOfUtcDay(captureOf(LAST_DAY));
  return [
    { firstDay: new Date(last.getTime() - 364 * DAY), lastDay: last },
    { firstDay: new Date(first.getTime() + 15 * DAY), lastDay: new Date(last.getTime() - 9 * DAY) },
    { firstDay: new Date(last.getTime() - 6 * DAY), lastDay: new Date(last.getTime() + 2 * DAY) },
  ];
}

/** Every scope and split the trend is asked for, over each window; returns the points compared. */
async function expectSpendTrendsEqualReference(): Promise<number> {
  const top = async (column: "subscription_id" | "owner") =>
    (await db.pool.query<{ value: string }>(`SELECT ${column} AS value FROM spend_days GROUP BY 1 ORDER BY sum(cost_days) DESC, 1 LIMIT 1`)).rows[0].value;
  const subscriptionId = await top("subscription_id");
  const owner = await top("owner");
  const asked: { by: KpiGroupBy; scope: KpiScope }[] = [
    { by: "all", scope: {} },
    { by: "all", scope: { subscriptionId } },
    { by: "all", scope: { owner } },
    { by: "owner", scope: {} },
    { by: "subscription", scope: {} },
    { by: "owner", scope: { subscriptionId } },
  ];
  let points = 0;
  for (const window of windows()) {
    for (const params of asked) {
      const trend = await getSpendTrend(db, { ...window, ...params, now: NOW });
      expect(trend, JSON.stringify({ ...window, ...params })).toEqual(await getSpendTrendFromCosts(db, { ...window, ...params, now: NOW }));
      points += [...trend.values()].reduce((sum, days) => sum + days.size, 0);
    }
  }
  // The period figures (the KPIs' spend, the risk ranking's) at a few times: now, a capture time and
  // the midnight after it, inside the history, a day whose period starts before the first cost.
  for (const asOf of periodTimes()) {
    for (const params of asked) {
      const figures = await getSpendKpis(db, { asOf, ...params });
      expect(figures, JSON.stringify({ asOf, ...params })).toEqual(await getSpendKpisFromCosts(db, { asOf, ...params }));
      points += figures.size;
    }
  }
  return points;
}

const ROLLUP_ROWS = `SELECT day::text, subscription_id, owner, currency, cost_days, total::text, at_risk::text, pass_weighted::text, pass_weight::text
  FROM spend_days ORDER BY day, subscription_id, owner, currency`;
const readRollup = async () => (await db.pool.query<{ day: string; currency: string }>(ROLLUP_ROWS)).rows;

/** The rollup as the triggers kept it, against one rebuilt from the costs and intervals now (rolled back). */
async function expectRollupEqualsRebuild(): Promise<void> {
  const client = await db.pool.connect();
  const read = async () => (await client.query(ROLLUP_ROWS)).rows;
  try {
    await client.query("BEGIN");
    const kept = await read();
    await client.query(`DELETE FROM spend_days`);
    await client.query(`SELECT spend_days_add(spend_days_of_all_costs())`);
    const rebuilt = await read();
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(rebuilt);
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

/** All spend of the history, and the part at risk with and without waivers (the rollup's own sum ignores them). */
async function historyTotals(): Promise<{ total: number; atRisk: number; atRiskUnwaived: number }> {
  const [row] = await db.prisma.$queryRaw<{ total: number; at_risk: number }[]>(
    spendRowsSql({ fromDay: "2000-01-01", toDay: "2100-01-01", asOf: new Date("2100-01-02T00:00:00Z"), by: "all", scope: {}, perDay: false }),
  );
  const { rows } = await db.pool.query<{ at_risk: number }>(`SELECT sum(at_risk)::float8 AS at_risk FROM spend_days`);
  return { total: row.total, atRisk: row.at_risk, atRiskUnwaived: rows[0].at_risk };
}

/** Spend at risk over the 30 days ending `day`, all clusters, from the shipped trend. */
async function atRiskOn(day: Date): Promise<SpendSums | undefined> {
  const trend = await getSpendTrend(db, { firstDay: day, lastDay: day, by: "all", scope: {}, now: NOW });
  return trend.get("all")?.get(day.toISOString().slice(0, 10));
}

describe("the spend trend from the rollup (issue 20)", () => {
  test("equals the spend trend that joins every cost, for a generated history, every scope and split", async () => {
    const { rows } = await db.pool.query<{ costs: number; days: number; currencies: number }>(
      `SELECT (SELECT count(*)::int FROM cluster_costs) AS costs, (SELECT count(*)::int FROM spend_days) AS days,
              (SELECT count(DISTINCT currency)::int FROM spend_days) AS currencies`,
    );
    expect(rows[0].costs).toBeGreaterThan(20 * 24);
    expect(rows[0].days).toBeGreaterThan(30);
    // Spend at risk, and waivers in force on days with costs: the live waiver rows are read.
    const totals = await historyTotals();
    expect(totals.total).toBeGreaterThan(0);
    expect(totals.atRisk).toBeGreaterThan(0);
    expect(totals.atRisk).toBeLessThanOrEqual(totals.atRiskUnwaived);
    const waivedCostDays = await db.pool.query(
      `SELECT 1 FROM waivers w JOIN clusters cl ON cl.id = w.cluster_id JOIN cluster_costs c ON c.cluster_key = cl.key
        WHERE ((c.day + 1)::timestamp AT TIME ZONE 'UTC') BETWEEN w.created_at AND w.expires_at LIMIT 1`,
    );
    expect(waivedCostDays.rowCount).toBe(1);
    expect(await expectSpendTrendsEqualReference()).toBeGreaterThan(0);
    await expectRollupEqualsRebuild();
  });

  test("follows a run that restates past days and states days ahead, the next run closing intervals over them, and the undoing of both", async () => {
    const before = await readRollup();
    const dayOf = (dayIndex: number) => new Date(captureOf(0).getTime() + dayIndex * DAY).toISOString().slice(0, 10);
    const restatedDay = dayOf(LAST_DAY - 9);
    const { rows } = await db.pool.query<{ cluster_key: string; cost: string; currency: string }>(
      `SELECT cluster_key, cost::text, currency FROM cluster_costs WHERE day = $1 ORDER BY cluster_key LIMIT 4`,
      [restatedDay],
    );
    expect(rows).toHaveLength(4);
    const restated: ClusterCost[] = [
      { clusterKey: rows[0].cluster_key, day: restatedDay, cost: Number(rows[0].cost) * 1.5, currency: rows[0].currency },
      { clusterKey: rows[1].cluster_key, day: restatedDay, cost: -12.25, currency: rows[1].currency },
      { clusterKey: rows[2].cluster_key, day: restatedDay, cost: Number(rows[2].cost), currency: "USD" },
      { clusterKey: rows[3].cluster_key, day: restatedDay, cost: Number(rows[3].cost), currency: rows[3].currency },
    ];
    // Costs of the capture day and the two after it (an import may state any day): the next run's
    // closed intervals and the undo's reopened ones then cover days with costs.
    const keys = (await db.pool.query<{ key: string }>(`SELECT key FROM clusters ORDER BY key`)).rows.map((row) => row.key);
    const ahead = [LAST_DAY - 1, LAST_DAY, LAST_DAY + 1].flatMap((dayIndex, n) =>
      keys.map((clusterKey, index): ClusterCost => ({ clusterKey, day: dayOf(dayIndex), cost: 100 + index + n / 4, currency: "EUR" })),
    );
    await collectDay(LAST_DAY - 1, [...restated, ...ahead]);
    const restatedRows = (await readRollup()).filter((row) => row.day === restatedDay);
    expect(restatedRows.filter((row) => row.currency === "USD")).toHaveLength(1);
    expect(restatedRows).not.toEqual(before.filter((row) => row.day === restatedDay));
    await expectSpendTrendsEqualReference();
    await expectRollupEqualsRebuild();

    await collectDay(LAST_DAY);
    const closed = await db.pool.query(
      `SELECT 1 FROM run_undo_journal j JOIN posture_intervals pi ON pi.id = j.ref_id
        WHERE j.kind = 'interval-closed' AND j.run_id = (SELECT max(id) FROM collection_runs) AND pi.valid_to <= $1`,
      [captureOf(LAST_DAY)],
    );
    expect(closed.rowCount).toBeGreaterThan(0);
    await expectSpendTrendsEqualReference();
    await expectRollupEqualsRebuild();

    for (let undo = 0; undo < 2; undo++) {
      expect(await undoLastRun(db, "test")).toBeTruthy();
      await expectSpendTrendsEqualReference();
      await expectRollupEqualsRebuild();
    }
    expect(await readRollup()).toEqual(before);
    await collectDay(LAST_DAY - 1, restated);
    await collectDay(LAST_DAY);
  });

  test("follows waivers of every failure that puts a cluster's spend at risk, and their revocation", async () => {
    const at = captureOf(LAST_DAY - 12);
    // A cluster without waivers, with spend after `at`, whose open risk findings are all waived.
    const { rows } = await db.pool.query<{ id: number }>(
      `WITH target AS (
         SELECT f.cluster_id FROM findings f JOIN clusters cl ON cl.id = f.cluster_id
          WHERE f.control_id = 'NP-01' AND f.opened_at <= $1 AND (f.resolved_at IS NULL OR f.resolved_at > $1)
            AND NOT EXISTS (SELECT 1 FROM waivers w WHERE w.cluster_id = f.cluster_id)
            AND EXISTS (SELECT 1 FROM cluster_costs c WHERE c.cluster_key = cl.key AND c.cost > 0 AND c.day >= ($1 AT TIME ZONE 'UTC')::date)
          ORDER BY f.cluster_id LIMIT 1)
       SELECT f.id FROM findings f JOIN target t ON t.cluster_id = f.cluster_id
        WHERE f.control_id IN ('NP-01', 'NP-02', 'NP-03') AND f.opened_at <= $1 AND (f.resolved_at IS NULL OR f.resolved_at > $1)`,
      [at],
    );
    expect(rows.length).toBeGreaterThan(0);
    const day = startOfUtcDay(captureOf(LAST_DAY - 2));
    const before = (await atRiskOn(day))!;
    for (const { id } of rows) {
      await createWaiver(db, { findingId: id, reason: "a change the spend trend must follow", expiresAt: new Date(at.getTime() + 60 * DAY), actor: "test", at });
    }
    const waived = (await atRiskOn(day))!;
    expect(waived.atRisk).toBeLessThan(before.atRisk);
    expect(waived.passWeighted).toBeGreaterThan(before.passWeighted);
    await expectSpendTrendsEqualReference();
    // Revoked an hour after it was granted (06:00 UTC): in force at no day's end, so nothing was ever waived.
    for (const { id } of rows) await revokeWaiver(db, { id, actor: "test" }, new Date(at.getTime() + 3_600_000));
    expect(await atRiskOn(day)).toEqual(before);
    await expectSpendTrendsEqualReference();
  });

  test("follows the undoing of the last two runs", async () => {
    for (let undo = 0; undo < 2; undo++) {
      expect(await undoLastRun(db, "test")).toBeTruthy();
      await expectSpendTrendsEqualReference();
      await expectRollupEqualsRebuild();
    }
  });

  test("follows a re-evaluation that rewrites the intervals of the days judged by older rules", async () => {
    const before = await readRollup();
    const result = await reevaluateStore(db, { config: DEFAULT_POSTURE_CONFIG, actor: "test" });
    expect(result).toMatchObject({ status: "completed" });
    expect(result.clustersChanged).toBeGreaterThan(0);
    expect(await readRollup()).not.toEqual(before);
    await expectSpendTrendsEqualReference();
    await expectRollupEqualsRebuild();
  });

  test("the migration creates and back-fills the rollup of a store with history, and its triggers follow the next runs", async () => {
    const expected = await readRollup();
    await db.pool.query(`
      DROP TRIGGER spend_days_insert ON posture_intervals; DROP TRIGGER spend_days_update ON posture_intervals;
      DROP TRIGGER spend_days_delete ON posture_intervals; DROP TRIGGER spend_days_truncate ON posture_intervals;
      DROP TRIGGER spend_days_insert ON cluster_costs; DROP TRIGGER spend_days_update ON cluster_costs;
      DROP TRIGGER spend_days_delete ON cluster_costs; DROP TRIGGER spend_days_truncate ON cluster_costs;
      DROP FUNCTION spend_days_intervals_apply(); DROP FUNCTION spend_days_costs_apply(); DROP FUNCTION spend_days_add(text);
      DROP FUNCTION spend_days_of_ranges(text); DROP FUNCTION spend_days_of_all_costs(); DROP FUNCTION spend_days_statements(text);
      DROP TABLE spend_days`);
    await db.pool.query(await readFile(path.join(findProjectRoot(), "prisma", "migrations", MIGRATION, "migration.sql"), "utf8"));
    expect(await readRollup()).toEqual(expected);
    for (const dayIndex of [LAST_DAY - 1, LAST_DAY]) await collectDay(dayIndex);
    expect(await readRollup()).not.toEqual(expected);
    await expectSpendTrendsEqualReference();
    await expectRollupEqualsRebuild();
  });
});
