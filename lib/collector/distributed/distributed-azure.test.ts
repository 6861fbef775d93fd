// A distributed run against the Azure fakes, with a real `bulkhead worker` process configured the
// way an operator configures one (environment, the fakes' CA through NODE_EXTRA_CA_CERTS): the
// inventory goes through Resource Graph in one job per batch of subscriptions, and the store ends
// up with what an in-process Resource Graph run writes.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { getKpis } from "@/lib/kpi/get-kpis";
import { parseEnv } from "@/lib/env";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { dumpStore } from "@/testing/fake-azure/dump-store";
import { createSourceForFake } from "@/testing/fake-azure/fake-azure-harness";
import { loadSampleEstate, type FakeEstate } from "@/testing/fake-azure/fake-estate";
import { startFakeAzure, type FakeAzure } from "@/testing/fake-azure/start-fake-azure";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { runCollection } from "../run-collection";
import { QUEUE_SCHEMA } from "./job-queue";
import { startDistributedRun } from "./start-distributed-run";
import { waitForDistributedRun } from "./watch-distributed-run";
import { pollUntil, spawnWorkerProcess, type WorkerProcess } from "@/testing/worker-processes";

const config = DEFAULT_POSTURE_CONFIG;
const capturedAt = new Date("2026-03-01T06:00:00Z");
const asOf = new Date("2026-03-01T12:00:00Z");

let estate: FakeEstate;
let fake: FakeAzure;
let directory: string;
const classic = setupTestDatabase();
const distributed = setupTestDatabase();
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  estate = await loadSampleEstate();
  fake = await startFakeAzure(estate, { armPageSize: 1 });
  directory = await mkdtemp(path.join(tmpdir(), "bulkhead-distributed-azure-"));
});
afterAll(async () => {
  worker?.child.kill("SIGKILL");
  await worker?.exited;
  await fake?.close();
  await rm(directory, { recursive: true, force: true });
});

test(
  "a worker process inventories the subscriptions through Resource Graph in one job and the run equals an in-process one",
  async () => {
    const reference = await runCollection(classic, { source: createSourceForFake(fake, { inventory: "resource-graph" }).source, capturedAt, config });
    expect(reference.status).toBe("completed");

    const caFile = path.join(directory, "ca.pem");
    await writeFile(caFile, fake.caCertificate);
    worker = spawnWorkerProcess({ databaseUrl: distributed.url, env: { ...fake.env, NODE_EXTRA_CA_CERTS: caFile }, args: ["--poll-interval", "100"] });
    await pollUntil("the worker to start", () => /ready/.test(worker!.output()), { timeoutMs: 60_000 }).catch((error: Error) => {
      throw new Error(`${error.message}:\n${worker!.output()}`);
    });

    const before = fake.arm.requests.length;
    const env = parseEnv(fake.env as unknown as NodeJS.ProcessEnv);
    const subscriptionIds = estate.subscriptions.map((s) => s.subscriptionId);
    const started = await startDistributedRun(distributed, {
      // Subscriptions given, as with --subscription: this (test) process never calls Azure itself.
      source: { kind: "azure", armEndpoint: env.BULKHEAD_ARM_ENDPOINT, subscriptionIds, readInCluster: true, kubeTimeoutMs: 5_000, inventory: "resource-graph" },
      capturedAt,
      config,
      env,
      jobs: { expireInSeconds: 30, retryLimit: 1, retryDelaySeconds: 0 },
    });
    expect(started).toMatchObject({ status: "running", inventory: "resource-graph", listingJobs: 1 });
    const result = await waitForDistributedRun(distributed, started.runId, { pollMs: 100, signal: AbortSignal.timeout(60_000) });

    expect([result.status, result.subscriptionsListed, result.subscriptionsFailed, result.clustersSeen, result.clustersWithInCluster]).toEqual([
      reference.status,
      reference.subscriptionsListed,
      reference.subscriptionsFailed,
      reference.clustersSeen,
      reference.clustersWithInCluster,
    ]);
    expect((await getKpis(distributed, { asOf, by: "owner" })).groups).toEqual((await getKpis(classic, { asOf, by: "owner" })).groups);
    // The worker's listing: one Resource Graph query, no managedClusters.list.
    const requests = fake.arm.requests.slice(before);
    expect(requests.filter((r) => r.graph)).toHaveLength(1);
    expect(requests.filter((r) => r.method === "GET" && r.path.endsWith("/managedClusters"))).toHaveLength(0);
    const jobs = await distributed.pool.query<{ type: string; n: number }>(`SELECT data->>'type' AS type, count(*)::int AS n FROM ${QUEUE_SCHEMA}.job GROUP BY 1 ORDER BY 1`);
    expect(jobs.rows).toEqual([
      { type: "finalize", n: 1 },
      { type: "inventory", n: 1 },
      { type: "read", n: reference.clustersSeen },
    ]);
    // Credentials come from the worker's environment and stay there.
    const stored = await dumpStore(distributed);
    for (const secret of fake.secrets) expect(stored).not.toContain(secret);
    expect(worker!.output()).not.toContain(fake.armToken);
  },
  120_000,
);
