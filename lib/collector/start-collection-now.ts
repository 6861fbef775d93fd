import "server-only";
import { getServerPostureConfig } from "@/lib/data/posture-config";
import type { Database } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { createDemoEstate, describeDemoDay } from "@/lib/sources/demo";
import { describeAzureSource, describeRunOptions, openSource } from "@/lib/sources/open-source";
import type { DemoSourceDescriptor } from "@/lib/sources/source-descriptor";
import { runCollection } from "./run-collection";
import { afterRun, findLatestCompletedRun, findRunningRun } from "./run-record";

const CONCURRENCY = 8;

/**
 * "Run collection now" (admins): starts a run in the background and returns at once; the Runs page
 * shows its progress. A demo store re-reads the demo estate; any other store reads Azure.
 */
export async function startCollectionNow(db: Database, actor: string): Promise<{ status: "started"; source: string }> {
  const running = await findRunningRun(db);
  if (running) throw new AppError("busy", `Run #${running.id} started ${running.startedAt.toISOString()} is still in progress.`);
  const env = getEnv();
  const descriptor = (env.BULKHEAD_DEMO_ACCOUNTS ? await describeDemoSourceForNow(db) : null) ?? describeAzureSource(env, { readInCluster: true, concurrency: CONCURRENCY });
  const source = await openSource(descriptor, env);
  void runCollection(db, {
    source,
    capturedAt: new Date(),
    config: getServerPostureConfig(),
    concurrency: CONCURRENCY,
    options: { ...describeRunOptions(descriptor, env), trigger: "manual", requestedBy: actor },
  })
    .then((result) => (result.status === "completed" ? afterRun(db) : undefined))
    .catch((error: unknown) => logger.warn({ err: error, requestedBy: actor }, "manual collection failed"));
  return { status: "started", source: source.kind };
}

/**
 * A demo store's "run collection now": the estate as it stands on its last day (captured now, so
 * the button works without Azure), as the store's latest demo run recorded it. Null when the store
 * was not filled by the demo.
 */
export async function describeDemoSourceForNow(db: Database): Promise<DemoSourceDescriptor | null> {
  const last = await findLatestCompletedRun(db, "demo");
  const demo = (last?.options as { demo?: { seed?: number; clusters?: number; days?: number } } | undefined)?.demo;
  if (!last || !demo?.seed || !demo.clusters || !demo.days) return null;
  return describeDemoDay(createDemoEstate({ seed: demo.seed, clusters: demo.clusters, days: demo.days, endAt: last.capturedAt }), demo.days - 1);
}
