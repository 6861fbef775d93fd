// Reads and seeds the e2e store through the app's own functions (run by e2e/support/store.ts in a
// child process with the store's DATABASE_URL): what a spec's seeded estate looks like in the
// store, and an expired waiver.
import { connectDatabase } from "../../lib/db/client";
import { createWaiver } from "../../lib/db/waivers";
import { listClusters } from "../../lib/data/list-clusters";
import { listRuns } from "../../lib/data/list-runs";
import { recordExpiredWaivers } from "../../lib/findings/finding-lifecycle";
import { listFindings } from "../../lib/findings/list-findings";
import { runCollection } from "../../lib/collector/run-collection";
import { RunCancelledError } from "../../lib/collector/run-progress";
import { describeDemoSourceForNow } from "../../lib/collector/start-collection-now";
import { getEnv } from "../../lib/env";
import { DEFAULT_POSTURE_CONFIG } from "../../lib/posture";
import { describeRunOptions, openSource } from "../../lib/sources/open-source";

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<unknown> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL must name the e2e store");
  const db = connectDatabase(url, { max: 2 });
  try {
    const command = process.argv[2];
    if (command === "describe") {
      // One subscription's clusters and open findings, as the pages list them, and the newest run.
      const subscription = option("subscription");
      if (!subscription) throw new Error("--subscription is required");
      const clusters = await listClusters(db, { subscription, pageSize: 100 });
      const findings = await listFindings(db, { subscription, status: "active", sort: "cluster", dir: "asc", page: 1, pageSize: 200 });
      const runs = await listRuns(db, { pageSize: 10 });
      return {
        clusters: clusters.rows.map((row) => ({ id: row.id, name: row.name, inCluster: row.inCluster })),
        findings: findings.rows.map((row) => ({ id: row.id, controlId: row.controlId, clusterName: row.clusterName })),
        runs: { total: runs.total, newest: runs.rows[0] ? { id: runs.rows[0].id, capturedAt: runs.rows[0].capturedAt } : null },
      };
    }
    if (command === "seed-expired-waiver") {
      // A waiver that was in force from --at to --expires (both after the last run, so nothing else moved) and has expired.
      const findingId = Number(option("finding"));
      const at = new Date(option("at")!);
      const expiresAt = new Date(option("expires")!);
      if (!(expiresAt.getTime() < Date.now())) throw new Error("--expires must be in the past");
      const waiver = await createWaiver(db, { findingId, reason: "Seeded by e2e: a waiver that has run out", expiresAt, actor: "security@demo.bulkhead.local", at });
      const recorded = await recordExpiredWaivers(db);
      return { waiverId: waiver.id, recorded };
    }
    if (command === "judge-as-older-rules") {
      // The store as an older Bulkhead left it: every evaluation stored under rules version 1 (its own
      // content, so its own hash), every snapshot pointing at it. `bulkhead reevaluate` undoes this.
      const client = await db.pool.connect();
      try {
        await client.query(`BEGIN`);
        await client.query(`INSERT INTO evaluations (hash, rules_version, controls, allow_any_rules, namespaces, advisories, policies, problems, first_seen_at)
                            SELECT 'rules-1-' || hash, 1, controls, allow_any_rules, namespaces, advisories, '[]', '[]', first_seen_at FROM evaluations`);
        await client.query(`UPDATE snapshots SET evaluation_hash = 'rules-1-' || evaluation_hash, rules_version = 1`);
        await client.query(`DELETE FROM evaluations WHERE hash NOT LIKE 'rules-1-%'`);
        await client.query(`COMMIT`);
      } finally {
        client.release();
      }
      return { ok: true };
    }
    if (command === "slow-run") {
      // A collection run of the store's demo estate as a CLI would run it, with every cluster's API
      // server answering after --latency ms: long enough to watch on the Runs page and to cancel.
      const descriptor = await describeDemoSourceForNow(db);
      if (!descriptor) throw new Error("the e2e store was not filled by the demo");
      const env = getEnv();
      const source = await openSource({ ...descriptor, latencyMs: Number(option("latency") ?? "400") }, env);
      try {
        // The options a CLI run records: a completed run stays one a later "Run collection now" can re-read.
        const result = await runCollection(db, { source, capturedAt: new Date(), config: DEFAULT_POSTURE_CONFIG, concurrency: 1, options: describeRunOptions(descriptor, env) });
        return { status: result.status, runId: result.runId };
      } catch (error) {
        if (error instanceof RunCancelledError) return { status: "cancelled", by: error.by };
        throw error;
      }
    }
    throw new Error(`unknown command ${command ?? "(none)"}: describe | seed-expired-waiver | judge-as-older-rules | slow-run`);
  } finally {
    await db.close();
  }
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
