// `bulkhead reevaluate`: the definition (flags, help); the re-evaluation loads when it runs (./reevaluate-run).
import { Command, Option } from "commander";
import { parsePositiveInteger } from "../option-parsers";

export interface ReevaluateOptions {
  ifNeeded?: boolean;
  wait?: boolean;
  batch: number;
  actor?: string;
}

export function reevaluateCommand(): Command {
  return new Command("reevaluate")
    .description("judge every stored snapshot again from its raw documents under this version's rules, and rebuild statuses, posture intervals and findings")
    .option("--if-needed", "do nothing unless the store holds history of older rules or an interrupted re-evaluation")
    .option("--wait", "wait for a collection run in progress instead of failing")
    .option("--batch <n>", "distinct source documents judged per committed batch: what a kill can lose (default 200)", parsePositiveInteger(100_000), 200)
    .addOption(new Option("--actor <who>", "who asked, for the trail (the dashboard passes the admin)").hideHelp())
    .addHelpText(
      "after",
      "\nThe run slot is held throughout: no collection writes meanwhile. Judging commits in batches and resumes where it\nstopped after a kill or Ctrl-C; writing is one transaction, so pages and KPIs show the earlier judgement until it\ncommits. Findings keep their workflow on the same (cluster, control) episodes; an episode the rules no longer find is\nclosed as superseded, a new one is opened, each with a rules-changed entry in its trail.\n\nExample:\n  $ bulkhead reevaluate",
    )
    .action(async (options: ReevaluateOptions) => {
      const { runReevaluate } = await import("./reevaluate-run");
      await runReevaluate(options);
    });
}
