// Benchmark for `bulkhead analyze`: parse time (the CLI's own parser) against evaluation time on
// 20,000 mixed policy objects (Kubernetes, Cilium, Calico), and the decision cost per namespace of a
// cluster with 500 namespaces and 5,000 objects. Prints JSON lines; the goal is that evaluating
// never costs more than parsing the same input.

import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

import { stringify } from "yaml";

import { parseManifestText } from "@/lib/manifests/read-manifests";
import { analyzeManifests, judgeManifests, STRANGER_PORT } from "@/lib/posture";
import { createRandom } from "./deterministic-random";

const POLICIES = 20_000;
const NAMESPACES = 2_000;
const REPETITIONS = 3;

const random = createRandom(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const APPS = ["web", "api", "worker", "db", "cache", "auth", "billing", "search"];
const PORTS = [80, 443, 5432, 6379, 8080, 9090];

function ports(): unknown[] {
  const roll = random();
  if (roll < 0.1) return [{ protocol: "TCP", port: 1024, endPort: 65535 }];
  if (roll < 0.2) return [{ protocol: "TCP", port: "http" }];
  return [{ protocol: pick(["TCP", "UDP"]), port: pick(PORTS) }];
}

/** One ingress rule of a realistic shape; about 1 in 20 admits anything. */
function ingressRule(): unknown {
  const roll = random();
  if (roll < 0.05) return {};
  if (roll < 0.3) return { from: [{ podSelector: { matchLabels: { app: pick(APPS) } } }], ports: ports() };
  if (roll < 0.55) {
    return {
      from: [
        {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": `ns-${Math.floor(random() * NAMESPACES)}` } },
          podSelector: { matchExpressions: [{ key: "tier", operator: "In", values: ["frontend", "backend"] }] },
        },
      ],
      ports: ports(),
    };
  }
  if (roll < 0.8) return { from: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16", "10.2.0.0/16"] } }], ports: ports() };
  return { from: [{ namespaceSelector: {} }, { ipBlock: { cidr: "0.0.0.0/0" } }] };
}

/** One egress rule; a share reach the world, some with IMDS excepted. */
function egressRule(): unknown {
  const roll = random();
  if (roll < 0.3) {
    return {
      to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
      ports: [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
      ],
    };
  }
  if (roll < 0.6) return { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32", "10.0.0.0/8"] } }], ports: ports() };
  if (roll < 0.9) return { to: [{ podSelector: { matchLabels: { app: pick(APPS) } } }], ports: ports() };
  return { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] };
}

function repeat<T>(count: number, make: () => T): T[] {
  return Array.from({ length: count }, make);
}

function generateKubernetesPolicy(index: number, namespace: string): Record<string, unknown> {
  const metadata = { name: `policy-${index}`, namespace, labels: { "app.kubernetes.io/part-of": pick(APPS) } };
  const base = { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata };
  const roll = random();
  if (roll < 0.1) return { ...base, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } };
  const podSelector = roll < 0.2 ? {} : { matchLabels: { app: pick(APPS) } };
  const ingress = repeat(2 + Math.floor(random() * 5), ingressRule);
  const egress = repeat(1 + Math.floor(random() * 4), egressRule);
  // Some policies leave policyTypes to Kubernetes' defaulting.
  const spec = roll < 0.6 ? { podSelector, policyTypes: ["Ingress", "Egress"], ingress, egress } : { podSelector, ingress, egress };
  return { ...base, spec };
}

function ciliumPorts(): unknown[] {
  const roll = random();
  if (roll < 0.1) return [{ ports: [{ port: "0", protocol: "ANY" }] }];
  return [{ ports: [{ port: String(pick(PORTS)), protocol: pick(["TCP", "UDP", "ANY"]) }] }];
}

/** A CiliumNetworkPolicy of a realistic shape: endpoint peers, entities, CIDRs, FQDNs, a deny now and then. */
function generateCiliumPolicy(index: number, namespace: string): Record<string, unknown> {
  const roll = random();
  const endpointSelector = roll < 0.3 ? {} : { matchLabels: { "k8s:app": pick(APPS) } };
  const ingress = repeat(1 + Math.floor(random() * 3), () => {
    const peer = random();
    if (peer < 0.5) return { fromEndpoints: [{ matchLabels: { app: pick(APPS) } }], toPorts: ciliumPorts() };
    if (peer < 0.7) return { fromEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": `ns-${Math.floor(random() * NAMESPACES)}` } }] };
    if (peer < 0.9) return { fromEntities: [pick(["world", "cluster", "host"])], toPorts: ciliumPorts() };
    return { fromCIDRSet: [{ cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] }] };
  });
  const egress = repeat(1 + Math.floor(random() * 3), () => {
    const peer = random();
    if (peer < 0.3) return { toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": "kube-system", "k8s:k8s-app": "kube-dns" } }], toPorts: [{ ports: [{ port: "53", protocol: "ANY" }], rules: { dns: [{ matchPattern: "*" }] } }] };
    if (peer < 0.5) return { toFQDNs: [{ matchName: "api.example.com" }], toPorts: [{ ports: [{ port: "443", protocol: "TCP" }] }] };
    if (peer < 0.8) return { toEndpoints: [{ matchLabels: { app: pick(APPS) } }], toPorts: ciliumPorts() };
    return { toCIDR: ["0.0.0.0/0"], toPorts: ciliumPorts() };
  });
  const spec: Record<string, unknown> = { endpointSelector, ingress, egress };
  if (random() < 0.2) spec.egressDeny = [{ toCIDR: ["169.254.169.254/32"] }];
  return { apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: { name: `cnp-${index}`, namespace }, spec };
}

/** A Calico NetworkPolicy of a realistic shape: ordered, with Allow and Deny rules and selectors. */
function generateCalicoPolicy(index: number, namespace: string): Record<string, unknown> {
  const ingress = repeat(1 + Math.floor(random() * 3), () => {
    const peer = random();
    if (peer < 0.5) return { action: "Allow", protocol: "TCP", source: { selector: `app == '${pick(APPS)}'` }, destination: { ports: [pick(PORTS)] } };
    if (peer < 0.7) return { action: "Allow", source: { namespaceSelector: `projectcalico.org/name == 'ns-${Math.floor(random() * NAMESPACES)}'` } };
    if (peer < 0.9) return { action: "Deny", source: { nets: ["10.99.0.0/16"] } };
    return { action: "Allow", protocol: "TCP", source: { nets: ["0.0.0.0/0"] }, destination: { ports: ["8000:9000"] } };
  });
  const egress = repeat(1 + Math.floor(random() * 3), () => {
    const peer = random();
    if (peer < 0.3) return { action: "Allow", protocol: "UDP", destination: { namespaceSelector: "projectcalico.org/name == 'kube-system'", selector: "k8s-app == 'kube-dns'", ports: [53] } };
    if (peer < 0.5) return { action: "Deny", destination: { nets: ["169.254.169.254/32"] } };
    return { action: "Allow", protocol: "TCP", destination: { selector: `app in {'${pick(APPS)}', '${pick(APPS)}'}`, ports: [pick(PORTS)] } };
  });
  return {
    apiVersion: "projectcalico.org/v3",
    kind: "NetworkPolicy",
    metadata: { name: `calico-${index}`, namespace },
    spec: { order: 100 + Math.floor(random() * 900), selector: random() < 0.3 ? "all()" : `app == '${pick(APPS)}'`, types: ["Ingress", "Egress"], ingress, egress },
  };
}

/** 60 % Kubernetes, 25 % Cilium, 15 % Calico: a mixed estate's manifests. */
function generatePolicy(index: number, namespaces = NAMESPACES): Record<string, unknown> {
  const namespace = `ns-${index % namespaces}`;
  const roll = random();
  if (roll < 0.6) return generateKubernetesPolicy(index, namespace);
  if (roll < 0.85) return generateCiliumPolicy(index, namespace);
  return generateCalicoPolicy(index, namespace);
}

function countRules(objects: readonly Record<string, unknown>[]): number {
  let rules = 0;
  for (const object of objects) {
    const spec = object.spec as { ingress?: unknown[]; egress?: unknown[]; egressDeny?: unknown[] };
    rules += (spec.ingress?.length ?? 0) + (spec.egress?.length ?? 0) + (spec.egressDeny?.length ?? 0);
  }
  return rules;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * CPU time of this thread (ms): unlike the wall clock, not stretched when other processes share the
 * machine. Node 22 before 22.19 has no per-thread figure; the process's is then the next best.
 */
function threadCpuMs(): number {
  const usage = typeof process.threadCpuUsage === "function" ? process.threadCpuUsage() : process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * CPU time of every thread of the process (ms). The garbage collector scavenges on helper threads
 * beside this one, and does more of parsing's collection there (JSON.parse leaves a large tree that
 * survives) than of evaluation's: this thread's figure alone leaves part of parsing's cost out.
 */
function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function time<T>(work: () => T): { ms: number; cpuMs: number; processCpuMs: number; result: T } {
  const start = performance.now();
  const cpuStart = threadCpuMs();
  const processStart = processCpuMs();
  const result = work();
  return { ms: performance.now() - start, cpuMs: threadCpuMs() - cpuStart, processCpuMs: processCpuMs() - processStart, result };
}

function print(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function main(): void {
  const namespaces = Array.from({ length: NAMESPACES }, (_, index) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: `ns-${index}` } }));
  const policies = Array.from({ length: POLICIES }, (_, index) => generatePolicy(index));
  const rules = countRules(policies);
  const yamlText = [...namespaces, ...policies].map((object) => stringify(object)).join("---\n");
  const jsonText = JSON.stringify({ apiVersion: "v1", kind: "List", items: [...namespaces, ...policies] });
  if (process.env.BENCH_DUMP) writeFileSync(process.env.BENCH_DUMP, jsonText);
  const kinds: Record<string, number> = {};
  for (const policy of policies) {
    const key = `${String(policy.apiVersion).split("/")[0]} ${String(policy.kind)}`;
    kinds[key] = (kinds[key] ?? 0) + 1;
  }
  print({ name: "input", policies: POLICIES, kinds, namespaces: NAMESPACES, rules, yamlBytes: yamlText.length, jsonBytes: jsonText.length });

  for (const [format, text] of [
    ["yaml", yamlText],
    ["json", jsonText],
  ] as const) {
    const parseTimes: number[] = [];
    const evaluateTimes: number[] = [];
    const parseCpu: number[] = [];
    const evaluateCpu: number[] = [];
    const parseProcessCpu: number[] = [];
    const evaluateProcessCpu: number[] = [];
    let allowAny = 0;
    for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
      const parsed = time(() => parseManifestText(text, `bench.${format}`));
      const evaluated = time(() => analyzeManifests(parsed.result));
      parseTimes.push(parsed.ms);
      evaluateTimes.push(evaluated.ms);
      parseCpu.push(parsed.cpuMs);
      evaluateCpu.push(evaluated.cpuMs);
      parseProcessCpu.push(parsed.processCpuMs);
      evaluateProcessCpu.push(evaluated.processCpuMs);
      allowAny = evaluated.result.allowAnyRules.length;
    }
    const parse = median(parseTimes);
    const evaluate = median(evaluateTimes);
    const ratio = evaluate / parse;
    const suffix = format === "yaml" ? "" : ` (${format})`;
    print({ name: `parse${suffix}`, value: round(parse), unit: "ms", repetitions: REPETITIONS, runs: parseTimes.map((ms) => round(ms)), cpuMs: parseCpu.map((ms) => round(ms)) });
    print({ name: `evaluate${suffix}`, value: round(evaluate), unit: "ms", repetitions: REPETITIONS, runs: evaluateTimes.map((ms) => round(ms)), cpuMs: evaluateCpu.map((ms) => round(ms)), allowAnyRules: allowAny });
    print({ name: `evaluate/parse ratio${suffix}`, value: round(ratio, 3), goal: "<=1.0", met: ratio <= 1 });
    // The same on this thread's CPU time: on a shared machine the wall clock measures the neighbours too.
    const cpuRatio = median(evaluateCpu) / median(parseCpu);
    print({ name: `evaluate/parse CPU time ratio${suffix}`, value: round(cpuRatio, 3), parseCpuMs: round(median(parseCpu)), evaluateCpuMs: round(median(evaluateCpu)) });
    // And on the CPU time of all the process's threads, the collector's helpers (and the compiler's) included.
    const processCpuRatio = median(evaluateProcessCpu) / median(parseProcessCpu);
    print({
      name: `evaluate/parse all-threads CPU time ratio${suffix}`,
      value: round(processCpuRatio, 3),
      parseCpuMs: round(median(parseProcessCpu)),
      evaluateCpuMs: round(median(evaluateProcessCpu)),
      parseRuns: parseProcessCpu.map((ms) => round(ms)),
      evaluateRuns: evaluateProcessCpu.map((ms) => round(ms)),
    });
  }
  benchDecisionPerNamespace();
}

/** 500 namespaces, 5,000 objects: the cost of one namespace's default-deny, DNS and IMDS questions once the model is built. */
function benchDecisionPerNamespace(): void {
  const namespaceCount = 500;
  const objects: Record<string, unknown>[] = Array.from({ length: namespaceCount }, (_, index) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: `ns-${index}` } }));
  for (let index = 0; index < 5_000 - namespaceCount; index += 1) objects.push(generatePolicy(index, namespaceCount));
  const built = time(() => judgeManifests(objects));
  // What analyze reports (default deny, allow-any rules) is judged at once; DNS, IMDS and the policy
  // summaries that an evaluation stores are judged when first asked for: timed apart.
  const details = time(() => built.result.namespaces.length + built.result.policies.length);
  const model = built.result.model;
  const outside = { kind: "outside", family: 4 } as const;
  const strangers = Array.from({ length: namespaceCount }, (_, index) => ({ namespace: `ns-${index}`, labels: null }));
  const queries = time(() => {
    let refused = 0;
    for (const pod of strangers) {
      for (const direction of ["ingress", "egress"] as const) {
        if (!model.decide(pod, direction, outside, "TCP", STRANGER_PORT, "risk").admitted) refused += 1;
        if (!model.decide({ namespace: `ns-${(Number(pod.namespace.slice(3)) + 1) % namespaceCount}`, labels: { app: "web" } }, direction, { kind: "pod", pod }, "TCP", 8080, "risk").admitted) refused += 1;
      }
    }
    return refused;
  });
  print({
    name: "decision per namespace (500 namespaces, 5000 objects)",
    judgeClusterMs: round(built.ms),
    judgePerNamespaceMs: round(built.ms / namespaceCount, 3),
    detailsMs: round(details.ms),
    fullJudgementPerNamespaceMs: round((built.ms + details.ms) / namespaceCount, 3),
    decisionsPerNamespace: 4,
    decideMsPerNamespace: round(queries.ms / namespaceCount, 3),
    refused: queries.result,
  });
}

main();
