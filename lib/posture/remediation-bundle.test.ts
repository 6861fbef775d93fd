import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { analyzeManifests } from "./analyze-manifests";
import { evaluateCluster } from "./evaluate-cluster";
import { buildRemediationBundle, bundleFileName } from "./remediation-bundle";
import { readClusterCase, readInClusterCase, readYamlCase } from "@/testing/yaml-cases";

// web: nothing; api: deny ingress only; jobs: deny both ways but DNS blocked; ingress-nginx: a controller.
const OBJECTS = `
  apiVersion: v1
  kind: Namespace
  metadata: { name: web }
  ---
  apiVersion: v1
  kind: Namespace
  metadata: { name: api }
  ---
  apiVersion: v1
  kind: Namespace
  metadata: { name: jobs }
  ---
  apiVersion: v1
  kind: Namespace
  metadata: { name: ingress-nginx }
  ---
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: deny-ingress, namespace: api }
  spec: { podSelector: {}, policyTypes: [Ingress] }
  ---
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: deny-all, namespace: jobs }
  spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`;

const names = (yaml: string) =>
  parseAllDocuments(yaml).map((document) => {
    const object = document.toJS() as { metadata: { name: string; namespace: string } };
    return `${object.metadata.namespace}/${object.metadata.name}`;
  });

describe("the apply-all bundle", () => {
  const evaluation = evaluateCluster(readClusterCase("{ networkPlugin: azure, networkPolicy: azure }"), readInClusterCase(OBJECTS));
  const bundle = buildRemediationBundle(evaluation)!;
  const withBundle = () => {
    const before = readInClusterCase(OBJECTS);
    return { ...before, policies: [...before.policies, ...bundle.manifests] };
  };

  test("one ordered, deduplicated file: per namespace deny ingress, deny egress, DNS, then the ingress controller's allows where this file closes ingress", () => {
    expect(bundle.fixes).toEqual(["NP-02", "NP-03", "NP-04", "NP-05"]);
    expect(names(bundle.yaml)).toEqual([
      "api/bulkhead-default-deny-egress",
      "api/bulkhead-allow-dns-egress",
      "ingress-nginx/bulkhead-default-deny-ingress",
      "ingress-nginx/bulkhead-default-deny-egress",
      "ingress-nginx/bulkhead-allow-dns-egress",
      "ingress-nginx/bulkhead-allow-ingress-controller",
      "jobs/bulkhead-allow-dns-egress",
      "web/bulkhead-default-deny-ingress",
      "web/bulkhead-default-deny-egress",
      "web/bulkhead-allow-dns-egress",
      "web/bulkhead-allow-from-ingress-controller",
    ]);
    expect(new Set(names(bundle.yaml)).size).toBe(bundle.manifests.length);
    expect(bundle.byNamespace.map((group) => group.namespace)).toEqual(["api", "ingress-nginx", "jobs", "web"]);
    expect(bundle.byNamespace.flatMap((group) => names(group.yaml))).toEqual(names(bundle.yaml));
    expect(bundle.command).toBe("kubectl apply -f bulkhead-fix-aks-app.yaml");
  });

  test("applied over what the cluster has, every namespace denies by default both ways and no rule admits anything from anywhere", () => {
    const after = analyzeManifests([...(readYamlCase(OBJECTS) as unknown[]), ...parseAllDocuments(bundle.yaml).map((document) => document.toJS())]);
    expect(after.namespaces.map((namespace) => [namespace.name, namespace.defaultDenyIngress, namespace.defaultDenyEgress])).toEqual([
      ["api", true, true],
      ["ingress-nginx", true, true],
      ["jobs", true, true],
      ["web", true, true],
    ]);
    expect(after.allowAnyRules).toEqual([]);
    // And judged as a cluster: the namespace controls pass.
    const judged = evaluateCluster(readClusterCase("{ networkPlugin: azure, networkPolicy: azure }"), withBundle());
    expect(judged.controls.filter((control) => ["NP-02", "NP-03", "NP-04", "NP-05", "NP-06"].includes(control.id)).map((control) => [control.id, control.status])).toEqual([
      ["NP-02", "pass"],
      ["NP-03", "pass"],
      ["NP-04", "pass"],
      ["NP-05", "pass"],
      ["NP-06", "pass"],
    ]);
  });

  test("nothing to bundle when the namespace controls pass; names made safe for a file", () => {
    const fixed = evaluateCluster(readClusterCase("{ networkPlugin: azure, networkPolicy: azure }"), withBundle());
    expect(buildRemediationBundle(fixed)).toBeNull();
    expect(bundleFileName("AKS Prod (West)/1")).toBe("bulkhead-fix-aks-prod-west-1.yaml");
  });
});
