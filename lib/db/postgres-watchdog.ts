// Runs beside an embedded Postgres (started by lib/db/embedded.ts, one per server): stops the server
// once no process holds a lease on its data directory, which is what is left when the process that
// started it was killed (SIGKILL leaves no chance to clean up). Exits when the server is gone.

import { isProcessAlive, liveLeaseHolders, stopPostmaster } from "./embedded-lease";

/** How often the leases are looked at, and how many looks in a row must find none before stopping. */
export const WATCHDOG_INTERVAL_MS = 1_000;
export const WATCHDOG_IDLE_CHECKS = 2;

export async function watchEmbeddedPostgres(root: string, postmasterPid: number): Promise<void> {
  let idle = 0;
  for (;;) {
    if (!isProcessAlive(postmasterPid)) return;
    idle = liveLeaseHolders(root).length === 0 ? idle + 1 : 0;
    if (idle >= WATCHDOG_IDLE_CHECKS) {
      await stopPostmaster(postmasterPid);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, WATCHDOG_INTERVAL_MS));
  }
}
