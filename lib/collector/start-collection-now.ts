import "server-only";
import type { PoolClient } from "pg";
import { getServerPostureConfig } from "@/lib/data/posture-config";
import type { Database } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { createDemoEstate, describeDemoDay } from "@/lib/sources/demo";
import { describeAzureSource, describeRunOptions, openSource } from "@/lib/sources/open-source";
import type { PostureSource } from "@/lib/sources/source";
import type { DemoSourceDescriptor, SourceDescriptor } from "@/lib/sources/source-descriptor";
import { runCollection } from "./run-collection";
import { acquireRunSlot, afterRun, failRunsWithoutLockHolder, findLatestCompletedRun, findRunningRun, releaseRunSlot } from "./run-record";

const CONCURRENCY = 8;

/**
 * "Run collection now" (admins): takes the run slot before it answers, so of several requests at
 * once exactly one starts a run and the others get a clear 409; a run whose process died (no lock
 * holder) is marked failed first and blocks nobody. The run itself goes on in the background; the
 * Runs page shows its progress. A demo store re-reads the demo estate; any other store reads Azure.
 */
export async function startCollectionNow(db: Database, actor: string): Promise<{ status: "started"; source: string }> {
  const slot = await claimRunSlotNow(db);
  const env = getEnv();
  let descriptor: SourceDescriptor;
  let source: PostureSource;
  try {
    descriptor = (env.BULKHEAD_DEMO_ACCOUNTS ? await describeDemoSourceForNow(db) : null) ?? describeAzureSource(env, { readInCluster: true, concurrency: CONCURRENCY });
    source = await openSource(descriptor, env);
  } catch (error) {
    await releaseSlot(slot);
    throw error;
  }
  void runCollection(db, {
    source,
    capturedAt: new Date(),
    config: getServerPostureConfig(),
    concurrency: CONCURRENCY,
    options: { ...describeRunOptions(descriptor, env), trigger: "manual", requestedBy: actor },
    heldSlot: slot,
  })
    .then((result) => (result.status === "completed" ? afterRun(db) : undefined))
    .catch((error: unknown) => logger.warn({ err: error, requestedBy: actor }, "manual collection failed"));
  return { status: "started", source: source.kind };
}

/**
 * A demo store's "run collection now": the estate as it stands on its last day (captured now, so
 * the button works without Azure), as the store's latest demo run recorded it, whether the demo
 * filled it or an earlier "Run collection now" did (each records the estate's options, so the
 * second, third… run re-reads the same estate). Null when the store was not filled by the demo.
 */
export async function describeDemoSourceForNow(db: Database): Promise<DemoSourceDescriptor | null> {
  const last = await findLatestCompletedRun(db, "demo");
  const demo = (last?.options as { demo?: { seed?: unknown; clusters?: unknown; days?: unknown; subscriptions?: unknown; owners?: unknown } } | undefined)?.demo;
  // A seed of 0 is a seed: only a missing one means the run was not the demo's.
  if (!last || !Number.isInteger(demo?.seed) || !Number.isInteger(demo?.clusters) || !Number.isInteger(demo?.days)) return null;
  const options = {
    seed: demo!.seed as number,
    clusters: demo!.clusters as number,
    days: demo!.days as number,
    ...(Number.isInteger(demo!.subscriptions) ? { subscriptions: demo!.subscriptions as number } : {}),
    ...(Number.isInteger(demo!.owners) ? { owners: demo!.owners as number } : {}),
    endAt: last.capturedAt,
  };
  return describeDemoDay(createDemoEstate(options), options.days - 1);
}

/** A pooled connection holding the run slot, or a `busy` error a person can act on. */
async function claimRunSlotNow(db: Database): Promise<PoolClient> {
  await failRunsWithoutLockHolder(db.pool);
  const client = await db.pool.connect();
  try {
    await acquireRunSlot(client, { wait: false });
    return client;
  } catch (error) {
    client.release();
    if (isAppError(error) && error.code === "busy") {
      const running = await findRunningRun(db);
      throw new AppError(
        "busy",
        running
          ? `Run #${running.id} (${running.source}, started ${running.startedAt.toISOString()}) is still in progress; try again when it has finished.`
          : "Another collection run is starting; try again when it has finished.",
      );
    }
    throw error;
  }
}

async function releaseSlot(client: PoolClient): Promise<void> {
  await releaseRunSlot(client).catch(() => {});
  client.release();
}
