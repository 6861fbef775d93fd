// The demo estate under rules v2 (docs/design.md §4.3, §4.5): Cilium clusters segmented by one
// CiliumClusterwideNetworkPolicy or by CiliumNetworkPolicies per namespace, Calico clusters with
// GlobalNetworkPolicies, Azure NPM clusters with Kubernetes policies, objects engines ignore, admin
// network policies, and pod classes — judged by the evaluator the way a run judges them.
import { beforeAll, describe, expect, test } from "vitest";
import { evaluateCluster, type ClusterEvaluation, type InClusterData } from "@/lib/posture";
import { VOLATILE_POD_LABELS } from "@/lib/sources/pod-classes";
import { listEstate } from "@/lib/sources/source";
import { createDemoEstate, type DemoEstate } from "./index";

const END_AT = new Date("2026-03-01T02:00:00.000Z");
const SAMPLED_DAYS = [0, 90, 178, 179];

interface Read {
  name: string;
  engine: string;
  data: InClusterData;
  evaluation: ClusterEvaluation;
}

let estate: DemoEstate;
const reads = new Map<number, Read[]>();

beforeAll(async () => {
  estate = createDemoEstate({ endAt: END_AT });
  for (const dayIndex of SAMPLED_DAYS) {
    const day = estate.day(dayIndex);
    const list: Read[] = [];
    for (const listing of await listEstate(day.source)) {
      if (!listing.ok) continue;
      for (const raw of listing.clusters as { id: string; name: string; resourceGroup: string }[]) {
        const read = await day.source.readInCluster({ id: raw.id, name: raw.name, resourceGroup: raw.resourceGroup, subscriptionId: listing.subscriptionId });
        if (read.status !== "read") continue;
        const evaluation = evaluateCluster(raw, read.data);
        list.push({ name: raw.name, engine: evaluation.facts.engine, data: read.data, evaluation });
      }
    }
    reads.set(dayIndex, list);
  }
});

const lastDay = () => reads.get(179)!;
const firstDay = () => reads.get(0)!;
const npmWithPolicies = (list: Read[]) => list.filter((read) => read.engine === "azure" && read.data.policies.length > 0);
type Named = { metadata: { name: string; namespace?: string }; spec: Record<string, unknown>; apiVersion: string; kind: string };
const objects = (read: Read, field: keyof InClusterData) => (read.data[field] ?? []) as Named[];
const withBaseline = (read: Read) => objects(read, "ciliumClusterwideNetworkPolicies").some((policy) => policy.metadata.name === "workload-baseline");

describe("the policy styles of a real estate", () => {
  test("Cilium clusters segmented by one cluster-wide policy or per namespace, Calico by GlobalNetworkPolicy, NPM by Kubernetes policies", () => {
    const reads = lastDay();
    const clusterwide = reads.filter(withBaseline);
    const namespaced = reads.filter((read) => read.engine === "cilium" && objects(read, "ciliumNetworkPolicies").some((policy) => policy.metadata.name === "default-deny-ingress"));
    const calicoGlobal = reads.filter((read) => read.engine === "calico" && objects(read, "calicoGlobalNetworkPolicies").some((policy) => policy.metadata.name.startsWith("default-deny")));
    const npm = npmWithPolicies(reads);
    expect(clusterwide.length).toBeGreaterThanOrEqual(8);
    expect(namespaced.length).toBeGreaterThanOrEqual(4);
    expect(calicoGlobal.length).toBeGreaterThanOrEqual(8);
    // Azure NPM is retiring: fewer clusters are on it at the end of the period than at its start.
    expect(npm.length).toBeGreaterThanOrEqual(15);
    expect(npm.length).toBeLessThan(npmWithPolicies(firstDay()).length);
    // Cilium clusters that kept Kubernetes NetworkPolicies are there too.
    expect(reads.filter((read) => read.engine === "cilium" && read.data.policies.length > 0 && objects(read, "ciliumNetworkPolicies").length === 0).length).toBeGreaterThan(0);
  });

  test("a cluster-wide baseline denies by default in every workload namespace, allows DNS and keeps IMDS out with egressDeny", () => {
    const segmented = lastDay().filter(withBaseline);
    let fullyDenied = 0;
    for (const read of segmented) {
      const baseline = objects(read, "ciliumClusterwideNetworkPolicies").find((policy) => policy.metadata.name === "workload-baseline")!;
      expect(baseline.spec.egressDeny).toEqual([{ toCIDR: ["169.254.169.254/32"] }]);
      expect(read.evaluation.controls.find((control) => control.id === "NP-05")!.status).toBe("pass");
      const ingressDenied = Array.isArray(baseline.spec.ingress);
      if (ingressDenied) expect(read.evaluation.namespaces.every((namespace) => namespace.defaultDenyIngress || read.evaluation.allowAnyRules.some((rule) => rule.namespace === namespace.name))).toBe(true);
      if (ingressDenied && Array.isArray(baseline.spec.egress)) fullyDenied += 1;
      expect(read.evaluation.policies.find((policy) => policy.name === "workload-baseline")).toMatchObject({ kind: "CiliumClusterwideNetworkPolicy", scope: "cluster", enforced: true });
    }
    expect(fullyDenied).toBeGreaterThanOrEqual(5);
    // Most of them pass DNS: the baseline writes its DNS rule once, for everyone.
    expect(segmented.filter((read) => read.evaluation.controls.find((control) => control.id === "NP-04")!.status === "pass").length / segmented.length).toBeGreaterThan(0.6);
  });

  test("Calico clusters put namespaces under their GlobalNetworkPolicies by label; a Calico tier keeps IMDS out on some", () => {
    const calico = lastDay().filter((read) => read.engine === "calico" && objects(read, "calicoGlobalNetworkPolicies").some((policy) => policy.metadata.name === "default-deny-ingress"));
    let labelled = 0;
    for (const read of calico) {
      const namespaces = read.data.namespaces as { metadata: { name: string; labels: Record<string, string> } }[];
      for (const namespace of namespaces) {
        if (namespace.metadata.labels["segmentation.contoso.com/ingress"] !== "deny") continue;
        labelled += 1;
        const coverage = read.evaluation.namespaces.find((item) => item.name === namespace.metadata.name);
        if (coverage && !read.evaluation.allowAnyRules.some((rule) => rule.namespace === namespace.metadata.name)) expect(coverage.defaultDenyIngress).toBe(true);
      }
    }
    expect(labelled).toBeGreaterThan(20);
    const tiered = lastDay().filter((read) => objects(read, "calicoGlobalNetworkPolicies").some((policy) => policy.metadata.name === "security.deny-imds"));
    expect(tiered.length).toBeGreaterThan(0);
    for (const read of tiered) expect(read.evaluation.namespaces.every((namespace) => !namespace.permitsImds)).toBe(true);
  });

  test("some clusters hold objects their engine ignores, and some try admin network policies: both are listed, not enforced, and said", () => {
    const leftovers = lastDay().filter((read) => objects(read, "calicoGlobalNetworkPolicies").some((policy) => policy.apiVersion === "crd.projectcalico.org/v1"));
    expect(leftovers.length).toBeGreaterThan(0);
    for (const read of leftovers) {
      expect(read.engine).toBe("cilium");
      expect(read.evaluation.advisories.map((advisory) => advisory.id)).toContain("calico-policies-not-enforced");
      expect(read.evaluation.policies.find((policy) => policy.kind === "CalicoGlobalNetworkPolicy")).toMatchObject({ enforced: false });
    }
    const admin = lastDay().filter((read) => objects(read, "adminNetworkPolicies").length > 0);
    expect(admin.length).toBeGreaterThan(2);
    for (const read of admin) {
      expect(objects(read, "baselineAdminNetworkPolicies").map((policy) => policy.metadata.name)).toEqual(["default"]);
      expect(read.evaluation.advisories.map((advisory) => advisory.id)).toContain("admin-policies-not-enforced");
    }
  });

  test("sloppy rules come in every engine's dialect: Cilium entities, Calico allows without selectors", () => {
    const all = [...reads.values()].flat();
    const kinds = new Set(all.flatMap((read) => read.evaluation.allowAnyRules.map((rule) => rule.kind)));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(["CalicoNetworkPolicy", "CiliumNetworkPolicy", "NetworkPolicy"]));
  });

  test("every object is what kubectl prints: apiVersion, kind, a DNS-label name, sorted by namespace and name, nothing in a system namespace", () => {
    const problems: string[] = [];
    const fields: [keyof InClusterData, string, string[]][] = [
      ["ciliumNetworkPolicies", "CiliumNetworkPolicy", ["cilium.io/v2"]],
      ["ciliumClusterwideNetworkPolicies", "CiliumClusterwideNetworkPolicy", ["cilium.io/v2"]],
      ["calicoNetworkPolicies", "NetworkPolicy", ["projectcalico.org/v3"]],
      ["calicoGlobalNetworkPolicies", "GlobalNetworkPolicy", ["projectcalico.org/v3", "crd.projectcalico.org/v1"]],
      ["adminNetworkPolicies", "AdminNetworkPolicy", ["policy.networking.k8s.io/v1alpha1"]],
      ["baselineAdminNetworkPolicies", "BaselineAdminNetworkPolicy", ["policy.networking.k8s.io/v1alpha1"]],
    ];
    for (const read of [...reads.values()].flat()) {
      for (const [field, kind, versions] of fields) {
        const list = objects(read, field);
        const keys = list.map((item) => `${item.metadata.namespace ?? ""}\u0000${item.metadata.name}`);
        if (keys.join("|") !== [...keys].sort().join("|")) problems.push(`${read.name} ${field}: not sorted`);
        if (new Set(keys).size !== keys.length) problems.push(`${read.name} ${field}: duplicates`);
        for (const item of list) {
          if (item.kind !== kind || !versions.includes(item.apiVersion)) problems.push(`${read.name} ${field}: ${item.apiVersion} ${item.kind}`);
          if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(item.metadata.name)) problems.push(`${read.name}: name ${item.metadata.name}`);
          if (item.metadata.namespace === "kube-system") problems.push(`${read.name}: ${item.metadata.name} in kube-system`);
        }
      }
      // Every object parses: no problem of our own making.
      if (read.evaluation.problems.length > 0) problems.push(`${read.name}: ${JSON.stringify(read.evaluation.problems[0])}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  test("posture under Cilium and Calico improves over the period", () => {
    const styled = (read: Read) => read.engine === "cilium" || read.engine === "calico";
    const share = (day: number) => {
      const list = reads.get(day)!.filter(styled);
      return list.filter((read) => read.evaluation.controls.find((control) => control.id === "NP-02")!.status === "pass").length / list.length;
    };
    expect(share(179)).toBeGreaterThan(share(0) + 0.1);
  });
});

describe("pod classes", () => {
  test("tens to hundreds per cluster, with counts, as app, app.kubernetes.io/*, tier and version labels say", () => {
    const counts = lastDay().map((read) => (read.data.pods ?? []).length).sort((a, b) => a - b);
    expect(counts[Math.floor(counts.length / 2)]).toBeGreaterThanOrEqual(15);
    expect(counts[counts.length - 1]).toBeGreaterThanOrEqual(80);
    const pods = lastDay().flatMap((read) => (read.data.pods ?? []) as { metadata: { namespace: string; labels: Record<string, string> }; count: number }[]);
    const keys = new Set(pods.flatMap((pod) => Object.keys(pod.metadata.labels)));
    for (const key of ["app", "app.kubernetes.io/name", "app.kubernetes.io/component", "tier", "version", "app.kubernetes.io/version", "k8s-app"]) expect(keys).toContain(key);
    for (const key of VOLATILE_POD_LABELS) expect(keys).not.toContain(key);
    expect(pods.every((pod) => Number.isInteger(pod.count) && pod.count >= 1)).toBe(true);
  });

  test("classes change with releases, not every day; a namespace's own allow policies select its main workload", () => {
    const yesterday = new Map(reads.get(178)!.map((read) => [read.name, JSON.stringify(read.data.pods)]));
    const today = lastDay().filter((read) => yesterday.has(read.name));
    const unchanged = today.filter((read) => yesterday.get(read.name) === JSON.stringify(read.data.pods)).length;
    expect(unchanged / today.length).toBeGreaterThan(0.9);
    const first = new Map(reads.get(0)!.map((read) => [read.name, JSON.stringify(read.data.pods)]));
    expect(lastDay().filter((read) => first.has(read.name) && first.get(read.name) !== JSON.stringify(read.data.pods)).length).toBeGreaterThan(10);
    // `app: <namespace>` is what the demo's allows select (`podSelector: {matchLabels: {app: …}}`).
    const read = lastDay().find((item) => item.data.policies.some((policy) => (policy as Named).spec.podSelector && JSON.stringify((policy as Named).spec.podSelector).includes('"app"')))!;
    const selected = (read.data.policies as Named[]).map((policy) => (policy.spec.podSelector as { matchLabels?: { app?: string } }).matchLabels?.app).filter(Boolean);
    const apps = new Set(((read.data.pods ?? []) as { metadata: { labels: Record<string, string> } }[]).map((pod) => pod.metadata.labels.app));
    expect(selected.some((app) => apps.has(app!))).toBe(true);
  });
});
