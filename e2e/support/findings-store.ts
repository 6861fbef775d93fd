// Seeds the e2e store through the app's own functions (run by e2e/support/store.ts in a child
// process with the store's DATABASE_URL): picks findings to work on and writes an expired waiver.
import { connectDatabase } from "@/lib/db/client";
import { controlStatusOfSql } from "@/lib/db/control-columns";
import { createWaiver } from "@/lib/db/waivers";
import { recordExpiredWaivers } from "@/lib/findings/finding-lifecycle";

const CONTROL_COLUMN = controlStatusOfSql("f.control_id", "pi");

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
    if (command === "pick") {
      // An open finding, never waived, whose control fails on the cluster's current state: waiving it moves the KPIs.
      const exclude = (option("exclude") ?? "").split(",").filter(Boolean).map(Number);
      const { rows } = await db.pool.query<{ id: number; control_id: string; cluster_name: string }>(
        `SELECT f.id, f.control_id, c.name AS cluster_name
           FROM findings f
           JOIN clusters c ON c.id = f.cluster_id AND c.deleted_at IS NULL
           JOIN posture_intervals pi ON pi.cluster_id = f.cluster_id AND pi.valid_to IS NULL
          WHERE f.resolved_at IS NULL AND ${CONTROL_COLUMN} = 'fail'
            AND NOT EXISTS (SELECT 1 FROM waivers w WHERE w.finding_id = f.id)
            AND NOT (f.id = ANY($1::int4[]))
          ORDER BY f.production DESC, f.id
          OFFSET $2 LIMIT 1`,
        [exclude, Number(option("offset") ?? 0)],
      );
      if (!rows[0]) throw new Error("no open, unwaived, failing finding left in the store");
      const last = await db.pool.query<{ at: Date }>(`SELECT max(captured_at) AS at FROM collection_runs`);
      return { id: rows[0].id, controlId: rows[0].control_id, clusterName: rows[0].cluster_name, lastRunAt: last.rows[0].at.toISOString() };
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
    throw new Error(`unknown command ${command ?? "(none)"}: pick | seed-expired-waiver`);
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
