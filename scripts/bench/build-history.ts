// The estate the scale benchmarks measure (README "Scale"): N clusters × D days of daily history,
// made by the demo generator and recorded through the real collector, one run per day. Building
// 10,000 × 365 takes tens of minutes, so a store that already holds the history is reused and a
// build that was stopped part way resumes after its latest run.
import { performance } from "node:perf_hooks";
import type { Database } from "@/lib/db/client";
import type { Judge } from "@/lib/collector/read-estate";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { createDemoEstate, type DemoRun } from "@/lib/sources/demo";

export interface BuildHistoryOptions {
  clusters: number;
  days: number;
  /** Days recorded: the first `record` of the `days` (default all of them). */
  record?: number;
  /** The evaluator the runs judge with (default: this version's rules). */
  judge?: Judge;
  log: (line: string) => void;
}

/** Records the demo estate's first `record` days unless the store holds them already; returns every day. */
export async function buildDemoHistory(db: Database, options: BuildHistoryOptions): Promise<DemoRun[]> {
  const { clusters, days, log } = options;
  const record = options.record ?? days;
  const estate = createDemoEstate({ clusters, days, seed: 42 });
  const runs = [...estate.runs()];
  const recorded = await db.prisma.collectionRun.count({ where: { status: "completed" } });
  if (recorded >= record) {
    log(`reusing the store (${recorded} runs)`);
    return runs;
  }
  const latest = await db.prisma.collectionRun.findFirst({ where: { status: "completed" }, orderBy: { capturedAt: "desc" } });
  if (recorded > 0) log(`resuming after ${recorded} recorded runs`);
  const started = performance.now();
  for (const run of runs.slice(0, record).filter((r) => !latest || r.capturedAt > latest.capturedAt)) {
    await runCollection(db, { source: run.source, capturedAt: run.capturedAt, config: DEFAULT_POSTURE_CONFIG, concurrency: 64, judge: options.judge });
    if (run.dayIndex % 10 === 0) log(`history: day ${run.dayIndex + 1}/${record} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  return runs;
}
