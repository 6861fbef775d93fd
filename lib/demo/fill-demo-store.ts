import "server-only";
import { runCollection } from "@/lib/collector/run-collection";
import type { Database } from "@/lib/db/client";
import { createWaiver, findFindingOpenAt } from "@/lib/db/waivers";
import { AppError } from "@/lib/errors";
import type { PostureConfig } from "@/lib/posture";
import { createDemoEstate, type DemoOptions } from "@/lib/sources/demo";
import type { PostureSource } from "@/lib/sources/source";

export interface FillDemoResult {
  runs: number;
  clusters: number;
  waivers: number;
  faults: number;
  endAt: Date;
}

/** True when no collection run has ever been recorded. */
export async function isStoreEmpty(db: Database): Promise<boolean> {
  return (await db.prisma.collectionRun.count()) === 0;
}

/**
 * Fills an empty store with the demo estate's history, one collection run a day through the same
 * collector as real sources, then the demo's waivers.
 */
export async function fillDemoStore(
  db: Database,
  options: DemoOptions & { config: PostureConfig; onDay?: (done: number, total: number) => void },
): Promise<FillDemoResult> {
  if (!(await isStoreEmpty(db))) {
    throw new AppError("conflict", "The store already holds collection runs; the demo fills an empty store only (use a new BULKHEAD_DATA_DIR, or `bulkhead demo --reset`).");
  }
  const estate = createDemoEstate(options);
  const days: Date[] = [];
  let clusters = 0;
  let faults = 0;
  for (const run of estate.runs()) {
    const result = await runCollection(db, { source: run.source, capturedAt: run.capturedAt, config: options.config, concurrency: 32, options: { demo: { seed: estate.options.seed, day: run.dayIndex, clusters: estate.options.clusters, days: estate.options.days } } });
    days.push(run.capturedAt);
    clusters = result.clustersSeen;
    faults += result.faults.length;
    options.onDay?.(run.dayIndex + 1, estate.options.days);
  }
  let waivers = 0;
  for (const waiver of estate.waivers) {
    const at = days[waiver.createdDayIndex];
    const expiresAt = new Date(at.getTime() + (waiver.expiresDayIndex - waiver.createdDayIndex) * 86_400_000);
    const findingId = await findFindingOpenAt(db, waiver.clusterId, waiver.controlId, at);
    if (findingId === null) continue;
    await createWaiver(db, { findingId, reason: waiver.reason, expiresAt, actor: waiver.createdBy, at });
    waivers += 1;
  }
  return { runs: days.length, clusters, waivers, faults, endAt: estate.options.endAt };
}

/** Removes every collected record (runs, snapshots, clusters, findings and their trail). */
export async function resetStore(db: Database): Promise<void> {
  // The audit trail refuses DELETE row by row; TRUNCATE is the deliberate, whole-store reset.
  await db.pool.query(
    `TRUNCATE finding_events, waivers, findings, posture_intervals, snapshots, run_errors, run_subscriptions,
              collection_runs, raw_documents, evaluations, clusters, subscriptions, run_undo_journal, run_undo_archive RESTART IDENTITY`,
  );
}

/**
 * A demo store's "run collection now": the estate as it stands on its last day, captured now, so
 * the button works without Azure. Returns null when the store was not filled by the demo.
 */
export async function createDemoSourceForNow(db: Database): Promise<PostureSource | null> {
  const last = await db.prisma.collectionRun.findFirst({ where: { source: "demo", status: "completed" }, orderBy: { capturedAt: "desc" } });
  const demo = (last?.options as { demo?: { seed?: number; clusters?: number; days?: number } } | undefined)?.demo;
  if (!last || !demo?.seed || !demo.clusters || !demo.days) return null;
  const estate = createDemoEstate({ seed: demo.seed, clusters: demo.clusters, days: demo.days, endAt: last.capturedAt });
  let source: PostureSource | null = null;
  for (const run of estate.runs()) source = run.source;
  return source;
}
