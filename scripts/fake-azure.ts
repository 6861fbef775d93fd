// Starts local stand-ins of Azure Resource Manager and of each cluster's Kubernetes API, with a small
// estate and a few realistic faults, and prints the environment that points `bulkhead collect` at them.
//   node --import ./bin/register.mjs scripts/fake-azure.ts
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadDemoFakeEstate } from "@/testing/fake-azure/demo-estate";
import { startFakeAzure } from "@/testing/fake-azure/start-fake-azure";

const estate = await loadDemoFakeEstate();
const fake = await startFakeAzure(estate, { armPageSize: 2 });
const directory = await mkdtemp(path.join(tmpdir(), "bulkhead-fake-azure-"));
const caFile = path.join(directory, "ca.pem");
await writeFile(caFile, fake.caCertificate);

const env = { ...fake.env, NODE_EXTRA_CA_CERTS: caFile };
const clusters = estate.subscriptions.reduce((sum, s) => sum + s.clusters.length, 0);
process.stdout.write(
  [
    `Fake Azure is listening: ARM ${fake.arm.endpoint}, ${fake.kube.size} Kubernetes API servers, ${estate.subscriptions.length} subscriptions, ${clusters} clusters.`,
    "In another shell (the tokens are throw-away fakes):",
    "",
    ...Object.entries(env).map(([key, value]) => `export ${key}='${value}'`),
    "npx bulkhead collect",
    "",
    "Press Ctrl-C to stop.",
    "",
  ].join("\n"),
);

const stop = async () => {
  await fake.close();
  await rm(directory, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
