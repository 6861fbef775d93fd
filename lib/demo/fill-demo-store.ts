import "server-only";
import { runCollection } from "@/lib/collector/run-collection";
import { isStoreEmpty } from "@/lib/collector/run-record";
import type { Database } from "@/lib/db/client";
import { createWaiver, findFindingOpenAt } from "@/lib/db/waivers";
import type { Env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { PostureConfig } from "@/lib/posture";
import { createDemoEstate, describeDemoDay, type DemoEstate, type DemoOptions } from "@/lib/sources/demo";
import { describeRunOptions, openSource } from "@/lib/sources/open-source";

export { isStoreEmpty } from "@/lib/collector/run-record";

export interface FillDemoResult {
  runs: number;
  clusters: number;
  waivers: number;
  faults: number;
  endAt: Date;
}

/**
 * Fills an empty store with the demo estate's history, one collection run a day through the same
 * collector and the same source opening as real sources, then the demo's waivers.
 */
export async function fillDemoStore(
  db: Database,
  options: DemoOptions & { config: PostureConfig; env: Env; onDay?: (done: number, total: number) => void },
): Promise<FillDemoResult> {
  if (!(await isStoreEmpty(db))) {
    throw new AppError("conflict", "The store already holds collection runs; the demo fills an empty store only (use a new BULKHEAD_DATA_DIR, or `bulkhead demo --reset`).");
  }
  const estate = createDemoEstate(options);
  let clusters = 0;
  let faults = 0;
  for (let dayIndex = 0; dayIndex < estate.options.days; dayIndex++) {
    const descriptor = describeDemoDay(estate, dayIndex);
    const capturedAt = estate.day(dayIndex).capturedAt;
    const source = await openSource(descriptor, options.env);
    const result = await runCollection(db, { source, capturedAt, config: options.config, concurrency: 32, options: describeRunOptions(descriptor, options.env) });
    clusters = result.clustersSeen;
    faults += result.faults.length;
    options.onDay?.(dayIndex + 1, estate.options.days);
  }
  const waivers = await recordDemoWaivers(db, estate);
  return { runs: estate.options.days, clusters, waivers, faults, endAt: estate.options.endAt };
}

/**
 * The demo estate's waivers, each on the finding open at its creation day's run (none when that day
 * was not recorded or the finding was not open); how many it recorded. Tests that record the demo's
 * history themselves use it too, so their waivers are the ones `bulkhead demo` records.
 */
export async function recordDemoWaivers(db: Database, estate: DemoEstate): Promise<number> {
  let recorded = 0;
  for (const waiver of estate.waivers) {
    const at = estate.day(waiver.createdDayIndex).capturedAt;
    const expiresAt = new Date(at.getTime() + (waiver.expiresDayIndex - waiver.createdDayIndex) * 86_400_000);
    const findingId = await findFindingOpenAt(db, waiver.clusterId, waiver.controlId, at);
    if (findingId === null) continue;
    await createWaiver(db, { findingId, reason: waiver.reason, expiresAt, actor: waiver.createdBy, at });
    recorded += 1;
  }
  return recorded;
}

/** Removes every collected record (runs, snapshots, clusters, findings and their trail). */
export async function resetStore(db: Database): Promise<void> {
  // The audit trail refuses DELETE row by row; TRUNCATE is the deliberate, whole-store reset.
  await db.pool.query(
    `TRUNCATE finding_events, waivers, findings, posture_intervals, snapshots, run_errors, run_subscriptions,
              cluster_costs, collection_runs, raw_documents, evaluations, reachability_documents, clusters, subscriptions, run_undo_journal, run_undo_archive,
              reevaluation_results, reevaluations RESTART IDENTITY`,
  );
}
