import { openDatabase, type OpenedDatabase } from "@/lib/db/client";
import { RUN_LOCK_KEY } from "@/lib/collector/run-lock-key";
import { describeRulesUpgrade, readRulesStatus } from "@/lib/data/rules-status";

/**
 * Opens the store (DATABASE_URL or the embedded Postgres), runs `work`, and always closes it. Unless
 * told otherwise it first says on stderr when the store holds history judged with older rules
 * (docs/reevaluate.md): the first command after an upgrade tells what to run.
 */
export async function withStore<T>(work: (db: OpenedDatabase) => Promise<T>, options: { rulesNotice?: boolean } = {}): Promise<T> {
  const db = await openDatabase();
  try {
    if (options.rulesNotice !== false) await printRulesNotice(db);
    return await work(db);
  } finally {
    await db.close();
  }
}

export async function printRulesNotice(db: OpenedDatabase): Promise<void> {
  const notice = describeRulesUpgrade(await readRulesStatus(db.pool, RUN_LOCK_KEY));
  if (notice) process.stderr.write(`bulkhead: ${notice}\n`);
}

/** The posture rules' configuration from the environment (docs/design.md §6a), as the web server reads it. */
export { getServerPostureConfig as getPostureConfig } from "@/lib/data/posture-config";
