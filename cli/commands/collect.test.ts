// `bulkhead collect` as a user runs it: the real bin in a child process, against the fakes, trusting
// their certificate through NODE_EXTRA_CA_CERTS (no test-only switch in the command).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { dumpStore } from "@/testing/fake-azure/dump-store";
import { loadDemoFakeEstate } from "@/testing/fake-azure/demo-estate";
import { startFakeAzure, type FakeAzure } from "@/testing/fake-azure/start-fake-azure";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { runCli } from "@/testing/run-cli";

const db = setupTestDatabase();
let fake: FakeAzure;
let work: string;
let env: Record<string, string>;
beforeAll(async () => {
  // Sample estate + a 429 (Retry-After 1 s), a 403 subscription, an unreachable API server, 300 namespaces.
  fake = await startFakeAzure(await loadDemoFakeEstate());
  work = await mkdtemp(path.join(tmpdir(), "bulkhead-collect-"));
  const caFile = path.join(work, "fake-ca.pem");
  await writeFile(caFile, fake.caCertificate);
  env = { ...fake.env, NODE_EXTRA_CA_CERTS: caFile, DATABASE_URL: db.url, BULKHEAD_KUBE_TIMEOUT_SECONDS: "10" };
});
afterAll(async () => {
  await fake?.close();
  await rm(work, { recursive: true, force: true });
});

test("collects the estate: log lines and a summary on stderr, exit 0 with partial failures, no secret printed or stored", async () => {
  const started = Date.now();
  const result = await runCli(["collect"], env);
  const seconds = (Date.now() - started) / 1000;

  expect(result.code).toBe(0);
  expect(result.stderr).toMatch(/^collect: listing AKS clusters in 3 subscription\(s\)$/m);
  expect(result.stderr).toMatch(/^collect: subscriptions 3\/3 listed, 7 clusters, errors: 1$/m);
  expect(result.stderr).toMatch(/^collect: clusters 7\/7 read, errors: 2$/m);
  expect(result.stderr).toMatch(/Run #1 completed/);
  expect(result.stderr).toMatch(/subscriptions listed: 2, failed: 1/);
  expect(result.stderr).toMatch(/clusters seen: 7, in-cluster coverage: 6\/7 \(85\.7%\), deleted: 0/);
  expect(result.stderr).toMatch(/errors: 2 \(forbidden: 1, unreachable: 1\)/);
  expect(result.stdout).toBe("");
  for (const secret of fake.secrets) {
    expect(result.stderr).not.toContain(secret);
    expect(result.stdout).not.toContain(secret);
  }
  const stored = await dumpStore(db);
  for (const secret of fake.secrets) expect(stored).not.toContain(secret);
  const { rows } = await db.pool.query<{ options: Record<string, unknown> }>("SELECT options FROM collection_runs WHERE id = 1");
  expect(rows[0].options).toMatchObject({ credential: "static-token", inCluster: true });
  // The throttled listing waited its Retry-After second; the whole run stays quick.
  expect(seconds).toBeLessThan(30);
});

test("--no-kube --subscription: only that subscription, judged on ARM data only", async () => {
  const subscription = "3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f"; // the sample estate's first subscription
  const result = await runCli(["collect", "--no-kube", "--subscription", subscription], { ...env, BULKHEAD_AKS_TOKEN: "" });

  expect(result.code).toBe(0);
  expect(result.stderr).toMatch(/subscriptions listed: 1, failed: 0/);
  expect(result.stderr).toMatch(/clusters seen: 3, in-cluster coverage: 0\/3/);
});

test("exit 1 when nothing could be collected, 2 on a configuration error, 3 when another run holds the lock", async () => {
  const forbiddenOnly = await runCli(["collect", "--subscription", "c0ffee00-0000-4000-8000-00000000f403"], env);
  expect(forbiddenOnly.code).toBe(1);
  expect(forbiddenOnly.stderr).toMatch(/failed/);

  const noToken = await runCli(["collect"], { ...env, BULKHEAD_ARM_TOKEN: "" });
  expect(noToken.code).toBe(2);
  expect(noToken.stderr).toMatch(/BULKHEAD_ARM_TOKEN: is required when BULKHEAD_AZURE_CREDENTIAL=static-token/);

  const badSubscription = await runCli(["collect", "--subscription", "not-a-guid"], env);
  expect(badSubscription.code).toBe(2);

  const holder = new pg.Client({ connectionString: db.url });
  await holder.connect();
  try {
    await holder.query("SELECT pg_advisory_lock($1)", [0x42_48_52_4e]);
    const busy = await runCli(["collect", "--no-kube"], env);
    expect(busy.code).toBe(3);
    expect(busy.stderr).toMatch(/Another collection run/);
  } finally {
    await holder.end();
  }
});
