// The upgrade from pg-boss 10 (queue schema version 24), which pg-boss 12 cannot migrate: the
// migration 20261207003000_pg_boss_12_queue drops the old queue and fails the distributed runs
// whose jobs were in it; pg-boss 12 then installs its own schema on the next start.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "vitest";
import { findProjectRoot } from "@/lib/db/project-root";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { COLLECT_QUEUE, openJobQueue, QUEUE_SCHEMA } from "./job-queue";

const db = setupTestDatabase();

const migration = () => readFile(path.join(findProjectRoot(), "prisma", "migrations", "20261207003000_pg_boss_12_queue", "migration.sql"), "utf8");

test("a pg-boss 10 queue is dropped with its runs failed; pg-boss 12 then installs its own, which a second pass leaves alone", async () => {
  // What pg-boss 10 left: its schema at version 24, and a distributed run in flight with staging rows.
  await db.pool.query(`CREATE SCHEMA ${QUEUE_SCHEMA}; CREATE TABLE ${QUEUE_SCHEMA}.version (version int PRIMARY KEY, maintained_on timestamptz, cron_on timestamptz); INSERT INTO ${QUEUE_SCHEMA}.version VALUES (24, now(), now())`);
  const inFlight = await db.pool.query<{ id: number }>(
    `INSERT INTO collection_runs (source, status, captured_at, distributed_plan, deadline_at) VALUES ('azure', 'running', now(), '{}', now() + interval '12 hours') RETURNING id`,
  );
  const finished = await db.pool.query<{ id: number }>(`INSERT INTO collection_runs (source, status, captured_at, finished_at) VALUES ('files', 'completed', now(), now()) RETURNING id`);
  const runId = inFlight.rows[0].id;
  await db.pool.query(`INSERT INTO distributed_listings (run_id, subscription_id, position) VALUES ($1, 'sub-1', 0)`, [runId]);
  await db.pool.query(`INSERT INTO distributed_clusters (run_id, cluster_key, subscription_id, position, ref, raw) VALUES ($1, 'k', 'sub-1', 0, '{}', '{}')`, [runId]);

  await db.pool.query(await migration());

  const runs = await db.pool.query<{ id: number; status: string; failure_message: string | null }>("SELECT id, status::text, failure_message FROM collection_runs ORDER BY id");
  expect(runs.rows).toEqual([
    { id: runId, status: "failed", failure_message: expect.stringContaining("upgrade to pg-boss 12") },
    { id: finished.rows[0].id, status: "completed", failure_message: null },
  ]);
  expect((await db.pool.query("SELECT 1 FROM distributed_listings UNION ALL SELECT 1 FROM distributed_clusters")).rowCount).toBe(0);
  expect((await db.pool.query<{ present: boolean }>(`SELECT to_regnamespace('${QUEUE_SCHEMA}') IS NOT NULL AS present`)).rows[0].present).toBe(false);

  // pg-boss 12 installs its schema and the queues on the next start.
  const boss = await openJobQueue(db.pool, { supervise: false });
  try {
    expect(await boss.schemaVersion()).toBeGreaterThanOrEqual(25);
    expect(await boss.getQueue(COLLECT_QUEUE)).toMatchObject({ name: COLLECT_QUEUE, deadLetter: "bulkhead-collect-exhausted" });
  } finally {
    await boss.stop({ graceful: false, close: false });
  }

  // Applied again (a database restored from before the upgrade, replayed): pg-boss 12's queue stays.
  await db.pool.query(await migration());
  expect((await db.pool.query<{ present: boolean }>(`SELECT to_regclass('${QUEUE_SCHEMA}.job') IS NOT NULL AS present`)).rows[0].present).toBe(true);
});
