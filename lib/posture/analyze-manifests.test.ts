import { describe, expect, test } from "vitest";

import { analyzeManifests, manifestAnalysisFails } from "./analyze-manifests";
import type { ManifestAnalysis } from "./types";
import { readYamlCase } from "@/testing/yaml-cases";

interface ManifestCase {
  name: string;
  yaml: string;
  expect: ManifestAnalysis;
  fails: boolean;
}

const rows: ManifestCase[] = [
  {
    name: "namespaces come from Namespace objects and from policies; both lists are sorted per DESIGN §6",
    yaml: `
      apiVersion: v1
      kind: Namespace
      metadata: { name: web }
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: zz-open, namespace: api }
      spec:
        podSelector: {}
        policyTypes: [Ingress, Egress]
        ingress:
          - {}
        egress:
          - {}
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: aa-open, namespace: api }
      spec:
        podSelector: {}
        ingress:
          - from: []
          - from:
              - namespaceSelector: {}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: { name: Api-Legacy }
    `,
    expect: {
      namespaces: [
        { name: "Api-Legacy", defaultDenyIngress: false, defaultDenyEgress: false },
        { name: "api", defaultDenyIngress: false, defaultDenyEgress: false },
        { name: "web", defaultDenyIngress: false, defaultDenyEgress: false },
      ],
      allowAnyRules: [
        { namespace: "api", policy: "aa-open", direction: "ingress", index: 0, class: "A", kind: "NetworkPolicy", scope: "namespace", list: "ingress" },
        { namespace: "api", policy: "aa-open", direction: "ingress", index: 1, class: "C", kind: "NetworkPolicy", scope: "namespace", list: "ingress" },
        { namespace: "api", policy: "zz-open", direction: "egress", index: 0, class: "A", kind: "NetworkPolicy", scope: "namespace", list: "egress" },
        { namespace: "api", policy: "zz-open", direction: "ingress", index: 0, class: "A", kind: "NetworkPolicy", scope: "namespace", list: "ingress" },
      ],
    },
    fails: true,
  },
  {
    name: "kind: List is flattened, unknown kinds are ignored, and a Deployment's namespace is a workload namespace (v2)",
    yaml: `
      apiVersion: v1
      kind: List
      items:
        - apiVersion: v1
          kind: Namespace
          metadata: { name: shop }
        - apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata: { name: deny-all, namespace: shop }
          spec:
            podSelector: {}
            policyTypes: [Ingress, Egress]
        - apiVersion: apps/v1
          kind: Deployment
          metadata: { name: web, namespace: other }
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: settings, namespace: elsewhere }
    `,
    expect: {
      namespaces: [
        { name: "other", defaultDenyIngress: false, defaultDenyEgress: false },
        { name: "shop", defaultDenyIngress: true, defaultDenyEgress: true },
      ],
      allowAnyRules: [],
    },
    fails: true,
  },
  {
    name: "system namespaces are excluded, whether from Namespace objects or policies",
    yaml: `
      apiVersion: v1
      kind: Namespace
      metadata: { name: kube-system }
      ---
      apiVersion: v1
      kind: Namespace
      metadata: { name: gatekeeper-system }
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: open, namespace: calico-system }
      spec:
        podSelector: {}
        ingress:
          - {}
    `,
    expect: { namespaces: [], allowAnyRules: [] },
    fails: false,
  },
  {
    name: "a policy without a namespace is in default",
    yaml: `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: deny-ingress }
      spec:
        podSelector: {}
    `,
    expect: {
      namespaces: [{ name: "default", defaultDenyIngress: true, defaultDenyEgress: false }],
      allowAnyRules: [],
    },
    fails: true,
  },
  {
    name: "a numeric namespace name is still a name; a policy without a name is (unnamed)",
    yaml: `
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { namespace: 2024 }
      spec:
        podSelector: {}
        ingress:
          - {}
    `,
    expect: {
      namespaces: [{ name: "2024", defaultDenyIngress: false, defaultDenyEgress: false }],
      allowAnyRules: [{ namespace: "2024", policy: "(unnamed)", direction: "ingress", index: 0, class: "A", kind: "NetworkPolicy", scope: "namespace", list: "ingress" }],
    },
    fails: true,
  },
  {
    name: "objects without kind are not manifests",
    yaml: `
      metadata: { name: deny-all, namespace: shop }
      spec:
        podSelector: {}
    `,
    expect: { namespaces: [], allowAnyRules: [] },
    fails: false,
  },
];

describe("analyzeManifests", () => {
  test.each(rows)("$name", (row) => {
    const analysis = analyzeManifests(readYamlCase(row.yaml));
    expect(analysis).toEqual(row.expect);
    expect(manifestAnalysisFails(analysis)).toBe(row.fails);
  });

  test("the result carries exactly the documented fields, in order", () => {
    const analysis = analyzeManifests(readYamlCase(rows[0]?.yaml ?? ""));
    expect(JSON.stringify({ namespaces: analysis.namespaces.slice(0, 1), allowAnyRules: analysis.allowAnyRules.slice(0, 1) })).toBe(
      '{"namespaces":[{"name":"Api-Legacy","defaultDenyIngress":false,"defaultDenyEgress":false}],' +
        '"allowAnyRules":[{"namespace":"api","policy":"aa-open","direction":"ingress","index":0,"class":"A","kind":"NetworkPolicy","scope":"namespace","list":"ingress"}]}',
    );
    // The five fields of DESIGN §6 first, then kind, scope and list (rules v2, docs/rules-v2.md).
    expect(Object.keys(analysis.allowAnyRules[0] ?? {})).toEqual(["namespace", "policy", "direction", "index", "class", "kind", "scope", "list"]);
  });

  test("nothing malformed throws", () => {
    expect(() => analyzeManifests([null, 1, "x", [], { kind: "List", items: "no" }, { kind: "NetworkPolicy", metadata: "x", spec: [] }])).not.toThrow();
  });
});
