import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MAX_NESTING_DEPTH, MAX_YAML_EXPANDED_NODES } from "@/lib/input/input-limits";
import { analyzeCommand } from "./analyze";

let directory = "";
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "bulkhead-analyze-inputs-"));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function analyze(args: string[]): Promise<{ code: number | undefined; stdout: string; stderr: string }> {
  const run = { code: undefined as number | undefined, stdout: "", stderr: "" };
  await analyzeCommand({
    stdout: (text) => void (run.stdout += text),
    stderr: (text) => void (run.stderr += text),
    color: false,
    setExitCode: (code) => void (run.code = code),
  }).parseAsync(args, { from: "user" });
  return run;
}

const DENY_ALL = (namespace: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny-all, namespace: ${namespace} }\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n`;

/** ~110 KB: one anchor of 5,000 rules, named by an alias in each of 1,000 policies: 5 million rules (yaml's own alias limit lets it through). */
function aliasBomb(): string {
  const rules = Array.from({ length: 5_000 }, () => "    - {}").join("\n");
  const policies = Array.from({ length: 1_000 }, (_, index) => `  - { kind: NetworkPolicy, metadata: { name: p${index} }, spec: { ingress: *rules } }`).join("\n");
  return `apiVersion: v1\nkind: List\nrules: &rules\n${rules}\nitems:\n${policies}\n`;
}

describe("hostile and odd inputs to analyze", () => {
  test("YAML aliases that would expand to millions of nodes: exit 2 naming the file, nothing expanded", async () => {
    const bomb = join(directory, "bomb.yaml");
    const text = aliasBomb();
    expect(text.length).toBeLessThan(150_000);
    await writeFile(bomb, text);
    const before = process.memoryUsage().heapUsed;
    const run = await analyze([bomb]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`bulkhead analyze: ${bomb}: document 1: its anchors and aliases expand to more than ${MAX_YAML_EXPANDED_NODES.toLocaleString("en")} nodes\n`);
    // Nothing close to the expansion was built (it would take gigabytes).
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(500 * 1024 * 1024);
  });

  test.each([
    ["deep.json", `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
    ["deep-object.json", `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`],
    ["deep.yaml", `a: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`],
    ["deep-block.yaml", Array.from({ length: 200 }, (_, level) => `${"  ".repeat(level)}k${level}:`).join("\n") + " end\n"],
  ])("%s nested 100,000 (or 200) levels deep: exit 2 naming the file, no stack overflow", async (name, content) => {
    const deep = join(directory, name);
    await writeFile(deep, content);
    const run = await analyze([deep]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^bulkhead analyze: ${deep.replace(/[.]/g, "\\.")}: .*nests objects or lists deeper than ${MAX_NESTING_DEPTH} levels\\n$`));
  });

  test("a FIFO is refused at once (exit 2), not waited on", async () => {
    const fifo = join(directory, "pipe.yaml");
    execFileSync("mkfifo", [fifo]);
    const run = await analyze([fifo]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`bulkhead analyze: ${fifo}: is a FIFO (named pipe), not a regular file\n`);
  });

  test("a directory is read recursively: manifests by content, other files skipped with a reason, a second path to a directory read once", async () => {
    const root = join(directory, "chart");
    await mkdir(join(root, "templates", "nested"), { recursive: true });
    await mkdir(join(root, ".git"), { recursive: true });
    await writeFile(join(root, "templates", "shop.yaml"), DENY_ALL("shop"));
    await writeFile(join(root, "templates", "nested", "web.json"), JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "web" } }));
    // No extension, but a manifest by its content.
    await writeFile(join(root, "templates", "nested", "pay"), DENY_ALL("pay"));
    await writeFile(join(root, "values.yaml"), "replicas: 3\nimage: shop:1.2\n");
    await writeFile(join(root, "README.md"), "# Shop\n\nThe shop chart.\n");
    await writeFile(join(root, "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe]));
    await writeFile(join(root, ".git", "config"), "[core]\n");
    // Another way into a directory already read (not a loop: it does not lead back up).
    await symlink(join(root, "templates", "nested"), join(root, "templates", "again"));
    execFileSync("mkfifo", [join(root, "templates", "pipe")]);

    const run = await analyze([root, "--json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).namespaces.map((namespace: { name: string }) => namespace.name)).toEqual(["pay", "shop", "web"]);
    expect(run.stderr.split("\n").filter(Boolean).sort()).toEqual(
      [
        `bulkhead analyze: skipped ${join(root, "README.md")}: not Kubernetes YAML or JSON`,
        `bulkhead analyze: skipped ${join(root, "logo.png")}: binary, not YAML or JSON`,
        `bulkhead analyze: skipped ${join(root, "templates", "nested")}: already read through another path (${join(root, "templates", "nested")})`,
        `bulkhead analyze: skipped ${join(root, "templates", "pipe")}: not a regular file`,
        `bulkhead analyze: skipped ${join(root, "values.yaml")}: holds no Kubernetes objects`,
      ].sort(),
    );
  });

  test("a symbolic link loop in a directory stops the run (exit 2) naming the link, without hanging", async () => {
    const root = join(directory, "looping-chart");
    await mkdir(join(root, "templates"), { recursive: true });
    await writeFile(join(root, "templates", "shop.yaml"), DENY_ALL("shop"));
    await symlink(root, join(root, "templates", "loop"));
    const run = await analyze([root]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`bulkhead analyze: ${join(root, "templates", "loop")}: is a symbolic link loop: it leads back to ${root}, which contains it\n`);
  });

  test("a link that leads to itself, inside a directory and named on the command line: exit 2", async () => {
    const root = join(directory, "self-link");
    await mkdir(root);
    await symlink(join(root, "me.yaml"), join(root, "me.yaml"));
    const inDirectory = await analyze([root]);
    expect(inDirectory.code).toBe(2);
    expect(inDirectory.stderr).toBe(`bulkhead analyze: ${join(root, "me.yaml")}: is a symbolic link loop (it leads back to itself)\n`);
    const named = await analyze([join(root, "me.yaml")]);
    expect(named.code).toBe(2);
    expect(named.stderr).toBe(`bulkhead analyze: ${join(root, "me.yaml")}: is a symbolic link loop (it leads back to itself)\n`);
  });

  test("a broken .yaml inside a directory still stops the run (exit 2, named)", async () => {
    const root = join(directory, "broken-chart");
    await mkdir(root);
    await writeFile(join(root, "ok.yaml"), DENY_ALL("shop"));
    await writeFile(join(root, "bad.yaml"), "kind: NetworkPolicy\nmetadata:\n  name: x\n namespace: y\n");
    const run = await analyze([root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`${join(root, "bad.yaml").replace(/[.]/g, "\\.")}: document 1, line 4`));
  });
});
