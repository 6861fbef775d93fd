import "server-only";
import { getServerPostureConfig } from "@/lib/data/posture-config";
import type { Database } from "@/lib/db/client";
import { createDemoSourceForNow } from "@/lib/demo/fill-demo-store";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { PostureSource } from "@/lib/sources/source";
import { afterRun } from "./after-run";
import { runCollection } from "./run-collection";

const CONCURRENCY = 8;

/**
 * "Run collection now" (admins): starts a run in the background and returns at once; the Runs page
 * shows its progress. A demo store re-reads the demo estate; any other store reads Azure.
 */
export async function startCollectionNow(db: Database, actor: string): Promise<{ status: "started"; source: string }> {
  const running = await db.prisma.collectionRun.findFirst({ where: { status: "running" }, orderBy: { id: "desc" } });
  if (running) throw new AppError("busy", `Run #${running.id} started ${running.startedAt.toISOString()} is still in progress.`);
  const env = getEnv();
  let source: PostureSource | null = env.BULKHEAD_DEMO_ACCOUNTS ? await createDemoSourceForNow(db) : null;
  let runOptions: Record<string, unknown> = {};
  if (!source) {
    // Loaded on demand: the Azure SDKs are heavy and most page loads never need them.
    const { createAzureSourceFromEnv } = await import("@/lib/sources/azure/create-azure-source-from-env");
    const azure = createAzureSourceFromEnv(env, { readInCluster: true, concurrency: CONCURRENCY });
    source = azure.source;
    runOptions = azure.runOptions;
  }
  void runCollection(db, {
    source,
    capturedAt: new Date(),
    config: getServerPostureConfig(),
    concurrency: CONCURRENCY,
    options: { ...runOptions, trigger: "manual", requestedBy: actor },
  })
    .then((result) => (result.status === "completed" ? afterRun(db) : undefined))
    .catch((error: Error) => console.warn(`[bulkhead] manual collection failed: ${error.message}`));
  return { status: "started", source: source.kind };
}
