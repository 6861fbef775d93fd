import type pg from "pg";
import { expect, test } from "vitest";
import { RUN_LOCK_KEY } from "@/lib/collector/run-record";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG, RULES_VERSION } from "@/lib/posture";
import { makeCluster, makeInCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { readRulesStatus } from "./rules-status";

const db = setupTestDatabase();

/** Counts the queries a client has in flight at once, as pg would queue them. */
function watched(client: pg.PoolClient): { client: pg.PoolClient; maxInFlight: () => number } {
  let inFlight = 0;
  let max = 0;
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const proxy = new Proxy(client, {
    get(target, key, receiver) {
      if (key !== "query") return Reflect.get(target, key, receiver);
      return async (...args: unknown[]) => {
        inFlight += 1;
        max = Math.max(max, inFlight);
        try {
          return await query(...args);
        } finally {
          inFlight -= 1;
        }
      };
    },
  });
  return { client: proxy, maxInFlight: () => max };
}

test("on one client (a re-evaluation's) the status is read one query at a time, and reads the same as on the pool", async () => {
  await runCollection(db, {
    source: scriptedSource({ [SUB_A]: [makeCluster({ name: "c1", owner: "payments" })] }, { c1: makeInCluster({}) }),
    capturedAt: new Date("2026-06-01T06:00:00Z"),
    config: DEFAULT_POSTURE_CONFIG,
  });
  const fromPool = await readRulesStatus(db.pool, RUN_LOCK_KEY);
  expect(fromPool).toMatchObject({ currentVersion: RULES_VERSION, storedVersion: RULES_VERSION, reachabilityMissing: false, needsReevaluation: false, latest: null });
  const connection = await db.pool.connect();
  try {
    const { client, maxInFlight } = watched(connection);
    expect(await readRulesStatus(client, RUN_LOCK_KEY)).toEqual(fromPool);
    expect(maxInFlight()).toBe(1);
  } finally {
    connection.release();
  }
});

test("the status is read from one snapshot: a re-evaluation committing meanwhile is seen whole or not at all", async () => {
  await runCollection(db, {
    source: scriptedSource({ [SUB_A]: [makeCluster({ name: "c1", owner: "payments" })] }, { c1: makeInCluster({}) }),
    capturedAt: new Date("2026-06-02T06:00:00Z"),
    config: DEFAULT_POSTURE_CONFIG,
  });
  await db.pool.query(`INSERT INTO reevaluations (rules_version, config_hash, started_by, from_rules_version) VALUES ($1, 'x', 'admin', 1)`, [RULES_VERSION]);
  await db.pool.query(`UPDATE evaluations SET rules_version = 1`); // as it stands before the re-evaluation commits
  // A writer that does what a re-evaluation's last transaction does, over and over: the evaluations'
  // rules version and the run's status change together, back and forth.
  const writer = await db.pool.connect();
  let writing = true;
  let commits = 0;
  const writes = (async () => {
    for (let done = false; writing; done = !done) {
      await writer.query("BEGIN");
      await writer.query(`UPDATE evaluations SET rules_version = $1`, [done ? RULES_VERSION : 1]);
      await writer.query(`UPDATE reevaluations SET status = $1`, [done ? "completed" : "running"]);
      await writer.query("COMMIT");
      commits += 1;
    }
  })();
  const torn: string[] = [];
  let reads = 0;
  try {
    const until = Date.now() + 1_500;
    while (Date.now() < until) {
      const batch = await Promise.all(Array.from({ length: 4 }, () => readRulesStatus(db.pool, RUN_LOCK_KEY)));
      for (const status of batch) {
        reads += 1;
        const completed = status.latest?.status === "completed";
        if (completed !== (status.storedVersion === RULES_VERSION)) torn.push(`${status.latest?.status} with stored version ${status.storedVersion}`);
      }
    }
  } finally {
    writing = false;
    await writes;
    writer.release();
  }
  expect(commits).toBeGreaterThan(10);
  expect(reads).toBeGreaterThan(40);
  expect(torn).toEqual([]);
});
