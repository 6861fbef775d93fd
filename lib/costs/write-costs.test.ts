import { expect, test } from "vitest";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { insertClusterCosts } from "./write-costs";

const db = setupTestDatabase();

test("a run's cost statements are stored once per cluster and day: a day stated twice keeps the first", async () => {
  const { rows } = await db.pool.query<{ id: number }>(`INSERT INTO collection_runs (source, status, captured_at) VALUES ('files', 'completed', now()) RETURNING id`);
  const client = await db.pool.connect();
  try {
    await insertClusterCosts(client, rows[0].id, [
      { clusterKey: "k1", day: "2026-03-05", cost: 120.5, currency: "EUR" },
      { clusterKey: "k1", day: "2026-03-06", cost: -3, currency: "EUR" },
      { clusterKey: "k1", day: "2026-03-05", cost: 999, currency: "USD" },
      { clusterKey: "k2", day: "2026-03-05", cost: 7, currency: "EUR" },
    ]);
    await insertClusterCosts(client, rows[0].id, []);
  } finally {
    client.release();
  }
  const stored = await db.pool.query(`SELECT cluster_key, day::text, cost::float8 AS cost, currency FROM cluster_costs WHERE run_id = $1 ORDER BY cluster_key, day`, [rows[0].id]);
  expect(stored.rows).toEqual([
    { cluster_key: "k1", day: "2026-03-05", cost: 120.5, currency: "EUR" },
    { cluster_key: "k1", day: "2026-03-06", cost: -3, currency: "EUR" },
    { cluster_key: "k2", day: "2026-03-05", cost: 7, currency: "EUR" },
  ]);
});
