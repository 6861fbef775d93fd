import { Command, InvalidArgumentError, Option } from "commander";
import type { DistributedRunProgress } from "@/lib/collector/distributed/watch-distributed-run";
import { runCollection } from "@/lib/collector/run-collection";
import { afterRun, getRunResult } from "@/lib/collector/run-record";
import { getEnv, type Env } from "@/lib/env";
import type { InventoryMode } from "@/lib/sources/azure/inventory-limits";
import { describeAzureSource, describeRunOptions, openSource } from "@/lib/sources/open-source";
import type { AzureSourceDescriptor } from "@/lib/sources/source-descriptor";
import { createCollectProgress, type CollectProgress } from "../collect-progress";
import { EXIT } from "../exit-codes";
import { parsePositiveInteger } from "../option-parsers";
import { formatRunSummary } from "../run-summary";
import { getPostureConfig, withStore } from "../store";

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function collectSubscription(value: string, previous: string[]): string[] {
  if (!SUBSCRIPTION_ID.test(value)) throw new InvalidArgumentError(`"${value}" is not a subscription id (a GUID such as 3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f)`);
  return [...previous, value.toLowerCase()];
}

interface CollectOptions {
  subscription: string[];
  kube: boolean;
  costs: boolean;
  concurrency: number;
  kubeTimeout?: number;
  wait?: boolean;
  inventory: InventoryMode;
  distributed?: boolean;
  /** `--no-wait`: false. Kept apart from `wait` (the run lock), which `--wait` sets. */
  waitForRun?: boolean;
  jobTimeout?: number;
  jobRetries?: number;
  deadline?: number;
}

/** An option stored under another name than its flag: `--no-wait` must not unset `--wait`. */
class RenamedOption extends Option {
  constructor(flags: string, description: string, private readonly attribute: string) {
    super(flags, description);
  }

  override attributeName(): string {
    return this.attribute;
  }
}

export function collectCommand(): Command {
  return new Command("collect")
    .description("one collection run against Azure: AKS clusters from ARM, NetworkPolicies and Namespaces from each cluster's API server")
    .option("--subscription <id>", "scan this subscription (repeatable; default: every subscription the credential can read)", collectSubscription, [])
    .option("--no-kube", "skip in-cluster reads: clusters are judged on ARM data only (namespace controls n/a)")
    .option("--no-costs", "skip reading the clusters' daily costs from Azure Cost Management (spend at risk, docs/costs.md)")
    .option("--concurrency <n>", "subscriptions listed and clusters read at once", parsePositiveInteger(64), 8)
    .option("--kube-timeout <seconds>", "time allowed to read one cluster's objects (default BULKHEAD_KUBE_TIMEOUT_SECONDS, 30)", parsePositiveInteger(600))
    .option("--wait", "wait for a collection run in progress instead of failing")
    .option("--distributed", "spread the run over `bulkhead worker` processes (one job per subscription listing and per cluster)")
    .addOption(new RenamedOption("--no-wait", "with --distributed: return once the run is queued (its id on stdout) instead of following it", "waitForRun"))
    .option("--job-timeout <seconds>", "with --distributed: how long one job may run before another worker retries it", parsePositiveInteger(86_000), 300)
    .option("--job-retries <n>", "with --distributed: retries of a failed job before it is recorded as a fault", parseRetries, 2)
    .option("--deadline <minutes>", "with --distributed: the run holds the run slot at most this long", parsePositiveInteger(24 * 60), 720)
    .addOption(
      new Option("--inventory <mode>", "how clusters are listed: resource-graph (Azure Resource Graph, 300 subscriptions per query), arm (managedClusters.list per subscription), auto (resource-graph above BULKHEAD_RESOURCE_GRAPH_THRESHOLD subscriptions, 50)")
        .choices(["auto", "resource-graph", "arm"])
        .default("auto"),
    )
    .addHelpText(
      "after",
      [
        "",
        "Credentials: BULKHEAD_AZURE_CREDENTIAL (default | client-secret | workload-identity | managed-identity | azure-cli | static-token)",
        "and the AZURE_* variables of @azure/identity; see docs/collection.md for the permissions needed.",
        "",
        "Examples:",
        "  $ bulkhead collect",
        "  $ bulkhead collect --subscription 3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f --no-kube",
        "  $ bulkhead collect --inventory resource-graph",
        "  $ bulkhead collect --distributed        # with `bulkhead worker` processes running (docs/distributed-collection.md)",
        "",
        "Exit status: 0 the run completed (recorded partial failures included), 1 nothing could be collected,",
        "2 configuration error, 3 another run is in progress.",
      ].join("\n"),
    )
    .action(async (options: CollectOptions) => {
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
    });
}

function parseRetries(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > 100) throw new InvalidArgumentError(`"${value}" is not a whole number from 0 to 100`);
  return number;
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
