import { describe, expect, test } from "vitest";

import { judgeManifests } from "./analyze-manifests";
import { formatRuleRef } from "./controls";
import type { AllowAnyRule, RuleRef } from "./types";
import { readYamlCase } from "@/testing/yaml-cases";

/** What a namespace ends up with (rules v2): default deny per direction, kube-dns reachable, IMDS reachable. */
interface Coverage {
  denyIngress: boolean;
  denyEgress: boolean;
  dns: boolean;
  imds: boolean;
}

interface PolicyCase {
  name: string;
  yaml: string;
  /** Expected coverage of namespace `app`. */
  app: Coverage;
  /** "namespace/policy direction[index] class", sorted as the evaluator sorts. */
  allowAny?: string[];
  /** "namespace/policy egress[index]" of rules that let pods of `app` reach IMDS. */
  imds?: string[];
}

/** Nothing isolates egress: DNS and IMDS are both reachable. */
const OPEN: Coverage = { denyIngress: false, denyEgress: false, dns: true, imds: true };
/** Default deny both ways and nothing allowed: DNS and IMDS both refused. */
const SEALED: Coverage = { denyIngress: true, denyEgress: true, dns: false, imds: false };

function formatAllowAny(rule: AllowAnyRule): string {
  return `${formatRuleRef(rule)} ${rule.class}`;
}

function check(row: PolicyCase): void {
  const summary = judgeManifests(readYamlCase(row.yaml), { engine: "azure" });
  const app = summary.namespaces.find((namespace) => namespace.name === "app");
  expect(app, "namespace app is listed").toBeDefined();
  expect({
    denyIngress: app?.defaultDenyIngress,
    denyEgress: app?.defaultDenyEgress,
    dns: app?.allowsDns,
    imds: app?.permitsImds,
  }).toEqual(row.app);
  expect(summary.allowAnyRules.map(formatAllowAny)).toEqual(row.allowAny ?? []);
  expect(summary.imdsRules.map((rule: RuleRef) => formatRuleRef(rule))).toEqual(row.imds ?? []);
}

describe("effective policy types and default deny", () => {
  const rows: PolicyCase[] = [
    {
      name: "policyTypes missing with an egress section: both types effective; egress only to 10.0.0.0/8 is a default deny (v2: v1 said not)",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: egress-only-rules, namespace: app }
        spec:
          podSelector: {}
          egress:
            - to:
                - ipBlock: { cidr: 10.0.0.0/8 }
      `,
      app: SEALED,
    },
    {
      name: "policyTypes missing and egress: [] — Egress is not effective",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: empty-egress, namespace: app }
        spec:
          podSelector: {}
          egress: []
      `,
      app: { ...OPEN, denyIngress: true },
    },
    {
      name: "policyTypes missing and no rules: a default deny for ingress only",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-ingress, namespace: app }
        spec:
          podSelector: {}
      `,
      app: { ...OPEN, denyIngress: true },
    },
    {
      name: "policyTypes: [] is defaulted like a missing list",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: empty-types, namespace: app }
        spec:
          podSelector: {}
          policyTypes: []
      `,
      app: { ...OPEN, denyIngress: true },
    },
    {
      name: "policyTypes Ingress and Egress without rules: default deny both ways",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-all, namespace: app }
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
      `,
      app: SEALED,
    },
    {
      name: "rules of a type that is not effective are ignored",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-egress, namespace: app }
        spec:
          podSelector: {}
          policyTypes: [Egress]
          ingress:
            - {}
      `,
      app: { ...OPEN, denyEgress: true, dns: false, imds: false },
    },
    {
      name: "two policies combine into a default deny in both directions",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-ingress, namespace: app }
        spec:
          podSelector: {}
          policyTypes: [Ingress]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-egress, namespace: app }
        spec:
          podSelector: {}
          policyTypes: [Egress]
          egress: []
      `,
      app: SEALED,
    },
    {
      name: "explicit ingress: [] is no rules, so it still denies",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-ingress, namespace: app }
        spec:
          podSelector: {}
          policyTypes: [Ingress]
          ingress: []
      `,
      app: { ...OPEN, denyIngress: true },
    },
    {
      name: "a policy selecting some pods is not a default deny",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-web, namespace: app }
        spec:
          podSelector:
            matchLabels: { app: web }
          policyTypes: [Ingress, Egress]
      `,
      app: OPEN,
    },
    {
      name: "podSelector with matchLabels: {} selects all pods",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-all, namespace: app }
        spec:
          podSelector:
            matchLabels: {}
          policyTypes: [Ingress, Egress]
      `,
      app: SEALED,
    },
    {
      name: "podSelector with matchExpressions: [] selects all pods",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-all, namespace: app }
        spec:
          podSelector:
            matchExpressions: []
          policyTypes: [Ingress, Egress]
      `,
      app: SEALED,
    },
    {
      name: "podSelector with a matchExpression selects some pods only",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-tiered, namespace: app }
        spec:
          podSelector:
            matchExpressions:
              - { key: tier, operator: Exists }
          policyTypes: [Ingress, Egress]
      `,
      app: OPEN,
    },
    {
      name: "podSelector absent selects all pods",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-all, namespace: app }
        spec:
          policyTypes: [Ingress, Egress]
      `,
      app: SEALED,
    },
    {
      name: "an allow-all beside a default deny: no default deny for ingress (v2: v1 passed it), and NP-06 reports the rule",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-all, namespace: app }
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: allow-all-ingress, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - {}
      `,
      app: { ...SEALED, denyIngress: false },
      allowAny: ["app/allow-all-ingress ingress[0] A"],
    },
  ];
  test.each(rows)("$name", check);
});

describe("allow-any rules and their class", () => {
  const rows: PolicyCase[] = [
    {
      name: "from: [] admits any peer (class A)",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: open, namespace: app }
        spec:
          podSelector: { matchLabels: { app: web } }
          ingress:
            - from: []
      `,
      app: OPEN,
      allowAny: ["app/open ingress[0] A"],
    },
    {
      name: "an empty ingress rule {} is class A",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: open, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - {}
      `,
      app: OPEN,
      allowAny: ["app/open ingress[0] A"],
    },
    {
      name: "ports: [] is any port",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: open, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from: []
              ports: []
      `,
      app: OPEN,
      allowAny: ["app/open ingress[0] A"],
    },
    {
      name: "namespaceSelector: {} alone is every namespace (class C)",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: from-cluster, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from:
                - namespaceSelector: {}
      `,
      app: OPEN,
      allowAny: ["app/from-cluster ingress[0] C"],
    },
    {
      name: "namespaceSelector: {} with podSelector: {} is class C",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: from-cluster, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from:
                - namespaceSelector: {}
                  podSelector: {}
      `,
      app: OPEN,
      allowAny: ["app/from-cluster ingress[0] C"],
    },
    {
      name: "namespaceSelector: {} with a labelled podSelector is not allow-any; it is a default deny for ingress (v2)",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: from-monitoring, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from:
                - namespaceSelector: {}
                  podSelector: { matchLabels: { app: prometheus } }
      `,
      app: { ...OPEN, denyIngress: true },
    },
    {
      name: "podSelector: {} alone is the own namespace, not allow-any; it is a default deny for ingress (v2)",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: same-namespace, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from:
                - podSelector: {}
      `,
      app: { ...OPEN, denyIngress: true },
    },
    {
      name: "namespaceSelector with matchLabels: {} is empty (class C)",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: from-cluster, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from:
                - namespaceSelector: { matchLabels: {} }
      `,
      app: OPEN,
      allowAny: ["app/from-cluster ingress[0] C"],
    },
    {
      name: "namespaceSelector with matchExpressions: [] is empty (class C)",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: from-cluster, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from:
                - namespaceSelector: { matchExpressions: [] }
      `,
      app: OPEN,
      allowAny: ["app/from-cluster ingress[0] C"],
    },
    {
      name: "ipBlock 0.0.0.0/0 is the world (class B)",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: from-internet, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from:
                - ipBlock: { cidr: 0.0.0.0/0 }
      `,
      app: OPEN,
      allowAny: ["app/from-internet ingress[0] B"],
    },
    {
      name: "ipBlock ::/0 is the world (class B)",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: from-internet-v6, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from:
                - ipBlock: { cidr: "::/0" }
      `,
      app: OPEN,
      allowAny: ["app/from-internet-v6 ingress[0] B"],
    },
    {
      name: "ipBlock 0.0.0.0/0 with except is still the world (class B)",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: from-internet, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from:
                - ipBlock:
                    cidr: 0.0.0.0/0
                    except: [10.0.0.0/8]
      `,
      app: OPEN,
      allowAny: ["app/from-internet ingress[0] B"],
    },
    {
      name: "ipBlock ::/0 with except is still the world (class B)",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: from-internet-v6, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from:
                - ipBlock:
                    cidr: "::/0"
                    except: ["fd00::/8"]
      `,
      app: OPEN,
      allowAny: ["app/from-internet-v6 ingress[0] B"],
    },
    {
      name: "a /0 with host bits set still covers everything (class B)",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: sloppy-cidr, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from:
                - ipBlock: { cidr: 10.1.2.3/0 }
      `,
      app: OPEN,
      allowAny: ["app/sloppy-cidr ingress[0] B"],
    },
    {
      name: "a private ipBlock is not allow-any; it is a default deny for ingress (v2)",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: from-vnet, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from:
                - ipBlock: { cidr: 10.0.0.0/8 }
      `,
      app: { ...OPEN, denyIngress: true },
    },
    {
      name: "a world ipBlock limited to one port is not allow-any; it is a default deny for ingress (v2)",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: https-from-internet, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from:
                - ipBlock: { cidr: 0.0.0.0/0 }
              ports:
                - { protocol: TCP, port: 443 }
      `,
      app: { ...OPEN, denyIngress: true },
    },
    {
      name: "B takes precedence over C whatever the peer order",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: mixed, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from:
                - namespaceSelector: {}
                - ipBlock: { cidr: 0.0.0.0/0 }
      `,
      app: OPEN,
      allowAny: ["app/mixed ingress[0] B"],
    },
    {
      name: "each rule is classified on its own and sorted egress before ingress, then by index; ::/0 does not hold IMDS",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: several, namespace: app }
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
          ingress:
            - from:
                - podSelector: {}
            - from:
                - namespaceSelector: {}
            - {}
          egress:
            - to:
                - ipBlock: { cidr: 10.0.0.0/8 }
              ports:
                - port: 5432
            - to:
                - ipBlock: { cidr: "::/0" }
      `,
      app: { ...OPEN, imds: false },
      allowAny: ["app/several egress[1] B", "app/several ingress[1] C", "app/several ingress[2] A"],
    },
    {
      name: "an egress rule to 0.0.0.0/0 is class B and permits IMDS",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: to-internet, namespace: app }
        spec:
          podSelector: { matchLabels: { app: checkout } }
          policyTypes: [Egress]
          egress:
            - to:
                - ipBlock: { cidr: 0.0.0.0/0 }
      `,
      app: { ...OPEN, imds: true },
      allowAny: ["app/to-internet egress[0] B"],
      imds: ["app/to-internet egress[0]"],
    },
  ];
  test.each(rows)("$name", check);
});

/** One egress-only policy in `app` selecting some pods, so only the rule under test matters. */
function egressPolicy(name: string, rule: string): string {
  return `
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: ${name}, namespace: app }
    spec:
      podSelector: { matchLabels: { app: web } }
      policyTypes: [Egress]
      egress:
${rule
  .split("\n")
  .map((line) => `        ${line}`)
  .join("\n")}
  `;
}

describe("permits IMDS", () => {
  const rows: PolicyCase[] = [
    {
      name: "0.0.0.0/0 except 169.254.169.254/32 keeps IMDS out",
      yaml: egressPolicy("internet-no-imds", "- to:\n    - ipBlock: { cidr: 0.0.0.0/0, except: [169.254.169.254/32] }\n  ports:\n    - port: 443"),
      app: OPEN,
    },
    {
      name: "an except of 169.254.0.0/16 contains IMDS",
      yaml: egressPolicy("internet-no-link-local", "- to:\n    - ipBlock: { cidr: 0.0.0.0/0, except: [169.254.0.0/16] }\n  ports:\n    - port: 80"),
      app: OPEN,
    },
    {
      name: "an except of 169.254.170.0/24 does not contain IMDS",
      yaml: egressPolicy("wrong-except", "- to:\n    - ipBlock: { cidr: 0.0.0.0/0, except: [169.254.170.0/24] }\n  ports:\n    - port: 80"),
      app: { ...OPEN, imds: true },
      imds: ["app/wrong-except egress[0]"],
    },
    {
      name: "169.254.0.0/16 on port 80 permits IMDS",
      yaml: egressPolicy("link-local", "- to:\n    - ipBlock: { cidr: 169.254.0.0/16 }\n  ports:\n    - { protocol: TCP, port: 80 }"),
      app: { ...OPEN, imds: true },
      imds: ["app/link-local egress[0]"],
    },
    {
      name: "UDP 80 does not reach IMDS",
      yaml: egressPolicy("udp-80", "- to:\n    - ipBlock: { cidr: 169.254.169.254/32 }\n  ports:\n    - { protocol: UDP, port: 80 }"),
      app: OPEN,
    },
    {
      name: "a port range 1-1024 covers 80",
      yaml: egressPolicy("low-ports", "- to:\n    - ipBlock: { cidr: 169.254.169.254/32 }\n  ports:\n    - { port: 1, endPort: 1024 }"),
      app: { ...OPEN, imds: true },
      imds: ["app/low-ports egress[0]"],
    },
    {
      name: "a port range 81-1024 does not cover 80",
      yaml: egressPolicy("high-ports", "- to:\n    - ipBlock: { cidr: 169.254.169.254/32 }\n  ports:\n    - { port: 81, endPort: 1024 }"),
      app: OPEN,
    },
    {
      name: "port 443 only does not reach IMDS",
      yaml: egressPolicy("https", "- to:\n    - ipBlock: { cidr: 0.0.0.0/0 }\n  ports:\n    - { protocol: TCP, port: 443 }"),
      app: OPEN,
    },
    {
      name: "a named port never matches IMDS",
      yaml: egressPolicy("named", "- to:\n    - ipBlock: { cidr: 169.254.169.254/32 }\n  ports:\n    - { protocol: TCP, port: http }"),
      app: OPEN,
    },
    {
      name: "a port entry without a port covers every TCP port",
      yaml: egressPolicy("all-tcp", "- to:\n    - ipBlock: { cidr: 169.254.169.254/32 }\n  ports:\n    - protocol: TCP"),
      app: { ...OPEN, imds: true },
      imds: ["app/all-tcp egress[0]"],
    },
    {
      name: "a namespaceSelector peer is pods, not IMDS",
      yaml: egressPolicy("to-cluster", "- to:\n    - namespaceSelector: {}"),
      app: OPEN,
      allowAny: ["app/to-cluster egress[0] C"],
    },
    {
      name: "a private ipBlock does not contain IMDS",
      yaml: egressPolicy("to-vnet", "- to:\n    - ipBlock: { cidr: 10.0.0.0/8 }"),
      app: OPEN,
    },
    {
      name: "::/0 is IPv6 and does not reach the IPv4 IMDS",
      yaml: egressPolicy("to-internet-v6", "- to:\n    - ipBlock: { cidr: \"::/0\" }"),
      app: OPEN,
      allowAny: ["app/to-internet-v6 egress[0] B"],
    },
    {
      name: "an empty egress rule permits IMDS (class A)",
      yaml: egressPolicy("anything", "- {}"),
      app: { ...OPEN, imds: true },
      allowAny: ["app/anything egress[0] A"],
      imds: ["app/anything egress[0]"],
    },
    {
      name: "to: [] on port 80 permits IMDS without being allow-any",
      yaml: egressPolicy("anywhere-http", "- to: []\n  ports:\n    - port: 80"),
      app: { ...OPEN, imds: true },
      imds: ["app/anywhere-http egress[0]"],
    },
    {
      name: "egress rules of a policy whose types exclude Egress do not permit IMDS",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: ingress-only, namespace: app }
        spec:
          podSelector: { matchLabels: { app: web } }
          policyTypes: [Ingress]
          ingress:
            - from:
                - podSelector: {}
          egress:
            - {}
      `,
      app: OPEN,
    },
  ];
  test.each(rows)("$name", check);
});

/** A default deny both ways in `app` plus one egress policy selecting all pods with the rule under test. */
function dnsCase(rule: string, podSelector = "{}"): string {
  return `
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: deny-all, namespace: app }
    spec:
      podSelector: {}
      policyTypes: [Ingress, Egress]
    ---
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: dns, namespace: app }
    spec:
      podSelector: ${podSelector}
      policyTypes: [Egress]
      egress:
${rule
  .split("\n")
  .map((line) => `        ${line}`)
  .join("\n")}
  `;
}

const DENIED: Coverage = { denyIngress: true, denyEgress: true, dns: false, imds: false };
const KUBE_SYSTEM = "namespaceSelector:\n        matchLabels: { kubernetes.io/metadata.name: kube-system }";

describe("allows DNS", () => {
  const rows: PolicyCase[] = [
    {
      name: "UDP 53 to kube-system allows DNS",
      yaml: dnsCase(`- to:\n    - ${KUBE_SYSTEM}\n  ports:\n    - { protocol: UDP, port: 53 }`),
      app: { ...DENIED, dns: true },
    },
    {
      name: "TCP 53 alone to kube-system does not allow DNS (v2: kube-dns is UDP 53)",
      yaml: dnsCase(`- to:\n    - ${KUBE_SYSTEM}\n  ports:\n    - { protocol: TCP, port: 53 }`),
      app: DENIED,
    },
    {
      name: "SCTP 53 does not allow DNS",
      yaml: dnsCase(`- to:\n    - ${KUBE_SYSTEM}\n  ports:\n    - { protocol: SCTP, port: 53 }`),
      app: DENIED,
    },
    {
      name: "port 5353 does not allow DNS",
      yaml: dnsCase(`- to:\n    - ${KUBE_SYSTEM}\n  ports:\n    - { protocol: UDP, port: 5353 }`),
      app: DENIED,
    },
    {
      name: "a port range 50-60 covers 53",
      yaml: dnsCase(`- to:\n    - ${KUBE_SYSTEM}\n  ports:\n    - { protocol: UDP, port: 50, endPort: 60 }`),
      app: { ...DENIED, dns: true },
    },
    {
      name: "a named port dns does not count",
      yaml: dnsCase(`- to:\n    - ${KUBE_SYSTEM}\n  ports:\n    - { protocol: UDP, port: dns }`),
      app: DENIED,
    },
    {
      name: "no ports to kube-system allows DNS",
      yaml: dnsCase(`- to:\n    - ${KUBE_SYSTEM}`),
      app: { ...DENIED, dns: true },
    },
    {
      name: "namespaceSelector: {} on 53 allows DNS",
      yaml: dnsCase("- to:\n    - namespaceSelector: {}\n  ports:\n    - { protocol: UDP, port: 53 }"),
      app: { ...DENIED, dns: true },
    },
    {
      name: "a namespaceSelector for another namespace does not allow DNS",
      yaml: dnsCase(
        "- to:\n    - namespaceSelector:\n        matchLabels: { kubernetes.io/metadata.name: dns-cache }\n  ports:\n    - { protocol: UDP, port: 53 }",
      ),
      app: DENIED,
    },
    {
      name: "ipBlock 0.0.0.0/0 on 53 allows DNS and keeps IMDS out",
      yaml: dnsCase("- to:\n    - ipBlock: { cidr: 0.0.0.0/0 }\n  ports:\n    - { protocol: UDP, port: 53 }"),
      app: { ...DENIED, dns: true },
    },
    {
      name: "an ipBlock for the DNS service address alone does not count",
      yaml: dnsCase("- to:\n    - ipBlock: { cidr: 10.0.0.10/32 }\n  ports:\n    - { protocol: UDP, port: 53 }"),
      app: DENIED,
    },
    {
      name: "a DNS rule in a policy that selects some pods does not count",
      yaml: dnsCase(`- to:\n    - ${KUBE_SYSTEM}\n  ports:\n    - { protocol: UDP, port: 53 }`, "{ matchLabels: { app: web } }"),
      app: DENIED,
    },
  ];
  test.each(rows)("$name", check);
});

describe("namespaces, kinds and malformed input", () => {
  const rows: PolicyCase[] = [
    {
      name: "policies in system namespaces are not counted",
      yaml: `
        apiVersion: v1
        kind: Namespace
        metadata: { name: app }
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: allow-all, namespace: kube-system }
        spec:
          podSelector: {}
          ingress:
            - {}
          egress:
            - {}
      `,
      app: OPEN,
    },
    {
      name: "a Calico NetworkPolicy (projectcalico.org) is not a Kubernetes NetworkPolicy",
      yaml: `
        apiVersion: v1
        kind: Namespace
        metadata: { name: app }
        ---
        apiVersion: projectcalico.org/v3
        kind: NetworkPolicy
        metadata: { name: calico-allow, namespace: app }
        spec:
          selector: all()
          types: [Ingress]
          ingress:
            - action: Allow
      `,
      app: OPEN,
    },
    {
      name: "the later of two policies with the same name wins, as with kubectl apply",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: base, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - {}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: base, namespace: app }
        spec:
          podSelector: {}
          policyTypes: [Ingress]
      `,
      app: { ...OPEN, denyIngress: true },
    },
    {
      name: "a malformed podSelector gets no default-deny credit, nor DNS credit",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: garbage-selector, namespace: app }
        spec:
          podSelector: all
          policyTypes: [Ingress, Egress]
      `,
      app: { ...OPEN, dns: false },
    },
    {
      name: "a malformed ingress field gets no default-deny credit",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: garbage-rules, namespace: app }
        spec:
          podSelector: {}
          policyTypes: [Ingress]
          ingress: none
      `,
      app: OPEN,
    },
    {
      name: "a malformed policyTypes gets no credit (not for DNS either), and its rules are still checked",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: garbage-types, namespace: app }
        spec:
          podSelector: {}
          policyTypes: Egress
          ingress:
            - {}
      `,
      app: { ...OPEN, dns: false },
      allowAny: ["app/garbage-types ingress[0] A"],
    },
    {
      name: "a malformed from is read as absent: any peer",
      yaml: `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: garbage-from, namespace: app }
        spec:
          podSelector: {}
          ingress:
            - from: everyone
      `,
      app: OPEN,
      allowAny: ["app/garbage-from ingress[0] A"],
    },
    {
      name: "malformed ports flag risk but never allow DNS",
      yaml: dnsCase(`- to:\n    - ${KUBE_SYSTEM}\n  ports: 53`),
      app: DENIED,
      allowAny: [],
    },
    {
      name: "a null egress rule is any peer and any port: no default deny for egress (v2), and no DNS credit",
      yaml: dnsCase("- null"),
      app: { ...DENIED, denyEgress: false, imds: true },
      allowAny: ["app/dns egress[0] A"],
      imds: ["app/dns egress[0]"],
    },
  ];
  test.each(rows)("$name", check);
});
