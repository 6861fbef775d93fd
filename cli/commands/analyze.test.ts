import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { dedent, readYamlCase } from "@/testing/yaml-cases";
import { analyzeCommand, shouldUseColor } from "./analyze";

const FIXTURES = fileURLToPath(new URL("../../testing/fixtures/sample-estate/kube/", import.meta.url));
const REAL_WORLD = fileURLToPath(new URL("../../testing/fixtures/real-world/", import.meta.url));

let directory = "";

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "bulkhead-analyze-"));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function file(name: string, content: string): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, dedent(content));
  return path;
}

interface Run {
  code: number | undefined;
  stdout: string;
  stderr: string;
}

/** Runs `bulkhead analyze ARGS...` in-process with captured streams. */
async function analyze(args: string[], color = false): Promise<Run> {
  const run: Run = { code: undefined, stdout: "", stderr: "" };
  await analyzeCommand({
    stdout: (text) => {
      run.stdout += text;
    },
    stderr: (text) => {
      run.stderr += text;
    },
    color,
    setExitCode: (code) => {
      run.code = code;
    },
  }).parseAsync(args, { from: "user" });
  return run;
}

const DENY_ALL_SHOP = `
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: deny-all, namespace: shop }
  spec:
    podSelector: {}
    policyTypes: [Ingress, Egress]
`;

const MIXED = `
  apiVersion: v1
  kind: Namespace
  metadata: { name: web }
  ---
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: open, namespace: shop }
  spec:
    podSelector: {}
    policyTypes: [Ingress, Egress]
    ingress:
      - from:
          - namespaceSelector: {}
    egress:
      - to:
          - ipBlock: { cidr: 0.0.0.0/0 }
  ---
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: deny-all, namespace: shop }
  spec:
    podSelector: {}
    policyTypes: [Ingress, Egress]
`;

describe("bulkhead analyze", () => {
  test("exit 0 and a PASS verdict when every namespace denies both ways", async () => {
    const run = await analyze([await file("pass.yaml", DENY_ALL_SHOP)]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("│ shop      │ yes                  │ yes                 │");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("PASS: the namespace denies ingress and egress by default; no allow-any rules.");
  });

  test("exit 1 with the table and the rules when something fails (multi-document YAML)", async () => {
    const run = await analyze([await file("mixed.yaml", MIXED)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("│ web       │ no                   │ no                  │");
    expect(run.stdout).toContain("│ shop      │ open   │ egress    │ 0     │ B     │");
    expect(run.stdout).toContain("│ shop      │ open   │ ingress   │ 0     │ C     │");
    // v2: shop's deny-all beside allows that admit the strangers is no default deny.
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("FAIL: 2 of 2 namespaces lack a default deny (shop, web); 2 allow-any rules.");
    expect(run.stdout).not.toContain("\u001b[");
  });

  test("--json prints exactly the documented shape, sorted", async () => {
    const run = await analyze([await file("mixed-json.yaml", MIXED), "--json"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      '{"namespaces":[{"name":"shop","defaultDenyIngress":false,"defaultDenyEgress":false},{"name":"web","defaultDenyIngress":false,"defaultDenyEgress":false}],' +
        '"allowAnyRules":[{"namespace":"shop","policy":"open","direction":"egress","index":0,"class":"B","kind":"NetworkPolicy","scope":"namespace","list":"egress"},' +
        '{"namespace":"shop","policy":"open","direction":"ingress","index":0,"class":"C","kind":"NetworkPolicy","scope":"namespace","list":"ingress"}]}\n',
    );
  });

  test("kind: List is flattened, across several files", async () => {
    const list = await file(
      "list.yaml",
      `
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Namespace
            metadata: { name: billing }
          - apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: { name: deny-ingress, namespace: billing }
            spec:
              podSelector: {}
      `,
    );
    const egress = await file(
      "egress.json",
      JSON.stringify({
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "deny-egress", namespace: "billing" },
        spec: { podSelector: {}, policyTypes: ["Egress"] },
      }),
    );
    const run = await analyze(["--json", list, egress]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      namespaces: [{ name: "billing", defaultDenyIngress: true, defaultDenyEgress: true }],
      allowAnyRules: [],
    });
  });

  test.each([
    {
      cluster: "rg-payments/aks-payments-prod",
      code: 1,
      json: {
        namespaces: [
          { name: "default", defaultDenyIngress: false, defaultDenyEgress: false },
          { name: "payments", defaultDenyIngress: true, defaultDenyEgress: true },
        ],
        allowAnyRules: [{ namespace: "payments", policy: "allow-egress-internet", direction: "egress", index: 0, class: "B", kind: "NetworkPolicy", scope: "namespace", list: "egress" }],
      },
    },
    {
      cluster: "rg-analytics/aks-analytics-prod",
      code: 1,
      json: {
        // v2: the allow-all-ingress beside default-deny-all leaves analytics without a default deny for ingress.
        namespaces: [
          { name: "analytics", defaultDenyIngress: false, defaultDenyEgress: true },
          { name: "default", defaultDenyIngress: false, defaultDenyEgress: false },
        ],
        allowAnyRules: [{ namespace: "analytics", policy: "allow-all-ingress", direction: "ingress", index: 0, class: "A", kind: "NetworkPolicy", scope: "namespace", list: "ingress" }],
      },
    },
    {
      cluster: "rg-platform/aks-platform-prod",
      code: 0,
      json: {
        namespaces: [
          { name: "default", defaultDenyIngress: true, defaultDenyEgress: true },
          { name: "observability", defaultDenyIngress: true, defaultDenyEgress: true },
        ],
        allowAnyRules: [],
      },
    },
  ])("fixture $cluster (kubectl List JSON)", async ({ cluster, code, json }) => {
    const run = await analyze([`${FIXTURES}${cluster}/namespaces.json`, `${FIXTURES}${cluster}/networkpolicies.json`, "--json"]);
    expect(run.code).toBe(code);
    expect(JSON.parse(run.stdout)).toEqual(json);
  });

  test("broken YAML: exit 2, the message names the file, the document and the line, nothing is analysed", async () => {
    const good = await file("good.yaml", DENY_ALL_SHOP);
    const broken = await file(
      "broken.yaml",
      `
        apiVersion: v1
        kind: Namespace
        metadata: { name: web }
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: bad
         namespace: web
      `,
    );
    const run = await analyze([good, broken]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`bulkhead analyze: ${broken}: document 2, line 9, column 1: All mapping items must start at the same column\n`);
  });

  test("broken JSON: exit 2 with the line", async () => {
    const broken = await file("broken.json", '{\n  "kind": "List",\n  "items": [\n    {"kind": "Namespace",}\n  ]\n  oops\n}\n');
    const run = await analyze([broken, "--json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`${broken}: document 1, line `);
  });

  test("every unreadable file is reported", async () => {
    const missing = join(directory, "missing.yaml");
    const prose = await file("README.md", "This file is prose, not a manifest.\n");
    const run = await analyze([missing, prose]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `bulkhead analyze: ${missing}: no such file\n` +
        `bulkhead analyze: ${prose}: document 1, line 1, column 1: expected a Kubernetes object, found a string\n`,
    );
  });

  test("no files: exit 2", async () => {
    const run = await analyze([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("give at least one FILE");
  });

  test("--json and --fix together: exit 2", async () => {
    const run = await analyze([await file("either.yaml", DENY_ALL_SHOP), "--json", "--fix"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
  });

  test("--fix prints manifests that make the failing namespaces pass", async () => {
    const input = await file("to-fix.yaml", MIXED);
    const run = await analyze([input, "--fix"]);
    expect(run.code).toBe(1);
    expect(run.stdout.split("---\n").length).toBe(3);
    expect(run.stderr).toBe(
      "bulkhead analyze: 3 manifests for web\nbulkhead analyze: 2 allow-any rules need a manual fix; run without --fix to list them\n",
    );
    const fix = await file("fix.yaml", run.stdout);
    const after = await analyze([input, fix, "--json"]);
    // shop's allow-any rules still admit the strangers: only a manual fix closes them.
    expect(JSON.parse(after.stdout).namespaces).toEqual([
      { name: "shop", defaultDenyIngress: false, defaultDenyEgress: false },
      { name: "web", defaultDenyIngress: true, defaultDenyEgress: true },
    ]);
  });

  test("input without Namespaces, workloads or policies: exit 0 with a warning", async () => {
    const run = await analyze([await file("configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\n")]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("bulkhead analyze: warning: the input holds no Namespace, workload or policy object in a workload namespace\n");
  });

  // Found on public manifests (issue 12): a file of Deployments without policies used to pass.
  test("a file of Deployments without policies fails: their namespaces are workload namespaces", async () => {
    const run = await analyze([await file("deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n"), "--json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ namespaces: [{ name: "default", defaultDenyIngress: false, defaultDenyEgress: false }], allowAnyRules: [] });
  });

  test("colour only when asked for", async () => {
    const run = await analyze([await file("colour.yaml", MIXED)], true);
    expect(run.stdout).toContain("\u001b[31mno\u001b[39m");
  });

  test.each([
    { env: {}, tty: true, color: true },
    { env: {}, tty: false, color: false },
    { env: { NO_COLOR: "1" }, tty: true, color: false },
    { env: { FORCE_COLOR: "1" }, tty: false, color: true },
    { env: { FORCE_COLOR: "0" }, tty: false, color: false },
  ])("colour for env $env on a tty=$tty: $color", ({ env, tty, color }) => {
    expect(shouldUseColor(env, tty)).toBe(color);
  });

  test("a malformed object of any kind is reported with file, document and field, and earns no credit", async () => {
    const path = await file(
      "mixed-kinds.yaml",
      `
        apiVersion: v1
        kind: Namespace
        metadata: { name: shop }
        ---
        apiVersion: projectcalico.org/v3
        kind: NetworkPolicy
        metadata: { name: deny-all, namespace: shop }
        spec:
          selector: "app == 'web"
          types: [Ingress, Egress]
        ---
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: { name: out, namespace: shop }
        spec:
          endpointSelector: {}
          egress:
            - toCIDR: [10.0.0.0/40]
      `,
    );
    const run = await analyze([path, "--json"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `bulkhead analyze: ${path}: document 2: CalicoNetworkPolicy shop/deny-all: spec.selector does not parse: unterminated string at position 8 in "app == 'web"; it earns no credit\n` +
        `bulkhead analyze: ${path}: document 3: CiliumNetworkPolicy shop/out: egress[0].toCIDR[0] is not a CIDR or an address; it earns no credit\n`,
    );
    expect(JSON.parse(run.stdout).namespaces).toEqual([{ name: "shop", defaultDenyIngress: false, defaultDenyEgress: false }]);
  });

  test("--engine says which objects are enforced; the others are named as not enforced", async () => {
    const path = await file(
      "cilium-only.yaml",
      `
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: { name: deny-all, namespace: shop }
        spec: { endpointSelector: {}, ingress: [{}], egress: [{}] }
      `,
    );
    const cilium = await analyze([path, "--json", "--engine", "cilium"]);
    expect(JSON.parse(cilium.stdout).namespaces).toEqual([{ name: "shop", defaultDenyIngress: true, defaultDenyEgress: true }]);
    const azure = await analyze([path, "--json", "--engine", "azure"]);
    expect(JSON.parse(azure.stdout).namespaces).toEqual([{ name: "shop", defaultDenyIngress: false, defaultDenyEgress: false }]);
    expect(azure.stderr).toBe("bulkhead analyze: note: --engine azure does not enforce 1 object, judged as absent: CiliumNetworkPolicy shop/deny-all\n");
    const wrong = await analyze([path, "--engine", "weave"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe('bulkhead analyze: --engine "weave" is not one of cilium, calico, azure\n');
  });

  test("cluster-scoped allow-any rules print with kind and scope", async () => {
    const path = await file(
      "ccnp.yaml",
      `
        apiVersion: v1
        kind: Namespace
        metadata: { name: shop }
        ---
        apiVersion: cilium.io/v2
        kind: CiliumClusterwideNetworkPolicy
        metadata: { name: lockdown }
        spec:
          endpointSelector: {}
          ingress: [{ fromEntities: [all] }]
      `,
    );
    const run = await analyze([path, "--json"]);
    expect(JSON.parse(run.stdout).allowAnyRules).toEqual([
      { namespace: null, policy: "lockdown", direction: "ingress", index: 0, class: "A", kind: "CiliumClusterwideNetworkPolicy", scope: "cluster", list: "ingress" },
    ]);
    const table = await analyze([path]);
    expect(table.stdout).toContain("│ (cluster-wide) │ CiliumClusterwideNetworkPolicy/lockdown │ ingress   │ 0     │ A     │");
  });

  test("typed NetworkPolicyList and NamespaceList files (items without kind) are read: six unprotected namespaces fail", async () => {
    const run = await analyze([`${REAL_WORLD}issue-findings/typed-lists.json`, `${REAL_WORLD}issue-findings/typed-lists-policies.json`, "--json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).namespaces.map((namespace: { name: string }) => namespace.name)).toEqual(["catalog", "checkout", "payments", "search", "shipping", "users"]);
  });

  test("--fix adds a DNS allow where a namespace already denies egress but blocks DNS", async () => {
    const input = `${REAL_WORLD}issue-findings/deny-egress-without-dns.yaml`;
    const run = await analyze([input, "--fix"]);
    expect(run.stderr).toBe("bulkhead analyze: 1 manifest for billing\n");
    expect(readYamlCase(run.stdout)).toEqual([
      expect.objectContaining({ kind: "NetworkPolicy", metadata: expect.objectContaining({ name: "bulkhead-allow-dns-egress", namespace: "billing" }) }),
    ]);
  });
});
