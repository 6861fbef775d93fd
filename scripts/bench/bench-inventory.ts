// Inventory cost at tenant scale, against the local fakes (127.0.0.1 only): HTTP requests and wall
// time to list every AKS cluster of many subscriptions through Azure Resource Graph and through the
// per-subscription managedClusters.list. In-cluster reads are off: they cost the same either way.
// The collector runs in a child process configured as `bulkhead collect` is (production transport
// settings, the fakes' CA through NODE_EXTRA_CA_CERTS), so client and fake do not share a CPU.
//
//   node --import ./bin/register.mjs scripts/bench/bench-inventory.ts [subscriptions] [clusters per subscription]
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseEnv } from "@/lib/env";
import type { InventoryMode } from "@/lib/sources/azure/azure-source";
import { clusterFromAz, type FakeEstate } from "@/testing/fake-azure/fake-estate";
import { startFakeAzure } from "@/testing/fake-azure/start-fake-azure";

const MAX_SUBSCRIPTIONS = 5_000;
const MAX_CLUSTERS_PER_SUBSCRIPTION = 50;
const CHILD_TIMEOUT_MS = 10 * 60_000;
const REGISTER = fileURLToPath(new URL("../../bin/register.mjs", import.meta.url));

type Measured = Exclude<InventoryMode, "auto">;

if (process.argv[2] === "--child") {
  await listInChild(process.argv[3] as Measured);
} else {
  const subscriptions = Math.min(Number(process.argv[2] ?? 1000) || 1000, MAX_SUBSCRIPTIONS);
  const perSubscription = Math.min(Number(process.argv[3] ?? 10) || 10, MAX_CLUSTERS_PER_SUBSCRIPTION);
  const results = [];
  for (const inventory of ["resource-graph", "arm"] as const) results.push(await measure(inventory, buildEstate(subscriptions, perSubscription)));
  console.log(`${subscriptions} subscriptions × ${perSubscription} clusters = ${subscriptions * perSubscription} clusters (fakes on 127.0.0.1, TLS)`);
  console.table(results);
}

function buildEstate(subscriptions: number, perSubscription: number): FakeEstate {
  return {
    subscriptions: Array.from({ length: subscriptions }, (_, i) => {
      const subscriptionId = `${i.toString(16).padStart(8, "0")}-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
      return {
        subscriptionId,
        displayName: `Subscription ${i}`,
        clusters: Array.from({ length: perSubscription }, (_, j) =>
          clusterFromAz({
            id: `/subscriptions/${subscriptionId}/resourcegroups/rg-${j}/providers/Microsoft.ContainerService/managedClusters/aks-${i}-${j}`,
            name: `aks-${i}-${j}`,
            location: "westeurope",
            type: "Microsoft.ContainerService/ManagedClusters",
            tags: { owner: `team-${i % 40}`, environment: j % 2 ? "dev" : "production" },
            kubernetesVersion: "1.31.2",
            agentPoolProfiles: [{ name: "system", count: 3, osType: "Linux", mode: "System" }],
            networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay", networkPolicy: "cilium", networkDataplane: "cilium", podLinkLocalAccess: "None" },
          }),
        ),
      };
    }),
  };
}

async function measure(inventory: Measured, estate: FakeEstate) {
  // One page per subscription on the ARM path: its best case.
  const fake = await startFakeAzure(estate, { armPageSize: 1000 });
  const work = await mkdtemp(path.join(tmpdir(), "bulkhead-bench-"));
  try {
    const caFile = path.join(work, "fake-ca.pem");
    await writeFile(caFile, fake.caCertificate);
    const child = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ["--import", REGISTER, fileURLToPath(import.meta.url), "--child", inventory],
        { env: { ...process.env, ...fake.env, NODE_EXTRA_CA_CERTS: caFile }, timeout: CHILD_TIMEOUT_MS, maxBuffer: 1024 * 1024 },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    const result = JSON.parse(child) as { ms: number; clusters: number; failed: number };
    return { inventory, requests: fake.arm.requests.length, ...result };
  } finally {
    await fake.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** The child: the Azure source as `bulkhead collect --no-kube --inventory <mode>` builds it, listing only. */
async function listInChild(inventory: Measured) {
  const { createAzureSourceFromEnv } = await import("@/lib/sources/azure/create-azure-source-from-env");
  const { source } = createAzureSourceFromEnv(parseEnv(), { inventory, readInCluster: false, concurrency: 8 });
  const started = performance.now();
  const { listEstate } = await import("@/lib/sources/source");
  const listings = await listEstate(source);
  const ms = Math.round(performance.now() - started);
  const clusters = listings.reduce((sum, listing) => sum + (listing.ok ? listing.clusters.length : 0), 0);
  const failed = listings.filter((listing) => !listing.ok).length;
  process.stdout.write(JSON.stringify({ ms, clusters, failed }));
}
