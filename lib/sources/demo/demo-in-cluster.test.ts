import { beforeAll, describe, expect, test } from "vitest";
import { listEstate, type SubscriptionListing } from "@/lib/sources/source";
import { createDemoEstate, type DemoRun, type KubeNamespace, type KubeNetworkPolicy } from "./index";

const END_AT = new Date("2026-03-01T02:00:00.000Z");
const SYSTEM = new Set(["kube-system", "kube-public", "kube-node-lease", "gatekeeper-system", "calico-system", "tigera-operator", "app-routing-system"]);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

interface Read {
  day: number;
  cluster: { id: string; networkProfile: { networkPolicy?: string | null } };
  namespaces: KubeNamespace[];
  policies: KubeNetworkPolicy[];
}

let runs: DemoRun[];
const reads: Read[] = [];

beforeAll(async () => {
  runs = [...createDemoEstate({ endAt: END_AT }).runs()];
  for (const day of [0, 45, 90, 135, 179]) {
    const listings: SubscriptionListing[] = await listEstate(runs[day].source);
    for (const l of listings) {
      if (!l.ok) continue;
      for (const raw of l.clusters as { id: string; name: string; resourceGroup: string; networkProfile: { networkPolicy?: string } }[]) {
        const read = await runs[day].source.readInCluster({ id: raw.id, name: raw.name, resourceGroup: raw.resourceGroup, subscriptionId: l.subscriptionId });
        if (read.status === "read") reads.push({ day, cluster: raw, namespaces: read.data.namespaces as KubeNamespace[], policies: read.data.policies as KubeNetworkPolicy[] });
      }
    }
  }
});

function validCidr(cidr: string): boolean {
  const m = CIDR.exec(cidr);
  return !!m && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
}

/** Everything wrong with one NetworkPolicy's shape; empty when it is a valid networking.k8s.io/v1 object. */
function shapeProblems(p: KubeNetworkPolicy, namespaces: Set<string>): string[] {
  const problems: string[] = [];
  const where = `${p.metadata?.namespace}/${p.metadata?.name}`;
  if (p.apiVersion !== "networking.k8s.io/v1" || p.kind !== "NetworkPolicy") problems.push(`${where}: apiVersion/kind`);
  if (!DNS_LABEL.test(p.metadata.name) || p.metadata.name.length > 63) problems.push(`${where}: name`);
  if (!namespaces.has(p.metadata.namespace)) problems.push(`${where}: namespace not listed`);
  if (!TIMESTAMP.test(p.metadata.creationTimestamp ?? "")) problems.push(`${where}: creationTimestamp`);
  const spec = p.spec;
  if (typeof spec.podSelector !== "object" || spec.podSelector === null) problems.push(`${where}: podSelector`);
  const types = spec.policyTypes ?? [];
  if (!types.length || types.some((t) => t !== "Ingress" && t !== "Egress") || new Set(types).size !== types.length) problems.push(`${where}: policyTypes`);
  if (spec.ingress && !types.includes("Ingress")) problems.push(`${where}: ingress rules without Ingress type`);
  if (spec.egress && !types.includes("Egress")) problems.push(`${where}: egress rules without Egress type`);
  const rules = [...(spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })), ...(spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }))];
  for (const rule of rules) {
    for (const peer of rule.peers ?? []) {
      const keys = Object.keys(peer);
      if (!keys.length || keys.some((k) => !["podSelector", "namespaceSelector", "ipBlock"].includes(k))) problems.push(`${where}: peer keys ${keys}`);
      if (peer.ipBlock && (keys.length !== 1 || !validCidr(peer.ipBlock.cidr) || !(peer.ipBlock.except ?? []).every(validCidr))) problems.push(`${where}: ipBlock`);
    }
    for (const port of rule.ports ?? []) {
      if (!["TCP", "UDP"].includes(port.protocol ?? "") || typeof port.port !== "number" || port.port < 1 || port.port > 65535) problems.push(`${where}: port`);
    }
  }
  return problems;
}

describe("in-cluster objects", () => {
  test("namespaces are v1 Namespace objects with the metadata.name label, 3-15 workload ones per cluster", () => {
    expect(reads.length).toBeGreaterThan(500);
    const workloadCounts: number[] = [];
    for (const r of reads) {
      const names = r.namespaces.map((n) => n.metadata.name);
      expect(names).toEqual([...names].sort());
      expect(new Set(names).size).toBe(names.length);
      for (const required of ["default", "kube-system", "kube-public", "kube-node-lease"]) expect(names).toContain(required);
      for (const ns of r.namespaces) {
        expect(ns.apiVersion).toBe("v1");
        expect(ns.kind).toBe("Namespace");
        expect(ns.metadata.name).toMatch(DNS_LABEL);
        expect(ns.metadata.labels?.["kubernetes.io/metadata.name"]).toBe(ns.metadata.name);
        expect(ns.metadata.creationTimestamp).toMatch(TIMESTAMP);
        expect(Date.parse(ns.metadata.creationTimestamp!)).toBeLessThan(runs[r.day].capturedAt.getTime());
        expect(ns.status.phase).toBe("Active");
      }
      const workload = names.filter((n) => !SYSTEM.has(n)).length;
      workloadCounts.push(workload);
      // Calico's operator namespaces exist exactly when calico is the engine.
      expect(names.includes("calico-system")).toBe(r.cluster.networkProfile.networkPolicy === "calico");
    }
    expect(Math.min(...workloadCounts)).toBe(3);
    expect(Math.max(...workloadCounts)).toBeLessThanOrEqual(15);
    expect(Math.max(...workloadCounts)).toBeGreaterThanOrEqual(12);
  });

  test("network policies are valid networking.k8s.io/v1 objects, unique and sorted like kubectl", () => {
    const problems: string[] = [];
    let count = 0;
    for (const r of reads) {
      const namespaces = new Set(r.namespaces.map((n) => n.metadata.name));
      const created = new Map(r.namespaces.map((n) => [n.metadata.name, Date.parse(n.metadata.creationTimestamp!)]));
      const keys = r.policies.map((p) => `${p.metadata.namespace}\u0000${p.metadata.name}`);
      if (new Set(keys).size !== keys.length) problems.push(`${r.cluster.id}: duplicate policy`);
      if (keys.join("|") !== [...keys].sort().join("|")) problems.push(`${r.cluster.id}: not sorted`);
      for (const p of r.policies) {
        count++;
        problems.push(...shapeProblems(p, namespaces));
        const at = Date.parse(p.metadata.creationTimestamp!);
        if (at < created.get(p.metadata.namespace)! || at >= runs[r.day].capturedAt.getTime()) problems.push(`${p.metadata.namespace}/${p.metadata.name}: created out of order`);
        if (SYSTEM.has(p.metadata.namespace)) problems.push(`${p.metadata.namespace}/${p.metadata.name}: in a system namespace`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(count).toBeGreaterThan(3000);
  });

  test("the policy vocabulary of a real estate is all there, sloppy rules included", () => {
    const all = reads.flatMap((r) => r.policies);
    const find = (pred: (p: KubeNetworkPolicy) => boolean) => all.filter(pred).length;
    const json = (x: unknown) => JSON.stringify(x);
    // Default deny in both directions, together or apart.
    expect(find((p) => p.metadata.name === "default-deny-all" && json(p.spec) === json({ podSelector: {}, policyTypes: ["Ingress", "Egress"] }))).toBeGreaterThan(50);
    expect(find((p) => p.metadata.name === "default-deny-ingress" && json(p.spec) === json({ podSelector: {}, policyTypes: ["Ingress"] }))).toBeGreaterThan(50);
    expect(find((p) => p.metadata.name === "default-deny-egress" && json(p.spec) === json({ podSelector: {}, policyTypes: ["Egress"] }))).toBeGreaterThan(10);
    // DNS to kube-dns in kube-system on UDP and TCP 53 (a few with the old `name:` label, which does not match).
    const dns = all.filter((p) => p.metadata.name === "allow-dns");
    expect(dns.length).toBeGreaterThan(100);
    expect(dns.filter((p) => json(p.spec.egress?.[0].ports) === json([{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }])).length).toBe(dns.length);
    expect(dns.filter((p) => p.spec.egress?.[0].to?.[0].namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "kube-system").length / dns.length).toBeGreaterThan(0.85);
    expect(dns.some((p) => p.spec.egress?.[0].to?.[0].namespaceSelector?.matchLabels?.name === "kube-system")).toBe(true);
    // App-to-app ingress with namespace and pod selectors, egress to specific ranges, internet minus IMDS.
    expect(find((p) => !!p.spec.ingress?.[0].from?.some((f) => f.namespaceSelector?.matchLabels && f.podSelector?.matchLabels) && !!p.spec.podSelector.matchLabels)).toBeGreaterThan(20);
    expect(find((p) => !!p.spec.egress?.some((e) => e.to?.some((t) => t.ipBlock && t.ipBlock.cidr.startsWith("10.")) && e.ports?.length))).toBeGreaterThan(20);
    expect(find((p) => !!p.spec.egress?.some((e) => e.to?.some((t) => t.ipBlock?.cidr === "0.0.0.0/0" && t.ipBlock.except?.includes("169.254.169.254/32")) && json(e.ports) === json([{ protocol: "TCP", port: 443 }])))).toBeGreaterThan(20);
    // The sloppy ones.
    expect(find((p) => json(p.spec.ingress) === "[{}]")).toBeGreaterThan(3);
    expect(find((p) => json(p.spec.egress) === json([{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }]))).toBeGreaterThan(3);
    expect(find((p) => json(p.spec.ingress) === json([{ from: [{ namespaceSelector: {} }] }]))).toBeGreaterThan(3);
    expect(find((p) => p.spec.egress?.some((e) => e.to?.some((t) => t.ipBlock?.cidr === "169.254.169.254/32")) ?? false)).toBeGreaterThan(0);
  });

  test("clusters without an engine still hold policies sometimes (not enforced)", () => {
    const noEngine = reads.filter((r) => !["azure", "calico", "cilium"].includes(String(r.cluster.networkProfile.networkPolicy)));
    expect(noEngine.length).toBeGreaterThan(50);
    const withPolicies = noEngine.filter((r) => r.policies.length > 0).length;
    expect(withPolicies).toBeGreaterThan(5);
    expect(withPolicies).toBeLessThan(noEngine.length);
  });
});
