// `bulkhead import DIR --as-of ISO`: the definition; what it runs loads in the action, the store's
// client only once the files have been read and validated.
import path from "node:path";
import { Command } from "commander";
import type { FilesSourceDescriptor } from "@/lib/sources/source-descriptor";
import { EXIT } from "../exit-codes";
import { parseCaptureTime } from "../option-parsers";

export function importCommand(): Command {
  return new Command("import")
    .description("record one collection run from files: DIR/clusters.json (az aks list -o json), DIR/kube/<resourceGroup>/<cluster>/{namespaces,networkpolicies}.json and, optionally, DIR/costs.json (daily cost per cluster)")
    .argument("<dir>", "directory holding clusters.json, kube/ and optionally costs.json")
    .requiredOption("--as-of <iso>", "capture time of the files (ISO 8601; not in the future)", parseCaptureTime)
    .option("--wait", "wait for a collection run in progress instead of failing")
    .addHelpText("after", "\nExample:\n  $ bulkhead import ./export --as-of 2026-03-01T06:00:00Z\n\nA malformed clusters.json or costs.json stops the import before anything is written (exit 2).\ncosts.json is a list of {clusterId, date (YYYY-MM-DD, UTC), cost, currency (ISO 4217)}: docs/costs.md.\nA malformed kube file is recorded on the run; that cluster keeps its previous in-cluster state.")
    .action(async (dir: string, options: { asOf: Date; wait?: boolean }) => {
      const [{ getEnv }, { describeRunOptions, openSource }] = await Promise.all([import("@/lib/env"), import("@/lib/sources/open-source")]);
      const env = getEnv();
      const descriptor: FilesSourceDescriptor = { kind: "files", directory: path.resolve(dir) };
      // Files are read and validated before the store is opened: bad input changes nothing.
      const source = await openSource(descriptor, env);
      const [{ runCollection }, { afterRun }, { formatRunSummary }, { getPostureConfig, withStore }] = await Promise.all([
        import("@/lib/collector/run-collection"),
        import("@/lib/collector/run-record"),
        import("../run-summary"),
        import("../store"),
      ]);
      await withStore(async (db) => {
        const result = await runCollection(db, {
          source,
          capturedAt: options.asOf,
          config: getPostureConfig(),
          wait: options.wait,
          options: describeRunOptions(descriptor, env),
        });
        process.stderr.write(`${formatRunSummary(result)}\n`);
        if (result.status === "completed") await afterRun(db);
        process.exitCode = result.status === "completed" ? EXIT.ok : EXIT.failed;
      });
    });
}
