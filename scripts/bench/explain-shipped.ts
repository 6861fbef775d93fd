// The query plans docs/storage.md shows, taken from the queries the code actually ships: each data
// function below runs against a store with Prisma's raw-query call wrapped, so every statement it
// sends is also run under EXPLAIN (ANALYZE, BUFFERS) with the same parameters. Prints Markdown.
//
//   node --import ./bin/register.mjs scripts/bench/explain-shipped.ts [--data-dir .bulkhead-bench]
import path from "node:path";
import { parseArgs } from "node:util";
import type { Prisma } from "@prisma/client";
import { getAdvisorySummary } from "@/lib/data/get-advisory-summary";
import { getLastRun } from "@/lib/data/get-last-run";
import { getRiskRanking } from "@/lib/data/get-risk-ranking";
import { listUnprotectedProductionClusters } from "@/lib/data/list-unprotected-production-clusters";
import { openDatabase } from "@/lib/db/client";
import { getClusterKpis } from "@/lib/kpi/get-cluster-kpis";
import { getKpiTrend } from "@/lib/kpi/get-kpi-trend";
import { getMttr } from "@/lib/kpi/get-mttr";

const { values: args } = parseArgs({ options: { "data-dir": { type: "string", default: ".bulkhead-bench" } } });
process.env.BULKHEAD_DATA_DIR = path.resolve(args["data-dir"]);
delete process.env.DATABASE_URL;

const db = await openDatabase();
const plans: string[] = [];
const original = db.prisma.$queryRaw.bind(db.prisma) as (query: Prisma.Sql) => Promise<unknown>;
// Every raw query the functions send is explained first, then answered as usual.
(db.prisma as unknown as { $queryRaw: (query: Prisma.Sql) => Promise<unknown> }).$queryRaw = async (query: Prisma.Sql) => {
  const { rows } = await db.pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${query.text}`, query.values as unknown[]);
  plans.push(rows.map((row) => row["QUERY PLAN"]).join("\n"));
  return original(query);
};

try {
  const { rows } = await db.pool.query<{ captured_at: Date; snapshots: string; intervals: string }>(
    `SELECT max(captured_at) AS captured_at, (SELECT count(*) FROM snapshots) AS snapshots, (SELECT count(*) FROM posture_intervals) AS intervals
       FROM collection_runs WHERE status = 'completed'`,
  );
  const asOf = new Date(rows[0].captured_at.getTime() + 3_600_000);
  const toDay = rows[0].captured_at;
  const fromDay = new Date(toDay.getTime() - 364 * 86_400_000);
  const shown: [string, () => Promise<unknown>][] = [
    ["Clusters in scope at T (percent enabled, allow-any, pass rate, lateral exposure): lib/kpi/get-cluster-kpis.ts", () => getClusterKpis(db, { asOf, by: "all", scope: {} })],
    ["MTTR and open findings at T: lib/kpi/get-mttr.ts", () => getMttr(db, { from: new Date(asOf.getTime() - 30 * 86_400_000), to: asOf, by: "all", scope: {} })],
    ["Trend over 365 days, all clusters (the rollup's per-day changes with live waiver deltas, then the findings deltas, then spend): lib/kpi/get-kpi-trend.ts", () => getKpiTrend(db, { fromDay, toDay, by: "all", scope: {} })],
    ["Trend over 365 days by owner: lib/kpi/get-kpi-trend.ts", () => getKpiTrend(db, { fromDay, toDay, by: "owner", scope: {} })],
    ["Advisories at T (one scan of the intervals in force; messages for the listed clusters only): lib/data/get-advisory-summary.ts", () => getAdvisorySummary(db, { asOf, scope: {} })],
    ["Unprotected production clusters at T: lib/data/list-unprotected-production-clusters.ts", () => listUnprotectedProductionClusters(db, { asOf, scope: {} })],
    ["Risk ranking by owner at T: lib/data/get-risk-ranking.ts", () => getRiskRanking(db, { asOf, by: "owner", scope: {} })],
    ["Freshness of the last run at T: lib/data/get-last-run.ts", () => getLastRun(db, { asOf, scope: {} })],
  ];
  process.stdout.write(`Store: ${rows[0].snapshots} snapshots, ${rows[0].intervals} posture intervals; T = ${asOf.toISOString()}.\n`);
  for (const [title, run] of shown) {
    // Once to warm the cache as the server's steady state has it, then the plan of the second.
    await run();
    plans.length = 0;
    await run();
    plans.forEach((plan, index) => {
      process.stdout.write(`\n#### ${title}${plans.length > 1 ? ` (query ${index + 1} of ${plans.length})` : ""}\n\`\`\`\n${plan}\n\`\`\`\n`);
    });
  }
} finally {
  await db.close();
}
