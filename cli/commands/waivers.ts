// `bulkhead waivers import FILE --cluster C [--yes]`: an exceptions file (docs/ci.md) as waivers of a
// cluster's findings, with the matcher `bulkhead analyze --exceptions` uses. The definition; the
// import loads when it runs (./waivers-run).

import { Command } from "commander";

export function waiversCommand(): Command {
  const waivers = new Command("waivers").description("waivers of findings");
  waivers
    .command("import")
    .description("import an exceptions file (the one `bulkhead analyze --exceptions` reads) as waivers of a cluster's open findings")
    .argument("<file>", "the exceptions YAML file")
    .requiredOption("--cluster <cluster>", "the cluster: its name, ARM resource id or number")
    .option("--yes", "record the waivers (without it, the command says what it would waive and changes nothing)")
    .addHelpText(
      "after",
      "\nA finding is waived when an exception that has not expired covers every namespace, rule or cluster it fails on, until the\nearliest expiry among them (at most 180 days ahead). Each waiver names the file and the exceptions in its reason.\n\nExample:\n  $ bulkhead waivers import bulkhead-exceptions.yaml --cluster aks-prod-weu\n  $ bulkhead waivers import bulkhead-exceptions.yaml --cluster aks-prod-weu --yes",
    )
    .action(async (file: string, options: { cluster: string; yes?: boolean }) => {
      const { runWaiversImport } = await import("./waivers-run");
      await runWaiversImport(file, options);
    });
  return waivers;
}
