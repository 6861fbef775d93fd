// Reachability (docs/design.md §4.5) as the YAML users write: who reaches whom between two namespaces,
// ports that must meet, denies that win, selectors that single a class out, cluster-wide policies,
// CIDR peers and the pod CIDR, the stranger pod, exposure, the outside stranger and IMDS.

import { describe, expect, test } from "vitest";

import { docs, judgeYaml, type CaseEngine } from "../../testing/posture-cases";
import { namespaceShare, type Reachability } from "./reachability";
import { explainConnection } from "./reachability-explain";

const NAMESPACES = `
apiVersion: v1
kind: Namespace
metadata: { name: a, labels: { team: blue } }
---
apiVersion: v1
kind: Namespace
metadata: { name: b, labels: { team: red } }
`;

/** One pod per line: "namespace app[,tier]". */
function pods(...specs: string[]): string {
  return specs
    .map((spec, index) => {
      const [namespace, labels] = spec.split(" ") as [string, string];
      const [app, tier] = labels.split(",");
      return `apiVersion: v1\nkind: Pod\nmetadata: { name: pod-${index}, namespace: ${namespace}, labels: { app: ${app}${tier ? `, tier: ${tier}` : ""} } }\n`;
    })
    .join("---\n");
}

const WEB_AND_DB = pods("a web", "a api", "b db", "b cache");

function denyAll(namespace: string, types: string): string {
  return `
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: deny-${types.toLowerCase().replace(/[^a-z]/g, "")}, namespace: ${namespace} }
    spec: { podSelector: {}, policyTypes: [${types}] }
  `;
}

interface ReachRow {
  name: string;
  yaml: string;
  engine?: CaseEngine;
  podCidrs?: string[];
  /** "a/app=web → b/app=db"; "a/* → …" is a namespace's stranger pod. */
  reaches?: string[];
  blocked?: string[];
  exposure?: number | null;
  internetExposed?: string[];
  notInternetExposed?: string[];
  imds?: string[];
  noImds?: string[];
}

function reachabilityOf(row: Pick<ReachRow, "yaml" | "engine" | "podCidrs">): Reachability {
  return judgeYaml(row.yaml, { engine: row.engine, podCidrs: row.podCidrs }).reachability;
}

/** Position of the class "namespace/key=value,key=value" or "namespace/*" (its stranger pod). */
function classIndex(reachability: Reachability, spec: string): number {
  const [namespace, labels] = spec.split("/") as [string, string];
  const index = reachability.classes.findIndex((cls) => {
    if (cls.namespace !== namespace) return false;
    if (labels === "*") return cls.labels === null;
    if (cls.labels === null) return false;
    const wanted = Object.fromEntries(labels.split(",").map((pair) => pair.split("=") as [string, string]));
    return JSON.stringify(Object.entries(cls.labels).sort()) === JSON.stringify(Object.entries(wanted).sort());
  });
  if (index < 0) throw new Error(`no class ${spec} in ${JSON.stringify(reachability.classes)}`);
  return index;
}

function pair(reachability: Reachability, arrow: string): boolean {
  const [from, to] = arrow.split(" → ") as [string, string];
  return reachability.reaches(classIndex(reachability, from), classIndex(reachability, to));
}

const ROWS: ReachRow[] = [
  // Two namespaces with and without default deny, each way.
  {
    name: "nothing isolates: everyone reaches everyone, exposure 100",
    yaml: docs(NAMESPACES, WEB_AND_DB),
    reaches: ["a/app=web → b/app=db", "b/app=db → a/app=web", "a/app=web → a/app=api", "a/app=web → b/*"],
    exposure: 100,
    internetExposed: ["a/app=web", "b/app=db", "b/*"],
    imds: ["a/app=web", "b/*"],
  },
  {
    name: "default deny ingress in b: a reaches nothing in b, b still reaches a",
    yaml: docs(NAMESPACES, WEB_AND_DB, denyAll("b", "Ingress")),
    reaches: ["b/app=db → a/app=web", "b/app=db → a/*"],
    blocked: ["a/app=web → b/app=db", "a/app=web → b/*", "b/app=db → b/app=cache"],
    notInternetExposed: ["b/app=db", "b/*"],
    internetExposed: ["a/app=web"],
  },
  {
    name: "default deny egress in a: a reaches nothing, b reaches a",
    yaml: docs(NAMESPACES, WEB_AND_DB, denyAll("a", "Egress")),
    reaches: ["b/app=db → a/app=web"],
    blocked: ["a/app=web → b/app=db", "a/app=web → a/app=api"],
    noImds: ["a/app=web", "a/*"],
    imds: ["b/app=db"],
  },
  {
    name: "default deny both ways in both namespaces: nobody reaches anybody, exposure 0",
    yaml: docs(NAMESPACES, WEB_AND_DB, denyAll("a", "Ingress, Egress"), denyAll("b", "Ingress, Egress")),
    blocked: ["a/app=web → b/app=db", "b/app=db → a/app=web", "a/app=web → a/app=api"],
    exposure: 0,
    notInternetExposed: ["a/app=web", "b/app=db"],
    noImds: ["a/app=web", "b/app=db"],
  },
  {
    name: "sealed namespaces with a matching allow each side: a/web reaches b/db on 5432, nothing else moves",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      denyAll("a", "Ingress, Egress"),
      denyAll("b", "Ingress, Egress"),
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: web-to-db, namespace: a }
        spec:
          podSelector: { matchLabels: { app: web } }
          policyTypes: [Egress]
          egress: [{ to: [{ namespaceSelector: { matchLabels: { team: red } }, podSelector: { matchLabels: { app: db } } }], ports: [{ port: 5432 }] }]
      `,
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: db-from-web, namespace: b }
        spec:
          podSelector: { matchLabels: { app: db } }
          policyTypes: [Ingress]
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: blue } }, podSelector: { matchLabels: { app: web } } }], ports: [{ port: 5432 }] }]
      `,
    ),
    reaches: ["a/app=web → b/app=db"],
    blocked: ["b/app=db → a/app=web", "a/app=api → b/app=db", "a/app=web → b/app=cache", "a/* → b/app=db"],
  },
  // One side open, the other closed.
  {
    name: "egress allowed but ingress closed: no connection",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      denyAll("b", "Ingress"),
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: web-out, namespace: a }
        spec:
          podSelector: { matchLabels: { app: web } }
          policyTypes: [Egress]
          egress: [{ to: [{ namespaceSelector: {} }] }]
      `,
    ),
    blocked: ["a/app=web → b/app=db"],
    reaches: ["a/app=web → a/app=api"],
  },
  {
    name: "ingress allowed but egress closed: no connection",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      denyAll("a", "Egress"),
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: db-in, namespace: b }
        spec:
          podSelector: {}
          policyTypes: [Ingress]
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: blue } } }] }]
      `,
    ),
    blocked: ["a/app=web → b/app=db"],
    reaches: ["b/app=db → a/app=web"],
  },
  // Ports must meet.
  {
    name: "egress to port 80 only and ingress on port 443 only do not meet",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: out-80, namespace: a }
        spec:
          podSelector: {}
          policyTypes: [Egress]
          egress: [{ ports: [{ port: 80 }] }]
      `,
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: in-443, namespace: b }
        spec:
          podSelector: {}
          policyTypes: [Ingress]
          ingress: [{ ports: [{ port: 443 }] }]
      `,
    ),
    blocked: ["a/app=web → b/app=db", "a/* → b/*"],
    reaches: ["b/app=db → a/app=web", "a/app=web → a/app=api"],
  },
  {
    name: "an egress range 80-8080 meets an ingress on 443",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: out-range, namespace: a }
        spec:
          podSelector: {}
          policyTypes: [Egress]
          egress: [{ ports: [{ port: 80, endPort: 8080 }] }]
      `,
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: in-443, namespace: b }
        spec:
          podSelector: {}
          policyTypes: [Ingress]
          ingress: [{ ports: [{ port: 443 }] }]
      `,
    ),
    reaches: ["a/app=web → b/app=db"],
  },
  {
    name: "UDP 53 out and TCP 53 in do not meet",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: out-udp, namespace: a }
        spec: { podSelector: {}, policyTypes: [Egress], egress: [{ ports: [{ protocol: UDP, port: 53 }] }] }
      `,
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: in-tcp, namespace: b }
        spec: { podSelector: {}, policyTypes: [Ingress], ingress: [{ ports: [{ protocol: TCP, port: 53 }] }] }
      `,
    ),
    blocked: ["a/app=web → b/app=db"],
  },
  // A deny wins.
  {
    name: "a Cilium ingressDeny wins over an allow of the same peers",
    engine: "cilium",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      `
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: { name: from-a, namespace: b }
        spec:
          endpointSelector: {}
          ingress: [{ fromEndpoints: [{ matchLabels: { k8s:io.kubernetes.pod.namespace: a } }] }]
          ingressDeny: [{ fromEndpoints: [{ matchLabels: { k8s:io.kubernetes.pod.namespace: a, app: web } }] }]
      `,
    ),
    blocked: ["a/app=web → b/app=db", "b/app=cache → b/app=db"],
    reaches: ["a/app=api → b/app=db", "a/* → b/app=db"],
  },
  {
    name: "a Calico Deny at order 10 wins over an Allow at order 100",
    engine: "calico",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      `
        apiVersion: projectcalico.org/v3
        kind: NetworkPolicy
        metadata: { name: deny-web, namespace: b }
        spec:
          order: 10
          selector: all()
          types: [Ingress]
          ingress: [{ action: Deny, source: { namespaceSelector: "team == 'blue'", selector: "app == 'web'" } }]
      `,
      `
        apiVersion: projectcalico.org/v3
        kind: NetworkPolicy
        metadata: { name: allow-a, namespace: b }
        spec:
          order: 100
          selector: all()
          types: [Ingress]
          ingress: [{ action: Allow, source: { namespaceSelector: "team == 'blue'" } }]
      `,
    ),
    blocked: ["a/app=web → b/app=db", "b/app=cache → b/app=db"],
    reaches: ["a/app=api → b/app=db", "a/* → b/app=cache"],
  },
  {
    name: "a Calico Pass skips to the Kubernetes policies, which isolate",
    engine: "calico",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      denyAll("b", "Ingress"),
      `
        apiVersion: projectcalico.org/v3
        kind: GlobalNetworkPolicy
        metadata: { name: pass-all }
        spec:
          tier: security
          order: 1
          selector: all()
          types: [Ingress]
          ingress: [{ action: Pass }]
      `,
    ),
    blocked: ["a/app=web → b/app=db"],
    reaches: ["b/app=db → a/app=web"],
  },
  // A class singled out by a specific selector.
  {
    name: "a deny that selects app=db closes only db: cache and the stranger pod stay reachable",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: db-closed, namespace: b }
        spec: { podSelector: { matchLabels: { app: db } }, policyTypes: [Ingress] }
      `,
    ),
    blocked: ["a/app=web → b/app=db", "b/app=cache → b/app=db"],
    reaches: ["a/app=web → b/app=cache", "a/app=web → b/*"],
    notInternetExposed: ["b/app=db"],
    internetExposed: ["b/app=cache", "b/*"],
  },
  {
    name: "matchExpressions tier NotIn [frontend] isolates every pod without that tier, the stranger pod included",
    yaml: docs(
      NAMESPACES,
      pods("a web,frontend", "a api,backend", "b db"),
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: not-front, namespace: a }
        spec:
          podSelector: { matchExpressions: [{ key: tier, operator: NotIn, values: [frontend] }] }
          policyTypes: [Ingress]
      `,
    ),
    reaches: ["b/app=db → a/app=web,tier=frontend", "b/app=db → a/*"],
    blocked: ["b/app=db → a/app=api,tier=backend"],
  },
  // Cluster-wide policies.
  {
    name: "a CiliumClusterwideNetworkPolicy isolating every namespace, allowing each namespace to itself",
    engine: "cilium",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      `
        apiVersion: cilium.io/v2
        kind: CiliumClusterwideNetworkPolicy
        metadata: { name: same-namespace }
        spec:
          endpointSelector: { matchExpressions: [{ key: io.kubernetes.pod.namespace, operator: NotIn, values: [kube-system] }] }
          ingress: [{ fromEndpoints: [{ matchLabels: { k8s:io.kubernetes.pod.namespace: a } }] }]
          egress: [{ toEndpoints: [{ matchLabels: { k8s:io.kubernetes.pod.namespace: a } }] }]
      `,
    ),
    reaches: ["a/app=web → a/app=api"],
    blocked: ["a/app=web → b/app=db", "b/app=db → a/app=web", "b/app=db → b/app=cache"],
    notInternetExposed: ["a/app=web", "b/app=db"],
    noImds: ["a/app=web"],
  },
  {
    name: "a Calico GlobalNetworkPolicy denying everything in namespaces of team red",
    engine: "calico",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      `
        apiVersion: projectcalico.org/v3
        kind: GlobalNetworkPolicy
        metadata: { name: red-sealed }
        spec:
          order: 10
          namespaceSelector: team == 'red'
          selector: all()
          types: [Ingress, Egress]
      `,
    ),
    reaches: ["a/app=web → a/app=api"],
    blocked: ["a/app=web → b/app=db", "b/app=db → a/app=web", "b/app=db → b/app=cache"],
    internetExposed: ["a/app=web"],
    notInternetExposed: ["b/app=db"],
  },
  // CIDR peers and the pod CIDR.
  {
    name: "an ipBlock holding the pod CIDR admits pods; one that does not, does not",
    engine: "azure",
    podCidrs: ["10.244.0.0/16"],
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: from-pods, namespace: b }
        spec:
          podSelector: { matchLabels: { app: db } }
          policyTypes: [Ingress]
          ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8 } }] }]
      `,
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: from-elsewhere, namespace: b }
        spec:
          podSelector: { matchLabels: { app: cache } }
          policyTypes: [Ingress]
          ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8, except: [10.244.0.0/16] } }] }]
      `,
    ),
    reaches: ["a/app=web → b/app=db"],
    blocked: ["a/app=web → b/app=cache"],
    notInternetExposed: ["b/app=db", "b/app=cache"],
  },
  {
    name: "without the pod CIDR known, an ipBlock short of /0 admits no pod",
    engine: "azure",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: from-pods, namespace: b }
        spec: { podSelector: {}, policyTypes: [Ingress], ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8 } }] }] }
      `,
    ),
    blocked: ["a/app=web → b/app=db"],
  },
  {
    name: "::/0 admits every pod and the IPv6 outside stranger; an IPv6 /64 admits neither",
    engine: "azure",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: v6-world, namespace: b }
        spec:
          podSelector: { matchLabels: { app: db } }
          policyTypes: [Ingress]
          ingress: [{ from: [{ ipBlock: { cidr: "::/0" } }] }]
      `,
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: v6-lan, namespace: b }
        spec:
          podSelector: { matchLabels: { app: cache } }
          policyTypes: [Ingress]
          ingress: [{ from: [{ ipBlock: { cidr: "fd00:1::/64" } }] }]
      `,
    ),
    reaches: ["a/app=web → b/app=db"],
    blocked: ["a/app=web → b/app=cache"],
    internetExposed: ["b/app=db"],
    notInternetExposed: ["b/app=cache"],
  },
  {
    name: "under Cilium a CIDR never selects pods, but counts for risk: the pod CIDR block reaches b",
    engine: "cilium",
    podCidrs: ["10.244.0.0/16"],
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      `
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: { name: from-pods, namespace: b }
        spec: { endpointSelector: {}, ingress: [{ fromCIDR: [10.244.0.0/16] }] }
      `,
    ),
    reaches: ["a/app=web → b/app=db"],
    notInternetExposed: ["b/app=db"],
  },
  // IMDS and the outside stranger.
  {
    name: "an egress deny to 169.254.169.254 keeps every class of the namespace from IMDS, and nothing else",
    engine: "cilium",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      `
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: { name: no-imds, namespace: a }
        spec: { endpointSelector: {}, egressDeny: [{ toCIDR: [169.254.169.254/32] }], enableDefaultDeny: { egress: false } }
      `,
    ),
    noImds: ["a/app=web", "a/*"],
    imds: ["b/app=db"],
    reaches: ["a/app=web → b/app=db"],
  },
  {
    name: "an allow from 0.0.0.0/0 exposes the class it selects to the internet",
    yaml: docs(
      NAMESPACES,
      WEB_AND_DB,
      denyAll("b", "Ingress"),
      `
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: world-to-db, namespace: b }
        spec:
          podSelector: { matchLabels: { app: db } }
          ingress: [{ from: [{ ipBlock: { cidr: 0.0.0.0/0 } }], ports: [{ port: 443 }] }]
      `,
    ),
    internetExposed: ["b/app=db"],
    notInternetExposed: ["b/app=cache"],
    reaches: ["a/app=web → b/app=db"],
  },
];

describe("who reaches whom", () => {
  test.each(ROWS)("$name", (row) => {
    const reachability = reachabilityOf(row);
    for (const arrow of row.reaches ?? []) expect(pair(reachability, arrow), `${arrow} should connect`).toBe(true);
    for (const arrow of row.blocked ?? []) expect(pair(reachability, arrow), `${arrow} should not connect`).toBe(false);
    if (row.exposure !== undefined) expect(reachability.document.exposure).toBe(row.exposure);
    for (const spec of row.internetExposed ?? []) expect(reachability.internetExposed(classIndex(reachability, spec)), `${spec} exposed`).toBe(true);
    for (const spec of row.notInternetExposed ?? []) expect(reachability.internetExposed(classIndex(reachability, spec)), `${spec} not exposed`).toBe(false);
    for (const spec of row.imds ?? []) expect(reachability.reachesImds(classIndex(reachability, spec)), `${spec} reaches IMDS`).toBe(true);
    for (const spec of row.noImds ?? []) expect(reachability.reachesImds(classIndex(reachability, spec)), `${spec} does not reach IMDS`).toBe(false);
  });
});

describe("the stranger pod and pod classes", () => {
  test("each workload namespace has a stranger pod; with pods read it holds none", () => {
    const reachability = reachabilityOf({ yaml: docs(NAMESPACES, WEB_AND_DB) });
    expect(reachability.classes.map((cls) => `${cls.namespace} ${JSON.stringify(cls.labels)} ${cls.count}`)).toEqual([
      "a null 0",
      'a {"app":"api"} 1',
      'a {"app":"web"} 1',
      "b null 0",
      'b {"app":"cache"} 1',
      'b {"app":"db"} 1',
    ]);
    expect(reachability.document.pods).toBe(4);
  });

  test("without pod data each namespace is its stranger pod with one pod", () => {
    const reachability = reachabilityOf({ yaml: docs(NAMESPACES, denyAll("b", "Ingress")) });
    expect(reachability.classes).toEqual([
      { namespace: "a", labels: null, count: 1 },
      { namespace: "b", labels: null, count: 1 },
    ]);
    // a's pod reaches nothing (b is closed), b's reaches a's: 1 ordered pair of 2.
    expect(reachability.document.exposure).toBe(50);
  });

  test("a new deployment (the stranger pod) is reachable where every running class is closed by name", () => {
    const reachability = reachabilityOf({
      yaml: docs(
        NAMESPACES,
        pods("a web", "b db"),
        `
          apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata: { name: db-closed, namespace: b }
          spec: { podSelector: { matchLabels: { app: db } }, policyTypes: [Ingress] }
        `,
      ),
    });
    expect(pair(reachability, "a/app=web → b/app=db")).toBe(false);
    expect(pair(reachability, "a/app=web → b/*")).toBe(true);
    // The stranger pod holds no pods: the pair a → b reaches none of b's one pod.
    const a = reachability.document.namespaces.indexOf("a");
    const b = reachability.document.namespaces.indexOf("b");
    expect(reachability.document.namespacePairs).toContainEqual([a, b, 0]);
    expect(namespaceShare(reachability.document, a, b)).toBe(0);
  });

  test("workload replicas count as pods of one class", () => {
    const reachability = reachabilityOf({
      yaml: docs(
        NAMESPACES,
        `
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: web, namespace: a }
          spec: { replicas: 3, template: { metadata: { labels: { app: web } } } }
        `,
      ),
    });
    const web = classIndex(reachability, "a/app=web");
    expect(reachability.classes[web]?.count).toBe(3);
    // Its other two pods: a class reaches itself.
    expect(reachability.reaches(web, web)).toBe(true);
    expect(reachability.document.classes[web]?.reachablePods).toBe(2);
  });
});

describe("lateral exposure and the document", () => {
  test("no workload namespace: an empty document", () => {
    const document = reachabilityOf({ yaml: "apiVersion: v1\nkind: Namespace\nmetadata: { name: kube-system }\n" }).document;
    expect(document).toEqual({ version: 1, namespaces: [], ports: ["TCP/*"], pods: 0, exposure: null, namespacePods: [], classes: [], namespacePairs: [], internetExposed: [], reachesImds: [] });
  });

  test("fewer than two pods: exposure is null", () => {
    expect(reachabilityOf({ yaml: docs(NAMESPACES, pods("a web")) }).document.exposure).toBeNull();
  });

  test("exposure is the pod-weighted share of ordered pod pairs that connect, minus each pod itself", () => {
    // a: web ×1, api ×1; b: db ×1, cache ×1. b's ingress closed: a's 2 pods reach 1 other each (each other),
    // b's 2 pods reach a's 2 pods and not each other: (2×1 + 2×2) ÷ (4×3) = 50 %.
    const reachability = reachabilityOf({ yaml: docs(NAMESPACES, WEB_AND_DB, denyAll("b", "Ingress")) });
    expect(reachability.document.exposure).toBe(50);
  });

  test("namespace pairs carry the pods of the target reached, and the share follows from the namespace's pods", () => {
    const reachability = reachabilityOf({
      yaml: docs(
        NAMESPACES,
        WEB_AND_DB,
        `
          apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata: { name: db-closed, namespace: b }
          spec: { podSelector: { matchLabels: { app: db } }, policyTypes: [Ingress] }
        `,
      ),
    });
    const document = reachability.document;
    expect(document.namespaces).toEqual(["a", "b"]);
    expect(document.namespacePods).toEqual([2, 2]);
    // a reaches all of a and only cache in b; b reaches all of a, and only cache in b.
    expect(document.namespacePairs).toEqual([
      [0, 0, 2],
      [0, 1, 1],
      [1, 0, 2],
      [1, 1, 1],
    ]);
    expect(namespaceShare(document, 0, 1)).toBe(50);
    expect(document.ports).toEqual(["TCP/*"]);
  });

  test("the document is the same JSON whatever the order of the input", () => {
    const parts = [NAMESPACES, WEB_AND_DB, denyAll("b", "Ingress"), denyAll("a", "Egress")];
    const forward = reachabilityOf({ yaml: docs(...parts) }).document;
    const backward = reachabilityOf({ yaml: docs(...[...parts].reverse()) }).document;
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
  });
});

describe("explaining a connection and the smallest change that closes it", () => {
  test("nothing isolates either side: a default deny on either side closes it, ingress at the target first", () => {
    const judgement = judgeYaml(docs(NAMESPACES, WEB_AND_DB));
    const explanation = explainConnection(judgement.model, judgement.reachability.classes, { namespace: "a" }, { namespace: "b" });
    expect(explanation.connected).toBe(true);
    expect(explanation.egress).toEqual([{ rule: null, reason: "not-isolated", namespace: "a", ports: ["TCP/*"], pairs: 9 }]);
    expect(explanation.ingress).toEqual([{ rule: null, reason: "not-isolated", namespace: "b", ports: ["TCP/*"], pairs: 9 }]);
    expect(explanation.changes.map((change) => `${change.kind} ${change.direction} ${change.namespace} ${change.closes}`)).toEqual(["default-deny ingress b true", "default-deny egress a true"]);
    expect(explanation.smallestChange?.text).toBe("add a default-deny ingress policy in b: nothing isolates its pods for ingress now");
    expect(explanation.smallestChange?.manifest).toMatchObject({ kind: "NetworkPolicy", metadata: { namespace: "b" }, spec: { podSelector: {}, policyTypes: ["Ingress"] } });
  });

  test("an allow from every namespace: narrowing its peers is the smallest change", () => {
    const judgement = judgeYaml(
      docs(
        NAMESPACES,
        WEB_AND_DB,
        denyAll("b", "Ingress"),
        `
          apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata: { name: db-from-all, namespace: b }
          spec:
            podSelector: { matchLabels: { app: db } }
            ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 5432 }] }]
        `,
      ),
    );
    const explanation = explainConnection(judgement.model, judgement.reachability.classes, { namespace: "a", labels: { app: "web" } }, { namespace: "b" });
    expect(explanation.paths.map((path) => `${JSON.stringify(path.from.labels)} → ${JSON.stringify(path.to.labels)} ${path.ports.join(" ")}`)).toEqual(['{"app":"web"} → {"app":"db"} TCP/5432']);
    expect(explanation.ingress).toEqual([
      { rule: { kind: "NetworkPolicy", namespace: "b", policy: "db-from-all", list: "ingress", direction: "ingress", index: 0 }, reason: "allow", namespace: "b", ports: ["TCP/5432"], pairs: 1 },
    ]);
    expect(explanation.smallestChange).toMatchObject({ kind: "narrow-peers", direction: "ingress", namespace: "b", closes: true });
    expect(explanation.smallestChange?.text).toContain("b/db-from-all ingress[0]");
    expect(explanation.changes.map((change) => change.kind)).toEqual(["narrow-peers", "remove-rule", "default-deny"]);
  });

  test("on Calico the ingress side is the Calico Allow: removing it closes the connection", () => {
    const judgement = judgeYaml(
      docs(
        NAMESPACES,
        WEB_AND_DB,
        `
          apiVersion: projectcalico.org/v3
          kind: NetworkPolicy
          metadata: { name: allow-blue, namespace: b }
          spec:
            order: 100
            selector: all()
            types: [Ingress]
            ingress: [{ action: Allow, source: { namespaceSelector: "team == 'blue'" } }]
        `,
      ),
      { engine: "calico" },
    );
    const explanation = explainConnection(judgement.model, judgement.reachability.classes, { namespace: "a" }, { namespace: "b" });
    expect(explanation.connected).toBe(true);
    const ingressChanges = explanation.changes.filter((change) => change.direction === "ingress");
    expect(ingressChanges.map((change) => `${change.kind} ${change.closes}`)).toEqual(["remove-rule true"]);
    // Egress: a is not isolated, so a default deny there closes it too.
    expect(explanation.changes.find((change) => change.kind === "default-deny")).toMatchObject({ direction: "egress", namespace: "a", closes: true });
  });

  test("a default deny that would not close it is listed as not closing (a Cilium allow that does not isolate)", () => {
    const judgement = judgeYaml(
      docs(
        NAMESPACES,
        WEB_AND_DB,
        `
          apiVersion: cilium.io/v2
          kind: CiliumNetworkPolicy
          metadata: { name: cluster-in, namespace: b }
          spec: { endpointSelector: {}, ingress: [{ fromEntities: [cluster] }], enableDefaultDeny: { ingress: false } }
        `,
      ),
      { engine: "cilium" },
    );
    const explanation = explainConnection(judgement.model, judgement.reachability.classes, { namespace: "a" }, { namespace: "b" });
    expect(explanation.changes.map((change) => `${change.kind} ${change.direction} ${change.closes}`)).toEqual(["default-deny egress true", "default-deny ingress false"]);
    expect(explanation.smallestChange).toMatchObject({ kind: "default-deny", direction: "egress", namespace: "a" });
  });

  test("a pair that does not connect has nothing to close", () => {
    const judgement = judgeYaml(docs(NAMESPACES, WEB_AND_DB, denyAll("b", "Ingress")));
    const explanation = explainConnection(judgement.model, judgement.reachability.classes, { namespace: "a" }, { namespace: "b" });
    expect(explanation).toMatchObject({ connected: false, paths: [], egress: [], ingress: [], changes: [], smallestChange: null });
  });
});
