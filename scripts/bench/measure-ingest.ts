// The ingest figures of the scale benchmark (scripts/bench/bench.ts, README "Scale"). Each timed run
// writes a NEW day — the generator's day after the stored history, with its real changes — into a
// fresh copy of the store (CREATE DATABASE … TEMPLATE), so the kept store never grows by a day and
// no run is a re-run of a stored day. The baseline is a raw COPY of exactly what the run wrote: its
// snapshot rows as stored plus the documents it added (raw documents, evaluations, reachability
// documents), found by the run's transaction id; beside it, for the record, the old baseline of
// the snapshot rows with their evidence inline.
import { rm } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { connectDatabase, type Database } from "@/lib/db/client";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import type { PostureSource } from "@/lib/sources/source";
import type { DemoRun } from "@/lib/sources/demo";

/** One line of a benchmark's output. */
export interface BenchFigure {
  name: string;
  value: number | null;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  goal: string;
  met: boolean | null;
}

export interface MeasureIngestOptions {
  /** The kept store (a database of the embedded server); nothing may be connected to it. */
  storeUrl: string;
  /** The day after the stored history. */
  day: DemoRun;
  reps: number;
  /** Every cluster's document altered too (a fleet-wide change: one new document per cluster). */
  everyDocumentChanged?: boolean;
  /** The ratio to the COPY floor the run must stay within. */
  goalRatio: number;
  /** A wall-clock goal for the write, in ms (the 10 k changed-documents day). */
  goalMs?: number;
  /** Log the time of each statement of the last timed run's write, summed by statement (bench-ingest --statements). */
  traceStatements?: boolean;
  log: (line: string) => void;
  emit: (figure: BenchFigure) => void;
}

const COPY = "bench_ingest";
// What a run writes that a COPY floor counts: its snapshot rows as stored and the documents it adds.
const WRITTEN_TABLES = ["snapshots", "raw_documents", "evaluations", "reachability_documents"] as const;

const round = (value: number) => Math.round(value * 10) / 10;
const roundRatio = (value: number) => Math.round(value * 1000) / 1000;

export function urlOf(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** A fresh copy of the store named `copy` (file copy: the fastest for a large template). */
export async function copyStore(admin: pg.Client, storeName: string, log: (line: string) => void, copy = COPY): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`);
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${copy} TEMPLATE "${storeName}" STRATEGY FILE_COPY`);
      break;
    } catch (error) {
      // Autovacuum may be visiting the template for a moment.
      if (attempt >= 10 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
  }
  log(`${copy}: copied the store in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The day's source with every cluster document altered as a fleet-wide change would (a tag stamped
 * on each cluster): one new document per cluster, its in-cluster objects as they were.
 */
export function withEveryClusterDocumentChanged(source: PostureSource, stamp: string): PostureSource {
  return {
    kind: source.kind,
    discoverSubscriptions: () => source.discoverSubscriptions(),
    async listClusters(subscriptions, options) {
      const listings = await source.listClusters(subscriptions, options);
      return listings.map((listing) =>
        listing.ok
          ? { ...listing, clusters: listing.clusters.map((cluster) => ({ ...(cluster as object), tags: { ...(cluster as { tags?: object }).tags, "bench-rollout": stamp } })) }
          : listing,
      );
    },
    readInCluster: (cluster, signal) => source.readInCluster(cluster, signal),
  };
}

type StatementTimes = Map<string, { ms: number; count: number }>;

// Each pool's connections are wrapped once; the statements go to whichever trace is current.
const traces = new WeakMap<pg.Pool, { current: ((text: string, ms: number) => void) | null }>();

/**
 * Times every statement the pool's connections send until the returned stop(), summed by the
 * statement's text (whitespace folded, cut at 110 characters). A COPY … FROM STDIN is timed until
 * its stream finishes.
 */
function traceStatements(pool: pg.Pool, writing: () => boolean): { times: StatementTimes; stop: () => void } {
  let trace = traces.get(pool);
  if (!trace) {
    const installed: { current: ((text: string, ms: number) => void) | null } = { current: null };
    trace = installed;
    traces.set(pool, installed);
    pool.on("connect", (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const first = args[0] as string | { text?: string };
        const text = typeof first === "string" ? first : (first?.text ?? "(statement)");
        const started = performance.now();
        const done = () => installed.current?.(text, performance.now() - started);
        const result = query(...args) as { then?: unknown; finally?: (f: () => void) => unknown; once?: (event: string, f: () => void) => void };
        if (typeof result?.then === "function") return result.finally!(done);
        // A submittable (pg-copy-streams): done when its stream finishes or fails.
        result?.once?.("finish", done);
        result?.once?.("error", done);
        return result;
      };
    });
  }
  const times: StatementTimes = new Map();
  trace.current = (text, ms) => {
    if (!writing()) return;
    const key = text.replace(/\s+/g, " ").trim().slice(0, 110);
    const entry = times.get(key) ?? { ms: 0, count: 0 };
    times.set(key, { ms: entry.ms + ms, count: entry.count + 1 });
  };
  const active = trace;
  return { times, stop: () => { active.current = null; } };
}

function logStatements(times: StatementTimes, writeMs: number, log: (line: string) => void): void {
  const total = [...times.values()].reduce((sum, entry) => sum + entry.ms, 0);
  log(`statements of the write: ${times.size} distinct, ${total.toFixed(0)} ms of the ${writeMs.toFixed(0)} ms write`);
  for (const [text, entry] of [...times].sort((a, b) => b[1].ms - a[1].ms)) {
    log(`  ${entry.ms.toFixed(1).padStart(8)} ms ×${String(entry.count).padEnd(3)} ${text}`);
  }
}

/** Times one run's write (from the "writing" event to the commit); returns it with the run's id. */
async function timeRun(db: Database, source: PostureSource, capturedAt: Date, traceLog?: (line: string) => void): Promise<{ writeMs: number; readMs: number; runId: number; clusters: number }> {
  let writingAt = 0;
  let writing = false;
  const trace = traceLog ? traceStatements(db.pool, () => writing) : undefined;
  const started = performance.now();
  const result = await runCollection(db, {
    source,
    capturedAt,
    config: DEFAULT_POSTURE_CONFIG,
    concurrency: 64,
    onProgress: (event) => {
      if (event.type === "writing") {
        writingAt = performance.now();
        writing = true;
      }
    },
  });
  writing = false;
  if (result.status !== "completed") throw new Error(`the timed run ended ${result.status}`);
  const writeMs = performance.now() - writingAt;
  trace?.stop();
  if (trace && traceLog) logStatements(trace.times, writeMs, traceLog);
  return { writeMs, readMs: writingAt - started, runId: result.runId, clusters: result.clustersSeen };
}

/** Server-side COPY of a query's rows to a file, then the timed COPY of that file into a bare unlogged table. */
export async function timeRawCopy(client: pg.Pool | pg.Client, query: string): Promise<number> {
  const file = path.join("/tmp", `bulkhead-bench-${process.pid}.csv`);
  await client.query(`COPY (${query}) TO '${file}' WITH (FORMAT csv)`);
  await client.query(`DROP TABLE IF EXISTS bench_copy_baseline; CREATE UNLOGGED TABLE bench_copy_baseline AS ${query} WITH NO DATA`);
  const started = performance.now();
  await client.query(`COPY bench_copy_baseline FROM '${file}' WITH (FORMAT csv)`);
  const ms = performance.now() - started;
  await client.query("DROP TABLE bench_copy_baseline");
  await rm(file, { force: true });
  return ms;
}

/** The COPY floor of what run `runId` wrote: each table's rows of its transaction, copied raw. */
async function copyFloor(db: Database, runId: number): Promise<{ ms: number; rows: Record<string, number> }> {
  const { rows: [transaction] } = await db.pool.query<{ xid: string }>("SELECT xmin::text AS xid FROM snapshots WHERE run_id = $1 LIMIT 1", [runId]);
  let ms = 0;
  const rows: Record<string, number> = {};
  for (const table of WRITTEN_TABLES) {
    const query = `SELECT * FROM ${table} WHERE xmin = '${transaction.xid}'::xid`;
    rows[table] = Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM (${query}) q`)).rows[0].n);
    if (rows[table] > 0) ms += await timeRawCopy(db.pool, query);
  }
  return { ms, rows };
}

/** Rows of `table` that the transaction of run `runId` wrote (inserted or updated). */
async function rowsWrittenBy(db: Database, table: string, runId: number): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${table} WHERE xmin = (SELECT xmin FROM snapshots WHERE run_id = $1 LIMIT 1)`,
    [runId],
  );
  return Number(rows[0].n);
}

export async function measureIngest(options: MeasureIngestOptions): Promise<void> {
  const { day, log, emit } = options;
  const storeName = new URL(options.storeUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: urlOf(options.storeUrl, "postgres") });
  await admin.connect();
  const kind = options.everyDocumentChanged ? "a day with every cluster document changed" : "a new day";
  const source = options.everyDocumentChanged ? withEveryClusterDocumentChanged(day.source, day.capturedAt.toISOString()) : day.source;
  try {
    const timings: number[] = [];
    for (let rep = 0; rep < options.reps; rep++) {
      await copyStore(admin, storeName, log);
      const db = connectDatabase(urlOf(options.storeUrl, COPY));
      try {
        const last = rep === options.reps - 1;
        const run = await timeRun(db, source, day.capturedAt, options.traceStatements && last ? log : undefined);
        timings.push(run.writeMs);
        log(`ingest, ${kind}, ${rep + 1}/${options.reps}: ${run.clusters} clusters, read+judge ${(run.readMs / 1000).toFixed(1)} s, write ${(run.writeMs / 1000).toFixed(2)} s`);
        if (!last) continue;

        const floor = await copyFloor(db, run.runId);
        const inline = await timeRawCopy(db.pool, `SELECT s.*, e.controls, e.allow_any_rules, e.namespaces, e.advisories FROM snapshots s JOIN evaluations e ON e.hash = s.evaluation_hash WHERE s.run_id = ${run.runId}`);
        const writeMs = median(timings);
        const ratio = writeMs / floor.ms;
        const what = Object.entries(floor.rows).map(([table, n]) => `${n} ${table}`).join(", ");
        log(`ingest, ${kind}: the run wrote ${what}`);
        emit({
          name: `ingest ${kind} of ${run.clusters} clusters (median of ${options.reps}) vs raw COPY of what it writes (${what})`,
          value: round(writeMs), unit: "ms", baseline: round(floor.ms), ratio: roundRatio(ratio),
          goal: `ratio <= ${options.goalRatio}${options.goalMs ? ` and <= ${options.goalMs} ms` : ""}`,
          met: ratio <= options.goalRatio && (options.goalMs === undefined || writeMs <= options.goalMs),
        });
        emit({ name: `ingest ${kind} of ${run.clusters} clusters vs raw COPY of its snapshot rows with evidence inline (the earlier baseline)`, value: round(writeMs), unit: "ms", baseline: round(inline), ratio: roundRatio(writeMs / inline), goal: "", met: null });

        if (options.everyDocumentChanged) continue;
        // The same day again a minute later on the same copy: nothing changed, so no cluster row needs writing.
        const again = await timeRun(db, day.source, new Date(day.capturedAt.getTime() + 60_000), options.traceStatements ? log : undefined);
        const rewritten = await rowsWrittenBy(db, "clusters", again.runId);
        log(`ingest, a run with no change: write ${(again.writeMs / 1000).toFixed(2)} s, ${rewritten} cluster rows rewritten`);
        emit({ name: `ingest a run with no change of ${again.clusters} clusters: cluster rows rewritten`, value: rewritten, unit: "rows", baseline: again.clusters, ratio: roundRatio(rewritten / again.clusters), goal: "0", met: rewritten === 0 });
        emit({ name: `ingest a run with no change of ${again.clusters} clusters`, value: round(again.writeMs), unit: "ms", baseline: null, ratio: null, goal: "", met: null });
      } finally {
        await db.close();
      }
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${COPY} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}
