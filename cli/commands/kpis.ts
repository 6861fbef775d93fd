// `bulkhead kpis`: the definition (flags, help); the queries load when it runs (./kpis-run).
import { Command, Option } from "commander";
import type { KpiGroupBy } from "@/lib/kpi/scope";
import { DEFAULT_MTTR_WINDOW_DAYS } from "@/lib/kpi/mttr-window";
import { parseIsoTime } from "../option-parsers";

export interface KpisOptions {
  asOf?: Date;
  from?: Date;
  by?: Exclude<KpiGroupBy, "all">;
  json?: boolean;
}

export function kpisCommand(): Command {
  return new Command("kpis")
    .description("print the KPIs (percent enabled, MTTR, allow-any rules in production, audit pass rate, lateral exposure, spend at risk, pass rate by spend)")
    .option("--as-of <iso>", "the time to compute the KPIs at (default: now)", parseIsoTime)
    .option("--from <iso>", `start of the MTTR window, exclusive (default: ${DEFAULT_MTTR_WINDOW_DAYS} days before --as-of)`, parseIsoTime)
    .addOption(new Option("--by <group>", "one row per subscription or per owner tag").choices(["subscription", "owner"]))
    .option("--json", "print the JSON object documented in docs/design.md §6")
    .addHelpText("after", "\nExamples:\n  $ bulkhead kpis --by owner\n  $ bulkhead kpis --as-of 2026-03-01 --json")
    .action(async (options: KpisOptions) => {
      const { runKpis } = await import("./kpis-run");
      await runKpis(options);
    });
}
