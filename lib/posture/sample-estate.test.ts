// The sample estate of testing/fixtures/sample-estate (a copy of the shared fixtures), end to end.

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, test } from "vitest";

import { analyzeManifests } from "./analyze-manifests";
import { evaluateCluster } from "./evaluate-cluster";
import { buildRemediation } from "./remediation";
import type { ClusterEvaluation, InClusterData } from "./types";

const ESTATE = fileURLToPath(new URL("../../testing/fixtures/sample-estate/", import.meta.url));

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** The kube files of `bulkhead import` and the list each fills (lib/sources/files.ts reads the same). */
const KUBE_FILES = {
  namespaces: "namespaces.json",
  policies: "networkpolicies.json",
  ciliumNetworkPolicies: "ciliumnetworkpolicies.json",
  ciliumClusterwideNetworkPolicies: "ciliumclusterwidenetworkpolicies.json",
  calicoNetworkPolicies: "calico-networkpolicies.json",
  calicoGlobalNetworkPolicies: "calico-globalnetworkpolicies.json",
  adminNetworkPolicies: "adminnetworkpolicies.json",
  pods: "pods.json",
} as const;

function readInCluster(resourceGroup: string, name: string): InClusterData | null {
  const directory = `${ESTATE}kube/${resourceGroup}/${name}`;
  if (!existsSync(directory)) return null;
  const data: InClusterData = { namespaces: [], policies: [] };
  for (const [field, file] of Object.entries(KUBE_FILES) as [keyof typeof KUBE_FILES, string][]) {
    if (existsSync(`${directory}/${file}`)) data[field] = (readJson(`${directory}/${file}`) as { items: unknown[] }).items;
  }
  return data;
}

const clusters = readJson(`${ESTATE}clusters.json`) as { name: string; resourceGroup: string }[];
const evaluations = new Map<string, ClusterEvaluation>(
  clusters.map((cluster) => [cluster.name, evaluateCluster(cluster, readInCluster(cluster.resourceGroup, cluster.name))]),
);

function evaluationOf(name: string): ClusterEvaluation {
  const evaluation = evaluations.get(name);
  if (!evaluation) throw new Error(`no cluster ${name} in the sample estate`);
  return evaluation;
}

interface EstateCase {
  cluster: string;
  owner: string;
  production: boolean;
  engine: string;
  subscriptionId: string;
  hasInClusterData: boolean;
  controls: string[];
  allowAny: string[];
  advisories: string[];
}

const rows: EstateCase[] = [
  {
    cluster: "aks-payments-prod",
    owner: "payments",
    production: true,
    engine: "azure",
    subscriptionId: "3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f",
    hasInClusterData: true,
    controls: ["NP-01 pass", "NP-02 fail", "NP-03 fail", "NP-04 pass", "NP-05 fail", "NP-06 fail", "NP-07 pass"],
    allowAny: ["payments/allow-egress-internet egress 0 B"],
    advisories: ["npm-retirement"],
  },
  {
    cluster: "aks-analytics-prod",
    owner: "analytics",
    production: true,
    engine: "none",
    subscriptionId: "3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f",
    hasInClusterData: true,
    controls: ["NP-01 fail", "NP-02 fail", "NP-03 fail", "NP-04 fail", "NP-05 fail", "NP-06 fail", "NP-07 n/a"],
    allowAny: ["analytics/allow-all-ingress ingress 0 A"],
    advisories: ["policies-not-enforced"],
  },
  {
    cluster: "aks-web-dev",
    owner: "web",
    production: false,
    engine: "none",
    subscriptionId: "8a7e6d5c-4b3a-4928-8170-6f5e4d3c2b1a",
    hasInClusterData: false,
    controls: ["NP-01 fail", "NP-02 fail", "NP-03 fail", "NP-04 n/a", "NP-05 fail", "NP-06 n/a", "NP-07 n/a"],
    allowAny: [],
    advisories: ["kubenet-retirement"],
  },
  {
    cluster: "aks-platform-prod",
    owner: "platform",
    production: true,
    engine: "cilium",
    subscriptionId: "8a7e6d5c-4b3a-4928-8170-6f5e4d3c2b1a",
    hasInClusterData: true,
    controls: ["NP-01 pass", "NP-02 pass", "NP-03 pass", "NP-04 pass", "NP-05 pass", "NP-06 pass", "NP-07 pass"],
    allowAny: [],
    advisories: [],
  },
  {
    cluster: "aks-ledger-prod",
    owner: "payments",
    production: true,
    engine: "calico",
    subscriptionId: "3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f",
    hasInClusterData: true,
    controls: ["NP-01 pass", "NP-02 pass", "NP-03 pass", "NP-04 pass", "NP-05 fail", "NP-06 fail", "NP-07 pass"],
    allowAny: ["reports/exporter-egress egress 0 B"],
    advisories: ["admin-policies-not-enforced"],
  },
  {
    cluster: "aks-mesh-prod",
    owner: "platform",
    production: true,
    engine: "cilium",
    subscriptionId: "8a7e6d5c-4b3a-4928-8170-6f5e4d3c2b1a",
    hasInClusterData: true,
    controls: ["NP-01 pass", "NP-02 pass", "NP-03 pass", "NP-04 pass", "NP-05 pass", "NP-06 pass", "NP-07 pass"],
    allowAny: [],
    advisories: [],
  },
];

describe("sample estate", () => {
  test("holds the six clusters of its README", () => {
    expect([...evaluations.keys()]).toEqual(["aks-payments-prod", "aks-analytics-prod", "aks-web-dev", "aks-platform-prod", "aks-ledger-prod", "aks-mesh-prod"]);
  });

  test.each(rows)("$cluster", (row) => {
    const evaluation = evaluationOf(row.cluster);
    expect({
      owner: evaluation.facts.owner,
      production: evaluation.facts.production,
      engine: evaluation.facts.engine,
      subscriptionId: evaluation.facts.subscriptionId,
      hasInClusterData: evaluation.hasInClusterData,
      controls: evaluation.controls.map((control) => `${control.id} ${control.status}`),
      allowAny: evaluation.allowAnyRules.map((rule) => `${rule.namespace}/${rule.policy} ${rule.direction} ${rule.index} ${rule.class}`),
      advisories: evaluation.advisories.map((advisory) => advisory.id),
    }).toEqual({
      owner: row.owner,
      production: row.production,
      engine: row.engine,
      subscriptionId: row.subscriptionId,
      hasInClusterData: row.hasInClusterData,
      controls: row.controls,
      allowAny: row.allowAny,
      advisories: row.advisories,
    });
  });

  test("payments: denied by default except `default`, which has no policy", () => {
    expect(evaluationOf("aks-payments-prod").namespaces).toEqual([
      { name: "default", defaultDenyIngress: false, defaultDenyEgress: false, allowsDns: true, permitsImds: true, policyCount: 0 },
      { name: "payments", defaultDenyIngress: true, defaultDenyEgress: true, allowsDns: true, permitsImds: true, policyCount: 4 },
    ]);
  });

  test("platform: tag keys in another case still give owner and production", () => {
    const facts = evaluationOf("aks-platform-prod").facts;
    expect(facts.tags).toEqual({ Owner: "platform", Environment: "Production" });
    expect(facts.podLinkLocalAccess).toBe("None");
    expect(facts.key).toBe(
      "/subscriptions/8a7e6d5c-4b3a-4928-8170-6f5e4d3c2b1a/resourcegroups/rg-platform/providers/microsoft.containerservice/managedclusters/aks-platform-prod",
    );
  });

  test("mesh: one CiliumClusterwideNetworkPolicy segments every workload namespace, with no Kubernetes NetworkPolicy", () => {
    const evaluation = evaluationOf("aks-mesh-prod");
    expect(evaluation.namespaces.map((namespace) => [namespace.name, namespace.defaultDenyIngress, namespace.defaultDenyEgress, namespace.allowsDns, namespace.permitsImds])).toEqual([
      ["catalog", true, true, true, false],
      ["checkout", true, true, true, false],
      ["default", true, true, true, false],
    ]);
    const baseline = evaluation.policies.find((policy) => policy.name === "workload-baseline");
    expect(baseline).toMatchObject({ kind: "CiliumClusterwideNetworkPolicy", scope: "cluster", enforced: true, namespace: null });
    expect(baseline?.namespaces.map((contribution) => contribution.namespace)).toEqual(["catalog", "checkout", "default"]);
    expect(baseline?.namespaces[0]).toMatchObject({ isolatesIngress: true, isolatesEgress: true, allows: 1, denies: 1 });
  });

  test("ledger: the Calico GlobalNetworkPolicy is the default deny; the exporter's allow of any address is the allow-any rule", () => {
    const evaluation = evaluationOf("aks-ledger-prod");
    expect(evaluation.allowAnyRules[0]).toMatchObject({ kind: "CalicoNetworkPolicy", namespace: "reports", policy: "exporter-egress", scope: "namespace", list: "egress" });
    expect(evaluation.policies.find((policy) => policy.kind === "AdminNetworkPolicy")).toMatchObject({ name: "pci-isolation", enforced: false });
    expect(evaluation.namespaces.find((namespace) => namespace.name === "reports")).toMatchObject({ defaultDenyEgress: true, permitsImds: true });
  });

  test("remediation covers every failing control of every cluster", () => {
    for (const evaluation of evaluations.values()) {
      const failing = evaluation.controls.filter((control) => control.status === "fail").map((control) => control.id);
      const remedied = [...new Set(buildRemediation(evaluation).map((item) => item.controlId))];
      expect(remedied, evaluation.facts.name).toEqual(failing);
    }
  });

  test("analyze over the payments lists finds the same namespaces and rule", () => {
    const directory = `${ESTATE}kube/rg-payments/aks-payments-prod`;
    expect(analyzeManifests([readJson(`${directory}/namespaces.json`), readJson(`${directory}/networkpolicies.json`)])).toEqual({
      namespaces: [
        { name: "default", defaultDenyIngress: false, defaultDenyEgress: false },
        { name: "payments", defaultDenyIngress: true, defaultDenyEgress: true },
      ],
      allowAnyRules: [{ namespace: "payments", policy: "allow-egress-internet", direction: "egress", index: 0, class: "B", kind: "NetworkPolicy", scope: "namespace", list: "egress" }],
    });
  });
});
