// The scale benchmark (README "Scale"): builds an estate of N clusters with D days of daily history
// through the demo generator and the real collector, then prints one JSON line per figure:
//   {"name","value","unit","baseline","ratio","goal","met"}
// - ingest of one N-cluster run (the write transaction) against a raw COPY of the same snapshot rows,
//   evidence inline, into a bare table (server-side COPY FROM a file: no network, no indexes, no WAL —
//   a strict baseline);
// - the KPI trend over 365 days for all clusters, one subscription and one owner (p50/p95), against a
//   straightforward daily aggregate over the raw snapshots;
// - every dashboard page and API route (p50/p95, via scripts/bench/bench-dashboard.ts) against the
//   session endpoint, and the server's peak memory against its memory after start-up;
// - what a person waits for: every page in Chromium until its content is complete, at 1, 4, 8 and 20
//   concurrent users (scripts/bench/bench-pages.ts).
// Every goal comes from scripts/bench/goals.ts.
//
//   npm run bench -- [--clusters 10000] [--days 365] [--reps 20] [--data-dir .bulkhead-bench] [--rebuild] [--no-server]
//
// The store is kept in --data-dir and reused by later runs with the same size (building 10,000 × 365
// takes tens of minutes). Needs `npm run build` for the server figures. Loopback only.
import { execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openDatabase, type OpenedDatabase } from "@/lib/db/client";
import { runCollection } from "@/lib/collector/run-collection";
import { getKpiTrend } from "@/lib/kpi/get-kpi-trend";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { startBenchServer } from "./bench-server";
import { buildDemoHistory } from "./build-history";
import { describeGoal, GOALS, meets } from "./goals";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

interface Figure {
  name: string;
  value: number | null;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  goal: string;
  met: boolean | null;
}

function emit(figure: Figure): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

const round = (value: number) => Math.round(value * 10) / 10;
const roundRatio = (value: number) => Math.round(value * 1000) / 1000;
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const { values: args } = parseArgs({
  options: {
    clusters: { type: "string", default: "10000" },
    days: { type: "string", default: "365" },
    reps: { type: "string", default: "20" },
    "data-dir": { type: "string", default: ".bulkhead-bench" },
    rebuild: { type: "boolean", default: false },
    "no-server": { type: "boolean", default: false },
    port: { type: "string", default: "3500" },
  },
});
const clusters = Number(args.clusters);
const days = Number(args.days);
const reps = Number(args.reps);
for (const [name, value, max] of [["clusters", clusters, 100_000], ["days", days, 3_660], ["reps", reps, 1_000]] as const) {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} must be a whole number from 1 to ${max}`);
}
const dataDir = path.resolve(args["data-dir"]);
process.env.BULKHEAD_DATA_DIR = dataDir;
delete process.env.DATABASE_URL;

const INGEST_REPS = 3;

/**
 * Times the write transaction of the last day's run (INGEST_REPS times, the median reported): on a
 * reused store, the same day again, a minute after the latest run. The baseline is a raw COPY of the
 * same rows into a bare table: each snapshot with its evidence inline, as the collector produces
 * it, so the baseline writes every byte the run carries even though the store keeps evidence once
 * per distinct content.
 */
async function measureIngest(db: OpenedDatabase, lastDay: { source: Parameters<typeof runCollection>[1]["source"]; capturedAt: Date }): Promise<void> {
  const timings: number[] = [];
  let runId = 0;
  let clustersSeen = 0;
  for (let rep = 0; rep < INGEST_REPS; rep++) {
    const latest = await db.prisma.collectionRun.findFirst({ where: { status: "completed" }, orderBy: { capturedAt: "desc" } });
    const capturedAt = latest && latest.capturedAt >= lastDay.capturedAt ? new Date(latest.capturedAt.getTime() + 60_000) : lastDay.capturedAt;
    let writingAt = 0;
    const started = performance.now();
    const result = await runCollection(db, {
      source: lastDay.source,
      capturedAt,
      config: DEFAULT_POSTURE_CONFIG,
      concurrency: 64,
      onProgress: (event) => {
        if (event.type === "writing") writingAt = performance.now();
      },
    });
    const ingestMs = performance.now() - writingAt;
    timings.push(ingestMs);
    runId = result.runId;
    clustersSeen = result.clustersSeen;
    log(`run ${rep + 1}/${INGEST_REPS}: ${result.clustersSeen} clusters, read+judge ${((writingAt - started) / 1000).toFixed(1)} s, write ${(ingestMs / 1000).toFixed(2)} s`);
  }
  const full = `SELECT s.*, e.controls, e.allow_any_rules, e.namespaces, e.advisories FROM snapshots s JOIN evaluations e ON e.hash = s.evaluation_hash WHERE s.run_id = ${runId}`;
  const stored = `SELECT * FROM snapshots WHERE run_id = ${runId}`;
  const copyMs = await timeRawCopy(db, full);
  const storedCopyMs = await timeRawCopy(db, stored);
  const ingestMs = percentile(timings, 50);
  const ratio = ingestMs / copyMs;
  emit({ name: `ingest one ${clustersSeen}-cluster run (median of ${INGEST_REPS})`, value: round(ingestMs), unit: "ms", baseline: round(copyMs), ratio: roundRatio(ratio), goal: `ratio ${describeGoal(GOALS.ingestRatio)}`, met: meets(ratio, GOALS.ingestRatio) });
  // For the record: the rows as stored (evidence by hash) COPY in a fraction of that.
  emit({ name: `raw COPY of the ${clustersSeen} stored snapshot rows (evidence by hash)`, value: round(storedCopyMs), unit: "ms", baseline: round(copyMs), ratio: roundRatio(storedCopyMs / copyMs), goal: "", met: null });
}

/** Server-side COPY of a query's rows to a file, then the timed COPY of that file into a bare unlogged table. */
async function timeRawCopy(db: OpenedDatabase, query: string): Promise<number> {
  const file = path.join("/tmp", `bulkhead-bench-${process.pid}.csv`);
  await db.pool.query(`COPY (${query}) TO '${file}' WITH (FORMAT csv)`);
  await db.pool.query(`DROP TABLE IF EXISTS bench_copy_baseline; CREATE UNLOGGED TABLE bench_copy_baseline AS ${query} WITH NO DATA`);
  const started = performance.now();
  await db.pool.query(`COPY bench_copy_baseline FROM '${file}' WITH (FORMAT csv)`);
  const ms = performance.now() - started;
  await db.pool.query("DROP TABLE bench_copy_baseline");
  await rm(file, { force: true });
  return ms;
}

/** What storing reachability with every snapshot costs (docs/reachability.md): its table, per snapshot that names a document. */
async function measureReachabilityStorage(db: OpenedDatabase): Promise<void> {
  const { rows } = await db.pool.query<{ named: string; documents: string; bytes: string }>(
    `SELECT (SELECT count(*) FROM snapshots WHERE reachability_hash IS NOT NULL) AS named, (SELECT count(*) FROM reachability_documents) AS documents,
            pg_total_relation_size('reachability_documents') AS bytes`,
  );
  const named = Number(rows[0].named);
  log(`reachability: ${rows[0].documents} distinct documents for ${named} snapshots, ${(Number(rows[0].bytes) / 1024 / 1024).toFixed(1)} MB`);
  emit({ name: "reachability documents, bytes per snapshot that names one", value: named === 0 ? null : round(Number(rows[0].bytes) / named), unit: "B", baseline: null, ratio: null, goal: "", met: null });
}

async function measureTrends(db: OpenedDatabase): Promise<void> {
  const last = await db.prisma.collectionRun.findFirstOrThrow({ where: { status: "completed" }, orderBy: { capturedAt: "desc" } });
  const toDay = last.capturedAt;
  const fromDay = new Date(toDay.getTime() - 364 * 86_400_000);
  const [subscription] = await db.pool.query<{ id: string }>("SELECT subscription_id AS id FROM clusters WHERE deleted_at IS NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").then((r) => r.rows);
  const [owner] = await db.pool.query<{ owner: string }>("SELECT owner FROM clusters WHERE deleted_at IS NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").then((r) => r.rows);
  // Straightforward: per day, aggregate the snapshots captured that day (no carry-forward at all).
  const baselineSql = `SELECT (s.captured_at AT TIME ZONE 'UTC')::date AS day, count(*), count(*) FILTER (WHERE np01 = 'pass'),
      sum(allow_any_count) FILTER (WHERE production), sum(controls_passed), sum(controls_failed),
      sum(lateral_exposure * workload_pods), sum(workload_pods) FILTER (WHERE lateral_exposure IS NOT NULL)
    FROM snapshots s JOIN collection_runs r ON r.id = s.run_id AND r.status = 'completed'
   WHERE s.captured_at >= $1 AND s.captured_at < $2 AND ($3::text IS NULL OR s.subscription_id = $3) AND ($4::text IS NULL OR s.owner = $4)
   GROUP BY 1 ORDER BY 1`;
  const scopes = [
    { name: "all clusters", scope: {}, params: [null, null] },
    { name: "one subscription", scope: { subscriptionId: subscription.id }, params: [subscription.id, null] },
    { name: "one owner", scope: { owner: owner.owner }, params: [null, owner.owner] },
  ];
  for (const { name, scope, params } of scopes) {
    const timings: number[] = [];
    await getKpiTrend(db, { fromDay, toDay, scope });
    for (let i = 0; i < reps; i++) {
      const started = performance.now();
      await getKpiTrend(db, { fromDay, toDay, scope });
      timings.push(performance.now() - started);
    }
    const baseline: number[] = [];
    for (let i = 0; i < Math.min(reps, 5); i++) {
      const started = performance.now();
      await db.pool.query(baselineSql, [fromDay, new Date(toDay.getTime() + 86_400_000), ...params]);
      baseline.push(performance.now() - started);
    }
    for (const p of [50, 95] as const) {
      const value = percentile(timings, p);
      const base = percentile(baseline, p);
      emit({ name: `KPI trend 365 days, ${name}, p${p}`, value: round(value), unit: "ms", baseline: round(base), ratio: roundRatio(value / base), goal: p === 95 ? describeGoal(GOALS.trendP95) : "", met: p === 95 ? meets(value, GOALS.trendP95) : null });
    }
  }
}

/**
 * Resident memory of the server, in MB: current (VmRSS) and peak (VmHWM), summed over the `serve`
 * process and its descendants except Postgres (its shared buffers are the database's, not the
 * server's). A sum of peaks is an upper bound: the processes need not peak together.
 */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const pids = [pid, ...(await childPids(pid))];
  let rss = 0;
  let peak = 0;
  for (const id of pids) {
    const status = await readFile(`/proc/${id}/status`, "utf8").catch(() => "");
    if (/^Name:\s+postgres/m.test(status)) continue;
    rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    peak += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  }
  return { rss, peak };
}

function childPids(pid: number): Promise<number[]> {
  return new Promise((resolve) => execFile("pgrep", ["-P", String(pid)], (_error, stdout) => {
    const direct = stdout.split("\n").filter(Boolean).map(Number);
    Promise.all(direct.map(childPids)).then((nested) => resolve([...direct, ...nested.flat()]));
  }));
}

/** A bench script run against the server at `base`; its JSON lines. */
function runBench(script: string, scriptArgs: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "./bin/register.mjs", script, ...scriptArgs], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && !stdout) reject(new Error(stderr || String(error)));
      else {
        if (stderr) process.stderr.write(stderr);
        resolve(stdout.split("\n").filter((line) => line.startsWith("{")));
      }
    });
  });
}

async function measureServer(): Promise<void> {
  const server = await startBenchServer({ dataDir, port: Number(args.port) });
  try {
    const base = server.base.origin;
    const idle = await memoryOf(server.pid);
    const output = await runBench("scripts/bench/bench-dashboard.ts", [base, "--runs", String(reps)]);
    const figures = output.map((line) => JSON.parse(line) as { name: string; value: number | null; unit: string; goal: string | null; met: boolean | null });
    // Each page or route against the session endpoint at the same percentile (bench-dashboard measures it first).
    const baselineOf = (name: string) => {
      const p = /p(50|95)$/.exec(name)?.[1];
      return p ? (figures.find((f) => f.name === `GET /api/auth/get-session p${p}`)?.value ?? null) : null;
    };
    for (const figure of figures) {
      const baseline = baselineOf(figure.name);
      emit({
        name: figure.name,
        value: figure.value,
        unit: figure.unit,
        baseline,
        ratio: figure.value !== null && baseline ? roundRatio(figure.value / baseline) : null,
        goal: figure.goal ?? "",
        met: figure.met,
      });
    }
    // What a person waits for, page by page, alone and with others.
    for (const line of await runBench("scripts/bench/bench-pages.ts", ["--url", base])) process.stdout.write(`${line}\n`);
    const after = await memoryOf(server.pid);
    emit({ name: "server peak memory", value: round(after.peak), unit: "MB", baseline: round(idle.rss), ratio: roundRatio(after.peak / idle.rss), goal: describeGoal(GOALS.peakMemory), met: meets(after.peak, GOALS.peakMemory) });
  } finally {
    await server.stop();
  }
}

if (args.rebuild) await rm(dataDir, { recursive: true, force: true });
const db = await openDatabase();
try {
  log(`estate: ${clusters} clusters × ${days} days in ${dataDir}`);
  // Every day but the last: that one is the run whose ingest is measured.
  const runs = await buildDemoHistory(db, { clusters, days, record: days - 1, log });
  const lastDay = runs[runs.length - 1];
  await measureIngest(db, lastDay);
  const counts = await db.pool.query<{ snapshots: string; intervals: string }>("SELECT (SELECT count(*) FROM snapshots) AS snapshots, (SELECT count(*) FROM posture_intervals) AS intervals");
  log(`store: ${counts.rows[0].snapshots} snapshots, ${counts.rows[0].intervals} posture intervals`);
  await measureReachabilityStorage(db);
  await measureTrends(db);
} finally {
  await db.close();
}
if (!args["no-server"]) await measureServer();
