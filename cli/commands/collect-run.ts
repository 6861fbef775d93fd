// `bulkhead collect` at work, in-process or distributed; loaded by the command's action (./collect),
// not by its definition.
import type { DistributedRunProgress } from "@/lib/collector/distributed/watch-distributed-run";
import { runCollection } from "@/lib/collector/run-collection";
import { afterRun, getRunResult } from "@/lib/collector/run-record";
import { getEnv, type Env } from "@/lib/env";
import { describeAzureSource, describeRunOptions, openSource } from "@/lib/sources/open-source";
import type { AzureSourceDescriptor } from "@/lib/sources/source-descriptor";
import { createCollectProgress, type CollectProgress } from "../collect-progress";
import { EXIT } from "../exit-codes";
import { formatRunSummary } from "../run-summary";
import { getPostureConfig, withStore } from "../store";
import type { CollectOptions } from "./collect";

export async function runCollect(options: CollectOptions): Promise<void> {
  // Configuration is checked before the store opens: a wrong variable changes nothing (exit 2).
  const env = getEnv();
  // One description of the run's source, whichever way it runs.
  const descriptor = describeAzureSource(env, {
    subscriptionIds: options.subscription,
    readInCluster: options.kube,
    readCosts: options.costs,
    kubeTimeoutSeconds: options.kubeTimeout,
    concurrency: options.concurrency,
    inventory: options.inventory,
  });
  if (options.distributed) return collectDistributed(env, options, descriptor);
  const progress = createCollectProgress(process.stderr);
  const source = await openSource(descriptor, env, { onSubscriptionProgress: (p) => progress.onSubscriptions(p) });
  await withStore(async (db) => {
    try {
      const result = await runCollection(db, {
        source,
        capturedAt: new Date(),
        config: getPostureConfig(),
        concurrency: options.concurrency,
        wait: options.wait,
        onProgress: (event) => progress.onRunEvent(event),
        options: describeRunOptions(descriptor, env),
      });
      progress.stop();
      process.stderr.write(`${formatRunSummary(result)}\n`);
      if (result.status === "completed") await afterRun(db);
      process.exitCode = result.status === "completed" ? EXIT.ok : EXIT.failed;
    } finally {
      progress.stop();
    }
  });
}

/**
 * `collect --distributed`: this process only coordinates. It creates the run and its listing jobs,
 * then follows the run's progress in the store while workers do the jobs (or returns at once).
 */
async function collectDistributed(env: Env, options: CollectOptions, descriptor: AzureSourceDescriptor): Promise<void> {
  // Opened (and so checked) here, before anything is queued: a worker would only find out job by job.
  await openSource(descriptor, env);
  const { startDistributedRun } = await import("@/lib/collector/distributed/start-distributed-run");
  const { waitForDistributedRun } = await import("@/lib/collector/distributed/watch-distributed-run");
  await withStore(async (db) => {
    const started = await startDistributedRun(db, {
      source: descriptor,
      capturedAt: new Date(),
      config: getPostureConfig(),
      env,
      wait: options.wait,
      jobs: { expireInSeconds: options.jobTimeout, retryLimit: options.jobRetries },
      deadlineMs: (options.deadline ?? 720) * 60_000,
      // Workers read as they are configured, not with this process's concurrency.
      options: { ...describeRunOptions(descriptor, env), concurrency: undefined },
    });
    if (started.status === "failed") {
      process.stderr.write(`${formatRunSummary(await getRunResult(db, started.runId))}\n`);
      process.exitCode = EXIT.failed;
      return;
    }
    const listing =
      started.inventory === "resource-graph"
        ? `${started.subscriptions} subscription(s) to inventory through Resource Graph in ${started.listingJobs} job(s)`
        : `${started.subscriptions} subscription(s) to list`;
    process.stderr.write(`collect: run #${started.runId} queued: ${listing}; \`bulkhead worker\` processes do the work\n`);
    if (options.waitForRun === false) {
      process.stdout.write(`${started.runId}\n`);
      return;
    }
    const progress = createCollectProgress(process.stderr);
    try {
      const result = await waitForDistributedRun(db, started.runId, { onProgress: (p) => reportDistributedProgress(progress, p) });
      progress.stop();
      process.stderr.write(`${formatRunSummary(result)}\n`);
      process.exitCode = result.status === "completed" ? EXIT.ok : EXIT.failed;
    } finally {
      progress.stop();
    }
  });
}

/** The store's view of a distributed run, told through the same progress display as an in-process run. */
function reportDistributedProgress(progress: CollectProgress, p: DistributedRunProgress): void {
  progress.onSubscriptions({ subscriptionsDone: p.subscriptionsDone, subscriptionsTotal: p.subscriptionsTotal, clustersFound: p.clustersTotal, errors: p.errors });
  if (p.subscriptionsDone < p.subscriptionsTotal) return;
  progress.onRunEvent({ type: "listed", subscriptionsDone: p.subscriptionsDone, subscriptionsTotal: p.subscriptionsTotal, clustersTotal: p.clustersTotal });
  progress.onRunEvent({ type: "cluster", clustersDone: p.clustersDone, clustersTotal: p.clustersTotal, errors: p.errors });
  if (p.writing) progress.onRunEvent({ type: "writing", clusters: p.clustersTotal });
}
