import { Command } from "commander";
import { parseInteger, parsePositiveInteger } from "../option-parsers";

export function demoCommand(): Command {
  return new Command("demo")
    .description("fill an empty store with a deterministic synthetic AKS estate and its daily history")
    .option("--clusters <n>", "clusters on the last day", parsePositiveInteger(100_000), 150)
    .option("--days <n>", "days of daily history", parsePositiveInteger(3_650), 180)
    .option("--seed <n>", "random seed: the same seed gives the same estate", parseInteger, 42)
    .option("--reset", "first delete everything the store holds (all runs, findings and their trail)")
    .addHelpText("after", "\nExample:\n  $ bulkhead demo && bulkhead kpis --by owner")
    .action(async (options: { clusters: number; days: number; seed: number; reset?: boolean }) => {
      const { getEnv } = await import("@/lib/env");
      const env = getEnv();
      const [{ default: cliProgress }, { fillDemoStore, resetStore }, { getPostureConfig, withStore }] = await Promise.all([
        import("cli-progress"),
        import("@/lib/demo/fill-demo-store"),
        import("../store"),
      ]);
      await withStore(async (db) => {
        if (options.reset) await resetStore(db);
        const bar = process.stderr.isTTY
          ? new cliProgress.SingleBar({ format: "demo history [{bar}] {value}/{total} days | {duration_formatted}", stream: process.stderr }, cliProgress.Presets.shades_classic)
          : null;
        bar?.start(options.days, 0);
        let lastLogged = 0;
        const result = await fillDemoStore(db, {
          clusters: options.clusters,
          days: options.days,
          seed: options.seed,
          config: getPostureConfig(),
          env,
          onDay: (done, total) => {
            bar?.update(done);
            if (!bar && (done - lastLogged >= 30 || done === total)) {
              lastLogged = done;
              process.stderr.write(`demo history: ${done}/${total} days\n`);
            }
          },
        });
        bar?.stop();
        process.stderr.write(
          `Demo estate recorded: ${result.runs} daily runs up to ${result.endAt.toISOString()}, ${result.clusters} clusters on the last day, ${result.waivers} waivers, ${result.faults} recorded source faults.\n`,
        );
      });
    });
}
