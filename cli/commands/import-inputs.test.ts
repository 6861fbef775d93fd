import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { runCli } from "@/testing/run-cli";
import { latestSnapshotJoin } from "@/lib/db/latest-snapshot";
import { getKpis } from "@/lib/kpi/get-kpis";

const FIXTURES = fileURLToPath(new URL("../../testing/fixtures/sample-estate/", import.meta.url));
const PAYMENTS = path.join("kube", "rg-payments", "aks-payments-prod");

let db: TestDatabase;
let work: string;
let env: Record<string, string>;
let day = 1;
/** Each import a day later than the last: history moves forward. */
const nextAsOf = () => new Date(Date.UTC(2026, 3, 1, 6) + day++ * 3_600_000).toISOString();

beforeAll(async () => {
  db = await createTestDatabase();
  work = await mkdtemp(path.join(tmpdir(), "bulkhead-import-inputs-"));
  env = { DATABASE_URL: db.url };
  expect((await runCli(["import", FIXTURES, "--as-of", nextAsOf()], env)).code).toBe(0);
});
afterAll(async () => {
  await db?.close();
  await rm(work, { recursive: true, force: true });
});

async function copyEstate(name: string): Promise<string> {
  const directory = path.join(work, name);
  await cp(FIXTURES, directory, { recursive: true });
  return directory;
}

async function writeClusters(directory: string, edit: (clusters: Record<string, unknown>[]) => unknown): Promise<void> {
  const file = path.join(directory, "clusters.json");
  const clusters = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>[];
  await writeFile(file, JSON.stringify(edit(clusters)));
}

// "Nothing changed" is a question about the store, asked in process; store-commands.test.ts holds `bulkhead kpis` itself.
const kpis = async () => (await getKpis(db, { asOf: new Date("2026-06-01T00:00:00Z") })).groups[0];

describe("clusters.json that is not a list of cluster objects with AKS ids and valid names: exit 2, nothing written", () => {
  const id = (name: string, group = "rg-payments") => `/subscriptions/3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f/resourcegroups/${group}/providers/Microsoft.ContainerService/managedClusters/${name}`;
  test.each([
    ["a string", () => "clusters", /clusters\.json: expected the JSON array that `az aks list -o json` prints, found a string/],
    ["an object", () => ({ value: [] }), /clusters\.json: expected the JSON array .* found an object/],
    ["a number in the list", (c: Record<string, unknown>[]) => [...c, 42], /clusters\.json\[6\]: expected a cluster object, found a number/],
    ["a list in the list", (c: Record<string, unknown>[]) => [...c, []], /clusters\.json\[6\]: expected a cluster object, found a list/],
    ["a numeric id", (c: Record<string, unknown>[]) => [{ ...c[0], id: 5 }], /clusters\.json\[0\]\.id: is missing or not a string/],
    ["an id that is not an AKS id", (c: Record<string, unknown>[]) => [{ ...c[0], id: "aks-payments" }], /clusters\.json\[0\]\.id: is not an ARM resource id/],
    ["a name that climbs out of kube/", (c: Record<string, unknown>[]) => [{ ...c[0], name: "../../x" }], /clusters\.json\[0\]\.name: "\.\.\/\.\.\/x" is not an AKS cluster name/],
    ["a name with a line break", (c: Record<string, unknown>[]) => [{ ...c[0], name: "aks\nresource" }], /clusters\.json\[0\]\.name: "aks\\nresource" is not an AKS cluster name/],
    ["a name that is not a string", (c: Record<string, unknown>[]) => [{ ...c[0], name: { x: 1 } }], /clusters\.json\[0\]\.name: expected a string, found an object/],
    ["an id whose cluster name climbs out", (c: Record<string, unknown>[]) => [{ ...c[0], name: undefined, id: id("..") }], /clusters\.json\[0\]\.name: "\.\." is not an AKS cluster name/],
    ["a resource group ending in a period", (c: Record<string, unknown>[]) => [{ ...c[0], id: id("aks-payments-prod", "rg.") }], /clusters\.json\[0\]\.id: resource group "rg\." is not an Azure resource group name/],
  ])("%s", async (_label, edit, message) => {
    const directory = await copyEstate(`bad-clusters-${day++}`);
    await writeClusters(directory, edit as (clusters: Record<string, unknown>[]) => unknown);
    const runs = await db.prisma.collectionRun.count();
    const result = await runCli(["import", directory, "--as-of", nextAsOf()], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(await db.prisma.collectionRun.count()).toBe(runs);
  });

  test("deeply nested clusters.json and a FIFO in its place: exit 2 naming the file, at once", async () => {
    const deep = await copyEstate("deep-clusters");
    await writeFile(path.join(deep, "clusters.json"), `${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    const deepResult = await runCli(["import", deep, "--as-of", nextAsOf()], env);
    expect(deepResult.code).toBe(2);
    expect(deepResult.stderr).toContain(`${path.join(deep, "clusters.json")}: nests objects or lists deeper than 100 levels`);

    const piped = await copyEstate("fifo-clusters");
    await rm(path.join(piped, "clusters.json"));
    execFileSync("mkfifo", [path.join(piped, "clusters.json")]);
    const fifoResult = await runCli(["import", piped, "--as-of", nextAsOf()], env);
    expect(fifoResult.code).toBe(2);
    expect(fifoResult.stderr).toContain(`${path.join(piped, "clusters.json")}: is a FIFO (named pipe), not a regular file`);
  });
});

describe("kube files that are not what kubectl prints: recorded on the run, the cluster keeps its previous in-cluster state", () => {
  test.each([
    ["namespaces.json holding a string", "namespaces.json", JSON.stringify("namespaces"), /namespaces\.json: expected the list that `kubectl get namespaces -o json` prints \(an object with an "items" list\), found a string/],
    ["items that is not a list", "namespaces.json", JSON.stringify({ kind: "List", items: "web" }), /namespaces\.json: expected the list .* but "items" is a string/],
    ["an item that is not an object", "networkpolicies.json", JSON.stringify({ kind: "List", items: [{ kind: "NetworkPolicy", metadata: { name: "x" } }, 7] }), /networkpolicies\.json: items\[1\] is a number, not a Kubernetes object/],
    ["an empty object", "networkpolicies.json", "{}", /networkpolicies\.json: expected the list .* but "items" is missing/],
    ["100,000 levels of nesting", "networkpolicies.json", `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`, /networkpolicies\.json: nests objects or lists deeper than 100 levels/],
  ])("%s", async (_label, fileName, content, message) => {
    const before = await kpis();
    const directory = await copyEstate(`bad-kube-${day++}`);
    await writeFile(path.join(directory, PAYMENTS, fileName), content);
    const result = await runCli(["import", directory, "--as-of", nextAsOf()], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/errors: 1 \(malformed: 1\)/);
    expect(result.stderr).toMatch(message);
    // Still judged on its last good objects: not "controls passed with 100 % coverage".
    expect(await kpis()).toEqual(before);
  });

  test("a FIFO as a kube file is recorded, not waited on", async () => {
    const before = await kpis();
    const directory = await copyEstate("fifo-kube");
    await rm(path.join(directory, PAYMENTS, "namespaces.json"));
    execFileSync("mkfifo", [path.join(directory, PAYMENTS, "namespaces.json")]);
    const result = await runCli(["import", directory, "--as-of", nextAsOf()], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`${path.join(directory, PAYMENTS, "namespaces.json")}: is a FIFO (named pipe), not a regular file`);
    expect(await kpis()).toEqual(before);
  });

  test("a kube folder that is a symbolic link out of the import directory is not read", async () => {
    const outside = path.join(work, "outside");
    await mkdir(outside, { recursive: true });
    await writeFile(path.join(outside, "namespaces.json"), JSON.stringify({ kind: "List", items: [] }));
    await writeFile(path.join(outside, "networkpolicies.json"), JSON.stringify({ kind: "List", items: [] }));
    const directory = await copyEstate("escape");
    await rm(path.join(directory, PAYMENTS), { recursive: true });
    await symlink(outside, path.join(directory, PAYMENTS));
    const result = await runCli(["import", directory, "--as-of", nextAsOf()], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`${path.join(directory, PAYMENTS)}: leads outside the import directory; it is not read`);
  });
});

describe("kube files of every policy kind and pods.json", () => {
  const LEDGER = path.join("kube", "rg-ledger", "aks-ledger-prod");
  const MESH = path.join("kube", "rg-mesh", "aks-mesh-prod");
  const list = (items: unknown[]) => JSON.stringify({ apiVersion: "v1", kind: "List", items });
  const admin = (kind: string, version: string, name: string) => ({ apiVersion: `policy.networking.k8s.io/${version}`, kind, metadata: { name }, spec: { priority: 5, subject: { namespaces: {} }, ingress: [] } });

  /** The in-cluster document stored for a cluster by the latest import. */
  const storedInCluster = async (name: string) => {
    const { rows } = await db.pool.query<{ body: Record<string, unknown[]> }>(
      `SELECT d.body FROM clusters c ${latestSnapshotJoin("c", "s")} JOIN raw_documents d ON d.hash = s.in_cluster_doc_hash WHERE c.name = $1`,
      [name],
    );
    return rows[0].body;
  };

  test("every file is read into its own list; pods are stored as pod classes and nothing else of them", async () => {
    const directory = await copyEstate(`every-kind-${day++}`);
    await writeFile(path.join(directory, LEDGER, "baselineadminnetworkpolicies.json"), list([admin("BaselineAdminNetworkPolicy", "v1alpha1", "default")]));
    await writeFile(path.join(directory, LEDGER, "clusternetworkpolicies.json"), list([admin("ClusterNetworkPolicy", "v1alpha2", "tenants")]));
    const result = await runCli(["import", directory, "--as-of", nextAsOf()], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/errors: none/);

    const ledger = await storedInCluster("aks-ledger-prod");
    const names = (items: unknown[] | undefined) => (items ?? []).map((item) => (item as { metadata: { name: string } }).metadata.name);
    expect(names(ledger.calicoGlobalNetworkPolicies)).toEqual(["default-deny"]);
    expect(names(ledger.calicoNetworkPolicies)).toEqual(["exporter-egress"]);
    expect(names(ledger.adminNetworkPolicies)).toEqual(["pci-isolation"]);
    expect(names(ledger.baselineAdminNetworkPolicies)).toEqual(["default"]);
    expect(names(ledger.clusterNetworkPolicies)).toEqual(["tenants"]);
    expect(ledger.policies).toHaveLength(1);

    const mesh = await storedInCluster("aks-mesh-prod");
    expect(names(mesh.ciliumClusterwideNetworkPolicies)).toEqual(["workload-baseline"]);
    expect(names(mesh.ciliumNetworkPolicies)).toEqual(["catalog-web-egress", "checkout-api-from-catalog"]);
    expect(mesh.pods).toEqual([
      { metadata: { namespace: "catalog", labels: { app: "catalog-web", tier: "frontend" } }, count: 2 },
      { metadata: { namespace: "checkout", labels: { app: "checkout-api", tier: "backend" } }, count: 2 },
      { metadata: { namespace: "checkout", labels: { app: "checkout-db" } }, count: 1 },
      { metadata: { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } }, count: 1 },
    ]);
    const text = JSON.stringify(mesh);
    for (const podDetail of ["contoso.azurecr.io", "checkout-api-5b8c7d6f4-7hj2k", "podIP", "serviceAccountName"]) expect(text).not.toContain(podDetail);
  });

  test("pods.json as the metadata-only list (PartialObjectMetadataList) makes the same pod classes as the full pods", async () => {
    const directory = await copyEstate(`pods-metadata-${day++}`);
    const full = JSON.parse(await readFile(path.join(directory, MESH, "pods.json"), "utf8")) as { items: { metadata: { name: string; namespace: string; labels?: object }; status?: { phase?: string } }[] };
    // What the API server answers to Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1 with
    // fieldSelector=status.phase!=Succeeded,status.phase!=Failed (docs/rules-v2.md): no spec, no status, no ended pods.
    const running = full.items.filter((pod) => pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed");
    expect(running.length).toBeLessThan(full.items.length);
    const metadataOnly = {
      apiVersion: "meta.k8s.io/v1",
      kind: "PartialObjectMetadataList",
      metadata: { resourceVersion: "4711" },
      items: running.map((pod) => ({ apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata", metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, labels: pod.metadata.labels } })),
    };
    await writeFile(path.join(directory, MESH, "pods.json"), JSON.stringify(metadataOnly));
    const result = await runCli(["import", directory, "--as-of", nextAsOf()], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/errors: none/);
    expect((await storedInCluster("aks-mesh-prod")).pods).toEqual([
      { metadata: { namespace: "catalog", labels: { app: "catalog-web", tier: "frontend" } }, count: 2 },
      { metadata: { namespace: "checkout", labels: { app: "checkout-api", tier: "backend" } }, count: 2 },
      { metadata: { namespace: "checkout", labels: { app: "checkout-db" } }, count: 1 },
      { metadata: { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } }, count: 1 },
    ]);
  });

  test.each([
    ["Kubernetes NetworkPolicies in the Calico file", LEDGER, "calico-networkpolicies.json", list([{ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "x", namespace: "reports" }, spec: {} }]), /calico-networkpolicies\.json: items\[0\] is a NetworkPolicy of networking\.k8s\.io\/v1, not what `kubectl get networkpolicies\.projectcalico\.org -A -o json` prints/],
    ["a Namespace in the CiliumClusterwideNetworkPolicy file", MESH, "ciliumclusterwidenetworkpolicies.json", list([{ apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } }]), /ciliumclusterwidenetworkpolicies\.json: items\[0\] is a Namespace of v1, not what/],
    ["pods.json that is a single Pod", MESH, "pods.json", JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "checkout" } }), /pods\.json: expected the list that `kubectl get pods -A -o json` prints .* but "items" is missing/],
    ["a truncated CiliumNetworkPolicy file", MESH, "ciliumnetworkpolicies.json", '{"apiVersion":"v1","items":[{"kind":', /ciliumnetworkpolicies\.json: is not valid JSON/],
  ])("%s: recorded on the run, the cluster keeps its previous in-cluster state", async (_label, clusterDir, fileName, content, message) => {
    const baseline = await copyEstate(`kind-baseline-${day++}`);
    expect((await runCli(["import", baseline, "--as-of", nextAsOf()], env)).code).toBe(0);
    const before = await kpis();
    const cluster = clusterDir === MESH ? "aks-mesh-prod" : "aks-ledger-prod";
    const documentBefore = await storedInCluster(cluster);

    const directory = await copyEstate(`bad-kind-${day++}`);
    await writeFile(path.join(directory, clusterDir, fileName), content);
    const result = await runCli(["import", directory, "--as-of", nextAsOf()], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/errors: 1 \(malformed: 1\)/);
    expect(result.stderr).toMatch(message);
    expect(await kpis()).toEqual(before);
    // The snapshot judges the last good objects, carried with their capture time.
    expect(await storedInCluster(cluster)).toEqual(documentBefore);
    const { rows } = await db.pool.query<{ carried: Date | null }>(`SELECT s.in_cluster_captured_at AS carried FROM clusters c ${latestSnapshotJoin("c", "s")} WHERE c.name = $1`, [cluster]);
    expect(rows[0].carried).toBeInstanceOf(Date);
  });
});
