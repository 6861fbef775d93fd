// `bulkhead collect`: the definition (flags, their checks, help); the collector and the Azure source
// load when it runs (./collect-run).
import { Command, InvalidArgumentError, Option } from "commander";
import type { InventoryMode } from "@/lib/sources/azure/inventory-limits";
import { parsePositiveInteger } from "../option-parsers";

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function collectSubscription(value: string, previous: string[]): string[] {
  if (!SUBSCRIPTION_ID.test(value)) throw new InvalidArgumentError(`"${value}" is not a subscription id (a GUID such as 3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f)`);
  return [...previous, value.toLowerCase()];
}

export interface CollectOptions {
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
      const { runCollect } = await import("./collect-run");
      await runCollect(options);
    });
}

function parseRetries(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > 100) throw new InvalidArgumentError(`"${value}" is not a whole number from 0 to 100`);
  return number;
}
