import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { dedent } from "@/testing/yaml-cases";
import { analyzeCommand } from "./analyze";
import { AGAINST_VERDICT } from "./analyze-connectivity";

let directory = "";

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "bulkhead-connectivity-"));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function write(name: string, ...documents: string[]): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, documents.map((document) => dedent(document)).join("---\n"));
  return path;
}

/** `bulkhead analyze ARGS...` in-process: exit code and both streams. */
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

const SHOP = `
  apiVersion: v1
  kind: Namespace
  metadata: { name: shop }
  ---
  apiVersion: v1
  kind: Namespace
  metadata: { name: billing }
  ---
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: web, namespace: shop }
  spec: { replicas: 2, template: { metadata: { labels: { app: web } } } }
  ---
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ledger, namespace: billing }
  spec: { replicas: 1, template: { metadata: { labels: { app: ledger } } } }
`;

function sealed(namespace: string): string {
  return `
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: deny-all, namespace: ${namespace} }
    spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
  `;
}

const SHOP_TO_LEDGER = `
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: to-ledger, namespace: shop }
  spec:
    podSelector: { matchLabels: { app: web } }
    policyTypes: [Egress]
    egress: [{ to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: billing } } }], ports: [{ port: 8443 }] }]
  ---
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: from-shop, namespace: billing }
  spec:
    podSelector: { matchLabels: { app: ledger } }
    policyTypes: [Ingress]
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: shop } }, podSelector: { matchLabels: { app: web } } }], ports: [{ port: 8443 }] }]
`;

const WEB_TO_WEB = `
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: web-peers, namespace: shop }
  spec:
    podSelector: { matchLabels: { app: web } }
    ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }] }]
    egress: [{ to: [{ podSelector: { matchLabels: { app: web } } }] }]
`;

describe("bulkhead analyze --connectivity", () => {
  test("prints exposure, who is reachable from outside and reaches IMDS, namespace pairs and classes; the exit code stays the analysis'", async () => {
    const run = await analyze([await write("open.yaml", SHOP), "--connectivity"]);
    // Nothing denies by default: the analysis fails, as without --connectivity.
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Lateral exposure: 100.0 % (3 pods in 4 classes, 2 namespaces; pods from the Pods and workloads given)");
    expect(run.stdout).toContain("Reachable from outside the cluster (4)");
    expect(run.stdout).toContain("  shop/app=web");
    expect(run.stdout).toContain("│ shop    │ billing │ 1 of 1       │ 100.0 %           │");
    expect(run.stdout).toContain("│ billing/* (new pods) │ 0    │ 3            │ billing, shop      │ yes          │ yes  │");
  });

  test("--json prints names, shares and per class what it reaches", async () => {
    const run = await analyze([await write("sealed.json.yaml", SHOP, sealed("shop"), sealed("billing"), SHOP_TO_LEDGER), "--connectivity", "--json"]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as {
      exposure: number;
      namespaces: { name: string; pods: number }[];
      namespacePairs: { from: string; to: string; pods: number; share: number }[];
      classes: { namespace: string; labels: Record<string, string> | null; pods: number; reachablePods: number; internetExposed: boolean; reachesImds: boolean; reaches: { namespace: string; pods: number }[] }[];
    };
    // web (2 pods) reaches ledger (1): 2 of 3 × 2 ordered pairs.
    expect(json.exposure).toBe(33.3);
    expect(json.namespaces).toEqual([
      { name: "billing", pods: 1 },
      { name: "shop", pods: 2 },
    ]);
    expect(json.namespacePairs).toEqual([{ from: "shop", to: "billing", pods: 1, share: 100 }]);
    expect(json.classes.find((cls) => cls.labels?.app === "web")).toEqual({
      namespace: "shop",
      labels: { app: "web" },
      pods: 2,
      reachablePods: 1,
      internetExposed: false,
      reachesImds: false,
      reaches: [{ namespace: "billing", pods: 1 }],
    });
  });
});

describe("bulkhead analyze --against", () => {
  test("a change that opens a namespace to another exits 1 and lists what it adds", async () => {
    const base = await write("base.yaml", SHOP, sealed("shop"), sealed("billing"));
    const head = await write("head.yaml", SHOP, sealed("shop"), sealed("billing"), SHOP_TO_LEDGER);
    const run = await analyze([head, "--against", base]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Connections added (1)\n  + shop/app=web → billing/app=ledger on TCP/8443 [across namespaces]");
    expect(run.stdout).toContain("Connections removed (0)\nnone");
    expect(run.stdout).toContain("Lateral exposure: 0.0 % → 33.3 %");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(AGAINST_VERDICT.fails);
  });

  test("reachability within a namespace only passes; the reverse change lists what it removes", async () => {
    const base = await write("within-base.yaml", SHOP, sealed("shop"), sealed("billing"), SHOP_TO_LEDGER);
    const head = await write("within-head.yaml", SHOP, sealed("shop"), sealed("billing"), WEB_TO_WEB);
    const run = await analyze([head, "--against", base, "--json"]);
    expect(run.code).toBe(0);
    const changes = JSON.parse(run.stdout) as { added: { kind: string; from: unknown; to: unknown; crossNamespace: boolean; ports: string[] }[]; removed: unknown[]; addsRisk: boolean };
    expect(changes.addsRisk).toBe(false);
    expect(changes.added).toEqual([{ kind: "pod", from: { namespace: "shop", labels: { app: "web" } }, to: { namespace: "shop", labels: { app: "web" } }, crossNamespace: false, ports: ["TCP/*"] }]);
    expect(changes.removed).toEqual([{ kind: "pod", from: { namespace: "shop", labels: { app: "web" } }, to: { namespace: "billing", labels: { app: "ledger" } }, crossNamespace: true, ports: ["TCP/8443"] }]);
  });

  test("opening a pod to the internet or IMDS fails the gate", async () => {
    const base = await write("egress-base.yaml", SHOP, sealed("shop"), sealed("billing"));
    const head = await write(
      "egress-head.yaml",
      SHOP,
      sealed("shop"),
      sealed("billing"),
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: anywhere, namespace: billing }
        spec:
          podSelector: { matchLabels: { app: ledger } }
          egress: [{ to: [{ ipBlock: { cidr: 0.0.0.0/0 } }] }]
          ingress: [{ from: [{ ipBlock: { cidr: 0.0.0.0/0 } }], ports: [{ port: 443 }] }]
      `,
    );
    const run = await analyze([head, "--against", base]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("  + outside the cluster → billing/app=ledger on TCP/443 [from outside]");
    expect(run.stdout).toContain("  + billing/app=ledger → IMDS (169.254.169.254) on TCP/80 [IMDS]");
  });

  test("no change: exit 0, nothing added or removed", async () => {
    const both = await write("same.yaml", SHOP, sealed("shop"));
    const run = await analyze([both, "--against", both]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Connections added (0)");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(AGAINST_VERDICT.passes);
  });

  test("an unreadable base is bad input: exit 2, the file named", async () => {
    const head = await write("ok.yaml", SHOP);
    const run = await analyze([head, "--against", join(directory, "missing.yaml")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("missing.yaml: no such file");
    expect(run.stdout).toBe("");
  });

  test("--fix and --connectivity, or --connectivity and --against, are refused", async () => {
    const head = await write("refuse.yaml", SHOP);
    expect((await analyze([head, "--fix", "--connectivity"])).code).toBe(2);
    const both = await analyze([head, "--connectivity", "--against", head]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--connectivity and --against cannot be used together");
  });
});
