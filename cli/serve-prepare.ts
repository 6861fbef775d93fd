// What `bulkhead serve` does to the store before the web server starts (migrations, the demo estate,
// its accounts, the rules notice), run in a child process of its own (bin/serve-prepare.mjs): the
// Prisma client, the collector and the demo generator it loads then leave with the child, instead of
// staying resident for as long as the dashboard is served in the supervising `serve` process.
import { openDatabase } from "@/lib/db/client";
import { ensureDemoAccounts } from "@/lib/auth/local-users";
import { getEnv } from "@/lib/env";
import { exitCodeFor } from "./exit-codes";
import { getPostureConfig, printRulesNotice } from "./store";

export interface PrepareOptions {
  demo: boolean;
  demoClusters: number;
  demoDays: number;
}

export async function prepareStore(options: PrepareOptions): Promise<void> {
  const env = getEnv();
  const db = await openDatabase();
  try {
    if (options.demo) {
      const { fillDemoStore, isStoreEmpty } = await import("@/lib/demo/fill-demo-store");
      if (await isStoreEmpty(db)) {
        process.stderr.write(`Filling the empty store with the demo estate (${options.demoClusters} clusters, ${options.demoDays} days)…\n`);
        const result = await fillDemoStore(db, { clusters: options.demoClusters, days: options.demoDays, config: getPostureConfig(), env });
        process.stderr.write(`Demo estate recorded: ${result.runs} runs, ${result.clusters} clusters.\n`);
      }
      await ensureDemoAccounts(db);
    }
    // After an upgrade of the rules: said here, and to admins in the dashboard's banner.
    await printRulesNotice(db);
  } finally {
    // The supervising `serve` holds its own lease on the embedded server, so it keeps running.
    await db.close();
  }
}

/** The child's entry: the options as JSON in argv[2]; errors as the CLI reports them, with its exit codes. */
export async function runPrepareChild(argv: string[]): Promise<void> {
  try {
    await prepareStore(JSON.parse(argv[2] ?? "{}") as PrepareOptions);
  } catch (error) {
    process.stderr.write(`bulkhead: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = exitCodeFor(error);
  }
}
