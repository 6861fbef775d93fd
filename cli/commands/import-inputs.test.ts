import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/testing/test-database";
import { runCli } from "@/testing/run-cli";

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

const kpis = async () => JSON.parse((await runCli(["kpis", "--as-of", "2026-06-01T00:00:00Z", "--json"], env)).stdout).groups[0];

describe("clusters.json that is not a list of cluster objects with AKS ids and valid names: exit 2, nothing written", () => {
  const id = (name: string, group = "rg-payments") => `/subscriptions/3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f/resourcegroups/${group}/providers/Microsoft.ContainerService/managedClusters/${name}`;
  test.each([
    ["a string", () => "clusters", /clusters\.json: expected the JSON array that `az aks list -o json` prints, found a string/],
    ["an object", () => ({ value: [] }), /clusters\.json: expected the JSON array .* found an object/],
    ["a number in the list", (c: Record<string, unknown>[]) => [...c, 42], /clusters\.json\[4\]: expected a cluster object, found a number/],
    ["a list in the list", (c: Record<string, unknown>[]) => [...c, []], /clusters\.json\[4\]: expected a cluster object, found a list/],
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
