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

/** Times one run's write (from the "writing" event to the commit); returns it with the run's id. */
async function timeRun(db: Database, source: PostureSource, capturedAt: Date): Promise<{ writeMs: number; readMs: number; runId: number; clusters: number }> {
  let writingAt = 0;
  const started = performance.now();
  const result = await runCollection(db, {
    source,
    capturedAt,
    config: DEFAULT_POSTURE_CONFIG,
    concurrency: 64,
    onProgress: (event) => {
      if (event.type === "writing") writingAt = performance.now();
    },
  });
  if (result.status !== "completed") throw new Error(`the timed run ended ${result.status}`);
  return { writeMs: performance.now() - writingAt, readMs: writingAt - started, runId: result.runId, clusters: result.clustersSeen };
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
        const run = await timeRun(db, source, day.capturedAt);
        timings.push(run.writeMs);
        log(`ingest, ${kind}, ${rep + 1}/${options.reps}: ${run.clusters} clusters, read+judge ${(run.readMs / 1000).toFixed(1)} s, write ${(run.writeMs / 1000).toFixed(2)} s`);
        if (rep < options.reps - 1) continue;

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
        const again = await timeRun(db, day.source, new Date(day.capturedAt.getTime() + 60_000));
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
