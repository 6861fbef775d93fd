import "server-only";
import { Cron } from "croner";
import { isAppError } from "@/lib/errors";
import type { RunCollectionResult } from "./run-collection";

export interface CollectionScheduleOptions {
  /** BULKHEAD_COLLECT_CRON: five fields, or six with seconds first. */
  cron: string;
  /** One collection run; the schedule never starts a second while one is going. */
  collect: () => Promise<RunCollectionResult>;
  /** One line per scheduled run; never given a secret (fault messages were sanitised by the source). */
  log: (line: string) => void;
  timezone?: string;
}

export interface CollectionSchedule {
  nextRun(): Date | null;
  stop(): void;
}

/**
 * The in-app collection schedule (docs/design.md §6a). A tick that comes while this process's run is
 * still going is skipped (croner's `protect`); a run held by another process (a CLI `collect`)
 * makes this tick's run fail as busy, which is logged as skipped too.
 */
export function startCollectionSchedule(options: CollectionScheduleOptions): CollectionSchedule {
  const job = new Cron(
    options.cron,
    {
      mode: "5-or-6-parts",
      timezone: options.timezone,
      protect: () => options.log("scheduled collection skipped: the previous scheduled run is still in progress"),
    },
    async () => {
      const started = Date.now();
      try {
        options.log(describeOutcome(await options.collect()));
      } catch (error) {
        if (isAppError(error) && error.code === "busy") {
          options.log("scheduled collection skipped: another collection run is in progress");
        } else {
          options.log(`scheduled collection failed after ${((Date.now() - started) / 1000).toFixed(1)} s: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    },
  );
  return { nextRun: () => job.nextRun(), stop: () => job.stop() };
}

function describeOutcome(result: RunCollectionResult): string {
  const byCause = new Map<string, number>();
  for (const fault of result.faults) byCause.set(fault.cause, (byCause.get(fault.cause) ?? 0) + 1);
  const errors = result.faults.length === 0 ? "no errors" : `errors: ${[...byCause].map(([cause, n]) => `${cause} ${n}`).join(", ")}`;
  return (
    `scheduled collection: run #${result.runId} ${result.status} in ${(result.durationMs / 1000).toFixed(1)} s, ` +
    `${result.clustersSeen} clusters, in-cluster ${result.clustersWithInCluster}/${result.clustersSeen}, ${errors}`
  );
}
