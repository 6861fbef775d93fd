// Rules v2 for networking.k8s.io/v1 NetworkPolicy beyond the v1 rows of network-policy.test.ts:
// the inside stranger against NotIn / DoesNotExist, ports, protocols, CIDRs against the pod CIDR,
// IPv6, typed lists, and malformed fields reported by name.

import { describe, expect, test } from "vitest";

import { allowAnyOf, coverageOf, docs, indent, judgeYaml, NAMESPACE_APP, OPEN, problemsOf, type Coverage } from "../../testing/posture-cases";

interface KubernetesCase {
  name: string;
  yaml: string;
  app: Coverage;
  allowAny?: string[];
  problems?: string[];
  podCidrs?: string[];
}

function netpol(name: string, spec: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: app }\nspec:\n${indent(spec, 2)}\n`;
}

function ingressFrom(name: string, rule: string): string {
  return netpol(name, `podSelector: {}\npolicyTypes: [Ingress]\ningress:\n${indent(rule, 2)}`);
}

function egressTo(name: string, rule: string): string {
  return netpol(name, `podSelector: {}\npolicyTypes: [Egress]\negress:\n${indent(rule, 2)}`);
}

const DENY_IN: Coverage = { ...OPEN, ingress: true };
const DENY_OUT: Coverage = { ...OPEN, egress: true, dns: false, imds: false };

function check(row: KubernetesCase): void {
  const judgement = judgeYaml(docs(NAMESPACE_APP, row.yaml), { engine: "azure", localDns: false, podCidrs: row.podCidrs ?? [] });
  expect(coverageOf(judgement)).toEqual(row.app);
  expect(allowAnyOf(judgement)).toEqual(row.allowAny ?? []);
  expect(problemsOf(judgement)).toEqual(row.problems ?? []);
}

describe("Kubernetes selectors and the inside stranger", () => {
  const rows: KubernetesCase[] = [
    {
      name: "namespaceSelector NotIn [kube-system] admits the inside stranger: class C",
      yaml: ingressFrom("not-system", "- from: [{ namespaceSelector: { matchExpressions: [{ key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system] }] } }]"),
      app: OPEN,
      allowAny: ["app/not-system ingress[0] C"],
    },
    {
      name: "namespaceSelector DoesNotExist team admits the inside stranger (its namespace has only its name label)",
      yaml: ingressFrom("no-team", "- from: [{ namespaceSelector: { matchExpressions: [{ key: team, operator: DoesNotExist }] } }]"),
      app: OPEN,
      allowAny: ["app/no-team ingress[0] C"],
    },
    {
      name: "namespaceSelector Exists team does not",
      yaml: ingressFrom("any-team", "- from: [{ namespaceSelector: { matchExpressions: [{ key: team, operator: Exists }] } }]"),
      app: DENY_IN,
    },
    {
      name: "every namespace and pods without app: the inside stranger matches, class C",
      yaml: ingressFrom("unlabelled", "- from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: app, operator: DoesNotExist }] } }]"),
      app: OPEN,
      allowAny: ["app/unlabelled ingress[0] C"],
    },
    {
      name: "every namespace and pods whose tier is NotIn [db]: class C",
      yaml: ingressFrom("not-db", "- from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: tier, operator: NotIn, values: [db] }] } }]"),
      app: OPEN,
      allowAny: ["app/not-db ingress[0] C"],
    },
    {
      name: "podSelector DoesNotExist in the own namespace: the stranger pod of app is not the inside stranger",
      yaml: ingressFrom("same-ns", "- from: [{ podSelector: { matchExpressions: [{ key: app, operator: DoesNotExist }] } }]"),
      app: DENY_IN,
    },
    {
      name: "a policy whose podSelector is DoesNotExist does not select the stranger pod",
      yaml: netpol("unlabelled-only", "podSelector: { matchExpressions: [{ key: app, operator: DoesNotExist }] }\npolicyTypes: [Ingress, Egress]"),
      app: OPEN,
    },
  ];
  test.each(rows)("$name", check);
});

describe("Kubernetes ports and protocols", () => {
  const rows: KubernetesCase[] = [
    {
      name: "an endPort range covering every port counts as any port: class A",
      yaml: ingressFrom("all-ports", "- ports: [{ protocol: TCP, port: 1, endPort: 65535 }]"),
      app: OPEN,
      allowAny: ["app/all-ports ingress[0] A"],
    },
    {
      name: "world on 1–65535: class B",
      yaml: ingressFrom("world-all-ports", "- from: [{ ipBlock: { cidr: 0.0.0.0/0 } }]\n  ports: [{ port: 1, endPort: 65535 }]"),
      app: OPEN,
      allowAny: ["app/world-all-ports ingress[0] B"],
    },
    {
      name: "a range 2–65535 does not cover every port",
      yaml: ingressFrom("almost", "- ports: [{ protocol: TCP, port: 2, endPort: 65535 }]"),
      app: DENY_IN,
    },
    {
      name: "a protocol without a port covers the stranger port when it is TCP: class A",
      yaml: ingressFrom("all-tcp", "- ports: [{ protocol: TCP }]"),
      app: OPEN,
      allowAny: ["app/all-tcp ingress[0] A"],
    },
    {
      name: "UDP without a port misses the stranger port (TCP)",
      yaml: ingressFrom("all-udp", "- ports: [{ protocol: UDP }]"),
      app: DENY_IN,
    },
    {
      name: "SCTP without a port misses the stranger port",
      yaml: ingressFrom("all-sctp", "- ports: [{ protocol: SCTP }]"),
      app: DENY_IN,
    },
    {
      name: "a named port from the world never covers the stranger port",
      yaml: ingressFrom("named", "- from: [{ ipBlock: { cidr: 0.0.0.0/0 } }]\n  ports: [{ port: http }]"),
      app: DENY_IN,
    },
    {
      name: "a port written as a string of digits is a (bad) name, not a number",
      yaml: ingressFrom("quoted", "- from: [{ ipBlock: { cidr: 0.0.0.0/0 } }]\n  ports: [{ port: \"8080\" }]"),
      app: DENY_IN,
    },
  ];
  test.each(rows)("$name", check);
});

describe("Kubernetes CIDRs, the pod CIDR and IPv6", () => {
  const rows: KubernetesCase[] = [
    {
      name: "an ipBlock equal to the pod CIDR admits the inside stranger: class C",
      yaml: ingressFrom("pods", "- from: [{ ipBlock: { cidr: 10.244.0.0/16 } }]"),
      podCidrs: ["10.244.0.0/16"],
      app: OPEN,
      allowAny: ["app/pods ingress[0] C"],
    },
    {
      name: "an ipBlock containing the pod CIDR admits the inside stranger: class C",
      yaml: ingressFrom("rfc1918", "- from: [{ ipBlock: { cidr: 10.0.0.0/8 } }]"),
      podCidrs: ["10.244.0.0/16"],
      app: OPEN,
      allowAny: ["app/rfc1918 ingress[0] C"],
    },
    {
      name: "the same ipBlock without a known pod CIDR is none of the strangers",
      yaml: ingressFrom("rfc1918", "- from: [{ ipBlock: { cidr: 10.0.0.0/8 } }]"),
      app: DENY_IN,
    },
    {
      name: "an ipBlock beside the pod CIDR is none of the strangers",
      yaml: ingressFrom("vnet", "- from: [{ ipBlock: { cidr: 10.224.0.0/16 } }]"),
      podCidrs: ["10.244.0.0/16"],
      app: DENY_IN,
    },
    {
      name: "0.0.0.0/0 except the pod CIDR does not reach kube-dns",
      yaml: docs(egressTo("deny", "[]"), egressTo("dns", "- to: [{ ipBlock: { cidr: 0.0.0.0/0, except: [10.244.0.0/16] } }]\n  ports: [{ protocol: UDP, port: 53 }]")),
      podCidrs: ["10.244.0.0/16"],
      app: DENY_OUT,
    },
    {
      name: "0.0.0.0/0 with a private except and an unknown pod CIDR earns no DNS credit",
      yaml: docs(egressTo("deny", "[]"), egressTo("dns", "- to: [{ ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] } }]\n  ports: [{ protocol: UDP, port: 53 }]")),
      app: DENY_OUT,
    },
    {
      name: "an IPv6 ULA block is none of the strangers",
      yaml: ingressFrom("ula", "- from: [{ ipBlock: { cidr: \"fd00::/8\" } }]"),
      app: DENY_IN,
    },
    {
      name: "two IPv6 halves cover the family together: class B",
      yaml: ingressFrom("v6-halves", "- from: [{ ipBlock: { cidr: \"::/1\" } }, { ipBlock: { cidr: \"8000::/1\" } }]"),
      app: OPEN,
      allowAny: ["app/v6-halves ingress[0] B"],
    },
    {
      name: "two IPv4 halves, one with an except of its own whole range, do not cover the family",
      yaml: ingressFrom("v4-halves", "- from: [{ ipBlock: { cidr: 0.0.0.0/1 } }, { ipBlock: { cidr: 128.0.0.0/1, except: [128.0.0.0/1] } }]"),
      app: DENY_IN,
    },
    {
      name: "an IPv6 address in IPv4-mapped form parses",
      yaml: ingressFrom("mapped", "- from: [{ ipBlock: { cidr: \"::ffff:10.0.0.0/104\" } }]"),
      app: DENY_IN,
    },
  ];
  test.each(rows)("$name", check);
});

describe("Kubernetes malformed fields are reported by name and earn no credit", () => {
  const rows: KubernetesCase[] = [
    {
      name: "ipBlock together with a podSelector",
      yaml: ingressFrom("both", "- from: [{ ipBlock: { cidr: 10.0.0.0/8 }, podSelector: {} }]"),
      app: OPEN,
      allowAny: ["app/both ingress[0] B"],
      problems: ["NetworkPolicy app/both spec.ingress[0].from[0]"],
    },
    {
      name: "an empty peer names nothing Kubernetes accepts",
      yaml: ingressFrom("empty-peer", "- from: [{}]"),
      app: OPEN,
      allowAny: ["app/empty-peer ingress[0] B"],
      problems: ["NetworkPolicy app/empty-peer spec.ingress[0].from[0]"],
    },
    {
      name: "endPort below port",
      yaml: ingressFrom("backwards", "- from: [{ podSelector: {} }]\n  ports: [{ port: 9000, endPort: 8000 }]"),
      app: DENY_IN,
      problems: ["NetworkPolicy app/backwards spec.ingress[0].ports[0].endPort"],
    },
    {
      name: "port 0 is not a port",
      yaml: ingressFrom("zero", "- ports: [{ port: 0 }]"),
      app: OPEN,
      allowAny: ["app/zero ingress[0] A"],
      problems: ["NetworkPolicy app/zero spec.ingress[0].ports[0].port"],
    },
    {
      name: "a protocol Kubernetes does not know",
      yaml: ingressFrom("icmp", "- ports: [{ protocol: ICMP }]"),
      app: OPEN,
      allowAny: ["app/icmp ingress[0] A"],
      problems: ["NetworkPolicy app/icmp spec.ingress[0].ports[0].protocol"],
    },
    {
      name: "a misspelt policy type",
      yaml: netpol("typo", "podSelector: {}\npolicyTypes: [Ingres, Egress]"),
      app: DENY_OUT,
      problems: ["NetworkPolicy app/typo spec.policyTypes"],
    },
    {
      name: "a namespaceSelector with an unknown operator",
      yaml: ingressFrom("bad-op", "- from: [{ namespaceSelector: { matchExpressions: [{ key: team, operator: Equals, values: [a] }] } }]"),
      app: OPEN,
      allowAny: ["app/bad-op ingress[0] B"],
      problems: ["NetworkPolicy app/bad-op spec.ingress[0].from[0].namespaceSelector"],
    },
    {
      name: "an ipBlock except that is not a CIDR",
      yaml: egressTo("bad-except", "- to: [{ ipBlock: { cidr: 0.0.0.0/0, except: [169.254.169.254] } }]"),
      app: { ...OPEN, dns: false },
      allowAny: ["app/bad-except egress[0] B"],
      problems: ["NetworkPolicy app/bad-except spec.egress[0].to[0].ipBlock.except[0]"],
    },
    {
      name: "a spec that is not an object",
      yaml: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: no-spec, namespace: app }\nspec: deny\n",
      app: OPEN,
      problems: ["NetworkPolicy app/no-spec spec"],
    },
  ];
  test.each(rows)("$name", check);
});

describe("typed lists and kinds", () => {
  test("NetworkPolicyList and NamespaceList items carry no kind: they are read from the list's kind", () => {
    const judgement = judgeYaml(`
      apiVersion: v1
      kind: NamespaceList
      items:
        - metadata: { name: shop }
        - metadata: { name: billing }
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicyList
      items:
        - metadata: { name: deny-all, namespace: shop }
          spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
    `);
    expect(judgement.namespaces.map((namespace) => [namespace.name, namespace.defaultDenyIngress, namespace.defaultDenyEgress])).toEqual([
      ["billing", false, false],
      ["shop", true, true],
    ]);
  });

  test("CiliumNetworkPolicyList items are Cilium policies; GlobalNetworkPolicyList items Calico ones", () => {
    const judgement = judgeYaml(`
      apiVersion: cilium.io/v2
      kind: CiliumNetworkPolicyList
      items:
        - metadata: { name: deny-in, namespace: shop }
          spec: { endpointSelector: {}, ingress: [{}] }
      ---
      apiVersion: projectcalico.org/v3
      kind: GlobalNetworkPolicyList
      items:
        - metadata: { name: deny-out }
          spec: { namespaceSelector: "projectcalico.org/name == 'shop'", types: [Egress] }
    `);
    expect(judgement.policies.map((policy) => `${policy.kind} ${policy.namespace ?? "-"}/${policy.name}`)).toEqual([
      "CalicoGlobalNetworkPolicy -/deny-out",
      "CiliumNetworkPolicy shop/deny-in",
    ]);
    expect(judgement.namespaces).toEqual([expect.objectContaining({ name: "shop", defaultDenyIngress: true, defaultDenyEgress: true })]);
  });

  test("Pods and every workload controller's template make their namespaces workload namespaces", () => {
    const judgement = judgeYaml(`
      apiVersion: v1
      kind: Pod
      metadata: { name: p, namespace: pods, labels: { app: p } }
      ---
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: { name: db, namespace: data }
      spec: { replicas: 3, template: { metadata: { labels: { app: db } } } }
      ---
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: agent, namespace: agents }
      spec: { template: { metadata: { labels: { app: agent } } } }
      ---
      apiVersion: batch/v1
      kind: CronJob
      metadata: { name: report, namespace: jobs }
      spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: report } } } } } }
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: coredns, namespace: kube-system }
      spec: { template: { metadata: { labels: { k8s-app: kube-dns } } } }
    `);
    expect(judgement.namespaces.map((namespace) => namespace.name)).toEqual(["agents", "data", "jobs", "pods"]);
    expect(judgement.classes).toEqual([
      { namespace: "agents", labels: { app: "agent" }, count: 1 },
      { namespace: "data", labels: { app: "db" }, count: 3 },
      { namespace: "jobs", labels: { app: "report" }, count: 1 },
      { namespace: "pods", labels: { app: "p" }, count: 1 },
    ]);
  });
});
