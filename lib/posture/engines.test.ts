// Rules v2 end to end through evaluateCluster: engines and the objects they enforce (§4.3), the
// control columns (§4.4), LocalDNS, pod classes, NP-05's deny that covers all pods, advisories, the
// policies listing, problems, and the decision as issue 13 will call it.

import { describe, expect, test } from "vitest";

import { docs } from "../../testing/posture-cases";
import { evaluateCluster, judgeInClusterData } from "./evaluate-cluster";
import { readClusterFacts } from "./cluster-facts";
import { DEFAULT_POSTURE_CONFIG } from "./config";
import { IMDS_ADDRESS } from "./cidr";
import { RULES_VERSION } from "./rules-version";
import { STRANGER_PORT } from "./statements";
import type { InClusterData } from "./types";
import { readClusterCase, readYamlCase } from "@/testing/yaml-cases";

const CILIUM = "{ networkPlugin: azure, networkPluginMode: overlay, networkDataplane: cilium, networkPolicy: cilium }";
const CALICO = "{ networkPlugin: azure, networkPolicy: calico }";
const AZURE = "{ networkPlugin: azure, networkPolicy: azure }";
const NONE = "{ networkPlugin: azure }";
const LOCAL_DNS_POOLS = "[{ name: system, count: 3, osType: Linux, localDNSProfile: { mode: Required, state: Enabled } }]";

/** Sorts objects into the in-cluster lists the collector reads, each list's items without kind as the API sends them. */
function inCluster(yaml: string): InClusterData {
  const data: Required<InClusterData> = {
    namespaces: [],
    policies: [],
    ciliumNetworkPolicies: [],
    ciliumClusterwideNetworkPolicies: [],
    calicoNetworkPolicies: [],
    calicoGlobalNetworkPolicies: [],
    adminNetworkPolicies: [],
    baselineAdminNetworkPolicies: [],
    clusterNetworkPolicies: [],
    pods: [],
    services: [],
  };
  for (const object of readYamlCase(yaml) as { kind: string; apiVersion: string }[]) {
    const { kind, apiVersion, ...item } = object;
    if (kind === "Namespace") data.namespaces.push(item);
    else if (kind === "NetworkPolicy" && apiVersion.startsWith("networking.k8s.io")) data.policies.push(item);
    else if (kind === "NetworkPolicy") data.calicoNetworkPolicies.push(item);
    else if (kind === "GlobalNetworkPolicy") data.calicoGlobalNetworkPolicies.push(item);
    else if (kind === "CiliumNetworkPolicy") data.ciliumNetworkPolicies.push(item);
    else if (kind === "CiliumClusterwideNetworkPolicy") data.ciliumClusterwideNetworkPolicies.push(item);
    else if (kind === "AdminNetworkPolicy") data.adminNetworkPolicies.push(item);
    else if (kind === "Pod") data.pods.push(item);
    else throw new Error(`no list for ${kind}`);
  }
  return data;
}

const APP = "apiVersion: v1\nkind: Namespace\nmetadata: { name: app }\n";
const CCNP_BASELINE = `
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: { name: baseline }
spec:
  endpointSelector:
    matchExpressions: [{ key: io.kubernetes.pod.namespace, operator: NotIn, values: [kube-system] }]
  ingress: [{}]
  egress:
    - toEndpoints: [{ matchLabels: { io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns } }]
      toPorts: [{ ports: [{ port: "53", protocol: UDP }] }]
  egressDeny:
    - toCIDR: [169.254.169.254/32]
`;
const GNP_BASELINE = `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: baseline }
spec:
  order: 10
  namespaceSelector: projectcalico.org/name != 'kube-system'
  types: [Ingress, Egress]
  egress:
    - action: Deny
      destination: { nets: [169.254.169.254/32] }
    - action: Allow
      protocol: UDP
      destination: { namespaceSelector: projectcalico.org/name == 'kube-system', selector: k8s-app == 'kube-dns', ports: [53] }
`;
const K8S_BASELINE = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-all, namespace: app }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: dns, namespace: app }
spec:
  podSelector: {}
  egress:
    - to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } }]
      ports: [{ protocol: UDP, port: 53 }]
`;

interface EngineCase {
  name: string;
  networkProfile: string;
  pools?: string;
  objects: string;
  /** NP-01 … NP-07 */
  expect: string[];
}

const ALL_PASS = ["pass", "pass", "pass", "pass", "pass", "pass", "pass"];

describe("the control columns per engine", () => {
  const rows: EngineCase[] = [
    { name: "Cilium: one cluster-wide policy segments every workload namespace", networkProfile: CILIUM, objects: docs(APP, CCNP_BASELINE), expect: ALL_PASS },
    { name: "Calico: one GlobalNetworkPolicy segments every workload namespace", networkProfile: CALICO, objects: docs(APP, GNP_BASELINE), expect: ALL_PASS },
    { name: "Azure NPM: Kubernetes policies per namespace", networkProfile: AZURE, objects: docs(APP, K8S_BASELINE), expect: ALL_PASS },
    { name: "the CCNP on Azure NPM is not enforced: nothing is segmented", networkProfile: AZURE, objects: docs(APP, CCNP_BASELINE), expect: ["pass", "fail", "fail", "n/a", "fail", "pass", "fail"] },
    { name: "the GNP on Cilium is not enforced", networkProfile: CILIUM, objects: docs(APP, GNP_BASELINE), expect: ["pass", "fail", "fail", "n/a", "fail", "pass", "fail"] },
    { name: "the CCNP on Calico is not enforced", networkProfile: CALICO, objects: docs(APP, CCNP_BASELINE), expect: ["pass", "fail", "fail", "n/a", "fail", "pass", "fail"] },
    {
      name: "no engine: Kubernetes policies are judged as written for NP-04 and NP-06; the CCNP is not",
      networkProfile: NONE,
      objects: docs(APP, K8S_BASELINE, CCNP_BASELINE),
      expect: ["fail", "fail", "fail", "pass", "fail", "pass", "n/a"],
    },
    {
      name: "Kubernetes default deny plus a cluster-wide Cilium IMDS deny: NP-05 passes on Cilium",
      networkProfile: CILIUM,
      objects: docs(
        APP,
        K8S_BASELINE,
        "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: { name: no-imds }\nspec:\n  endpointSelector: {}\n  enableDefaultDeny: { egress: false, ingress: false }\n  egressDeny: [{ toCIDR: [169.254.169.254/32] }]\n",
      ),
      expect: ALL_PASS,
    },
    {
      name: "deny all egress except DNS is a default deny for egress (v1 failed it)",
      networkProfile: AZURE,
      objects: docs(
        APP,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: egress-dns-only, namespace: app }\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  egress:\n    - ports: [{ protocol: UDP, port: 53 }, { protocol: TCP, port: 53 }]\n",
      ),
      expect: ALL_PASS,
    },
    {
      name: "an empty deny beside an allow from the world is not a default deny (v1 passed it)",
      networkProfile: AZURE,
      objects: docs(
        APP,
        K8S_BASELINE,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: from-world, namespace: app }\nspec:\n  podSelector: {}\n  ingress: [{ from: [{ ipBlock: { cidr: 0.0.0.0/0 } }] }]\n",
      ),
      expect: ["pass", "fail", "pass", "pass", "pass", "fail", "pass"],
    },
    {
      name: "LocalDNS: egress to 169.254.10.10 on UDP 53 is DNS where the pools run LocalDNS",
      networkProfile: AZURE,
      pools: LOCAL_DNS_POOLS,
      objects: docs(
        APP,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: local-dns, namespace: app }\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  egress:\n    - to: [{ ipBlock: { cidr: 169.254.10.10/32 } }]\n      ports: [{ protocol: UDP, port: 53 }]\n",
      ),
      expect: ALL_PASS,
    },
    {
      name: "LocalDNS address alone is no DNS where the pools do not run LocalDNS",
      networkProfile: AZURE,
      objects: docs(
        APP,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: local-dns, namespace: app }\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  egress:\n    - to: [{ ipBlock: { cidr: 169.254.10.10/32 } }]\n      ports: [{ protocol: UDP, port: 53 }]\n",
      ),
      expect: ["pass", "pass", "pass", "fail", "pass", "pass", "pass"],
    },
    {
      name: "LocalDNS on Cilium through toEntities host (the AKS documentation's policy)",
      networkProfile: CILIUM,
      pools: LOCAL_DNS_POOLS,
      objects: docs(
        APP,
        "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: allow-azure-dns-egress, namespace: app }\nspec:\n  endpointSelector: {}\n  ingress: [{}]\n  egress:\n    - toEntities: [host]\n      toPorts: [{ ports: [{ port: \"53\", protocol: UDP }, { port: \"53\", protocol: TCP }] }]\n",
      ),
      expect: ALL_PASS,
    },
    {
      name: "pod classes: a class the world reaches on every port breaks default deny even though the stranger pod is covered",
      networkProfile: CILIUM,
      objects: docs(
        APP,
        CCNP_BASELINE,
        "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: web-open, namespace: app }\nspec:\n  endpointSelector: { matchLabels: { app: web } }\n  ingress: [{ fromEntities: [world] }]\n",
        "apiVersion: v1\nkind: Pod\nmetadata: { name: web-1, namespace: app, labels: { app: web } }\n",
      ),
      expect: ["pass", "fail", "pass", "pass", "pass", "fail", "pass"],
    },
    {
      name: "without pod data the same class is unknown: only NP-06 reports the rule",
      networkProfile: CILIUM,
      objects: docs(
        APP,
        CCNP_BASELINE,
        "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: web-open, namespace: app }\nspec:\n  endpointSelector: { matchLabels: { app: web } }\n  ingress: [{ fromEntities: [world] }]\n",
      ),
      expect: ["pass", "pass", "pass", "pass", "pass", "fail", "pass"],
    },
    {
      name: "NP-05: an IMDS deny for app: web pods does not cover an allow for every pod",
      networkProfile: CILIUM,
      objects: docs(
        APP,
        K8S_BASELINE,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: http-out, namespace: app }\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{ to: [{ ipBlock: { cidr: 0.0.0.0/0 } }], ports: [{ protocol: TCP, port: 80 }] }]\n",
        "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: web-no-imds, namespace: app }\nspec:\n  endpointSelector: { matchLabels: { app: web } }\n  enableDefaultDeny: { egress: false }\n  egressDeny: [{ toCIDR: [169.254.169.254/32] }]\n",
      ),
      expect: ["pass", "pass", "pass", "pass", "fail", "pass", "pass"],
    },
    {
      name: "NP-05: an allow for app: web pods is covered by an IMDS deny for every pod",
      networkProfile: CILIUM,
      objects: docs(
        APP,
        K8S_BASELINE,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: web-http-out, namespace: app }\nspec:\n  podSelector: { matchLabels: { app: web } }\n  policyTypes: [Egress]\n  egress: [{ to: [{ ipBlock: { cidr: 0.0.0.0/0 } }], ports: [{ protocol: TCP, port: 80 }] }]\n",
        "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: no-imds, namespace: app }\nspec:\n  endpointSelector: {}\n  enableDefaultDeny: { egress: false }\n  egressDeny: [{ toCIDR: [169.254.169.254/32] }]\n",
      ),
      expect: ALL_PASS,
    },
  ];
  test.each(rows)("$name", (row) => {
    const evaluation = evaluateCluster(readClusterCase(row.networkProfile, row.pools), inCluster(row.objects));
    expect(evaluation.controls.map((control) => control.status)).toEqual(row.expect);
  });
});

describe("what the evaluation records", () => {
  test("every evaluation records rules version 2", () => {
    expect(RULES_VERSION).toBe(2);
    expect(evaluateCluster(readClusterCase(AZURE), null).rulesVersion).toBe(2);
  });

  test("an old stored document (namespaces and policies only) evaluates exactly as one whose other lists are empty", () => {
    const old = { namespaces: inCluster(docs(APP, K8S_BASELINE)).namespaces, policies: inCluster(docs(APP, K8S_BASELINE)).policies };
    const full = inCluster(docs(APP, K8S_BASELINE));
    expect(evaluateCluster(readClusterCase(CILIUM), old)).toEqual(evaluateCluster(readClusterCase(CILIUM), full));
  });

  test("policies lists every object with its kind, enforcement and contribution per workload namespace", () => {
    const evaluation = evaluateCluster(
      readClusterCase(CILIUM),
      inCluster(docs(APP, "apiVersion: v1\nkind: Namespace\nmetadata: { name: web }\n", CCNP_BASELINE, GNP_BASELINE, K8S_BASELINE, "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: { name: cluster-baseline }\nspec: { priority: 10, subject: { namespaces: {} }, ingress: [] }\n")),
    );
    expect(evaluation.policies).toEqual([
      { kind: "AdminNetworkPolicy", namespace: null, name: "cluster-baseline", scope: "cluster", enforced: false, hostOnly: false, problems: 0, namespaces: [] },
      {
        kind: "CalicoGlobalNetworkPolicy",
        namespace: null,
        name: "baseline",
        scope: "cluster",
        enforced: false,
        hostOnly: false,
        problems: 0,
        namespaces: [
          { namespace: "app", isolatesIngress: true, isolatesEgress: true, allows: 1, denies: 1 },
          { namespace: "web", isolatesIngress: true, isolatesEgress: true, allows: 1, denies: 1 },
        ],
      },
      {
        kind: "CiliumClusterwideNetworkPolicy",
        namespace: null,
        name: "baseline",
        scope: "cluster",
        enforced: true,
        hostOnly: false,
        problems: 0,
        namespaces: [
          { namespace: "app", isolatesIngress: true, isolatesEgress: true, allows: 2, denies: 1 },
          { namespace: "web", isolatesIngress: true, isolatesEgress: true, allows: 2, denies: 1 },
        ],
      },
      { kind: "NetworkPolicy", namespace: "app", name: "deny-all", scope: "namespace", enforced: true, hostOnly: false, problems: 0, namespaces: [{ namespace: "app", isolatesIngress: true, isolatesEgress: true, allows: 0, denies: 0 }] },
      { kind: "NetworkPolicy", namespace: "app", name: "dns", scope: "namespace", enforced: true, hostOnly: false, problems: 0, namespaces: [{ namespace: "app", isolatesIngress: true, isolatesEgress: true, allows: 1, denies: 0 }] },
    ]);
    expect(evaluation.advisories.map((advisory) => advisory.id)).toEqual(["calico-policies-not-enforced", "admin-policies-not-enforced"]);
    expect(evaluation.controls[6]?.evidence.policies).toEqual([
      { kind: "CiliumClusterwideNetworkPolicy", namespace: null, policy: "baseline" },
      { kind: "NetworkPolicy", namespace: "app", policy: "deny-all" },
      { kind: "NetworkPolicy", namespace: "app", policy: "dns" },
    ]);
  });

  test("problems name the object, the field and why", () => {
    const evaluation = evaluateCluster(
      readClusterCase(CALICO),
      inCluster(docs(APP, "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: { name: broken, namespace: app }\nspec: { selector: \"app == 'web\", types: [Ingress] }\n")),
    );
    expect(evaluation.problems).toEqual([
      { object: { kind: "CalicoNetworkPolicy", namespace: "app", name: "broken" }, field: "spec.selector", why: 'does not parse: unterminated string at position 8 in "app == \'web"' },
    ]);
  });

  test("toFQDNs on Cilium without ACNS FQDN filtering is advised on; with it, not", () => {
    const fqdn = docs(APP, "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: github, namespace: app }\nspec:\n  endpointSelector: {}\n  egress: [{ toFQDNs: [{ matchName: api.github.com }] }]\n");
    const without = evaluateCluster(readClusterCase(CILIUM), inCluster(fqdn));
    expect(without.advisories.map((advisory) => advisory.id)).toEqual(["fqdn-without-acns"]);
    const withAcns = evaluateCluster(
      readClusterCase("{ networkPlugin: azure, networkDataplane: cilium, networkPolicy: cilium, advancedNetworking: { enabled: true, security: { enabled: true, advancedNetworkPolicies: FQDN } } }"),
      inCluster(fqdn),
    );
    expect(withAcns.advisories).toEqual([]);
  });

  test("Azure NPM on Linux: the retirement advisory carries the migration command", () => {
    const evaluation = evaluateCluster(readClusterCase(AZURE), null);
    expect(evaluation.advisories[0]?.message).toContain("az aks update --name <cluster> --resource-group <group> --network-dataplane cilium");
    expect(evaluation.advisories[0]?.message).toContain("30 Sep 2028");
  });
});

describe("the decision, as issue 13 calls it", () => {
  const facts = readClusterFacts(readClusterCase(CILIUM));
  const judgement = judgeInClusterData(
    facts,
    inCluster(
      docs(
        APP,
        "apiVersion: v1\nkind: Namespace\nmetadata: { name: db }\n",
        CCNP_BASELINE,
        "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: to-db, namespace: app }\nspec:\n  endpointSelector: { matchLabels: { app: web } }\n  egress: [{ toEndpoints: [{ matchLabels: { io.kubernetes.pod.namespace: db, app: postgres } }], toPorts: [{ ports: [{ port: \"5432\", protocol: TCP }] }] }]\n",
      ),
    ),
    DEFAULT_POSTURE_CONFIG,
  );
  const web = { namespace: "app", labels: { app: "web" } };
  const postgres = { namespace: "db", labels: { app: "postgres" } };

  test("a connection needs the source's egress and the target's ingress: web may send, postgres refuses", () => {
    const egress = judgement.model.decide(web, "egress", { kind: "pod", pod: postgres }, "TCP", 5432, "risk");
    expect(egress).toMatchObject({ admitted: true, reason: "allow", statement: { ref: { kind: "CiliumNetworkPolicy", name: "to-db", list: "egress", index: 0 } } });
    const ingress = judgement.model.decide(postgres, "ingress", { kind: "pod", pod: web }, "TCP", 5432, "risk");
    expect(ingress).toMatchObject({ admitted: false, reason: "isolated", statement: { ref: { kind: "CiliumClusterwideNetworkPolicy", name: "baseline" } } });
  });

  test("the cluster-wide egressDeny refuses IMDS whatever allows say", () => {
    expect(judgement.model.decide(web, "egress", { kind: "address", address: IMDS_ADDRESS }, "TCP", 80, "risk")).toMatchObject({ admitted: false, reason: "deny" });
  });

  test("the stranger pod of app on the stranger port: refused both ways", () => {
    const stranger = { namespace: "app", labels: null };
    expect(judgement.model.decide(stranger, "ingress", { kind: "outside", family: 6 }, "TCP", STRANGER_PORT, "risk").admitted).toBe(false);
    expect(judgement.model.decide(stranger, "egress", { kind: "outside", family: 4 }, "TCP", STRANGER_PORT, "risk").admitted).toBe(false);
  });

  test("a namespace nothing selects admits everything", () => {
    expect(judgement.model.decide({ namespace: "kube-system", labels: {} }, "ingress", { kind: "outside", family: 4 }, "TCP", 443, "risk")).toEqual({ admitted: true, statement: null, reason: "not-isolated" });
  });
});
