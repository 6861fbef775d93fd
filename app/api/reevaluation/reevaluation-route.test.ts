// GET/POST /api/reevaluation: the notice everyone reads, and "Re-evaluate history" for admins, which
// starts a real `bulkhead reevaluate` process against the store.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { RUN_LOCK_KEY } from "@/lib/collector/run-record";
import type { RulesStatus } from "@/lib/data/rules-status";
import { readRulesStatus } from "@/lib/data/rules-status";
import { DEFAULT_POSTURE_CONFIG, RULES_VERSION } from "@/lib/posture";
import { callRoute, signInAs } from "@/testing/auth-session";
import { makeCluster, makeInCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { judgeWithRulesOne } from "@/testing/rules-one";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";

let db: TestDatabase;
let admin: string;
let security: string;
let route: typeof import("./route");

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.BULKHEAD_DATA_DIR = await mkdtemp(path.join(tmpdir(), "bulkhead-reevaluation-route-"));
  // History recorded by a version that judged with rules 1.
  const source = scriptedSource({ [SUB_A]: [makeCluster({ name: "aks-a", owner: "team-a" }), makeCluster({ name: "aks-b", networkPolicy: "none" })] }, { "aks-a": makeInCluster({ allowAnyIngress: true }) });
  for (const day of [1, 2, 3]) {
    await runCollection(db, { source, capturedAt: new Date(Date.UTC(2026, 2, day, 6)), config: DEFAULT_POSTURE_CONFIG, judge: judgeWithRulesOne });
  }
  admin = await signInAs(db, "admin");
  security = await signInAs(db, "security");
  route = await import("./route");
});
afterAll(async () => {
  await db?.close();
});

const status = async (cookie: string) => {
  const answer = await callRoute(route.GET, { path: "/api/reevaluation", cookie });
  expect(answer.status).toBe(200);
  return answer.body as RulesStatus;
};
const start = (cookie: string, origin?: string) => callRoute(route.POST, { method: "POST", path: "/api/reevaluation", cookie, body: {}, origin });

describe("/api/reevaluation", () => {
  test("every signed-in user reads where the store stands; only admins may start, from our own origin", async () => {
    expect(await status(security)).toMatchObject({ storedVersion: 1, currentVersion: RULES_VERSION, needsReevaluation: true, latest: null });
    expect((await start(security)).status).toBe(403);
    expect((await start(admin, "https://evil.example")).status).toBe(403);
    expect((await callRoute(route.GET, { path: "/api/reevaluation" })).status).toBe(401);
  });

  test("an admin starts it; it runs in a process of its own, names the admin, and brings the store to the current rules", async () => {
    const answer = await start(admin);
    expect(answer).toMatchObject({ status: 200, body: { status: "started" } });

    let current = await status(admin);
    for (let attempt = 0; attempt < 600 && current.latest?.status !== "completed"; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      current = await status(admin);
    }
    expect(current).toMatchObject({ storedVersion: RULES_VERSION, needsReevaluation: false, latest: { status: "completed", startedBy: "admin@test.bulkhead.local", fromRulesVersion: 1 } });

    // Nothing left to do: a second click is a clear 409, and nothing starts.
    const again = await start(admin);
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toMatch(/judged with rules version \d already/);
  });

  test("while a collection holds the run slot, starting is refused with 409", async () => {
    await db.pool.query(`UPDATE evaluations SET rules_version = 1`); // pretend an upgrade again
    const holder = await db.pool.connect();
    try {
      await holder.query("SELECT pg_advisory_lock($1)", [RUN_LOCK_KEY]);
      const answer = await start(admin);
      expect(answer.status).toBe(409);
      expect(JSON.stringify(answer.body)).toMatch(/writing; try again|in progress/);
    } finally {
      await holder.query("SELECT pg_advisory_unlock($1)", [RUN_LOCK_KEY]);
      holder.release();
    }
    expect((await readRulesStatus(db.pool, RUN_LOCK_KEY)).latest?.status).toBe("completed");
  });
});
