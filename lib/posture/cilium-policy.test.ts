// Rules v2 for CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (docs/design.md §4.3), one
// row per case, each written as the YAML a user applies, judged as a Cilium cluster.

import { describe, expect, test } from "vitest";

import { allowAnyOf, coverageOf, docs, indent, judgeYaml, NAMESPACE_APP, OPEN, problemsOf, SEALED, SEGMENTED, type CaseEngine, type Coverage } from "../../testing/posture-cases";

interface CiliumCase {
  name: string;
  yaml: string;
  app: Coverage;
  allowAny?: string[];
  problems?: string[];
  engine?: CaseEngine;
}

/** A CiliumNetworkPolicy named `name` in `app` with the given spec body (YAML, indented freely). */
function cnp(name: string, spec: string): string {
  return `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: ${name}, namespace: app }
spec:
${indent(spec, 2)}
`;
}

function ccnp(name: string, spec: string): string {
  return `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: { name: ${name} }
spec:
${indent(spec, 2)}
`;
}

const DNS_EGRESS = `
- toEndpoints:
    - matchLabels: { "k8s:io.kubernetes.pod.namespace": kube-system, "k8s:k8s-app": kube-dns }
  toPorts:
    - ports: [{ port: "53", protocol: ANY }]
      rules:
        dns: [{ matchPattern: "*" }]
`;

/** Ingress and egress both denied by default in app, DNS allowed: the base most rows add to. */
const DENY_BOTH_WITH_DNS = cnp(
  "default-deny",
  `
  endpointSelector: {}
  ingress: [{}]
  egress:
${indent(DNS_EGRESS, 4)}
`,
);

function check(row: CiliumCase): void {
  // A cluster without LocalDNS, so DNS is judged on kube-dns alone.
  const judgement = judgeYaml(docs(NAMESPACE_APP, row.yaml), { engine: row.engine ?? "cilium", localDns: false });
  expect(coverageOf(judgement)).toEqual(row.app);
  expect(allowAnyOf(judgement)).toEqual(row.allowAny ?? []);
  expect(problemsOf(judgement)).toEqual(row.problems ?? []);
}

describe("Cilium default deny and what breaks it", () => {
  const rows: CiliumCase[] = [
    { name: "ingress: [{}] is Cilium's default deny for ingress and admits nothing", yaml: cnp("deny-ingress", "endpointSelector: {}\ningress: [{}]"), app: { ...OPEN, ingress: true } },
    { name: "egress: [{}] is a default deny for egress: DNS and IMDS refused", yaml: cnp("deny-egress", "endpointSelector: {}\negress: [{}]"), app: { ...OPEN, egress: true, dns: false, imds: false } },
    { name: "both ways with a DNS rule carrying L7 dns rules: segmented", yaml: DENY_BOTH_WITH_DNS, app: SEGMENTED },
    {
      name: "an empty endpointSelector in matchLabels form selects every pod",
      yaml: cnp("deny", "endpointSelector: { matchLabels: {} }\ningress: [{}]\negress: [{}]"),
      app: SEALED,
    },
    {
      name: "a selector on app: web leaves the stranger pod unselected",
      yaml: cnp("deny-web", "endpointSelector: { matchLabels: { app: web } }\ningress: [{}]\negress: [{}]"),
      app: OPEN,
    },
    {
      name: "k8s: prefixes are the same labels",
      yaml: cnp("deny-web", "endpointSelector: { matchLabels: { \"k8s:app\": web } }\ningress: [{}]"),
      app: OPEN,
    },
    {
      name: "a namespace key naming another namespace is ignored in a namespaced policy (Cilium drops it)",
      yaml: cnp("deny", "endpointSelector: { matchLabels: { \"k8s:io.kubernetes.pod.namespace\": other } }\ningress: [{}]\negress: [{}]"),
      app: SEALED,
    },
    {
      name: "enableDefaultDeny egress false: the egress allow does not isolate",
      yaml: cnp("no-isolation", "endpointSelector: {}\nenableDefaultDeny: { egress: false }\negress:\n  - toEndpoints: [{ matchLabels: { app: db } }]"),
      app: OPEN,
    },
    {
      name: "enableDefaultDeny ingress false: the ingress allow does not isolate",
      yaml: cnp("no-isolation", "endpointSelector: {}\nenableDefaultDeny: { ingress: false }\ningress:\n  - fromEndpoints: [{ matchLabels: { app: web } }]"),
      app: OPEN,
    },
    {
      name: "enableDefaultDeny ingress true without rules isolates ingress",
      yaml: cnp("isolate", "endpointSelector: {}\nenableDefaultDeny: { ingress: true }"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "an egressDeny alone isolates egress (a deny rule counts as a rule)",
      yaml: cnp("no-imds", "endpointSelector: {}\negressDeny:\n  - toCIDR: [169.254.169.254/32]"),
      app: { ...OPEN, egress: true, dns: false, imds: false },
    },
    {
      name: "an egress rule to app: db only is a default deny for egress",
      yaml: cnp("db-only", "endpointSelector: {}\negress:\n  - toEndpoints: [{ matchLabels: { app: db } }]"),
      app: { ...OPEN, egress: true, dns: false, imds: false },
    },
    {
      name: "ingress: [] (empty list) does not apply at ingress",
      yaml: cnp("empty", "endpointSelector: {}\ningress: []\negress: [{}]"),
      app: { ...OPEN, egress: true, dns: false, imds: false },
    },
    {
      name: "a host policy (nodeSelector) is not a pod rule",
      yaml: ccnp("host-firewall", "nodeSelector: {}\ningress: [{}]\negress: [{}]"),
      app: OPEN,
    },
    {
      name: "a rule without an endpointSelector or nodeSelector is reported and selects nothing",
      yaml: cnp("broken", "ingress: [{}]"),
      app: OPEN,
      problems: ["CiliumNetworkPolicy app/broken spec.endpointSelector"],
    },
  ];
  test.each(rows)("$name", check);
});

describe("Cilium peers that admit a stranger", () => {
  const rows: CiliumCase[] = [
    { name: "fromEntities world: class B", yaml: cnp("from-world", "endpointSelector: {}\ningress:\n  - fromEntities: [world]"), app: OPEN, allowAny: ["CiliumNetworkPolicy app/from-world ingress[0] B"] },
    { name: "fromEntities all: class A", yaml: cnp("from-all", "endpointSelector: {}\ningress:\n  - fromEntities: [all]"), app: OPEN, allowAny: ["CiliumNetworkPolicy app/from-all ingress[0] A"] },
    { name: "fromEntities cluster: class C", yaml: cnp("from-cluster", "endpointSelector: {}\ningress:\n  - fromEntities: [cluster]"), app: OPEN, allowAny: ["CiliumNetworkPolicy app/from-cluster ingress[0] C"] },
    { name: "fromEntities host is none of the strangers", yaml: cnp("from-host", "endpointSelector: {}\ningress:\n  - fromEntities: [host]"), app: { ...OPEN, ingress: true } },
    {
      name: "remote-node, kube-apiserver and health are none of the strangers",
      yaml: cnp("from-infra", "endpointSelector: {}\ningress:\n  - fromEntities: [remote-node, kube-apiserver, health]"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "toEntities world-ipv4 admits the IPv4 stranger and IMDS",
      yaml: cnp("to-world4", "endpointSelector: {}\negress:\n  - toEntities: [world-ipv4]"),
      app: { ...OPEN, dns: false },
      allowAny: ["CiliumNetworkPolicy app/to-world4 egress[0] B"],
    },
    {
      name: "toEntities world-ipv6 admits the IPv6 stranger but not IMDS",
      yaml: cnp("to-world6", "endpointSelector: {}\negress:\n  - toEntities: [world-ipv6]"),
      app: { ...OPEN, dns: false, imds: false },
      allowAny: ["CiliumNetworkPolicy app/to-world6 egress[0] B"],
    },
    {
      name: "an unknown entity is reported and read as any peer",
      yaml: cnp("typo", "endpointSelector: {}\ningress:\n  - fromEntities: [internet]"),
      app: OPEN,
      allowAny: ["CiliumNetworkPolicy app/typo ingress[0] B"],
      problems: ["CiliumNetworkPolicy app/typo ingress[0].fromEntities"],
    },
    {
      name: "an L4-only rule on TCP 443 admits every peer on 443 only: still a default deny",
      yaml: cnp("https-out", "endpointSelector: {}\negress:\n  - toPorts: [{ ports: [{ port: \"443\", protocol: TCP }] }]"),
      app: { ...OPEN, egress: true, dns: false, imds: false },
    },
    {
      name: "an L4-only rule on port 0 ANY is every peer on every port: class A",
      yaml: cnp("anything", "endpointSelector: {}\negress:\n  - toPorts: [{ ports: [{ port: \"0\", protocol: ANY }] }]"),
      app: OPEN,
      allowAny: ["CiliumNetworkPolicy app/anything egress[0] A"],
    },
    {
      name: "an L4-only rule whose endPort range covers 1–65535: class A",
      yaml: cnp("all-ports", "endpointSelector: {}\ningress:\n  - toPorts: [{ ports: [{ port: \"1\", endPort: 65535, protocol: TCP }] }]"),
      app: OPEN,
      allowAny: ["CiliumNetworkPolicy app/all-ports ingress[0] A"],
    },
    {
      name: "an endPort range 1024–65535 does not cover every port",
      yaml: cnp("high-ports", "endpointSelector: {}\ningress:\n  - toPorts: [{ ports: [{ port: \"1024\", endPort: 65535, protocol: TCP }] }]"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "a named port (a string with letters) never covers the stranger port",
      yaml: cnp("named", "endpointSelector: {}\ningress:\n  - fromEntities: [world]\n    toPorts: [{ ports: [{ port: http }] }]"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "a port written as a number in YAML is still read",
      yaml: cnp("numeric", "endpointSelector: {}\ningress:\n  - fromEntities: [world]\n    toPorts: [{ ports: [{ port: 8080, protocol: TCP }] }]"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "world on port 0 with protocol TCP covers the stranger port (TCP): class B",
      yaml: cnp("world-tcp", "endpointSelector: {}\ningress:\n  - fromEntities: [world]\n    toPorts: [{ ports: [{ port: \"0\", protocol: TCP }] }]"),
      app: OPEN,
      allowAny: ["CiliumNetworkPolicy app/world-tcp ingress[0] B"],
    },
    {
      name: "world on UDP only misses the stranger port (TCP)",
      yaml: cnp("world-udp", "endpointSelector: {}\ningress:\n  - fromEntities: [world]\n    toPorts: [{ ports: [{ port: \"0\", protocol: UDP }] }]"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "toCIDR 0.0.0.0/0: class B, and IMDS reachable",
      yaml: cnp("to-internet", "endpointSelector: {}\negress:\n  - toCIDR: [0.0.0.0/0]"),
      app: { ...OPEN, dns: false },
      allowAny: ["CiliumNetworkPolicy app/to-internet egress[0] B"],
    },
    {
      name: "toCIDRSet 0.0.0.0/0 except IMDS: class B, IMDS refused",
      yaml: cnp("to-internet", "endpointSelector: {}\negress:\n  - toCIDRSet: [{ cidr: 0.0.0.0/0, except: [169.254.169.254/32] }]"),
      app: { ...OPEN, dns: false, imds: false },
      allowAny: ["CiliumNetworkPolicy app/to-internet egress[0] B"],
    },
    {
      name: "two halves 0.0.0.0/1 and 128.0.0.0/1 cover the family together: class B",
      yaml: cnp("halves", "endpointSelector: {}\negress:\n  - toCIDR: [0.0.0.0/1, 128.0.0.0/1]"),
      app: { ...OPEN, dns: false },
      allowAny: ["CiliumNetworkPolicy app/halves egress[0] B"],
    },
    {
      name: "toCIDR ::/0 admits the IPv6 stranger only, not IMDS",
      yaml: cnp("v6", "endpointSelector: {}\negress:\n  - toCIDR: [\"::/0\"]"),
      app: { ...OPEN, dns: false, imds: false },
      allowAny: ["CiliumNetworkPolicy app/v6 egress[0] B"],
    },
    {
      name: "toCIDR 10.0.0.0/8 is none of the strangers",
      yaml: cnp("vnet", "endpointSelector: {}\negress:\n  - toCIDR: [10.0.0.0/8]"),
      app: { ...OPEN, egress: true, dns: false, imds: false },
    },
    {
      name: "toCIDR 169.254.0.0/16 on TCP 80 reaches IMDS",
      yaml: cnp("link-local", "endpointSelector: {}\negress:\n  - toCIDR: [169.254.0.0/16]\n    toPorts: [{ ports: [{ port: \"80\", protocol: TCP }] }]"),
      app: { ...OPEN, egress: true, dns: false, imds: true },
    },
    {
      name: "toFQDNs matchPattern * is the whole outside world: class B",
      yaml: cnp("any-name", "endpointSelector: {}\negress:\n  - toFQDNs: [{ matchPattern: \"*\" }]"),
      app: { ...OPEN, dns: false, imds: false },
      allowAny: ["CiliumNetworkPolicy app/any-name egress[0] B"],
    },
    {
      name: "toFQDNs matchName for one host is none of the strangers",
      yaml: cnp("github", "endpointSelector: {}\negress:\n  - toFQDNs: [{ matchName: api.github.com }]"),
      app: { ...OPEN, egress: true, dns: false, imds: false },
    },
    {
      name: "toServices names a service: none of the strangers",
      yaml: cnp("to-svc", "endpointSelector: {}\negress:\n  - toServices: [{ k8sService: { serviceName: api, namespace: backend } }]"),
      app: { ...OPEN, egress: true, dns: false, imds: false },
    },
    {
      name: "a CIDR that does not parse is reported and read as any peer",
      yaml: cnp("bad-cidr", "endpointSelector: {}\negress:\n  - toCIDR: [\"10.0.0.0/33\"]"),
      app: { ...OPEN, dns: false },
      allowAny: ["CiliumNetworkPolicy app/bad-cidr egress[0] B"],
      problems: ["CiliumNetworkPolicy app/bad-cidr egress[0].toCIDR[0]"],
    },
  ];
  test.each(rows)("$name", check);
});

describe("Cilium endpoint selectors as peers", () => {
  const rows: CiliumCase[] = [
    {
      name: "fromEndpoints [{}] in a namespaced policy is its own namespace only",
      yaml: cnp("same-ns", "endpointSelector: {}\ningress:\n  - fromEndpoints: [{}]"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "fromEndpoints [{}] in a cluster-wide policy is every pod: class C",
      yaml: ccnp("all-pods", "endpointSelector: {}\ningress:\n  - fromEndpoints: [{}]"),
      app: OPEN,
      allowAny: ["CiliumClusterwideNetworkPolicy all-pods ingress[0] C"],
    },
    {
      name: "a namespace key with Exists lifts the own-namespace limit: class C",
      yaml: cnp("any-ns", "endpointSelector: {}\ningress:\n  - fromEndpoints: [{ matchExpressions: [{ key: io.kubernetes.pod.namespace, operator: Exists }] }]"),
      app: OPEN,
      allowAny: ["CiliumNetworkPolicy app/any-ns ingress[0] C"],
    },
    {
      name: "a namespace key naming another namespace is none of the strangers",
      yaml: cnp("from-monitoring", "endpointSelector: {}\ningress:\n  - fromEndpoints: [{ matchLabels: { \"k8s:io.kubernetes.pod.namespace\": monitoring } }]"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "NotIn on the namespace key matches the inside stranger's namespace: class C",
      yaml: cnp("not-system", "endpointSelector: {}\ningress:\n  - fromEndpoints: [{ matchExpressions: [{ key: \"k8s:io.kubernetes.pod.namespace\", operator: NotIn, values: [kube-system] }] }]"),
      app: OPEN,
      allowAny: ["CiliumNetworkPolicy app/not-system ingress[0] C"],
    },
    {
      // The empty endpointSelector also isolates kube-dns, whose ingress then refuses the stranger pod: no DNS.
      name: "DoesNotExist on a pod label, all namespaces: the inside stranger has no labels, class C",
      yaml: ccnp("unlabelled", "endpointSelector: {}\ningress:\n  - fromEndpoints: [{ matchExpressions: [{ key: app, operator: DoesNotExist }] }]"),
      app: { ...OPEN, dns: false },
      allowAny: ["CiliumClusterwideNetworkPolicy unlabelled ingress[0] C"],
    },
    {
      name: "a pod label selector across namespaces is none of the strangers",
      yaml: ccnp("prometheus", "endpointSelector: {}\ningress:\n  - fromEndpoints: [{ matchLabels: { app: prometheus } }]"),
      app: { ...OPEN, ingress: true, dns: false },
    },
    {
      name: "a reserved:world label selector is the world entity: class B",
      yaml: cnp("reserved-world", "endpointSelector: {}\ningress:\n  - fromEndpoints: [{ matchLabels: { \"reserved:world\": \"\" } }]"),
      app: OPEN,
      allowAny: ["CiliumNetworkPolicy app/reserved-world ingress[0] B"],
    },
  ];
  test.each(rows)("$name", check);
});

describe("Cilium deny precedence and cluster-wide policies", () => {
  const rows: CiliumCase[] = [
    {
      name: "egressDeny to 169.254.169.254/32 cluster-wide without default deny: IMDS refused, nothing isolated",
      yaml: ccnp("block-imds", "endpointSelector: {}\nenableDefaultDeny: { egress: false, ingress: false }\negressDeny:\n  - toCIDR: [169.254.169.254/32]"),
      app: { ...OPEN, imds: false },
    },
    {
      name: "egressDeny IMDS wins over a namespaced allow to 0.0.0.0/0",
      yaml: docs(
        ccnp("block-imds", "endpointSelector: {}\nenableDefaultDeny: { egress: false, ingress: false }\negressDeny:\n  - toCIDR: [169.254.169.254/32]"),
        cnp("internet", "endpointSelector: {}\negress:\n  - toCIDR: [0.0.0.0/0]"),
      ),
      app: { ...OPEN, dns: false, imds: false },
      allowAny: ["CiliumNetworkPolicy app/internet egress[0] B"],
    },
    {
      name: "an egressDeny of the world beside an allow of the world: the deny wins, the allow is still reported",
      yaml: cnp("contradiction", "endpointSelector: {}\negress:\n  - toEntities: [world]\negressDeny:\n  - toEntities: [world]"),
      app: { ...OPEN, egress: true, dns: false, imds: false },
      allowAny: ["CiliumNetworkPolicy app/contradiction egress[0] B"],
    },
    {
      name: "an ingressDeny of all beside an ingress of all: default deny holds",
      yaml: cnp("deny-all", "endpointSelector: {}\ningress:\n  - fromEntities: [all]\ningressDeny:\n  - fromEntities: [all]"),
      app: { ...OPEN, ingress: true },
      allowAny: ["CiliumNetworkPolicy app/deny-all ingress[0] A"],
    },
    {
      name: "a deny on TCP 80 only leaves the stranger port admitted",
      yaml: cnp("deny-http", "endpointSelector: {}\nenableDefaultDeny: { ingress: false }\ningressDeny:\n  - fromEntities: [world]\n    toPorts: [{ ports: [{ port: \"80\", protocol: TCP }] }]"),
      app: OPEN,
    },
    {
      name: "a cluster-wide default deny for every namespace but kube-system, with DNS: segmented",
      yaml: ccnp(
        "baseline",
        `
        endpointSelector:
          matchExpressions: [{ key: io.kubernetes.pod.namespace, operator: NotIn, values: [kube-system] }]
        ingress: [{}]
        egress:
${indent(DNS_EGRESS, 10)}
        egressDeny:
          - toCIDR: [169.254.169.254/32]
        `,
      ),
      app: SEGMENTED,
    },
    {
      name: "a cluster-wide policy for another namespace leaves app alone",
      yaml: ccnp("other-only", "endpointSelector: { matchLabels: { \"k8s:io.kubernetes.pod.namespace\": other } }\ningress: [{}]\negress: [{}]"),
      app: OPEN,
    },
    {
      name: "CCNP namespace selection by the namespace label (team: payments)",
      yaml: docs(
        "apiVersion: v1\nkind: Namespace\nmetadata: { name: app, labels: { team: payments } }\n",
        ccnp("payments", "endpointSelector: { matchLabels: { \"k8s:io.cilium.k8s.namespace.labels.team\": payments } }\ningress: [{}]\negress: [{}]"),
      ),
      app: SEALED,
    },
    {
      name: "CCNP namespace label that app does not carry leaves it alone",
      yaml: docs(
        "apiVersion: v1\nkind: Namespace\nmetadata: { name: app, labels: { team: web } }\n",
        ccnp("payments", "endpointSelector: { matchLabels: { \"io.cilium.k8s.namespace.labels.team\": payments } }\ningress: [{}]\negress: [{}]"),
      ),
      app: OPEN,
    },
    {
      name: "specs[]: one rule denies ingress, the next egress",
      yaml: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: split, namespace: app }
specs:
  - endpointSelector: {}
    ingress: [{}]
  - endpointSelector: {}
    egress: [{}]
`,
      app: SEALED,
    },
    {
      name: "specs[]: the allow-any rule is located by its spec",
      yaml: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: split, namespace: app }
specs:
  - endpointSelector: {}
    ingress: [{}]
  - endpointSelector: {}
    egress:
      - toEntities: [world]
`,
      app: { ...OPEN, ingress: true, dns: false },
      allowAny: ["CiliumNetworkPolicy app/split specs[1].egress[0] B"],
    },
    {
      name: "spec and specs together are both read",
      yaml: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: both, namespace: app }
spec:
  endpointSelector: {}
  ingress: [{}]
specs:
  - endpointSelector: {}
    egress: [{}]
`,
      app: SEALED,
    },
    {
      name: "a Kubernetes default deny and a Cilium allow of the world are one union on Cilium",
      yaml: docs(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny-all, namespace: app }\nspec: { podSelector: {}, policyTypes: [Ingress, Egress] }\n",
        cnp("from-world", "endpointSelector: {}\ningress:\n  - fromEntities: [world]"),
      ),
      app: { ...SEALED, ingress: false },
      allowAny: ["CiliumNetworkPolicy app/from-world ingress[0] B"],
    },
  ];
  test.each(rows)("$name", check);
});

describe("Cilium DNS", () => {
  const denyEgress = cnp("deny-egress", "endpointSelector: {}\negress: [{}]");
  const rows: CiliumCase[] = [
    {
      name: "UDP 53 to kube-dns by k8s-app label and namespace key",
      yaml: docs(denyEgress, cnp("dns", "endpointSelector: {}\negress:\n  - toEndpoints: [{ matchLabels: { io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns } }]\n    toPorts: [{ ports: [{ port: \"53\", protocol: UDP }] }]")),
      app: { ...OPEN, egress: true, dns: true, imds: false },
    },
    {
      name: "port 53 without a protocol is ANY: UDP included",
      yaml: docs(denyEgress, cnp("dns", "endpointSelector: {}\negress:\n  - toEndpoints: [{ matchLabels: { io.kubernetes.pod.namespace: kube-system } }]\n    toPorts: [{ ports: [{ port: \"53\" }] }]")),
      app: { ...OPEN, egress: true, dns: true, imds: false },
    },
    {
      name: "TCP 53 alone is not DNS",
      yaml: docs(denyEgress, cnp("dns", "endpointSelector: {}\negress:\n  - toEndpoints: [{ matchLabels: { io.kubernetes.pod.namespace: kube-system } }]\n    toPorts: [{ ports: [{ port: \"53\", protocol: TCP }] }]")),
      app: { ...OPEN, egress: true, dns: false, imds: false },
    },
    {
      name: "kube-dns without the namespace key stays in app: no DNS",
      yaml: docs(denyEgress, cnp("dns", "endpointSelector: {}\negress:\n  - toEndpoints: [{ matchLabels: { k8s-app: kube-dns } }]\n    toPorts: [{ ports: [{ port: \"53\", protocol: UDP }] }]")),
      app: { ...OPEN, egress: true, dns: false, imds: false },
    },
    {
      name: "toServices kube-dns in kube-system",
      yaml: docs(denyEgress, cnp("dns", "endpointSelector: {}\negress:\n  - toServices: [{ k8sService: { serviceName: kube-dns, namespace: kube-system } }]")),
      app: { ...OPEN, egress: true, dns: true, imds: false },
    },
    {
      name: "toCIDR 0.0.0.0/0 on 53 earns no DNS credit on Cilium: CIDR rules do not select pods",
      yaml: docs(denyEgress, cnp("dns", "endpointSelector: {}\negress:\n  - toCIDR: [0.0.0.0/0]\n    toPorts: [{ ports: [{ port: \"53\", protocol: UDP }] }]")),
      app: { ...OPEN, egress: true, dns: false, imds: false },
    },
    {
      name: "toEntities cluster on 53 reaches kube-dns",
      yaml: docs(denyEgress, cnp("dns", "endpointSelector: {}\negress:\n  - toEntities: [cluster]\n    toPorts: [{ ports: [{ port: \"53\", protocol: UDP }] }]")),
      app: { ...OPEN, egress: true, dns: true, imds: false },
    },
    {
      name: "a malformed DNS rule (toPorts not a list) earns no credit",
      yaml: docs(denyEgress, cnp("dns", "endpointSelector: {}\negress:\n  - toEndpoints: [{ matchLabels: { io.kubernetes.pod.namespace: kube-system } }]\n    toPorts: \"53\"")),
      app: { ...OPEN, egress: true, dns: false, imds: false },
      problems: ["CiliumNetworkPolicy app/dns egress[0].toPorts"],
    },
  ];
  test.each(rows)("$name", check);
});

describe("Cilium objects on other engines", () => {
  const rows: CiliumCase[] = [
    { name: "on Azure NPM a Cilium default deny is not enforced", yaml: DENY_BOTH_WITH_DNS, app: OPEN, engine: "azure" },
    { name: "on Calico a Cilium default deny is not enforced", yaml: DENY_BOTH_WITH_DNS, app: OPEN, engine: "calico" },
    { name: "without an engine Cilium objects are not judged either", yaml: DENY_BOTH_WITH_DNS, app: OPEN, engine: "none" },
    {
      name: "on Azure NPM a Cilium allow-any rule is not reported (it is not enforced)",
      yaml: cnp("from-world", "endpointSelector: {}\ningress:\n  - fromEntities: [world]"),
      app: OPEN,
      engine: "azure",
    },
  ];
  test.each(rows)("$name", check);
});
