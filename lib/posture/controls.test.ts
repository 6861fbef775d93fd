import { describe, expect, test } from "vitest";

import { CONTROLS } from "./control-catalogue";
import { evaluateCluster } from "./evaluate-cluster";
import type { Advisory, ControlStatus, InClusterData } from "./types";
import { readClusterCase, readInClusterCase } from "@/testing/yaml-cases";

const cluster = readClusterCase;
const inCluster = readInClusterCase;

const AZURE = "{ networkPlugin: azure, networkPolicy: azure }";
const AZURE_NO_IMDS = "{ networkPlugin: azure, networkPolicy: azure, podLinkLocalAccess: None }";
const NONE = "{ networkPlugin: azure, networkPolicy: none }";
const NONE_NO_IMDS = "{ networkPlugin: azure, networkPolicy: none, podLinkLocalAccess: None }";

const NAMESPACE_APP = `
  apiVersion: v1
  kind: Namespace
  metadata: { name: app }
`;

const DENY_ALL = `
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: deny-all, namespace: app }
  spec:
    podSelector: {}
    policyTypes: [Ingress, Egress]
`;

const ALLOW_DNS = `
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: allow-dns, namespace: app }
  spec:
    podSelector: {}
    policyTypes: [Egress]
    egress:
      - to:
          - namespaceSelector:
              matchLabels: { kubernetes.io/metadata.name: kube-system }
        ports:
          - { protocol: UDP, port: 53 }
          - { protocol: TCP, port: 53 }
`;

const ALLOW_INTERNET = `
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: allow-internet, namespace: app }
  spec:
    podSelector: { matchLabels: { app: web } }
    policyTypes: [Egress]
    egress:
      - to:
          - ipBlock: { cidr: 0.0.0.0/0 }
`;

const ALLOW_HTTPS_EXCEPT_IMDS = `
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: allow-https, namespace: app }
  spec:
    podSelector: {}
    policyTypes: [Egress]
    egress:
      - to:
          - ipBlock: { cidr: 0.0.0.0/0, except: [169.254.169.254/32] }
        ports:
          - { protocol: TCP, port: 443 }
`;

const KUBE_SYSTEM_ALLOW_ALL = `
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: allow-all, namespace: kube-system }
  spec:
    podSelector: {}
    egress:
      - {}
`;

const KUBE_SYSTEM_EGRESS_ONLY = `
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: allow-all-egress, namespace: kube-system }
  spec:
    podSelector: {}
    policyTypes: [Egress]
    egress:
      - {}
`;

function docs(...parts: string[]): string {
  return parts.map((part) => part.replace(/^\n/, "")).join("---\n");
}

type Statuses = [ControlStatus, ControlStatus, ControlStatus, ControlStatus, ControlStatus, ControlStatus, ControlStatus];

interface ControlCase {
  name: string;
  networkProfile: string;
  /** null: in-cluster data was not read. */
  objects: string | null;
  /** NP-01 … NP-07 */
  expect: Statuses;
}

const SEGMENTED = docs(NAMESPACE_APP, DENY_ALL, ALLOW_DNS);

const rows: ControlCase[] = [
  { name: "engine, segmented namespace: all pass", networkProfile: AZURE, objects: SEGMENTED, expect: ["pass", "pass", "pass", "pass", "pass", "pass", "pass"] },
  { name: "engine, no in-cluster data", networkProfile: AZURE, objects: null, expect: ["pass", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"] },
  { name: "engine, no in-cluster data, podLinkLocalAccess None", networkProfile: AZURE_NO_IMDS, objects: null, expect: ["pass", "n/a", "n/a", "n/a", "pass", "n/a", "n/a"] },
  { name: "no engine, no in-cluster data", networkProfile: NONE, objects: null, expect: ["fail", "fail", "fail", "n/a", "fail", "n/a", "n/a"] },
  { name: "no engine, no in-cluster data, podLinkLocalAccess None", networkProfile: NONE_NO_IMDS, objects: null, expect: ["fail", "fail", "fail", "n/a", "pass", "n/a", "n/a"] },
  { name: "no engine: objects are still judged for NP-04 and NP-06", networkProfile: NONE, objects: SEGMENTED, expect: ["fail", "fail", "fail", "pass", "fail", "pass", "n/a"] },
  { name: "no engine, allow-any rule and no DNS", networkProfile: NONE, objects: docs(NAMESPACE_APP, DENY_ALL, ALLOW_INTERNET), expect: ["fail", "fail", "fail", "fail", "fail", "fail", "n/a"] },
  { name: "no engine, podLinkLocalAccess None", networkProfile: NONE_NO_IMDS, objects: SEGMENTED, expect: ["fail", "fail", "fail", "pass", "pass", "pass", "n/a"] },
  { name: "unknown engine counts as none", networkProfile: "{ networkPolicy: antrea }", objects: SEGMENTED, expect: ["fail", "fail", "fail", "pass", "fail", "pass", "n/a"] },
  { name: "engine, a namespace without policies", networkProfile: AZURE, objects: docs(NAMESPACE_APP), expect: ["pass", "fail", "fail", "n/a", "fail", "pass", "fail"] },
  { name: "engine, only system namespaces: the every-namespace conditions hold", networkProfile: AZURE, objects: docs("apiVersion: v1\nkind: Namespace\nmetadata: { name: kube-system }\n"), expect: ["pass", "pass", "pass", "n/a", "pass", "pass", "fail"] },
  { name: "engine, policies only in kube-system do not count", networkProfile: AZURE, objects: docs(SEGMENTED, KUBE_SYSTEM_EGRESS_ONLY), expect: ["pass", "pass", "pass", "pass", "pass", "pass", "pass"] },
  // v2 judges DNS on both sides: a kube-system policy that isolates ingress refuses the namespace's DNS queries at kube-dns.
  { name: "engine, a kube-system policy that denies ingress to kube-dns breaks DNS (v2)", networkProfile: AZURE, objects: docs(SEGMENTED, KUBE_SYSTEM_ALLOW_ALL), expect: ["pass", "pass", "pass", "fail", "pass", "pass", "pass"] },
  { name: "engine, default deny egress without DNS", networkProfile: AZURE, objects: docs(NAMESPACE_APP, DENY_ALL), expect: ["pass", "pass", "pass", "fail", "pass", "pass", "pass"] },
  { name: "engine, an egress rule to 0.0.0.0/0 permits IMDS", networkProfile: AZURE, objects: docs(SEGMENTED, ALLOW_INTERNET), expect: ["pass", "pass", "pass", "pass", "fail", "fail", "pass"] },
  { name: "engine, HTTPS everywhere except IMDS", networkProfile: AZURE, objects: docs(SEGMENTED, ALLOW_HTTPS_EXCEPT_IMDS), expect: ["pass", "pass", "pass", "pass", "pass", "pass", "pass"] },
  { name: "podLinkLocalAccess None passes NP-05 despite an IMDS rule", networkProfile: AZURE_NO_IMDS, objects: docs(SEGMENTED, ALLOW_INTERNET), expect: ["pass", "pass", "pass", "pass", "pass", "fail", "pass"] },
  { name: "podLinkLocalAccess IMDS is not None", networkProfile: "{ networkPolicy: cilium, podLinkLocalAccess: IMDS }", objects: null, expect: ["pass", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"] },
  { name: "engine, a namespace known only from its policy", networkProfile: AZURE, objects: docs(ALLOW_INTERNET), expect: ["pass", "fail", "fail", "n/a", "fail", "fail", "pass"] },
];

describe("control statuses across the engine and in-cluster data columns", () => {
  test.each(rows)("$name", (row) => {
    const evaluation = evaluateCluster(cluster(row.networkProfile), row.objects === null ? null : inCluster(row.objects));
    expect(evaluation.controls.map((control) => control.id)).toEqual(CONTROLS.map((control) => control.id));
    expect(evaluation.controls.map((control) => control.status)).toEqual(row.expect);
    expect(evaluation.hasInClusterData).toBe(row.objects !== null);
  });
});

describe("reasons and evidence", () => {
  test("failing default deny names the namespaces", () => {
    const evaluation = evaluateCluster(cluster(AZURE), inCluster(docs(NAMESPACE_APP, "apiVersion: v1\nkind: Namespace\nmetadata: { name: web }\n", DENY_ALL)));
    const np02 = evaluation.controls[1];
    expect(np02).toEqual({
      id: "NP-02",
      name: "default-deny-ingress",
      status: "fail",
      reason: "1 of 2 workload namespaces has no default deny for ingress (web): a new pod there accepts connections from peers nobody planned for; apply a default-deny ingress policy in each.",
      evidence: { namespaces: ["web"] },
    });
  });

  test("NP-05 lists the namespaces and the rules that let pods reach IMDS", () => {
    const evaluation = evaluateCluster(cluster(AZURE), inCluster(docs(SEGMENTED, ALLOW_INTERNET)));
    expect(evaluation.controls[4]).toEqual({
      id: "NP-05",
      name: "imds-egress-blocked",
      status: "fail",
      reason:
        "Pods of 1 workload namespace can reach 169.254.169.254 (app) and 1 egress rule permits it (app/allow-internet egress[0]); deny egress to 169.254.169.254/32 for every pod (a cluster-wide deny, or default deny with IMDS excepted from wide rules), or set podLinkLocalAccess to None.",
      evidence: {
        value: "(unset)",
        namespaces: ["app"],
        rules: [{ kind: "NetworkPolicy", namespace: "app", policy: "allow-internet", list: "egress", direction: "egress", index: 0 }],
      },
    });
  });

  test("NP-06 lists the allow-any rules; the evaluation keeps the rule itself for display", () => {
    const evaluation = evaluateCluster(cluster(AZURE), inCluster(docs(SEGMENTED, ALLOW_INTERNET)));
    expect(evaluation.controls[5]?.evidence).toEqual({
      rules: [{ kind: "NetworkPolicy", namespace: "app", policy: "allow-internet", list: "egress", direction: "egress", index: 0 }],
    });
    expect(evaluation.allowAnyRules).toEqual([
      {
        kind: "NetworkPolicy",
        namespace: "app",
        policy: "allow-internet",
        list: "egress",
        direction: "egress",
        index: 0,
        class: "B",
        scope: "namespace",
        rule: { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] },
      },
    ]);
  });

  test("NP-01 without an engine says so and records the engine", () => {
    const evaluation = evaluateCluster(cluster("{ networkPolicy: Antrea }"), null);
    expect(evaluation.controls[0]).toMatchObject({
      status: "fail",
      reason: 'Network policy "Antrea" is not a known engine, so NetworkPolicies are not enforced; enable Cilium, Calico or Azure NPM.',
      evidence: { value: "unknown:antrea" },
    });
  });

  test("a cluster with its own CNI is told enforcement depends on that CNI, not to enable an AKS engine", () => {
    const own = evaluateCluster(cluster("{ networkPlugin: none, networkPolicy: none }"), inCluster(SEGMENTED));
    expect(own.controls[0]).toMatchObject({
      status: "fail",
      reason: "No network policy engine is enabled in AKS: the cluster brings its own CNI (networkPlugin none), so NetworkPolicies are enforced only if that CNI enforces them; enable enforcement there.",
    });
    expect(own.controls[1].reason).toContain("enable enforcement in the cluster's own CNI first (NP-01)");
    expect(own.advisories).toEqual([expect.objectContaining({ id: "policies-not-enforced", message: expect.stringContaining("enforced only if that CNI enforces them") })]);
    // A CNI that AKS manages keeps the plain advice.
    const managed = evaluateCluster(cluster(NONE), inCluster(SEGMENTED));
    expect(managed.controls[0].reason).toContain("enable Cilium, Calico or Azure NPM");
    expect(managed.controls[1].reason).toContain("enable an engine first (NP-01)");
    expect(managed.advisories[0].message).toContain("so none of them is enforced");
  });

  test("namespace coverage is reported for workload namespaces only, sorted", () => {
    const evaluation = evaluateCluster(
      cluster(AZURE),
      inCluster(docs("apiVersion: v1\nkind: Namespace\nmetadata: { name: zeta }\n", "apiVersion: v1\nkind: Namespace\nmetadata: { name: kube-system }\n", SEGMENTED)),
    );
    expect(evaluation.namespaces).toEqual([
      { name: "app", defaultDenyIngress: true, defaultDenyEgress: true, allowsDns: true, permitsImds: false, policyCount: 2 },
      // Nothing isolates zeta: DNS and IMDS are both reachable (rules v2 reports reachability).
      { name: "zeta", defaultDenyIngress: false, defaultDenyEgress: false, allowsDns: true, permitsImds: true, policyCount: 0 },
    ]);
  });

  test("already-read facts are accepted in place of raw cluster JSON", () => {
    const first = evaluateCluster(cluster(AZURE), null);
    expect(evaluateCluster(first.facts, null)).toEqual(first);
  });

  test("list items without kind (as the API server sends them) are read", () => {
    const data = inCluster(SEGMENTED);
    const stripped: InClusterData = {
      namespaces: data.namespaces.map((object) => ({ ...(object as object), kind: undefined, apiVersion: undefined })),
      policies: data.policies.map((object) => ({ ...(object as object), kind: undefined, apiVersion: undefined })),
    };
    expect(evaluateCluster(cluster(AZURE), stripped).controls.map((control) => control.status)).toEqual(["pass", "pass", "pass", "pass", "pass", "pass", "pass"]);
  });

  test("garbage in-cluster lists do not throw", () => {
    const garbage = { namespaces: "nope", policies: [null, 42, "x", { kind: "NetworkPolicy", spec: "broken" }] } as unknown as InClusterData;
    const evaluation = evaluateCluster(cluster(AZURE), garbage);
    expect(evaluation.namespaces).toEqual([
      { name: "default", defaultDenyIngress: false, defaultDenyEgress: false, allowsDns: true, permitsImds: true, policyCount: 1 },
    ]);
    expect(evaluation.controls.map((control) => control.status)).toEqual(["pass", "fail", "fail", "n/a", "fail", "pass", "pass"]);
  });
});

interface AdvisoryCase {
  name: string;
  networkProfile: string;
  pools?: string;
  objects: string | null;
  expect: Advisory["id"][];
}

describe("advisories", () => {
  const advisoryRows: AdvisoryCase[] = [
    { name: "Azure NPM with a Windows pool", networkProfile: AZURE, pools: "[{ name: sys, count: 3, osType: Linux }, { name: win, count: 2, osType: Windows }]", objects: null, expect: ["npm-windows", "npm-retirement"] },
    { name: "Calico with a Windows pool is fine", networkProfile: "{ networkPolicy: calico }", pools: "[{ name: win, count: 2, osType: Windows }]", objects: null, expect: [] },
    { name: "Azure NPM above 250 nodes", networkProfile: AZURE, pools: "[{ name: a, count: 200 }, { name: b, count: 51 }]", objects: null, expect: ["npm-retirement", "npm-large-cluster"] },
    { name: "Azure NPM at exactly 250 nodes: only the Linux retirement", networkProfile: AZURE, pools: "[{ name: a, count: 250 }]", objects: null, expect: ["npm-retirement"] },
    { name: "kubenet", networkProfile: "{ networkPlugin: kubenet, networkPolicy: calico }", objects: null, expect: ["kubenet-retirement"] },
    { name: "engine none while policies exist", networkProfile: NONE, objects: SEGMENTED, expect: ["policies-not-enforced"] },
    { name: "engine none, policies only in kube-system", networkProfile: NONE, objects: docs(KUBE_SYSTEM_ALLOW_ALL), expect: ["policies-not-enforced"] },
    { name: "engine none without policies", networkProfile: NONE, objects: docs(NAMESPACE_APP), expect: [] },
    { name: "engine none, policies not read", networkProfile: NONE, objects: null, expect: [] },
    { name: "unknown engine with policies is not the none advisory", networkProfile: "{ networkPolicy: antrea }", objects: SEGMENTED, expect: [] },
  ];
  test.each(advisoryRows)("$name", (row) => {
    const evaluation = evaluateCluster(cluster(row.networkProfile, row.pools), row.objects === null ? null : inCluster(row.objects));
    expect(evaluation.advisories.map((advisory) => advisory.id)).toEqual(row.expect);
  });

  test("the NPM node advisory states the count", () => {
    const evaluation = evaluateCluster(cluster(AZURE, "[{ name: a, count: 300 }]"), null);
    expect(evaluation.advisories.filter((advisory) => advisory.id === "npm-large-cluster")).toEqual([
      {
        id: "npm-large-cluster",
        severity: "warning",
        message: "Azure Network Policy Manager is supported up to 250 nodes and this cluster has 300; move to Cilium or Calico.",
      },
    ]);
  });
});
