import { getEnv } from "@/lib/env";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { API_CONCURRENCY, API_QUEUE_LIMIT, getApiGate } from "@/lib/auth/with-auth";
import { getServerPostureConfig } from "@/lib/data/posture-config";
import { getDatabase } from "@/lib/db/client";
import { fillDemoStore } from "@/lib/demo/fill-demo-store";
import { signInAs } from "@/testing/auth-session";
import { httpRequest, serveRoutes, type HttpAnswer, type RouteServer } from "@/testing/route-server";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";

// A bounded burst on loopback: far more requests at once than the server serves at once.
const BURST_READS = 240;
const BURST_WRITES = 40;

let db: TestDatabase;
let server: RouteServer;
let cookie: string;
let findingId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.BULKHEAD_DATA_DIR = await mkdtemp(path.join(tmpdir(), "bulkhead-overload-"));
  await fillDemoStore(db, { clusters: 150, days: 30, config: getServerPostureConfig(), env: getEnv() });
  findingId = (await db.prisma.finding.findFirstOrThrow({ where: { resolvedAt: null } })).id;
  cookie = await signInAs(db, "admin", "load.admin@example.com");
  server = await serveRoutes({
    "/api/overview": await import("./overview/route"),
    "/api/kpis": await import("./kpis/route"),
    "/api/findings/[id]/comments": await import("./findings/[id]/comments/route"),
  });
}, 300_000);
afterAll(async () => {
  await server?.close();
  await db?.close();
});

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface BurstAnswer extends HttpAnswer {
  ms: number;
}

// The burst is sent from a worker thread: sharing the server's event loop, the client could not
// send faster than the server answers, and there would be no burst at all.
const BURST_CLIENT = `
const http = require("node:http");
const { parentPort, workerData } = require("node:worker_threads");
const fire = (request) => new Promise((resolve) => {
  const started = performance.now();
  const target = new URL(request.url);
  const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: request.method, headers: request.headers, agent: false }, (res) => {
    const chunks = [];
    res.on("data", (chunk) => chunks.push(chunk));
    res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started }));
  });
  req.on("error", (error) => resolve({ status: 0, headers: {}, body: String(error), ms: performance.now() - started }));
  if (request.body !== undefined) req.write(request.body);
  req.end();
});
Promise.all(workerData.map(fire)).then((answers) => parentPort.postMessage(answers));
`;

function burst(requests: { url: string; method: string; headers: Record<string, string>; body?: string }[]): Promise<BurstAnswer[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BURST_CLIENT, { eval: true, workerData: requests });
    worker.once("message", (answers: BurstAnswer[]) => {
      void worker.terminate();
      resolve(answers);
    });
    worker.once("error", reject);
  });
}

describe("overload degrades cleanly", () => {
  test("a burst is served or told to come back (503 + Retry-After); no 5xx otherwise, no lost write, no leaked connection", async () => {
    const headers = { cookie, origin: "http://localhost:3000" };
    const reads = Array.from({ length: BURST_READS }, (_, index) => ({ url: `${server.url}/api/${index % 3 === 0 ? "kpis" : "overview"}`, method: "GET", headers }));
    const writes = Array.from({ length: BURST_WRITES }, (_, index) => ({
      url: `${server.url}/api/findings/${findingId}/comments`,
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ text: `burst comment ${index}` }),
    }));
    const answers = await burst([...reads, ...writes]);
    const readAnswers = answers.slice(0, BURST_READS);
    const writeAnswers = answers.slice(BURST_READS);

    const statuses = new Map<number, number>();
    for (const answer of answers) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200]));
    expect([...statuses.keys()].every((status) => status === 200 || status === 503)).toBe(true);
    const refused = answers.filter((answer) => answer.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(Number(answer.headers["retry-after"])).toBeGreaterThan(0);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "overloaded" } });
    }

    // Every write answered 200 is stored, every refused one is not: nothing lost, nothing doubled.
    const stored = await db.prisma.findingEvent.count({ where: { findingId, type: "commented", actor: "load.admin@example.com" } });
    expect(stored).toBe(writeAnswers.filter((answer) => answer.status === 200).length);

    // The gate is empty again and the pool holds no checked-out connection.
    const gate = getApiGate().stats();
    expect(gate).toMatchObject({ active: 0, waiting: 0 });
    expect(gate.peakActive).toBeLessThanOrEqual(API_CONCURRENCY);
    expect(gate.peakWaiting).toBeLessThanOrEqual(API_QUEUE_LIMIT);
    const { pool } = await getDatabase();
    expect(pool.totalCount - pool.idleCount).toBe(0);
    expect(pool.waitingCount).toBe(0);
    const { rows } = await db.pool.query<{ state: string | null; count: string }>(
      `SELECT state, count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY state`,
    );
    const byState = Object.fromEntries(rows.map((row) => [row.state ?? "unknown", Number(row.count)]));
    expect(byState.active ?? 0).toBe(0);
    expect(byState["idle in transaction"] ?? 0).toBe(0);
    // The server's pool (10) and the test's own (10) are all the database ever sees.
    expect(Object.values(byState).reduce((sum, count) => sum + count, 0)).toBeLessThanOrEqual(20);

    // And it serves normally afterwards.
    expect((await httpRequest(`${server.url}/api/overview`, { headers })).status).toBe(200);

    const served = readAnswers.filter((answer) => answer.status === 200).map((answer) => answer.ms);
    console.info(
      `overload burst: ${answers.length} requests (${BURST_READS} reads, ${BURST_WRITES} writes) at once → ` +
        `${statuses.get(200) ?? 0} served, ${refused.length} refused 503; served reads p50 ${percentile(served, 50).toFixed(0)} ms, ` +
        `p99 ${percentile(served, 99).toFixed(0)} ms; refusals answered within ${percentile(refused.map((answer) => answer.ms), 99).toFixed(0)} ms (p99); ` +
        `gate peak ${gate.peakActive} active / ${gate.peakWaiting} waiting; ${stored} comments stored; ` +
        `connections after: ${JSON.stringify(byState)}; pool ${pool.totalCount} open, ${pool.idleCount} idle`,
    );
  });
});
