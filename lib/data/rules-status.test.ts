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
