// The KPI trend reads its cluster figures from the rollup kept by triggers on posture_intervals
// (trend_interval_days, docs/storage.md "The trend rollup"). On a generated history it must equal the
// trend derived from the intervals themselves (testing/kpi-trend-reference.ts) for every scope and
// split, and the rollup must equal one rebuilt from the intervals, after every kind of write: runs,
// undo, waivers, re-evaluation.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
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
import { getKpiTrendFromIntervals } from "@/testing/kpi-trend-reference";
import { makeCluster, scriptedSource, SUB_B } from "@/testing/estate-builders";
import { judgeWithRulesOne } from "@/testing/rules-one";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { getKpiTrend, type KpiTrendParams } from "./get-kpi-trend";

const db = setupTestDatabase();
const DAY = 86_400_000;
// 30 days; the first 12 judged by rules version 1, so a re-evaluation rewrites their intervals.
const estate = createDemoEstate({ clusters: 24, days: 30, seed: 11, endAt: new Date("2026-04-30T06:00:00Z") });
const OLD_RULES_DAYS = 12;
const MIGRATION = "20261207150000_trend_interval_days";
const captureOf = (dayIndex: number) => estate.day(dayIndex).capturedAt;

beforeAll(async () => {
  for (let dayIndex = 0; dayIndex < estate.options.days; dayIndex++) {
    const source = await openSource(describeDemoDay(estate, dayIndex), getEnv());
    const judge = dayIndex < OLD_RULES_DAYS ? judgeWithRulesOne : undefined;
    const run = await runCollection(db, { source, capturedAt: captureOf(dayIndex), config: DEFAULT_POSTURE_CONFIG, judge });
    expect(run.status).toBe("completed");
  }
  // The demo's waivers, as `bulkhead demo` records them.
  await recordDemoWaivers(db, estate);
}, 300_000);

type TrendWindow = Pick<KpiTrendParams, "fromDay" | "toDay">;

/** The whole history, a window inside it (earlier days folded in) and its last week. */
function demoWindows(): TrendWindow[] {
  const first = captureOf(0);
  const last = captureOf(estate.options.days - 1);
  return [
    { fromDay: new Date(first.getTime() - 3 * DAY), toDay: last },
    { fromDay: new Date(first.getTime() + 9 * DAY), toDay: new Date(last.getTime() - 4 * DAY) },
    { fromDay: new Date(last.getTime() - 6 * DAY), toDay: new Date(last.getTime() + 2 * DAY) },
  ];
}

/** Every scope and split the trend is asked for, over each window. */
async function expectTrendsEqualReference(windows: TrendWindow[] = demoWindows()): Promise<number> {
  const { rows } = await db.pool.query<{ subscription_id: string; owner: string }>(
    `SELECT subscription_id, owner FROM posture_intervals GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1`,
  );
  const { subscription_id: subscriptionId, owner } = rows[0];
  const asked: Omit<KpiTrendParams, "fromDay" | "toDay">[] = [
    { by: "all" },
    { scope: { subscriptionId } },
    { scope: { owner } },
    { by: "owner" },
    { by: "subscription" },
    { by: "owner", scope: { subscriptionId } },
  ];
  let points = 0;
  for (const window of windows) {
    for (const params of asked) {
      const trend = await getKpiTrend(db, { ...window, ...params });
      expect(trend, JSON.stringify(params)).toEqual(await getKpiTrendFromIntervals(db, { ...window, ...params }));
      points += trend.length;
    }
  }
  return points;
}

/** The rollup as the triggers kept it, against one rebuilt from the intervals now (rolled back). */
async function expectRollupEqualsRebuild(): Promise<void> {
  const client = await db.pool.connect();
  const read = async () => (await client.query(`SELECT * FROM trend_interval_days ORDER BY day, subscription_id, owner`)).rows;
  try {
    await client.query("BEGIN");
    const kept = await read();
    await client.query(`DELETE FROM trend_interval_days`);
    await client.query(`SELECT trend_interval_days_add('SELECT 1 AS sign, * FROM posture_intervals')`);
    const rebuilt = await read();
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(rebuilt);
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

/** Failed controls on the last day, all clusters: what waivers move. */
const failedOnLastDay = async () => (await getKpiTrend(db, { fromDay: captureOf(0), toDay: captureOf(estate.options.days - 1) })).at(-1)!.controlsFailed;

describe("the KPI trend from the rollup (issue 20)", () => {
  test("equals the trend derived from the intervals for a generated history, every scope and split", async () => {
    const { rows } = await db.pool.query<{ waivers: number; days: number }>(
      `SELECT (SELECT count(*)::int FROM waivers) AS waivers, (SELECT count(*)::int FROM trend_interval_days) AS days`,
    );
    expect(rows[0].waivers).toBeGreaterThan(0);
    expect(rows[0].days).toBeGreaterThan(estate.options.days);
    expect(await expectTrendsEqualReference()).toBeGreaterThan(0);
    await expectRollupEqualsRebuild();
  });

  test("follows a waiver and its revocation", async () => {
    const at = captureOf(20);
    const { rows } = await db.pool.query<{ id: number }>(
      `SELECT f.id FROM findings f WHERE f.control_id <> 'NP-01' AND f.opened_at <= $1 AND (f.resolved_at IS NULL OR f.resolved_at > $1)
          AND NOT EXISTS (SELECT 1 FROM waivers w WHERE w.finding_id = f.id) ORDER BY f.id LIMIT 1`,
      [at],
    );
    const before = await failedOnLastDay();
    await createWaiver(db, { findingId: rows[0].id, reason: "a change the trend must follow", expiresAt: new Date(at.getTime() + 60 * DAY), actor: "test", at });
    expect(await failedOnLastDay()).toBeLessThan(before);
    await expectTrendsEqualReference();
    await revokeWaiver(db, { id: rows[0].id, actor: "test" }, new Date(at.getTime() + 5 * DAY));
    expect(await failedOnLastDay()).toBe(before);
    await expectTrendsEqualReference();
  });

  test("follows the undoing of the last two runs", async () => {
    for (let undo = 0; undo < 2; undo++) {
      const result = await undoLastRun(db, "test");
      expect(result).toBeTruthy();
      await expectTrendsEqualReference();
      await expectRollupEqualsRebuild();
    }
  });

  test("follows a re-evaluation that rewrites the intervals of the days judged by older rules", async () => {
    const before = (await db.pool.query(`SELECT * FROM trend_interval_days ORDER BY day, subscription_id, owner`)).rows;
    const result = await reevaluateStore(db, { config: DEFAULT_POSTURE_CONFIG, actor: "test" });
    expect(result).toMatchObject({ status: "completed" });
    expect(result.clustersChanged).toBeGreaterThan(0);
    expect((await db.pool.query(`SELECT * FROM trend_interval_days ORDER BY day, subscription_id, owner`)).rows).not.toEqual(before);
    await expectTrendsEqualReference();
    await expectRollupEqualsRebuild();
  });

  test("leaves out a group whose clusters were all gone before the window, keeps it in windows it was in", async () => {
    const last = captureOf(estate.options.days - 1);
    const dayAfter = (days: number) => new Date(last.getTime() + days * DAY);
    const shortLived = makeCluster({ name: "short-lived", owner: "short-lived-team", subscription: SUB_B });
    for (const [days, clusters] of [[1, [shortLived]], [2, [shortLived]], [3, []]] as const) {
      const run = await runCollection(db, { source: scriptedSource({ [SUB_B]: [...clusters] }), capturedAt: dayAfter(days), config: DEFAULT_POSTURE_CONFIG });
      expect(run.status).toBe("completed");
    }
    const owners = async (window: TrendWindow) => new Set((await getKpiTrend(db, { ...window, by: "owner" })).map((point) => point.key));
    const during = { fromDay: dayAfter(1), toDay: dayAfter(2) };
    const after = { fromDay: dayAfter(4), toDay: dayAfter(6) };
    expect(await owners(during)).toContain("short-lived-team");
    expect(await owners(after)).not.toContain("short-lived-team");
    await expectTrendsEqualReference([during, after, { fromDay: dayAfter(3), toDay: dayAfter(5) }, { fromDay: captureOf(0), toDay: dayAfter(6) }]);
    await expectRollupEqualsRebuild();
  });

  test("the migration creates and back-fills the rollup of a store with history", async () => {
    const expected = (await db.pool.query(`SELECT * FROM trend_interval_days ORDER BY day, subscription_id, owner`)).rows;
    await db.pool.query(`
      DROP TRIGGER trend_interval_days_insert ON posture_intervals; DROP TRIGGER trend_interval_days_update ON posture_intervals;
      DROP TRIGGER trend_interval_days_delete ON posture_intervals; DROP TRIGGER trend_interval_days_truncate ON posture_intervals;
      DROP FUNCTION trend_interval_days_apply(); DROP FUNCTION trend_interval_days_add(text); DROP FUNCTION trend_interval_days_statements(text);
      DROP TABLE trend_interval_days`);
    await db.pool.query(await readFile(path.join(findProjectRoot(), "prisma", "migrations", MIGRATION, "migration.sql"), "utf8"));
    expect((await db.pool.query(`SELECT * FROM trend_interval_days ORDER BY day, subscription_id, owner`)).rows).toEqual(expected);
    // And its triggers follow the next run.
    const run = await runCollection(db, { source: scriptedSource({ [SUB_B]: [makeCluster({ name: "after-migration", owner: "late-team", subscription: SUB_B })] }), capturedAt: new Date(captureOf(estate.options.days - 1).getTime() + 8 * DAY), config: DEFAULT_POSTURE_CONFIG });
    expect(run.status).toBe("completed");
    await expectTrendsEqualReference([{ fromDay: captureOf(0), toDay: new Date(captureOf(estate.options.days - 1).getTime() + 9 * DAY) }]);
    await expectRollupEqualsRebuild();
  });
});
