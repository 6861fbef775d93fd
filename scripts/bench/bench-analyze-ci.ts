// Benchmark for `bulkhead analyze` as CI runs it (docs/ci.md): a directory of 2,000 Helm-rendered
// files holding 20,000 objects (namespaces, deployments, services, config maps, Kubernetes, Cilium and
// Calico policies, each document with its `# Source:` comment), read, judged and written as SARIF
// and JUnit. Prints one JSON line per figure, with the split between reading, judging and formatting,
// and the end-to-end time of the real command. Goal: under 10 s, SARIF included.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { stringify } from "yaml";

import { buildAnalyzeReport, DEFAULT_FAIL_ON } from "@/lib/analyze/analyze-report";
import { formatJunit } from "@/lib/analyze/format-junit";
import { formatSarif } from "@/lib/analyze/format-sarif";
import { readManifestInputs } from "@/lib/manifests/read-manifests";
import { judgeManifests } from "@/lib/posture";
import { createRandom } from "./deterministic-random";

const FILES = 2_000;
const OBJECTS_PER_FILE = 10;
const CHARTS = 200;
const GOAL_MS = 10_000;

const random = createRandom(7);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const APPS = ["web", "api", "worker", "cache", "auth", "billing"];

function deployment(namespace: string, app: string): unknown {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: app, namespace, labels: { "app.kubernetes.io/name": app, "helm.sh/chart": `${namespace}-1.4.2` } },
    spec: {
      replicas: 1 + Math.floor(random() * 4),
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app, tier: pick(["frontend", "backend"]) } },
        spec: { containers: [{ name: app, image: `registry.example.com/${app}:1.${Math.floor(random() * 20)}`, ports: [{ containerPort: 8080 }], resources: { limits: { cpu: "500m", memory: "256Mi" } } }] },
      },
    },
  };
}

function service(namespace: string, app: string): unknown {
  return { apiVersion: "v1", kind: "Service", metadata: { name: app, namespace }, spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] } };
}

function configMap(namespace: string, app: string): unknown {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `${app}-config`, namespace }, data: { "settings.json": JSON.stringify({ app, retries: 3, timeoutSeconds: 30 }) } };
}

function networkPolicy(namespace: string, app: string, index: number): unknown {
  const roll = random();
  if (roll < 0.3) return { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: `deny-all-${index}`, namespace }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } };
  if (roll < 0.55) {
    return {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: `allow-dns-${index}`, namespace },
      spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ protocol: "UDP", port: 53 }] }] },
    };
  }
  if (roll < 0.8) {
    return {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: `${app}-ingress-${index}`, namespace },
      spec: { podSelector: { matchLabels: { app } }, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: { matchLabels: { app: pick(APPS) } } }], ports: [{ protocol: "TCP", port: 8080 }] }, ...(random() < 0.1 ? [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] : [])] },
    };
  }
  if (roll < 0.92) {
    return {
      apiVersion: "cilium.io/v2",
      kind: "CiliumNetworkPolicy",
      metadata: { name: `${app}-cilium-${index}`, namespace },
      spec: { endpointSelector: { matchLabels: { app } }, egress: [{ toEndpoints: [{ matchLabels: { app: pick(APPS) } }], toPorts: [{ ports: [{ port: "8080", protocol: "TCP" }] }] }, { toFQDNs: [{ matchName: "api.example.com" }], toPorts: [{ ports: [{ port: "443", protocol: "TCP" }] }] }] },
    };
  }
  return {
    apiVersion: "projectcalico.org/v3",
    kind: "NetworkPolicy",
    metadata: { name: `${app}-calico-${index}`, namespace },
    spec: { order: 100, selector: `app == '${app}'`, types: ["Egress"], egress: [{ action: "Deny", destination: { nets: ["169.254.169.254/32"] } }, { action: "Allow", protocol: "TCP", destination: { selector: `app == '${pick(APPS)}'`, ports: [8080] } }] },
  };
}

/** One rendered template file: what `helm template` writes for one chart's template, ten documents. */
function renderedFile(file: number): string {
  const chart = `chart-${file % CHARTS}`;
  const namespace = `team-${file % CHARTS}`;
  const documents: string[] = [];
  for (let index = 0; index < OBJECTS_PER_FILE; index += 1) {
    const app = pick(APPS);
    const kind = index % 5;
    let object: unknown;
    let template: string;
    if (file % 10 === 0 && index === 0) {
      object = { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels: { team: namespace } } };
      template = "namespace.yaml";
    } else if (kind === 0) [object, template] = [deployment(namespace, app), "deployment.yaml"];
    else if (kind === 1) [object, template] = [service(namespace, app), "service.yaml"];
    else if (kind === 2) [object, template] = [configMap(namespace, app), "configmap.yaml"];
    else [object, template] = [networkPolicy(namespace, app, file * OBJECTS_PER_FILE + index), "networkpolicy.yaml"];
    documents.push(`---\n# Source: ${chart}/templates/${template}\n${stringify(object)}`);
  }
  return documents.join("");
}

function print(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

async function main(): Promise<void> {
  // BENCH_KEEP=DIR keeps the generated input there, to look at or profile.
  const keep = process.env.BENCH_KEEP;
  const root = keep ? path.resolve(keep) : mkdtempSync(path.join(tmpdir(), "bulkhead-bench-analyze-ci-"));
  try {
    const rendered = path.join(root, "rendered");
    let bytes = 0;
    for (let file = 0; file < FILES; file += 1) {
      const directory = path.join(rendered, `chart-${file % CHARTS}`, "templates");
      mkdirSync(directory, { recursive: true });
      const text = renderedFile(file);
      bytes += text.length;
      writeFileSync(path.join(directory, `rendered-${file}.yaml`), text);
    }
    // Other work on the machine slows every figure: the load average is printed beside them.
    print({ name: "input", files: FILES, objects: FILES * OBJECTS_PER_FILE, megabytes: round(bytes / 1024 / 1024), loadAverage: round(loadavg()[0] ?? 0) });

    const start = performance.now();
    const input = await readManifestInputs([rendered]);
    const read = performance.now();
    const judgement = judgeManifests(input.objects);
    const report = buildAnalyzeReport({ judgement, objects: input.objects, iac: [], failOn: new Set(DEFAULT_FAIL_ON), exceptions: null, now: new Date() });
    const judged = performance.now();
    const sarif = formatSarif(report, { toolVersion: "bench", cwd: root, stdinName: "-", helmChart: null, notes: [], strictExceptions: false });
    const formatted = performance.now();
    const junit = formatJunit(report, { strictExceptions: false, cwd: root });
    const junitDone = performance.now();
    const failing = report.checks.filter((check) => check.status === "fail").length;
    print({
      name: "analyze in process",
      objects: input.objects.length,
      namespaces: judgement.namespaces.length,
      checks: report.checks.length,
      failing,
      readMs: round(read - start),
      judgeMs: round(judged - read),
      sarifMs: round(formatted - judged),
      totalMs: round(formatted - start),
      junitMs: round(junitDone - formatted),
      sarifMegabytes: round(sarif.length / 1024 / 1024),
      junitMegabytes: round(junit.length / 1024 / 1024),
      goalMs: GOAL_MS,
      met: formatted - start < GOAL_MS,
    });

    // The real command, as the GitHub Action runs it: process start, reading, judging and SARIF on disk.
    const bin = path.join(process.cwd(), "bin", "bulkhead.mjs");
    const started = performance.now();
    try {
      execFileSync(process.execPath, [bin, "analyze", rendered, "--format", "sarif", "--output", path.join(root, "out.sarif")], { stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
    } catch (error) {
      // Exit 1 means findings, which this input has.
      if ((error as { status?: number }).status !== 1) throw error;
    }
    const elapsed = performance.now() - started;
    print({ name: "bulkhead analyze DIR --format sarif (whole command)", value: round(elapsed), unit: "ms", goalMs: GOAL_MS, met: elapsed < GOAL_MS, loadAverage: round(loadavg()[0] ?? 0) });
  } finally {
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
}

await main();
