import "server-only";
import type { Database } from "@/lib/db/client";
import { notifyOverdueFindings, recordExpiredWaivers } from "@/lib/findings/finding-lifecycle";

/**
 * Housekeeping after a completed run: expired waivers enter the audit trail (their findings are
 * back in the KPIs), findings past their due date are announced. Never fails the run.
 */
export async function afterRun(db: Database, now: Date = new Date()): Promise<void> {
  try {
    await recordExpiredWaivers(db, now);
    await notifyOverdueFindings(db, now);
  } catch (error) {
    console.warn(`[bulkhead] after-run housekeeping failed: ${(error as Error).message}`);
  }
}
