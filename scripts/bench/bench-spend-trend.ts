// The spend trend before and after its rollup (issue 20, docs/storage.md "The spend rollup"), on a
// store that `npm run bench` built: the 365-day spend statement from spend_days (shipped) against
// the one that joins every cost to its interval (testing/spend-trend-reference.ts), interleaved, for
// all clusters, one subscription, one owner and by owner, after checking both give the same trend;
// the same for the spend KPIs of the 30-day period (the Overview's, the board report's, the ranking's);
// the whole uncached trend series by owner (what /trends?range=365&by=owner computes); the rollup's
// back-fill; and what its triggers add to a run's cost and interval statements, replayed for the
// store's last run in rolled-back transactions with the triggers on and off, alternated.
//
//   node --import ./bin/register.mjs scripts/bench/bench-spend-trend.ts --data-dir .bulkhead-bench-2k [--samples 20]
import { isDeepStrictEqual } from "node:util";
import { loadavg } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type pg from "pg";
import { getTrendSeries } from "@/lib/data/get-trend-series";
import { openDatabase } from "@/lib/db/client";
import { getSpendKpis, getSpendTrend } from "@/lib/kpi/get-spend-kpis";
import type { KpiGroupBy, KpiScope } from "@/lib/kpi/scope";
import { getSpendKpisFromCosts, getSpendTrendFromCosts } from "@/testing/spend-trend-reference";

const { values: args } = parseArgs({ options: { "data-dir": { type: "string", default: ".bulkhead-bench" }, samples: { type: "string", default: "20" } } });
const samples = Number(args.samples);
if (!Number.isInteger(samples) || samples < 1) throw new Error("--samples must be a whole number");
process.env.BULKHEAD_DATA_DIR = path.resolve(args["data-dir"]);
delete process.env.DATABASE_URL;

const log = (line: string) => process.stderr.write(`bench-spend-trend: ${line}\n`);
const emit = (figure: object) => process.stdout.write(`${JSON.stringify(figure)}\n`);
const load = () => loadavg()[0].toFixed(1);
const round = (value: number) => Math.round(value * 10) / 10;
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const started = performance.now();
// Opening applies this version's migrations (the rollup's back-fill, on a store without it).
const db = await openDatabase();
log(`opened (migrations applied) in ${((performance.now() - started) / 1000).toFixed(1)} s, load ${load()}`);

/** `work` in a transaction that is rolled back, on one client. */
async function rolledBack<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    return await work(client);
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

try {
  const { rows: sizes } = await db.pool.query<{ costs: string; intervals: string; rollup: string; waivers: string }>(
    `SELECT (SELECT count(*) FROM cluster_costs) AS costs, (SELECT count(*) FROM posture_intervals) AS intervals,
            (SELECT count(*) FROM spend_days) AS rollup, (SELECT count(*) FROM waivers) AS waivers`,
  );
  log(`store: ${sizes[0].costs} cost rows, ${sizes[0].intervals} posture intervals, ${sizes[0].waivers} waivers; spend_days ${sizes[0].rollup} rows`);

  // The back-fill the migration runs, replayed.
  for (let rep = 0; rep < 3; rep++) {
    const ms = await rolledBack(async (client) => {
      await client.query(`DELETE FROM spend_days`);
      return timed(() => client.query(`SELECT spend_days_add(spend_days_of_all_costs())`));
    });
    emit({ name: "spend_days back-fill (every latest cost beside its interval)", value: round(ms), unit: "ms", load: load() });
  }

  const { rows: lastRuns } = await db.pool.query<{ id: number; captured_at: Date }>(
    `SELECT id, captured_at FROM collection_runs WHERE status = 'completed' ORDER BY captured_at DESC LIMIT 1`,
  );
  const lastRun = lastRuns[0];
  const lastDay = new Date(Date.UTC(lastRun.captured_at.getUTCFullYear(), lastRun.captured_at.getUTCMonth(), lastRun.captured_at.getUTCDate()));
  const firstDay = new Date(lastDay.getTime() - 364 * 86_400_000);

  // The triggers' work at a run: the last run's cost statement and its interval statements replayed
  // with the spend_days triggers on and off (the other triggers stay on), alternated.
  const replay = (spendTriggers: boolean) =>
    rolledBack(async (client) => {
      await client.query(`ALTER TABLE cluster_costs DISABLE TRIGGER spend_days_insert; ALTER TABLE cluster_costs DISABLE TRIGGER spend_days_delete;
        ALTER TABLE posture_intervals DISABLE TRIGGER spend_days_insert; ALTER TABLE posture_intervals DISABLE TRIGGER spend_days_update;
        ALTER TABLE posture_intervals DISABLE TRIGGER spend_days_delete`);
      await client.query(`CREATE TEMP TABLE replay_costs ON COMMIT DROP AS SELECT * FROM cluster_costs WHERE run_id = $1`, [lastRun.id]);
      await client.query(`CREATE TEMP TABLE replay_opened ON COMMIT DROP AS SELECT * FROM posture_intervals WHERE snapshot_id IN (SELECT id FROM snapshots WHERE run_id = $1)`, [lastRun.id]);
      await client.query(`CREATE TEMP TABLE replay_closed ON COMMIT DROP AS SELECT ref_id AS id FROM run_undo_journal WHERE run_id = $1 AND kind = 'interval-closed'`, [lastRun.id]);
      // The store as it was before the run's writes (the rollup is not needed to be right for timing).
      await client.query(`DELETE FROM cluster_costs WHERE run_id = $1`, [lastRun.id]);
      await client.query(`DELETE FROM posture_intervals WHERE id IN (SELECT id FROM replay_opened)`);
      await client.query(`UPDATE posture_intervals SET valid_to = NULL WHERE id IN (SELECT id FROM replay_closed)`);
      if (spendTriggers) {
        await client.query(`ALTER TABLE cluster_costs ENABLE TRIGGER spend_days_insert; ALTER TABLE posture_intervals ENABLE TRIGGER spend_days_insert;
          ALTER TABLE posture_intervals ENABLE TRIGGER spend_days_update`);
      }
      const intervals = await timed(async () => {
        await client.query(`UPDATE posture_intervals SET valid_to = $1 WHERE id IN (SELECT id FROM replay_closed)`, [lastRun.captured_at]);
        await client.query(`INSERT INTO posture_intervals SELECT * FROM replay_opened`);
      });
      const costs = await timed(() => client.query(`INSERT INTO cluster_costs SELECT * FROM replay_costs`));
      const counts = await client.query<{ costs: string; opened: string; closed: string }>(
        `SELECT (SELECT count(*) FROM replay_costs) AS costs, (SELECT count(*) FROM replay_opened) AS opened, (SELECT count(*) FROM replay_closed) AS closed`,
      );
      return { intervals, costs, counts: counts.rows[0] };
    });
  const replays: Record<"on" | "off", { intervals: number[]; costs: number[] }> = { on: { intervals: [], costs: [] }, off: { intervals: [], costs: [] } };
  let counts: { costs: string; opened: string; closed: string } | undefined;
  for (let rep = 0; rep < 1 + 10; rep++) {
    for (const side of ["off", "on"] as const) {
      const result = await replay(side === "on");
      counts = result.counts;
      // The first pair warms the cache.
      if (rep === 0) continue;
      replays[side].intervals.push(result.intervals);
      replays[side].costs.push(result.costs);
    }
  }
  log(`last run ${lastRun.id}: ${counts?.costs} cost rows, ${counts?.closed} intervals closed, ${counts?.opened} opened`);
  for (const part of ["costs", "intervals"] as const) {
    for (const side of ["off", "on"] as const) {
      emit({ name: `last run's ${part} statement(s) replayed, spend_days triggers ${side}, p50 / max of 10`, value: round(percentile(replays[side][part], 50)), max: round(Math.max(...replays[side][part])), unit: "ms", load: load() });
    }
  }

  const [subscription] = (await db.pool.query<{ id: string }>(`SELECT subscription_id AS id FROM spend_days GROUP BY 1 ORDER BY sum(cost_days) DESC LIMIT 1`)).rows;
  const [owner] = (await db.pool.query<{ owner: string }>(`SELECT owner FROM spend_days GROUP BY 1 ORDER BY sum(cost_days) DESC LIMIT 1`)).rows;
  const asked: { name: string; by: KpiGroupBy; scope: KpiScope }[] = [
    { name: "all clusters", by: "all", scope: {} },
    { name: "one subscription", by: "all", scope: { subscriptionId: subscription.id } },
    { name: "one owner", by: "all", scope: { owner: owner.owner } },
    { name: "by owner", by: "owner", scope: {} },
  ];
  const now = new Date(lastDay.getTime() + 86_400_000);
  /** `shipped` (from spend_days) and `before` (joining every cost) interleaved after one warm-up each that checks they agree. */
  const compare = async (name: string, shipped: () => Promise<unknown>, before: () => Promise<unknown>) => {
    const same = isDeepStrictEqual(await shipped(), await before());
    const loadBefore = load();
    const times: Record<"rollup" | "costs", number[]> = { rollup: [], costs: [] };
    for (let i = 0; i < samples; i++) {
      times.costs.push(await timed(before));
      times.rollup.push(await timed(shipped));
    }
    for (const side of ["costs", "rollup"] as const) {
      emit({ name: `${name}, ${side === "rollup" ? "from spend_days (after)" : "joining every cost (before)"}`, p50: round(percentile(times[side], 50)), p95: round(percentile(times[side], 95)), samples, unit: "ms", sameAnswer: same, load: `${loadBefore}-${load()}` });
    }
  };
  for (const { name, by, scope } of asked) {
    const params = { firstDay, lastDay, by, scope, now };
    await compare(`spend trend 365 days, ${name}`, () => getSpendTrend(db, params), () => getSpendTrendFromCosts(db, params));
  }
  // The period figures (the KPIs', the risk ranking's and the board report's spend at `now`): the
  // rollup's 30 days and the clusters with a cost (shipped) against one statement over every cost.
  for (const { name, by, scope } of asked) {
    const params = { asOf: now, by, scope };
    await compare(`spend KPIs of the 30-day period, ${name}`, () => getSpendKpis(db, params), () => getSpendKpisFromCosts(db, params));
  }

  // What /trends?range=365&by=owner computes uncached: every statement of the trend, per owner.
  const series: number[] = [];
  const loadBefore = load();
  await getTrendSeries(db, { toDay: lastDay, range: 365, by: "owner", scope: {} });
  for (let i = 0; i < samples; i++) series.push(await timed(() => getTrendSeries(db, { toDay: lastDay, range: 365, by: "owner", scope: {} })));
  emit({ name: "trend series 365 days by owner (uncached)", p50: round(percentile(series, 50)), p95: round(percentile(series, 95)), samples, unit: "ms", load: `${loadBefore}-${load()}` });
} finally {
  await db.close();
}
