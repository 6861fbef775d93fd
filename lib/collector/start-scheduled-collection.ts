import "server-only";
import { getServerPostureConfig } from "@/lib/data/posture-config";
import { getDatabase } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { describeAzureSource, describeRunOptions, openSource } from "@/lib/sources/open-source";
import { runCollection } from "./run-collection";
import { afterRun } from "./run-record";
import { startCollectionSchedule, type CollectionSchedule } from "./schedule";

/** Scheduled runs read every visible subscription, in-cluster objects included, like a plain `bulkhead collect`. */
const SCHEDULED_CONCURRENCY = 8;

/**
 * Starts BULKHEAD_COLLECT_CRON in the web server (called from instrumentation.ts). Returns null when
 * no schedule is configured. A bad credential configuration stops start-up with a ConfigError, as
 * any wrong variable does.
 */
export async function startScheduledCollection(log: (line: string) => void = (line) => logger.info({ component: "schedule" }, line)): Promise<CollectionSchedule | null> {
  const env = getEnv();
  if (!env.BULKHEAD_COLLECT_CRON) return null;
  const descriptor = describeAzureSource(env, { readInCluster: true, concurrency: SCHEDULED_CONCURRENCY });
  // Opened now, so a missing variable shows at start-up rather than at the first tick.
  await openSource(descriptor, env);
  const schedule = startCollectionSchedule({
    cron: env.BULKHEAD_COLLECT_CRON,
    log,
    async collect() {
      const db = await getDatabase();
      const result = await runCollection(db, {
        source: await openSource(descriptor, env),
        capturedAt: new Date(),
        config: getServerPostureConfig(),
        concurrency: SCHEDULED_CONCURRENCY,
        options: { ...describeRunOptions(descriptor, env), trigger: "schedule" },
      });
      if (result.status === "completed") await afterRun(db);
      return result;
    },
  });
  log(`collection scheduled (${env.BULKHEAD_COLLECT_CRON}); next run ${schedule.nextRun()?.toISOString() ?? "never"}`);
  return schedule;
}
