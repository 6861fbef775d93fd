import { randomUUID } from "node:crypto";
import type { Database } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import type { PostureConfig } from "@/lib/posture";
import { chooseInventory, DEFAULT_RESOURCE_GRAPH_THRESHOLD, MAX_SUBSCRIPTIONS_PER_QUERY } from "@/lib/sources/azure/inventory-limits";
import { openSource } from "@/lib/sources/open-source";
import { SourceError, type DiscoveredSubscription } from "@/lib/sources/source";
import type { RunFault } from "../progress";
import { describeError } from "../read-estate";
import { acquireRunSlot, createRunRow, failRun, markRunFailed, nothingCollectedMessage, releaseRunSlot, setRunDeadline } from "../run-record";
import { enqueueJobs, openJobQueue } from "./job-queue";
import { DEFAULT_JOB_SETTINGS, type DistributedPlan, type DistributedSourceDescriptor, type JobData, type JobSettings } from "./plan";
import { deleteStaging, stageSubscriptions } from "./staging";

export interface StartDistributedRunOptions {
  source: DistributedSourceDescriptor;
  capturedAt: Date;
  config: PostureConfig;
  /** The coordinator's environment, for discovering Azure subscriptions (never stored). */
  env: Env;
  /** Wait for a run in progress instead of failing with a `busy` error. */
  wait?: boolean;
  jobs?: Partial<JobSettings>;
  /** The run holds the run slot at most this long; then the next run abandons it. Default 12 h. */
  deadlineMs?: number;
  /** Stored on the run, for the Runs page (never credentials). */
  options?: Record<string, unknown>;
  signal?: AbortSignal;
}

export type StartedDistributedRun =
  | { runId: number; status: "running"; subscriptions: number; inventory: "arm" | "resource-graph"; listingJobs: number }
  | { runId: number; status: "failed"; faults: RunFault[]; message: string };

export const DEFAULT_DEADLINE_MS = 12 * 3_600_000;

/**
 * The coordinator's part of a distributed run (docs/distributed-collection.md): under the run lock,
 * the same checks as an in-process run, then the run row with its plan, the subscriptions to list
 * (staged) and one listing job each, committed together with the run's deadline. From then on the
 * row holds the run slot and the lock is free; workers do the rest.
 */
export async function startDistributedRun(db: Database, options: StartDistributedRunOptions): Promise<StartedDistributedRun> {
  const plan: DistributedPlan = { version: 1, token: randomUUID(), source: options.source, config: options.config, jobs: { ...DEFAULT_JOB_SETTINGS, ...options.jobs } };
  const boss = await openJobQueue(db.pool, { supervise: false });
  const client = await db.pool.connect();
  let runId: number | undefined;
  try {
    await acquireRunSlot(client, { wait: options.wait ?? false, signal: options.signal });
    try {
      // No deadline yet: if this process dies before the jobs are enqueued, the next run abandons it.
      runId = await createRunRow(client, {
        source: options.source.kind,
        capturedAt: options.capturedAt,
        options: { ...options.options, mode: "distributed" },
        distributedPlan: plan,
      });

      let subscriptions: DiscoveredSubscription[];
      try {
        subscriptions = await (await openSource(options.source, options.env)).discoverSubscriptions();
      } catch (error) {
        const fault: RunFault = { scope: "run", target: options.source.kind, cause: error instanceof SourceError ? error.fault.cause : "unknown", message: describeError(error) };
        return await failBeforeJobs(client, runId, [fault]);
      }
      if (subscriptions.length === 0) return await failBeforeJobs(client, runId, []);
      const inventory = chooseInventory(options.source.inventory ?? "arm", options.source.resourceGraphThreshold ?? DEFAULT_RESOURCE_GRAPH_THRESHOLD, subscriptions.length);

      await client.query("BEGIN");
      try {
        // A reset store restarts run ids: staging rows of a forgotten run must not join this one.
        await deleteStaging(client, runId);
        await stageSubscriptions(client, runId, subscriptions);
        await enqueueJobs(boss, client, listingJobs(runId, subscriptions, inventory), plan);
        await setRunDeadline(client, runId, options.deadlineMs ?? DEFAULT_DEADLINE_MS);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      }
      return { runId, status: "running", subscriptions: subscriptions.length, inventory, listingJobs: Math.ceil(subscriptions.length / (inventory === "resource-graph" ? MAX_SUBSCRIPTIONS_PER_QUERY : 1)) };
    } catch (error) {
      if (runId !== undefined) await markRunFailed(client, runId, error, { onlyWithoutDeadline: true });
      throw error;
    } finally {
      await releaseRunSlot(client).catch(() => {});
    }
  } finally {
    client.release();
    await boss.stop({ graceful: false, close: false }).catch(() => {});
  }
}

/** One listing job per subscription, or one inventory job per batch that one Resource Graph query covers. */
function listingJobs(runId: number, subscriptions: DiscoveredSubscription[], inventory: "arm" | "resource-graph"): JobData[] {
  if (inventory === "arm") return subscriptions.map((s) => ({ type: "list", runId, subscriptionId: s.subscriptionId }));
  const jobs: JobData[] = [];
  for (let start = 0; start < subscriptions.length; start += MAX_SUBSCRIPTIONS_PER_QUERY) {
    jobs.push({ type: "inventory", runId, subscriptionIds: subscriptions.slice(start, start + MAX_SUBSCRIPTIONS_PER_QUERY).map((s) => s.subscriptionId) });
  }
  return jobs;
}

/** Nothing to hand out: the run fails as an in-process run would ("Nothing could be collected"). */
async function failBeforeJobs(client: import("pg").ClientBase, runId: number, faults: RunFault[]): Promise<StartedDistributedRun> {
  const message = nothingCollectedMessage(faults);
  await failRun(client, runId, { message, faults });
  return { runId, status: "failed", faults, message };
}
