import { spawn } from "node:child_process";
import { open, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

import { describe, expect, test } from "vitest";

import { MAX_INPUT_FILE_BYTES, MAX_YAML_EXPANDED_NODES } from "@/lib/input/input-limits";
import { runAnalyzeInProcess, temporaryDirectoryPerFile, type AnalyzeRun } from "@/testing/run-analyze";

const BIN = fileURLToPath(new URL("../../bin/bulkhead.mjs", import.meta.url));
const temporary = temporaryDirectoryPerFile("bulkhead-analyze-stdin-");

/** `bulkhead analyze ARGS...` in-process, with `stdin` as standard input. */
function analyze(args: string[], stdin?: { stream: AsyncIterable<Uint8Array | string>; isTTY?: boolean }): Promise<AnalyzeRun> {
  return runAnalyzeInProcess(args, stdin ? { stdin: { isTTY: stdin.isTTY ?? false, stream: stdin.stream } } : {});
}

const piped = (text: string | Buffer) => ({ stream: Readable.from([typeof text === "string" ? Buffer.from(text) : text]) });

/** What `helm template shop ./charts/shop` prints: documents with the template each came from. */
const HELM_OUTPUT = `---
# Source: shop/templates/namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
# Source: shop/templates/networkpolicy.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - ipBlock:
            cidr: 0.0.0.0/0
  egress: []
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  template:
    metadata:
      labels: { app: web }
`;

/** An endless stream of YAML comment lines, in chunks: what a runaway pipe looks like. */
function endless(): AsyncIterable<Uint8Array> {
  const chunk = Buffer.from("# padding\n".repeat(100_000));
  let sent = 0;
  return {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        sent += chunk.length;
        return { done: false, value: chunk };
      },
      return: async () => ({ done: true, value: sent }),
    }),
  };
}

describe("analyze - reads standard input", () => {
  test("Helm output on a pipe: judged like a file, each problem located by document, line and # Source: template", async () => {
    const run = await analyze(["-", "--format", "json"], piped(HELM_OUTPUT));
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout);
    expect(json.namespaces).toEqual([{ name: "shop", defaultDenyIngress: false, defaultDenyEgress: true }]);
    expect(json.allowAnyRules).toHaveLength(1);

    const sarif = JSON.parse((await analyze(["-", "--format", "sarif", "--helm-chart", "charts/shop"], piped(HELM_OUTPUT))).stdout);
    const rule = sarif.runs[0].results.find((result: { ruleId: string }) => result.ruleId === "NP-06");
    expect(rule.locations[0].physicalLocation.artifactLocation.uri).toBe("charts/shop/templates/networkpolicy.yaml");
    expect(rule.message.text).toContain("(rendered at -, document 2, line 18)");
    expect(rule.properties.template).toBe("shop/templates/networkpolicy.yaml");
    const namespace = sarif.runs[0].results.find((result: { ruleId: string }) => result.ruleId === "NP-02");
    expect(namespace.locations[0].physicalLocation.artifactLocation.uri).toBe("charts/shop/templates/namespace.yaml");
  });

  test("--stdin-name names standard input in reports (kustomize output has no # Source:)", async () => {
    const kustomized = HELM_OUTPUT.replace(/^# Source:.*\n/gm, "");
    const sarif = JSON.parse((await analyze(["-", "--format", "sarif", "--stdin-name", "overlays/prod/kustomization.yaml"], piped(kustomized))).stdout);
    const rule = sarif.runs[0].results.find((result: { ruleId: string }) => result.ruleId === "NP-06");
    expect(rule.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "overlays/prod/kustomization.yaml", uriBaseId: "%SRCROOT%" }, region: { startLine: 16, startColumn: 7 } });
  });

  test("standard input and files together", async () => {
    const file = join(temporary(), "deny.yaml");
    await writeFile(file, "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny, namespace: pay }\nspec: { podSelector: {}, policyTypes: [Ingress, Egress] }\n");
    const run = await analyze([file, "-", "--json"], piped("apiVersion: v1\nkind: Namespace\nmetadata: { name: web }\n"));
    expect(JSON.parse(run.stdout).namespaces.map((namespace: { name: string }) => namespace.name)).toEqual(["pay", "web"]);
  });

  test("a terminal is refused at once (exit 2): nothing would ever arrive", async () => {
    const run = await analyze(["-"], { stream: endless(), isTTY: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("bulkhead analyze: -: standard input is a terminal: pipe manifests in (helm template CHART | bulkhead analyze -)\n");
  });

  test("- twice: exit 2", async () => {
    const run = await analyze(["-", "-"], piped("a: 1\n"));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("bulkhead analyze: -: standard input can be read only once: give - once\n");
  });
});

describe("bad input, on a file and on standard input: a clear error naming it, exit 2", () => {
  test("binary content", async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const file = join(temporary(), "logo.yaml");
    await writeFile(file, bytes);
    const named = await analyze([file]);
    expect(named.code).toBe(2);
    expect(named.stderr).toBe(`bulkhead analyze: ${file}: is binary, not YAML or JSON (a NUL byte at line 3, column 1)\n`);
    const stdin = await analyze(["-"], piped(bytes));
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toBe("bulkhead analyze: -: is binary, not YAML or JSON (a NUL byte at line 3, column 1)\n");
  });

  test("invalid UTF-8 (a Latin-1 file): refused with the byte and its place, not read as replacement characters", async () => {
    const bytes = Buffer.concat([Buffer.from("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: caf"), Buffer.from([0xe9]), Buffer.from("\n")]);
    const file = join(temporary(), "latin1.yaml");
    await writeFile(file, bytes);
    const named = await analyze([file]);
    expect(named.code).toBe(2);
    expect(named.stderr).toBe(`bulkhead analyze: ${file}: is not valid UTF-8 (byte 0xE9 at line 4, column 12); save it as UTF-8\n`);
    const stdin = await analyze(["-"], piped(bytes));
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toBe("bulkhead analyze: -: is not valid UTF-8 (byte 0xE9 at line 4, column 12); save it as UTF-8\n");
  });

  test("UTF-16 with a byte-order mark (Windows PowerShell's >) is read", async () => {
    const text = "apiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: café\r\n";
    const file = join(temporary(), "powershell.yaml");
    await writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    const run = await analyze([file, "--json"]);
    expect(JSON.parse(run.stdout).namespaces).toEqual([{ name: "café", defaultDenyIngress: false, defaultDenyEgress: false }]);
  });

  test("a YAML bomb (aliases expanding past the limit)", async () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n`;
    const message = `document 1: its anchors and aliases expand to more than ${MAX_YAML_EXPANDED_NODES.toLocaleString("en")} nodes`;
    const file = join(temporary(), "bomb.yaml");
    await writeFile(file, bomb);
    const named = await analyze([file]);
    expect(named.code).toBe(2);
    expect(named.stderr).toBe(`bulkhead analyze: ${file}: ${message}\n`);
    const stdin = await analyze(["-"], piped(bomb));
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toBe(`bulkhead analyze: -: ${message}\n`);
  });

  test("a 100 MB file is refused before it is read; 100 MB on a pipe is cut at the limit", async () => {
    const file = join(temporary(), "huge.yaml");
    const handle = await open(file, "w");
    await handle.truncate(100 * 1024 * 1024);
    await handle.close();
    const named = await analyze([file]);
    expect(named.code).toBe(2);
    expect(named.stderr).toBe(`bulkhead analyze: ${file}: is 100.0 MB; files larger than ${MAX_INPUT_FILE_BYTES / 1024 / 1024} MB are not read\n`);

    const before = process.memoryUsage().rss;
    const stdin = await analyze(["-"], { stream: endless() });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toBe(`bulkhead analyze: -: is more than ${MAX_INPUT_FILE_BYTES / 1024 / 1024} MB; larger input is not read\n`);
    expect(process.memoryUsage().rss - before).toBeLessThan(400 * 1024 * 1024);
  });

  test("Terraform and Bicep sources are named with what to give instead", async () => {
    const tf = join(temporary(), "main.tf");
    await writeFile(tf, 'resource "azurerm_kubernetes_cluster" "main" {}\n');
    const run = await analyze([tf]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`bulkhead analyze: ${tf}: is Terraform source: give the plan as JSON instead (terraform show -json PLAN > plan.json), whose values Terraform has worked out\n`);
  });

  test("the real command: a process piping 100 MB into `bulkhead analyze -` gets exit 2 and a message, and does not hang", async () => {
    const child = spawn(process.execPath, [BIN, "analyze", "-"], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    child.stdout.resume();
    // The child stops reading at the limit and exits; writing on then fails with EPIPE, which is expected.
    child.stdin.on("error", () => {});
    const chunk = Buffer.from("# padding line of a runaway pipe\n".repeat(32_768));
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", resolve);
      let written = 0;
      const pump = (): void => {
        while (written < 100 * 1024 * 1024 && !child.stdin.destroyed) {
          written += chunk.length;
          if (!child.stdin.write(chunk)) return void child.stdin.once("drain", pump);
        }
        child.stdin.end();
      };
      pump();
    });
    expect(code).toBe(2);
    expect(stderr).toBe(`bulkhead analyze: -: is more than ${MAX_INPUT_FILE_BYTES / 1024 / 1024} MB; larger input is not read\n`);
  });
});
