import { Command, InvalidArgumentError } from "commander";
import { afterRun } from "@/lib/collector/after-run";
import { runCollection } from "@/lib/collector/run-collection";
import { getEnv } from "@/lib/env";
import { createCollectProgress } from "../collect-progress";
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
  concurrency: number;
  kubeTimeout?: number;
  wait?: boolean;
}

export function collectCommand(): Command {
  return new Command("collect")
    .description("one collection run against Azure: AKS clusters from ARM, NetworkPolicies and Namespaces from each cluster's API server")
    .option("--subscription <id>", "scan this subscription (repeatable; default: every subscription the credential can read)", collectSubscription, [])
    .option("--no-kube", "skip in-cluster reads: clusters are judged on ARM data only (namespace controls n/a)")
    .option("--concurrency <n>", "subscriptions listed and clusters read at once", parsePositiveInteger(64), 8)
    .option("--kube-timeout <seconds>", "time allowed to read one cluster's objects (default BULKHEAD_KUBE_TIMEOUT_SECONDS, 30)", parsePositiveInteger(600))
    .option("--wait", "wait for a collection run in progress instead of failing")
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
        "",
        "Exit status: 0 the run completed (recorded partial failures included), 1 nothing could be collected,",
        "2 configuration error, 3 another run is in progress.",
      ].join("\n"),
    )
    .action(async (options: CollectOptions) => {
      // Configuration is checked before the store opens: a wrong variable changes nothing (exit 2).
      const env = getEnv();
      // The Azure and Kubernetes SDKs take seconds to load; other commands should not pay for them.
      const { createAzureSourceFromEnv } = await import("@/lib/sources/azure/create-azure-source-from-env");
      const progress = createCollectProgress(process.stderr);
      const { source, runOptions } = createAzureSourceFromEnv(env, {
        subscriptionIds: options.subscription,
        readInCluster: options.kube,
        kubeTimeoutMs: options.kubeTimeout ? options.kubeTimeout * 1000 : undefined,
        concurrency: options.concurrency,
        onSubscriptionProgress: (p) => progress.onSubscriptions(p),
      });
      await withStore(async (db) => {
        try {
          const result = await runCollection(db, {
            source,
            capturedAt: new Date(),
            config: getPostureConfig(),
            concurrency: options.concurrency,
            wait: options.wait,
            onProgress: (event) => progress.onRunEvent(event),
            options: runOptions,
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
