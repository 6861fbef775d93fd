import { Command } from "commander";
import { parsePositiveInteger } from "../option-parsers";

interface WorkerCommandOptions {
  concurrency: number;
  pollInterval: number;
  maintenanceInterval: number;
  shutdownGrace: number;
}

export function workerCommand(): Command {
  return new Command("worker")
    .description("work on distributed collection runs (`bulkhead collect --distributed`) until stopped; run as many as you like, on any machine that reaches the store")
    .option("--concurrency <n>", "jobs worked on at once", parsePositiveInteger(256), 8)
    .option("--poll-interval <ms>", "how often an idle worker looks for jobs", parsePositiveInteger(60_000), 1_000)
    .option("--maintenance-interval <seconds>", "how often jobs of workers that died are put back to be retried", parsePositiveInteger(3_600), 30)
    .option("--shutdown-grace <seconds>", "on SIGTERM/SIGINT, time given to the current jobs before they are handed back", parsePositiveInteger(3_600), 30)
    .addHelpText(
      "after",
      [
        "",
        "The store is DATABASE_URL (every worker and the coordinator must use the same database). Azure credentials come",
        "from this worker's environment (BULKHEAD_AZURE_CREDENTIAL, AZURE_*), as for `bulkhead collect`; jobs carry none.",
        "SIGTERM or SIGINT: no new jobs, the current ones may finish; a second signal hands them back at once.",
        "See docs/distributed-collection.md.",
      ].join("\n"),
    )
    .action(async (options: WorkerCommandOptions) => {
      const { getEnv } = await import("@/lib/env");
      const env = getEnv();
      const [{ startWorker }, { createLogger }, { withStore }] = await Promise.all([import("@/lib/collector/distributed/run-worker"), import("@/lib/logger"), import("../store")]);
      await withStore(async (db) => {
        // A worker is a server process: its lines go to the server log (JSON, or readable on a terminal), on stderr.
        const logger = createLogger({ stream: "stderr", base: { component: "worker" } });
        const log = (line: string) => logger.info(line);
        const worker = await startWorker(db, {
          env,
          concurrency: options.concurrency,
          pollIntervalMs: options.pollInterval,
          maintenanceIntervalSeconds: options.maintenanceInterval,
          log,
        });
        let signals = 0;
        const onSignal = (signal: NodeJS.Signals) => {
          signals += 1;
          if (signals === 1) {
            log(`${signal}: finishing the current jobs (send it again to hand them back now)`);
            void worker.stop({ graceMs: options.shutdownGrace * 1000 });
          } else {
            worker.abortActiveJobs();
          }
        };
        // Other SIGTERM/SIGINT listeners would end the process at once; a worker lets its jobs finish
        // first (withStore then closes the store, embedded server included), so it takes them over.
        const taken = (["SIGTERM", "SIGINT"] as const).map((signal) => ({ signal, listeners: process.listeners(signal) }));
        for (const { signal, listeners } of taken) {
          for (const listener of listeners) process.off(signal, listener);
          process.on(signal, onSignal);
        }
        try {
          await worker.done;
        } finally {
          for (const { signal, listeners } of taken) {
            process.off(signal, onSignal);
            for (const listener of listeners) process.on(signal, listener);
          }
        }
      });
    });
}
