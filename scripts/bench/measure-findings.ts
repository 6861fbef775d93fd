// The Findings list at growing finding counts (scripts/bench/bench.ts, issue 20): what /api/findings
// runs for the page as it opens (active findings, by due date, first page, with the tab counts),
// and the whole history sorted by due date, at the store's own count and then with its resolved
// history grown (earlier, resolved episodes of its findings, shifted back in time), on a copy of
// the store. A list that reads only what it shows stays flat as the history grows.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { connectDatabase, type Database } from "@/lib/db/client";
import { findingListParams, listFindings } from "@/lib/findings/list-findings";
import { copyStore, urlOf, type BenchFigure } from "./measure-ingest";

const COPY = "bench_findings";
const round = (value: number) => Math.round(value * 10) / 10;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface MeasureFindingsOptions {
  storeUrl: string;
  /** Samples per figure (after as many warm-up requests as a tenth of them). */
  samples: number;
  /** Finding counts to grow the history to, in order (those below the store's own are skipped). */
  counts: number[];
  goalP95Ms: number;
  log: (line: string) => void;
  emit: (figure: BenchFigure) => void;
}

/**
 * Adds earlier, resolved episodes of the store's findings (each round shifted back a year; a finding
 * still open gets an episode resolved a week after it opened) until the store holds `target`.
 */
async function growResolvedHistory(db: Database, target: number): Promise<number> {
  for (let round = 1; ; round++) {
    const total = Number((await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM findings")).rows[0].n);
    if (total >= target) return total;
    const added = await db.pool.query(
      `INSERT INTO findings (cluster_id, control_id, opened_at, opened_snapshot_id, resolved_at, resolved_snapshot_id, resolution,
                             subscription_id, owner, production, assignee, sla_due_at)
       SELECT cluster_id, control_id, opened_at - make_interval(days => 365 * $2), opened_snapshot_id,
              COALESCE(resolved_at, opened_at + interval '7 days') - make_interval(days => 365 * $2),
              COALESCE(resolved_snapshot_id, opened_snapshot_id), COALESCE(resolution, 'passed'),
              subscription_id, owner, production, assignee, sla_due_at - make_interval(days => 365 * $2)
         FROM findings ORDER BY id LIMIT $1`,
      [target - total, round],
    );
    if (!added.rowCount) return total;
    await db.pool.query("ANALYZE findings");
  }
}

async function sample(db: Database, query: Record<string, string>, samples: number): Promise<{ p50: number; p95: number; total: number }> {
  const params = findingListParams.parse(query);
  const timings: number[] = [];
  let total = 0;
  for (let i = -Math.ceil(samples / 10); i < samples; i++) {
    const started = performance.now();
    const page = await listFindings(db, params);
    if (i >= 0) timings.push(performance.now() - started);
    total = page.total;
  }
  return { p50: percentile(timings, 50), p95: percentile(timings, 95), total };
}

export async function measureFindings(options: MeasureFindingsOptions): Promise<void> {
  const { log, emit } = options;
  const storeName = new URL(options.storeUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: urlOf(options.storeUrl, "postgres") });
  await admin.connect();
  try {
    await copyStore(admin, storeName, log, COPY);
    const db = connectDatabase(urlOf(options.storeUrl, COPY));
    try {
      const own = Number((await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM findings")).rows[0].n);
      // Each figure's p95 at the store's own count is the baseline of the same figure at larger counts: flat is a ratio near 1.
      const atOwnCount = new Map<string, number>();
      for (const target of [own, ...options.counts.filter((count) => count > own)]) {
        const findings = await growResolvedHistory(db, target);
        for (const [what, query] of [
          ["the page as it opens (active, by due date, first 50, tab counts)", {}],
          ["every finding by due date (first 50, tab counts)", { status: "all" }],
        ] as const) {
          const figure = await sample(db, query, options.samples);
          log(`findings: ${findings} findings, ${what}: p50 ${round(figure.p50)} ms, p95 ${round(figure.p95)} ms (${figure.total} listed)`);
          const base = atOwnCount.get(what) ?? null;
          atOwnCount.set(what, base ?? figure.p95);
          emit({ name: `listFindings at ${findings} findings, ${what}, p50`, value: round(figure.p50), unit: "ms", baseline: null, ratio: null, goal: "", met: null });
          emit({
            name: `listFindings at ${findings} findings, ${what}, p95`, value: round(figure.p95), unit: "ms",
            baseline: base === null ? null : round(base), ratio: base ? Math.round((figure.p95 / base) * 1000) / 1000 : null,
            goal: `<= ${options.goalP95Ms} ms`, met: figure.p95 <= options.goalP95Ms,
          });
        }
      }
    } finally {
      await db.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${COPY} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}
