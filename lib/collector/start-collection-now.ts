import "server-only";
import { getServerPostureConfig } from "@/lib/data/posture-config";
import type { Database } from "@/lib/db/client";
import { describeDemoSourceForNow } from "@/lib/demo/fill-demo-store";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { describeAzureSource, describeRunOptions, openSource } from "@/lib/sources/open-source";
import { runCollection } from "./run-collection";
import { afterRun, findRunningRun } from "./run-record";

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
    .catch((error: Error) => console.warn(`[bulkhead] manual collection failed: ${error.message}`));
  return { status: "started", source: source.kind };
}
