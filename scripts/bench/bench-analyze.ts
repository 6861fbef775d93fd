// Benchmark for `bulkhead analyze`: parse time (the CLI's own parser) against evaluation time.
// Prints JSON lines; the goal is that evaluating never costs more than parsing the same input.

import { performance } from "node:perf_hooks";

import { stringify } from "yaml";

import { parseManifestText } from "@/lib/manifests/read-manifests";
import { analyzeManifests } from "@/lib/posture";

const POLICIES = 20_000;
const NAMESPACES = 2_000;
const REPETITIONS = 3;

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same input. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

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

function generatePolicy(index: number): Record<string, unknown> {
  const namespace = `ns-${index % NAMESPACES}`;
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

function countRules(objects: readonly Record<string, unknown>[]): number {
  let rules = 0;
  for (const object of objects) {
    const spec = object.spec as { ingress?: unknown[]; egress?: unknown[] };
    rules += (spec.ingress?.length ?? 0) + (spec.egress?.length ?? 0);
  }
  return rules;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function time<T>(work: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = work();
  return { ms: performance.now() - start, result };
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
  print({ name: "input", policies: POLICIES, namespaces: NAMESPACES, rules, yamlBytes: yamlText.length, jsonBytes: jsonText.length });

  for (const [format, text] of [
    ["yaml", yamlText],
    ["json", jsonText],
  ] as const) {
    const parseTimes: number[] = [];
    const evaluateTimes: number[] = [];
    let allowAny = 0;
    for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
      const parsed = time(() => parseManifestText(text, `bench.${format}`));
      const evaluated = time(() => analyzeManifests(parsed.result));
      parseTimes.push(parsed.ms);
      evaluateTimes.push(evaluated.ms);
      allowAny = evaluated.result.allowAnyRules.length;
    }
    const parse = median(parseTimes);
    const evaluate = median(evaluateTimes);
    const ratio = evaluate / parse;
    const suffix = format === "yaml" ? "" : ` (${format})`;
    print({ name: `parse${suffix}`, value: round(parse), unit: "ms", repetitions: REPETITIONS, runs: parseTimes.map((ms) => round(ms)) });
    print({ name: `evaluate${suffix}`, value: round(evaluate), unit: "ms", repetitions: REPETITIONS, runs: evaluateTimes.map((ms) => round(ms)), allowAnyRules: allowAny });
    print({ name: `evaluate/parse ratio${suffix}`, value: round(ratio, 3), goal: "<=1.0", met: ratio <= 1 });
  }
}

main();
