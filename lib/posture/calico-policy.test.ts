// Rules v2 for Calico NetworkPolicy and GlobalNetworkPolicy (docs/design.md §4.3), one row per case,
// each written as the YAML a user applies, judged as a Calico cluster without LocalDNS.

import { describe, expect, test } from "vitest";

import { allowAnyOf, coverageOf, docs, indent, judgeYaml, NAMESPACE_APP, OPEN, problemsOf, SEALED, SEGMENTED, type CaseEngine, type Coverage } from "../../testing/posture-cases";

interface CalicoCase {
  name: string;
  yaml: string;
  app: Coverage;
  allowAny?: string[];
  problems?: string[];
  engine?: CaseEngine;
}

/** A projectcalico.org/v3 NetworkPolicy in `app`. */
function np(name: string, spec: string): string {
  return `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: app }\nspec:\n${indent(spec, 2)}\n`;
}

function gnp(name: string, spec: string): string {
  return `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: { name: ${name} }\nspec:\n${indent(spec, 2)}\n`;
}

const K8S_DENY_ALL = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny-all, namespace: app }\nspec: { podSelector: {}, policyTypes: [Ingress, Egress] }\n";
const K8S_ALLOW_WORLD_EGRESS =
  "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: internet, namespace: app }\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to: [{ ipBlock: { cidr: 0.0.0.0/0 } }]\n";

const DNS_RULES = `
- action: Allow
  protocol: UDP
  destination:
    namespaceSelector: projectcalico.org/name == 'kube-system'
    selector: k8s-app == 'kube-dns'
    ports: [53]
`;

function check(row: CalicoCase): void {
  const judgement = judgeYaml(docs(NAMESPACE_APP, row.yaml), { engine: row.engine ?? "calico", localDns: false });
  expect(coverageOf(judgement)).toEqual(row.app);
  expect(allowAnyOf(judgement)).toEqual(row.allowAny ?? []);
  expect(problemsOf(judgement)).toEqual(row.problems ?? []);
}

describe("Calico default deny, types and subjects", () => {
  const rows: CalicoCase[] = [
    { name: "selector all() with both types and no rules: default deny both ways", yaml: np("deny-all", "selector: all()\ntypes: [Ingress, Egress]"), app: SEALED },
    { name: "an empty selector is all()", yaml: np("deny-all", "types: [Ingress, Egress]"), app: SEALED },
    {
      name: "types absent and no rules: Ingress only",
      yaml: np("deny-in", "selector: all()"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "types absent with egress rules only: Egress only (Calico's defaulting, unlike Kubernetes')",
      yaml: np("egress-only", `selector: all()\negress:\n${indent(DNS_RULES, 2)}`),
      app: { ...OPEN, egress: true, imds: false },
    },
    {
      name: "types absent with both kinds of rules: both",
      yaml: np("both", `selector: all()\ningress:\n  - action: Allow\n    source: { selector: app == 'web' }\negress:\n${indent(DNS_RULES, 2)}`),
      app: SEGMENTED,
    },
    {
      name: "with DNS allowed to kube-dns: segmented",
      yaml: np("baseline", `selector: all()\ntypes: [Ingress, Egress]\negress:\n${indent(DNS_RULES, 2)}`),
      app: SEGMENTED,
    },
    {
      name: "a selector on app == 'web' leaves the stranger pod unselected",
      yaml: np("web", "selector: app == 'web'\ntypes: [Ingress, Egress]"),
      app: OPEN,
    },
    {
      name: "!has(app) does not select the stranger pod either: its labels are unknown",
      yaml: np("unlabelled", "selector: '!has(app)'\ntypes: [Ingress, Egress]"),
      app: OPEN,
    },
    {
      name: "a GlobalNetworkPolicy without namespaceSelector covers every namespace",
      yaml: gnp("deny-all", "selector: all()\ntypes: [Ingress, Egress]"),
      // It selects kube-dns too, whose ingress then refuses every query.
      app: SEALED,
    },
    {
      name: "GNP namespaceSelector by projectcalico.org/name selects app",
      yaml: gnp("app-only", "namespaceSelector: projectcalico.org/name == 'app'\nselector: all()\ntypes: [Ingress, Egress]"),
      app: SEALED,
    },
    {
      name: "GNP namespaceSelector naming another namespace leaves app alone",
      yaml: gnp("other-only", "namespaceSelector: projectcalico.org/name == 'other'\ntypes: [Ingress, Egress]"),
      app: OPEN,
    },
    {
      name: "GNP namespaceSelector not in the system namespaces selects app and spares kube-dns",
      yaml: gnp("workloads", `namespaceSelector: projectcalico.org/name not in {'kube-system', 'calico-system'}\ntypes: [Ingress, Egress]\negress:\n${indent(DNS_RULES, 2)}`),
      app: SEGMENTED,
    },
    {
      name: "GNP namespaceSelector on a namespace label",
      yaml: docs(
        "apiVersion: v1\nkind: Namespace\nmetadata: { name: app, labels: { tier: prod } }\n",
        gnp("prod", "namespaceSelector: tier == 'prod'\ntypes: [Ingress, Egress]"),
      ),
      app: SEALED,
    },
    {
      name: "GNP selector on the namespace label the pod carries (projectcalico.org/namespace) selects the stranger pod",
      yaml: gnp("by-pod-ns", "selector: projectcalico.org/namespace == 'app'\ntypes: [Ingress]"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "GNP namespaceSelector global() selects host endpoints and network sets, no pod",
      yaml: gnp("hosts", "namespaceSelector: global()\ntypes: [Ingress, Egress]"),
      app: OPEN,
    },
    {
      name: "doNotTrack policies apply to host endpoints only",
      yaml: gnp("raw", "selector: all()\ndoNotTrack: true\napplyOnForward: true\ntypes: [Ingress, Egress]"),
      app: OPEN,
    },
    {
      name: "preDNAT policies apply to host endpoints only",
      yaml: gnp("pre-dnat", "selector: all()\npreDNAT: true\napplyOnForward: true\ntypes: [Ingress]"),
      app: OPEN,
    },
    {
      name: "applyOnForward alone still applies to pods",
      yaml: gnp("forward", "namespaceSelector: projectcalico.org/name == 'app'\napplyOnForward: true\ntypes: [Ingress, Egress]"),
      app: SEALED,
    },
    {
      name: "crd.projectcalico.org/v1 objects read like projectcalico.org/v3",
      yaml: "apiVersion: crd.projectcalico.org/v1\nkind: NetworkPolicy\nmetadata: { name: default.deny-all, namespace: app }\nspec: { selector: all(), types: [Ingress, Egress] }\n",
      app: SEALED,
    },
    {
      name: "a selector that does not parse is reported and earns no credit",
      yaml: np("broken", "selector: app = 'web'\ntypes: [Ingress, Egress]"),
      app: { ...OPEN, dns: false },
      problems: ["CalicoNetworkPolicy app/broken spec.selector"],
    },
    {
      name: "a serviceAccountSelector limits the subject to named accounts: the stranger pod is not among them",
      yaml: np("by-account", "selector: all()\nserviceAccountSelector: role == 'db'\ntypes: [Ingress, Egress]"),
      app: OPEN,
    },
  ];
  test.each(rows)("$name", check);
});

describe("Calico rules that admit a stranger", () => {
  const rows: CalicoCase[] = [
    {
      name: "Allow with no source: class A",
      yaml: np("open", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow"),
      app: OPEN,
      allowAny: ["CalicoNetworkPolicy app/open ingress[0] A"],
    },
    {
      name: "Allow from nets 0.0.0.0/0: class B",
      yaml: np("world", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    source: { nets: [0.0.0.0/0] }"),
      app: OPEN,
      allowAny: ["CalicoNetworkPolicy app/world ingress[0] B"],
    },
    {
      name: "Allow from nets ::/0 only: class B",
      yaml: np("world6", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    source: { nets: [\"::/0\"] }"),
      app: OPEN,
      allowAny: ["CalicoNetworkPolicy app/world6 ingress[0] B"],
    },
    {
      name: "Allow from namespaceSelector all(): class C",
      yaml: np("cluster", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    source: { namespaceSelector: all() }"),
      app: OPEN,
      allowAny: ["CalicoNetworkPolicy app/cluster ingress[0] C"],
    },
    {
      name: "Allow from selector all() in a namespaced policy: its own namespace only",
      yaml: np("same-ns", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    source: { selector: all() }"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "Allow from selector all() in a global policy: every namespace, class C",
      yaml: gnp("all-pods", "namespaceSelector: projectcalico.org/name == 'app'\ntypes: [Ingress]\ningress:\n  - action: Allow\n    source: { selector: all() }"),
      app: OPEN,
      allowAny: ["CalicoGlobalNetworkPolicy all-pods ingress[0] C"],
    },
    {
      name: "Allow from !has(app) across namespaces: the inside stranger has no labels, class C",
      yaml: np("unlabelled", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    source: { namespaceSelector: all(), selector: '!has(app)' }"),
      app: OPEN,
      allowAny: ["CalicoNetworkPolicy app/unlabelled ingress[0] C"],
    },
    {
      name: "Allow from app == 'web' across namespaces: none of the strangers",
      yaml: np("web", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    source: { namespaceSelector: all(), selector: app == 'web' }"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "Allow with only a notSelector in a global policy admits everything that is not selected: class A",
      yaml: gnp("not-db", "namespaceSelector: projectcalico.org/name == 'app'\ntypes: [Ingress]\ningress:\n  - action: Allow\n    source: { notSelector: app == 'db' }"),
      app: OPEN,
      allowAny: ["CalicoGlobalNetworkPolicy not-db ingress[0] A"],
    },
    {
      name: "Allow with only a notSelector in a namespaced policy stays in its namespace",
      yaml: np("not-db", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    source: { notSelector: app == 'db' }"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "Allow to notNets 10.0.0.0/8 admits the outside stranger: class A, IMDS reachable",
      yaml: np("not-vnet", "selector: all()\ntypes: [Egress]\negress:\n  - action: Allow\n    destination: { notNets: [10.0.0.0/8] }"),
      app: { ...OPEN, dns: false },
      allowAny: ["CalicoNetworkPolicy app/not-vnet egress[0] A"],
    },
    {
      name: "Allow from serviceAccounts names: none of the strangers",
      yaml: np("from-frontend", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    source: { serviceAccounts: { names: [frontend] } }"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "ports 1:65535 with no source: class A",
      yaml: np("all-ports", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    protocol: TCP\n    destination: { ports: ['1:65535'] }"),
      app: OPEN,
      allowAny: ["CalicoNetworkPolicy app/all-ports ingress[0] A"],
    },
    {
      name: "ports [80, 443] miss the stranger port",
      yaml: np("web-ports", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    protocol: TCP\n    destination: { ports: [80, 443] }"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "notPorts [22] still covers the stranger port: class A",
      yaml: np("not-ssh", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    protocol: TCP\n    destination: { notPorts: [22] }"),
      app: OPEN,
      allowAny: ["CalicoNetworkPolicy app/not-ssh ingress[0] A"],
    },
    {
      name: "a named port never covers the stranger port",
      yaml: np("named", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    protocol: TCP\n    destination: { ports: [http] }"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "protocol ICMP: no TCP traffic admitted",
      yaml: np("ping", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    protocol: ICMP"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "protocol 6 is TCP: class A",
      yaml: np("tcp", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    protocol: 6"),
      app: OPEN,
      allowAny: ["CalicoNetworkPolicy app/tcp ingress[0] A"],
    },
    {
      name: "notProtocol TCP misses the stranger port",
      yaml: np("not-tcp", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    notProtocol: TCP"),
      app: { ...OPEN, ingress: true },
    },
    {
      name: "ipVersion 6 with nets ::/0: class B, IMDS refused",
      yaml: np("v6-out", "selector: all()\ntypes: [Egress]\negress:\n  - action: Allow\n    ipVersion: 6\n    destination: { nets: [\"::/0\"] }"),
      app: { ...OPEN, dns: false, imds: false },
      allowAny: ["CalicoNetworkPolicy app/v6-out egress[0] B"],
    },
    {
      name: "Log is no decision: the Allow after it decides",
      yaml: np("logged", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Log\n  - action: Allow\n    source: { nets: [0.0.0.0/0] }"),
      app: OPEN,
      allowAny: ["CalicoNetworkPolicy app/logged ingress[1] B"],
    },
    {
      name: "an unknown action is reported and read as an allow for risk",
      yaml: np("typo", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Accept"),
      app: OPEN,
      allowAny: ["CalicoNetworkPolicy app/typo ingress[0] A"],
      problems: ["CalicoNetworkPolicy app/typo spec.ingress[0].action"],
    },
    {
      name: "a rule selector that does not parse is reported and read as any peer",
      yaml: np("bad-rule", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    source: { selector: \"app == 'web\" }"),
      app: OPEN,
      allowAny: ["CalicoNetworkPolicy app/bad-rule ingress[0] B"],
      problems: ["CalicoNetworkPolicy app/bad-rule spec.ingress[0].source.selector"],
    },
    {
      name: "a local destination selector narrows the rule to web pods: the stranger pod keeps its default deny",
      yaml: np("to-web", "selector: all()\ntypes: [Ingress]\ningress:\n  - action: Allow\n    destination: { selector: app == 'web' }"),
      app: { ...OPEN, ingress: true },
      allowAny: ["CalicoNetworkPolicy app/to-web ingress[0] A"],
    },
  ];
  test.each(rows)("$name", check);
});

describe("Calico order, tiers and Pass", () => {
  const rows: CalicoCase[] = [
    {
      name: "Deny of IMDS at order 10 before an Allow of the world at 100: IMDS refused",
      yaml: docs(
        gnp("no-imds", "order: 10\nselector: all()\ntypes: [Egress]\negress:\n  - action: Deny\n    destination: { nets: [169.254.169.254/32] }"),
        np("internet", "order: 100\nselector: all()\ntypes: [Egress]\negress:\n  - action: Allow\n    destination: { nets: [0.0.0.0/0] }"),
      ),
      app: { ...OPEN, imds: false },
      allowAny: ["CalicoNetworkPolicy app/internet egress[0] B"],
    },
    {
      name: "Allow of the world at order 10 before a Deny of IMDS at 100: IMDS reachable",
      yaml: docs(
        np("internet", "order: 10\nselector: all()\ntypes: [Egress]\negress:\n  - action: Allow\n    destination: { nets: [0.0.0.0/0] }"),
        gnp("no-imds", "order: 100\nselector: all()\ntypes: [Egress]\negress:\n  - action: Deny\n    destination: { nets: [169.254.169.254/32] }"),
      ),
      app: OPEN,
      allowAny: ["CalicoNetworkPolicy app/internet egress[0] B"],
    },
    {
      name: "within one policy the first matching rule decides: Deny before Allow",
      yaml: np("ordered", "selector: all()\ntypes: [Egress]\negress:\n  - action: Deny\n    destination: { nets: [169.254.169.254/32] }\n  - action: Allow\n    destination: { nets: [0.0.0.0/0] }"),
      app: { ...OPEN, imds: false },
      allowAny: ["CalicoNetworkPolicy app/ordered egress[1] B"],
    },
    {
      name: "within one policy the first matching rule decides: Allow before Deny",
      yaml: np("ordered", "selector: all()\ntypes: [Egress]\negress:\n  - action: Allow\n    destination: { nets: [0.0.0.0/0] }\n  - action: Deny\n    destination: { nets: [169.254.169.254/32] }"),
      app: OPEN,
      allowAny: ["CalicoNetworkPolicy app/ordered egress[0] B"],
    },
    {
      name: "a Calico Deny at order 500 wins over a Kubernetes allow of the world (order 1000)",
      yaml: docs(K8S_ALLOW_WORLD_EGRESS, np("deny-out", "order: 500\nselector: all()\ntypes: [Egress]\negress:\n  - action: Deny\n    destination: { nets: [0.0.0.0/0, \"::/0\"] }")),
      app: { ...OPEN, egress: true, dns: false, imds: false },
      allowAny: ["app/internet egress[0] B"],
    },
    {
      name: "a Kubernetes allow of the world (order 1000) wins over a Calico Deny at 2000",
      yaml: docs(K8S_ALLOW_WORLD_EGRESS, np("deny-out", "order: 2000\nselector: all()\ntypes: [Egress]\negress:\n  - action: Deny\n    destination: { nets: [0.0.0.0/0] }")),
      app: OPEN,
      allowAny: ["app/internet egress[0] B"],
    },
    {
      name: "a policy without order is last: an ordered Allow wins over its Deny",
      yaml: docs(
        np("deny-everything", "selector: all()\ntypes: [Egress]\negress:\n  - action: Deny"),
        np("internet", "order: 100\nselector: all()\ntypes: [Egress]\negress:\n  - action: Allow\n    destination: { nets: [0.0.0.0/0] }"),
      ),
      app: OPEN,
      allowAny: ["CalicoNetworkPolicy app/internet egress[0] B"],
    },
    {
      name: "Pass in the default tier skips the Kubernetes deny-all: nothing isolates",
      yaml: docs(K8S_DENY_ALL, gnp("pass", "order: 10\nselector: all()\ntypes: [Ingress, Egress]\ningress:\n  - action: Pass\negress:\n  - action: Pass")),
      app: OPEN,
    },
    {
      name: "Pass in a security tier hands over to the default tier, where the Kubernetes deny-all applies",
      yaml: docs(K8S_DENY_ALL, gnp("security.pass", "tier: security\norder: 10\nselector: all()\ntypes: [Ingress, Egress]\ningress:\n  - action: Pass\negress:\n  - action: Pass")),
      app: SEALED,
    },
    {
      name: "a security tier denies IMDS then passes: the default tier's allow of the world cannot reopen it",
      yaml: docs(
        K8S_ALLOW_WORLD_EGRESS,
        gnp("security.imds", "tier: security\norder: 1\nselector: all()\ntypes: [Egress]\negress:\n  - action: Deny\n    destination: { nets: [169.254.169.254/32] }\n  - action: Pass"),
      ),
      app: { ...OPEN, imds: false },
      allowAny: ["app/internet egress[0] B"],
    },
    {
      name: "a tier that selects the pod and decides nothing refuses at its end",
      yaml: docs(K8S_ALLOW_WORLD_EGRESS, gnp("security.dns-only", `tier: security\norder: 1\nselector: all()\ntypes: [Egress]\negress:\n${indent(DNS_RULES, 2)}`)),
      app: { ...OPEN, egress: true, imds: false },
      allowAny: ["app/internet egress[0] B"],
    },
  ];
  test.each(rows)("$name", check);
});

describe("Calico DNS", () => {
  const denyEgress = np("deny-egress", "order: 2000\nselector: all()\ntypes: [Egress]");
  const rows: CalicoCase[] = [
    {
      name: "UDP 53 to kube-dns by namespaceSelector and selector",
      yaml: docs(denyEgress, np("dns", `order: 100\nselector: all()\ntypes: [Egress]\negress:\n${indent(DNS_RULES, 2)}`)),
      app: { ...OPEN, egress: true, imds: false },
    },
    {
      name: "a selector without namespaceSelector stays in the policy's namespace: no DNS",
      yaml: docs(denyEgress, np("dns", "order: 100\nselector: all()\ntypes: [Egress]\negress:\n  - action: Allow\n    protocol: UDP\n    destination: { selector: k8s-app == 'kube-dns', ports: [53] }")),
      app: { ...OPEN, egress: true, dns: false, imds: false },
    },
    {
      name: "destination.services kube-dns in kube-system",
      yaml: docs(denyEgress, np("dns", "order: 100\nselector: all()\ntypes: [Egress]\negress:\n  - action: Allow\n    destination: { services: { name: kube-dns, namespace: kube-system } }")),
      app: { ...OPEN, egress: true, imds: false },
    },
    {
      name: "nets 0.0.0.0/0 on UDP 53 reaches kube-dns (Calico nets match pod addresses)",
      yaml: docs(denyEgress, np("dns", "order: 100\nselector: all()\ntypes: [Egress]\negress:\n  - action: Allow\n    protocol: UDP\n    destination: { nets: [0.0.0.0/0], ports: [53] }")),
      app: { ...OPEN, egress: true, imds: false },
    },
    {
      name: "TCP 53 only is not DNS",
      yaml: docs(denyEgress, np("dns", "order: 100\nselector: all()\ntypes: [Egress]\negress:\n  - action: Allow\n    protocol: TCP\n    destination: { namespaceSelector: all(), ports: [53] }")),
      app: { ...OPEN, egress: true, dns: false, imds: false },
    },
    {
      name: "a Deny of everything before the DNS allow: no DNS",
      yaml: np("deny-first", `selector: all()\ntypes: [Egress]\negress:\n  - action: Deny\n${indent(DNS_RULES, 2)}`),
      app: { ...OPEN, egress: true, dns: false, imds: false },
    },
  ];
  test.each(rows)("$name", check);
});

describe("Calico objects on other engines", () => {
  const deny = np("deny-all", "selector: all()\ntypes: [Ingress, Egress]");
  const rows: CalicoCase[] = [
    { name: "on Cilium a Calico default deny is not enforced", yaml: deny, app: OPEN, engine: "cilium" },
    { name: "on Azure NPM a Calico default deny is not enforced", yaml: deny, app: OPEN, engine: "azure" },
    { name: "analyze without --engine judges it as enforced", yaml: deny, app: SEALED, engine: "all" },
  ];
  test.each(rows)("$name", check);
});
