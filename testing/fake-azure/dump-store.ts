import type { Database } from "@/lib/db/client";

const TABLES = ["collection_runs", "run_errors", "run_subscriptions", "raw_documents", "snapshots", "clusters", "subscriptions", "findings", "finding_events"];

/** Every row of the tables a run writes, as text: for asserting that no secret reached the store. */
export async function dumpStore(db: Database): Promise<string> {
  const parts: string[] = [];
  for (const table of TABLES) {
    const { rows } = await db.pool.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t`);
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join("\n");
}
