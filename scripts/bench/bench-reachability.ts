// Benchmark for reachability (docs/design.md §4.5, issue 13): one cluster with N namespaces, 10 pod
// classes and 10 policy objects per namespace (Kubernetes, Cilium and Calico, namespaced and
// cluster-wide), at three sizes. Prints JSON lines: the time to judge the cluster (reading and the
// decision model), the time of the reachability itself, its atoms and subject groups, peak memory, and
// the growth between sizes. The goal: 300 namespaces, 3,000 classes and 3,000 objects under 2 s and
// under 500 MB, growing no worse than linearly in classes × applicable statements.
//
// Run each size in its own process for a clean peak-memory figure: `npm run bench:reachability`
// does that; `-- --size N` runs one size.

import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";

import { judgeManifests } from "../../lib/posture";
import { Random } from "../../lib/sources/demo/random";

const SIZES = [30, 100, 300];
const REPETITIONS = 3;

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

const APPS = ["web", "api", "worker", "db", "cache"];
const TIERS = ["frontend", "backend"];
const TEAMS = ["payments", "search", "identity", "platform", "data", "mobile"];

/** A cluster of `namespaces` namespaces: every object kind, realistic label conventions, a third of namespaces segmented. */
function generateCluster(namespaces: number): unknown[] {
  const generator = new Random(namespaces);
  const random = (): number => generator.next();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const objects: unknown[] = [];
  const name = (index: number): string => `ns-${index}`;
  for (let index = 0; index < namespaces; index += 1) {
    const team = TEAMS[index % TEAMS.length] as string;
    objects.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: name(index), labels: { team, env: index % 4 === 0 ? "prod" : "dev" } } });
    // 10 pod classes: workload templates with app / tier / version labels.
    for (let cls = 0; cls < 10; cls += 1) {
      const app = APPS[cls % APPS.length] as string;
      objects.push({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: `${app}-${cls}`, namespace: name(index) },
        spec: {
          replicas: 1 + Math.floor(random() * 4),
          template: { metadata: { labels: { app, "app.kubernetes.io/name": `${app}-${cls}`, tier: cls < 5 ? "frontend" : "backend", version: `v${cls % 3}` } } },
        },
      });
    }
  }
  let policy = 0;
  const namespaced = (index: number, object: Record<string, unknown>): void => {
    policy += 1;
    objects.push({ ...object, metadata: { name: `p-${policy}`, namespace: name(index) } });
  };
  for (let index = 0; index < namespaces; index += 1) {
    const segmented = index % 3 !== 0;
    const other = name(Math.floor(random() * namespaces));
    // Kubernetes: default deny (where segmented), same-namespace allows, a cross-namespace allow, DNS egress.
    if (segmented) namespaced(index, { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } });
    for (let rule = 0; rule < 3; rule += 1) {
      const app = pick(APPS);
      namespaced(index, {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        spec: {
          podSelector: { matchLabels: { app } },
          ingress: [
            { from: [{ podSelector: { matchLabels: { tier: "frontend" } } }], ports: [{ port: pick([80, 443, 8080]) }] },
            { from: [{ namespaceSelector: { matchLabels: { team: pick(TEAMS) } }, podSelector: { matchLabels: { app: pick(APPS) } } }], ports: [{ port: 8080 }] },
          ],
        },
      });
    }
    namespaced(index, {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      spec: {
        podSelector: { matchExpressions: [{ key: "tier", operator: "In", values: [pick(TIERS)] }] },
        policyTypes: ["Egress"],
        egress: [
          { to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ protocol: "UDP", port: 53 }] },
          { to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": other } }, podSelector: { matchLabels: { app: "db" } } }], ports: [{ port: 5432 }] },
          { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "169.254.169.254/32"] } }], ports: [{ port: 443 }] },
        ],
      },
    });
    // Cilium: endpoint and entity peers, a deny.
    namespaced(index, {
      apiVersion: "cilium.io/v2",
      kind: "CiliumNetworkPolicy",
      spec: {
        endpointSelector: { matchLabels: { app: pick(APPS) } },
        ingress: [{ fromEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": other } }], toPorts: [{ ports: [{ port: "9090", protocol: "TCP" }] }] }, { fromEntities: [pick(["cluster", "world", "host"])] }],
        egressDeny: [{ toCIDR: ["169.254.169.254/32"] }],
      },
    });
    namespaced(index, {
      apiVersion: "cilium.io/v2",
      kind: "CiliumNetworkPolicy",
      spec: { endpointSelector: { matchLabels: { tier: "backend" } }, egress: [{ toEndpoints: [{ matchLabels: { app: "cache" } }], toPorts: [{ ports: [{ port: "6379", protocol: "TCP" }] }] }] },
    });
    // Calico: ordered allows and denies.
    namespaced(index, {
      apiVersion: "projectcalico.org/v3",
      kind: "NetworkPolicy",
      spec: {
        order: 100 + Math.floor(random() * 800),
        selector: `app == '${pick(APPS)}'`,
        types: ["Ingress"],
        ingress: [
          { action: "Deny", source: { nets: ["10.99.0.0/16"] } },
          { action: "Allow", protocol: "TCP", source: { namespaceSelector: `team == '${pick(TEAMS)}'` }, destination: { ports: [8443] } },
        ],
      },
    });
    namespaced(index, {
      apiVersion: "projectcalico.org/v3",
      kind: "NetworkPolicy",
      spec: { order: 500, selector: "tier == 'frontend'", types: ["Egress"], egress: [{ action: "Pass", destination: { selector: "app == 'api'" } }, { action: "Allow", protocol: "TCP", destination: { ports: [80, 443] } }] },
    });
    while (policy < (index + 1) * 10 - 1) {
      namespaced(index, {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": `${pick(APPS)}-${Math.floor(random() * 10)}` } }, ingress: [{ from: [{ podSelector: {} }] }] },
      });
    }
    // One cluster-wide object per namespace, so the estate holds 10 objects per namespace in all.
    policy += 1;
    objects.push(
      index % 2 === 0
        ? {
            apiVersion: "cilium.io/v2",
            kind: "CiliumClusterwideNetworkPolicy",
            metadata: { name: `ccnp-${index}` },
            spec: { endpointSelector: { matchLabels: { "k8s:io.kubernetes.pod.namespace": name(index), version: "v2" } }, ingress: [{ fromEntities: ["cluster"] }] },
          }
        : {
            apiVersion: "projectcalico.org/v3",
            kind: "GlobalNetworkPolicy",
            metadata: { name: `gnp-${index}` },
            spec: { order: 50, namespaceSelector: `projectcalico.org/name == '${name(index)}'`, selector: "version == 'v1'", types: ["Egress"], egress: [{ action: "Deny", destination: { nets: ["169.254.169.254/32"] } }] },
          },
    );
  }
  return objects;
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function runSize(namespaces: number): Record<string, unknown> {
  const objects = generateCluster(namespaces);
  const policies = objects.filter((object) => !["Namespace", "Deployment"].includes((object as { kind: string }).kind)).length;
  // Three fresh judgements: the median of each figure (this machine is shared; the median is steadier).
  // CPU time is printed too: on a machine shared with other work, wall time says more about the others.
  const judgeTimes: number[] = [];
  const reachTimes: number[] = [];
  const reachCpu: number[] = [];
  let judgement = judgeManifests(objects);
  for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
    let start = performance.now();
    judgement = judgeManifests(objects);
    judgeTimes.push(performance.now() - start);
    start = performance.now();
    const cpu = process.cpuUsage();
    void judgement.reachability;
    const used = process.cpuUsage(cpu);
    reachTimes.push(performance.now() - start);
    reachCpu.push((used.user + used.system) / 1000);
  }
  const reachability = judgement.reachability;
  const judgeMs = median(judgeTimes);
  const reachMs = median(reachTimes);
  const document = reachability.document;
  // The work measure of the goal: classes × the statements that can apply to each (both directions).
  let applicable = 0;
  for (const cls of reachability.classes) {
    for (const direction of ["ingress", "egress"] as const) {
      const plan = judgement.model.plan(cls, direction, "risk");
      applicable += plan.denies.length + plan.tiers.reduce((sum, tier) => sum + tier.slots.reduce((slots, slot) => slots + 1 + slot.rules.length, 0), 0);
    }
  }
  return {
    name: `reachability (${namespaces} namespaces)`,
    namespaces,
    classes: document.classes.length,
    policyObjects: policies,
    statements: judgement.model.statements.length,
    applicableStatements: applicable,
    ports: document.ports.length,
    pods: document.pods,
    exposure: document.exposure,
    namespacePairs: document.namespacePairs.length,
    atoms: reachability.stats.atoms,
    subjectGroups: reachability.stats.egressGroups + reachability.stats.ingressGroups,
    judgeMs: round(judgeMs),
    reachabilityMs: round(reachMs),
    reachabilityRuns: reachTimes.map((ms) => round(ms)),
    reachabilityCpuMs: round(median(reachCpu)),
    totalMs: round(judgeMs + reachMs),
    documentBytes: JSON.stringify(document).length,
    peakRssMb: round(process.resourceUsage().maxRSS / 1024),
  };
}

function main(): void {
  const sizeArgument = process.argv.indexOf("--size");
  if (sizeArgument >= 0) {
    process.stdout.write(`${JSON.stringify(runSize(Number(process.argv[sizeArgument + 1])))}\n`);
    return;
  }
  const results: Record<string, unknown>[] = [];
  for (const size of SIZES) {
    // A process per size, so peak memory is that size's own.
    const output = execFileSync(process.execPath, [...process.execArgv, process.argv[1] as string, "--size", String(size)], { encoding: "utf8" });
    const result = JSON.parse(output) as Record<string, unknown>;
    results.push(result);
    process.stdout.write(output);
  }
  const first = results[0] as { classes: number; applicableStatements: number; reachabilityMs: number };
  const last = results[results.length - 1] as { classes: number; applicableStatements: number; reachabilityMs: number; peakRssMb: number };
  process.stdout.write(
    `${JSON.stringify({
      name: "growth (smallest to largest)",
      classes: round(last.classes / first.classes),
      classesTimesApplicableStatements: round(last.applicableStatements / first.applicableStatements),
      reachabilityTime: round(last.reachabilityMs / first.reachabilityMs),
      goal: "300 namespaces: reachability < 2000 ms and peak RSS < 500 MB",
      met: last.reachabilityMs < 2000 && last.peakRssMb < 500,
      judgeAndReachabilityMs: (last as unknown as { totalMs: number }).totalMs,
    })}\n`,
  );
}

main();
