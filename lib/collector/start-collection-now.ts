import "server-only";
import type { PoolClient } from "pg";
import { getServerPostureConfig } from "@/lib/data/posture-config";
import type { Database } from "@/lib/db/client";
import { createDemoSourceForNow } from "@/lib/demo/fill-demo-store";
import { getEnv } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import type { PostureSource } from "@/lib/sources/source";
import { afterRun } from "./after-run";
import { acquireRunSlot } from "./distributed/run-slot";
import { runCollection } from "./run-collection";
import { failRunsWithoutLockHolder } from "./run-lock";

const CONCURRENCY = 8;

/**
 * "Run collection now" (admins): takes the run slot before it answers, so of several requests at
 * once exactly one starts a run and the others get a clear 409; a run whose process died (no lock
 * holder) is marked failed first and blocks nobody. The run itself goes on in the background; the
 * Runs page shows its progress. A demo store re-reads the demo estate; any other store reads Azure.
 */
export async function startCollectionNow(db: Database, actor: string): Promise<{ status: "started"; source: string }> {
  const slot = await claimRunSlotNow(db);
  let source: PostureSource;
  let runOptions: Record<string, unknown> = {};
  try {
    const env = getEnv();
    const demo = env.BULKHEAD_DEMO_ACCOUNTS ? await createDemoSourceForNow(db) : null;
    if (demo) {
      source = demo;
    } else {
      // Loaded on demand: the Azure SDKs are heavy and most page loads never need them.
      const { createAzureSourceFromEnv } = await import("@/lib/sources/azure/create-azure-source-from-env");
      const azure = createAzureSourceFromEnv(env, { readInCluster: true, concurrency: CONCURRENCY });
      source = azure.source;
      runOptions = azure.runOptions;
    }
  } catch (error) {
    await releaseSlot(slot);
    throw error;
  }
  void runCollection(db, {
    source,
    capturedAt: new Date(),
    config: getServerPostureConfig(),
    concurrency: CONCURRENCY,
    options: { ...runOptions, trigger: "manual", requestedBy: actor },
    heldSlot: slot,
  })
    .then((result) => (result.status === "completed" ? afterRun(db) : undefined))
    .catch((error: Error) => console.warn(`[bulkhead] manual collection failed: ${error.message}`));
  return { status: "started", source: source.kind };
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
      const running = await db.prisma.collectionRun.findFirst({ where: { status: "running" }, orderBy: { id: "desc" } });
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
  await client.query("SELECT pg_advisory_unlock_all()").catch(() => {});
  client.release();
}
