// The first start after a rules upgrade tells the admin what to run (docs/reevaluate.md): `bulkhead
// serve` (and `migrate`, the upgrade step) say it on stderr, and say nothing once history is judged
// with this version's rules.
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { findProjectRoot } from "@/lib/db/project-root";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { makeCiliumInCluster, makeCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { judgeWithRulesOne } from "@/testing/rules-one";
import { runCli } from "@/testing/run-cli";
import { setupTestDatabase } from "@/testing/setup-test-database";

const db = setupTestDatabase();
const ROOT = findProjectRoot();
// `serve` looks for a production build; a build id is enough to get past the check to the notice.
const DIST = `.next-serve-notice-${process.pid}`;
const NOTICE = /The store holds history judged with rules version 1; this version judges with rules version 2\. Run `bulkhead reevaluate` \(or use "Re-evaluate history" in the dashboard as an admin\)/;

beforeAll(async () => {
  await mkdir(path.join(ROOT, DIST), { recursive: true });
  await writeFile(path.join(ROOT, DIST, "BUILD_ID"), "test");
  const source = scriptedSource({ [SUB_A]: [makeCluster({ name: "aks-cilium", owner: "team-a", production: true })] }, { "aks-cilium": makeCiliumInCluster() });
  const run = await runCollection(db, { source, capturedAt: new Date("2026-02-01T06:00:00Z"), config: DEFAULT_POSTURE_CONFIG, judge: judgeWithRulesOne });
  expect(run.status).toBe("completed");
});
afterAll(async () => {
  await rm(path.join(ROOT, DIST), { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `bulkhead serve` until it has started the web server (the address line), then stopped: its stderr up to there. */
async function serveUntilStarted(): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, "bin", "bulkhead.mjs"), "serve", "--port", String(port)], {
    env: { ...process.env, DATABASE_URL: db.url, BULKHEAD_NEXT_DIST_DIR: DIST, NO_COLOR: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`serve did not start within 60 s:\n${stderr}`));
    }, 60_000);
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      if (/Bulkhead dashboard: http:\/\/localhost:/.test(stderr)) child.kill("SIGTERM");
    });
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(stderr.slice(0, stderr.search(/Bulkhead dashboard:/) >>> 0));
    });
  });
}

describe("after a rules upgrade", () => {
  test("serve and migrate say that history is judged with older rules and what to run; after `bulkhead reevaluate` they do not", async () => {
    expect(await serveUntilStarted()).toMatch(NOTICE);
    expect((await runCli(["migrate"], { DATABASE_URL: db.url })).stderr).toMatch(NOTICE);

    expect((await runCli(["reevaluate"], { DATABASE_URL: db.url })).code).toBe(0);

    const started = await serveUntilStarted();
    expect(started).not.toMatch(/reevaluate/);
    expect((await runCli(["migrate"], { DATABASE_URL: db.url })).stderr).not.toMatch(/reevaluate/);
  }, 180_000);
});
