import { Command } from "commander";
import { AppError } from "@/lib/errors";
import { cliActor } from "../cli-actor";

export function runsCommand(): Command {
  const runs = new Command("runs").description("manage collection runs");
  runs
    .command("undo-last")
    .description("take back the latest completed run: the store returns to the state before it; the run stays listed as undone, with who and when")
    .option("--yes", "do it (without it, the command says which run it would undo and changes nothing)")
    .addHelpText(
      "after",
      "\nFor a run that should not have been recorded (a wrong --as-of, the wrong export). What it created goes (the findings it\nopened are kept whole in the undo archive with their trail); what it changed gets its earlier state back; a resolution it\nrecorded is withdrawn with an entry in the finding's trail. The last 5 completed runs can be undone, newest first.\n\nExample:\n  $ bulkhead runs undo-last          # shows the run\n  $ bulkhead runs undo-last --yes    # undoes it",
    )
    .action(async (options: { yes?: boolean }) => {
      const [{ findRunToUndo, undoLastRun }, { withStore }] = await Promise.all([import("@/lib/collector/undo-run"), import("../store")]);
      await withStore(async (db) => {
        const run = await findRunToUndo(db);
        if (!run) throw new AppError("conflict", "There is no completed run to undo.");
        const described = `run #${run.id} (${run.source}, captured ${run.capturedAt.toISOString()}, ${run.clustersSeen} clusters)`;
        if (!options.yes) {
          throw new AppError("bad-request", `The latest completed run is ${described}. Pass --yes to undo it.`);
        }
        const result = await undoLastRun(db, cliActor());
        process.stdout.write(
          [
            `Undid ${described}.`,
            `  snapshots removed: ${result.snapshotsRemoved}; clusters restored: ${result.clustersRestored}, removed: ${result.clustersRemoved}`,
            `  findings restored: ${result.findingsRestored}, removed: ${result.findingsRemoved} (archived with their trail)`,
            `  posture intervals removed: ${result.intervalsRemoved}, reopened: ${result.intervalsReopened}`,
            "",
          ].join("\n"),
        );
      });
    });
  return runs;
}
