import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { KUBE_FILES } from "../../lib/sources/files";
import { makeCalicoInCluster, makeCiliumInCluster, makeCluster, makeInCluster } from "../../testing/estate-builders";
import { E2E_DATA_DIR, runBulkhead } from "../fixtures";

/** The URL of the Postgres the e2e server uses: E2E_DATABASE_URL, else its embedded store's port and password. */
export async function e2eDatabaseUrl(): Promise<string> {
  if (process.env.E2E_DATABASE_URL) return process.env.E2E_DATABASE_URL;
  const dir = path.resolve(E2E_DATA_DIR);
  const pid = await readFile(path.join(dir, "pgdata", "postmaster.pid"), "utf8");
  const port = Number(pid.split("\n")[3]);
  const password = (await readFile(path.join(dir, "pg-password"), "utf8")).trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/bulkhead`;
}

/** Runs e2e/support/store-script.ts (the app's own functions) against the e2e store; its JSON answer. */
export async function runStoreScript<T>(args: string[]): Promise<T> {
  const url = await e2eDatabaseUrl();
  return new Promise<T>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", path.resolve("bin/register.mjs"), path.resolve("e2e/support/store-script.ts"), ...args],
      { env: { ...process.env, DATABASE_URL: url, NO_COLOR: "1" } },
      (error, stdout, stderr) => (error ? reject(new Error(`store-script ${args.join(" ")} failed: ${stderr || error.message}`)) : resolve(JSON.parse(stdout) as T)),
    );
  });
}

/** One cluster of a spec's own estate, and what its API server answers. */
export interface SeedCluster {
  name: string;
  /** `networkProfile.networkPolicy`; null leaves the key out (no engine). Default `azure`. */
  networkPolicy?: string | null;
  /** Default `e2e-seeded`: a seeded cluster never joins another spec's "(untagged)" owner. */
  owner?: string;
  production?: boolean;
  /**
   * `segmented`: default deny and DNS in `default`; `allow-any`: that plus an allow-all ingress rule;
   * `open`: namespaces and no policy; `cilium`, `calico`: the objects of makeCiliumInCluster / makeCalicoInCluster, in the files
   * `bulkhead import` reads for them; `malformed`: a file that is not JSON; absent: not read.
   */
  kube?: "segmented" | "allow-any" | "cilium" | "calico" | "open" | "malformed";
}

export interface SeededEstate {
  subscriptionId: string;
  clusters: { id: number; name: string; inCluster: "read" | "carried" | "none" }[];
  /** Open findings of the estate, by cluster name. */
  findings: { id: number; controlId: string; clusterName: string }[];
  /** The newest run of the store (the seed's last import) and how many runs it holds. */
  runs: { total: number; newest: { id: number; capturedAt: string } };
}

/**
 * A spec's own estate: a subscription nobody else uses, recorded through `bulkhead import` (the way
 * a user records files) once per element of `runs`, each captured now. Demo clusters are untouched:
 * a listing only speaks for its own subscription.
 */
export async function seedEstate(runs: SeedCluster[][]): Promise<SeededEstate> {
  // Sorts after every demo subscription in the filters, so specs that pick "the first one" keep theirs.
  const hex = randomBytes(8).toString("hex");
  const subscriptionId = `ffffffff-${hex.slice(0, 4)}-4000-8000-${hex.slice(4, 16)}`;
  const work = await mkdtemp(path.join(tmpdir(), "bulkhead-e2e-seed-"));
  try {
    for (const [index, clusters] of runs.entries()) {
      const dir = path.join(work, `run-${index}`);
      const resourceGroup = "rg-e2e";
      await mkdir(dir, { recursive: true });
      await writeFile(
        path.join(dir, "clusters.json"),
        JSON.stringify(clusters.map((cluster) => makeCluster({ subscription: subscriptionId, resourceGroup, name: cluster.name, networkPolicy: cluster.networkPolicy, owner: cluster.owner ?? "e2e-seeded", production: cluster.production }))),
      );
      for (const cluster of clusters) {
        if (!cluster.kube) continue;
        const kube = path.join(dir, "kube", resourceGroup, cluster.name);
        await mkdir(kube, { recursive: true });
        if (cluster.kube === "malformed") {
          await writeFile(path.join(kube, "networkpolicies.json"), "{ this is not what kubectl prints");
          continue;
        }
        const objects = cluster.kube === "cilium" ? makeCiliumInCluster() : cluster.kube === "calico" ? makeCalicoInCluster() : makeInCluster({ allowAnyIngress: cluster.kube === "allow-any", defaultDeny: cluster.kube !== "open" });
        for (const file of KUBE_FILES) {
          const items = objects[file.field];
          if (items) await writeFile(path.join(kube, file.name), JSON.stringify({ apiVersion: "v1", kind: "List", items }));
        }
      }
      const result = await runBulkhead(["import", dir, "--as-of", new Date().toISOString(), "--wait"]);
      if (result.code !== 0) throw new Error(`bulkhead import failed (${result.code}): ${result.stderr}`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const described = await runStoreScript<Omit<SeededEstate, "subscriptionId">>(["describe", "--subscription", subscriptionId]);
  return { subscriptionId, ...described };
}

export interface KpiGroup {
  clusters: number;
  controlsPassed: number;
  controlsFailed: number;
  auditPassRate: number | null;
  openFindings: number;
}

/** `bulkhead kpis --json` over the whole estate (docs/design.md §6), at `asOf` or now. */
export async function readKpis(asOf?: string): Promise<KpiGroup> {
  const result = await runBulkhead(["kpis", "--json", ...(asOf ? ["--as-of", asOf] : [])]);
  if (result.code !== 0) throw new Error(`bulkhead kpis failed (${result.code}): ${result.stderr}`);
  return (JSON.parse(result.stdout) as { groups: KpiGroup[] }).groups[0];
}
