// Remediation per engine (docs/design.md §4.4, issue 12): every generated fix, fed back through the
// evaluator with the cluster's objects, turns the failing controls into passes — and never widens access.

import { parseAllDocuments } from "yaml";
import { describe, expect, test } from "vitest";

import { docs } from "../../testing/posture-cases";
import { evaluateCluster } from "./evaluate-cluster";
import { buildCalicoBaseline, buildCiliumBaseline, buildRemediation } from "./remediation";
import { DEFAULT_SYSTEM_NAMESPACES } from "./config";
import type { ClusterEvaluation, InClusterData, RemediationItem } from "./types";
import { readClusterCase, readYamlCase } from "@/testing/yaml-cases";

const PROFILES = {
  azure: "{ networkPlugin: azure, networkPolicy: azure }",
  calico: "{ networkPlugin: azure, networkPolicy: calico }",
  cilium: "{ networkPlugin: azure, networkPluginMode: overlay, networkDataplane: cilium, networkPolicy: cilium }",
} as const;
type Engine = keyof typeof PROFILES;

/** Three namespaces, an ingress controller among them; web lets every pod reach any address on TCP 80 (IMDS included). */
const ESTATE = docs(
  "apiVersion: v1\nkind: Namespace\nmetadata: { name: app }\n",
  "apiVersion: v1\nkind: Namespace\nmetadata: { name: web }\n",
  "apiVersion: v1\nkind: Namespace\nmetadata: { name: ingress-nginx }\n",
  "apiVersion: v1\nkind: Namespace\nmetadata: { name: kube-system }\n",
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: http-out, namespace: web }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to: [{ ipBlock: { cidr: 0.0.0.0/0 } }]
      ports: [{ protocol: TCP, port: 80 }]
`,
);

/** Splits objects into the in-cluster lists by kind, as the collector stores them. */
function toInCluster(objects: unknown[]): InClusterData {
  const data: Required<Pick<InClusterData, "namespaces" | "policies" | "ciliumClusterwideNetworkPolicies" | "calicoGlobalNetworkPolicies">> = {
    namespaces: [],
    policies: [],
    ciliumClusterwideNetworkPolicies: [],
    calicoGlobalNetworkPolicies: [],
  };
  for (const object of objects as { kind: string }[]) {
    if (object.kind === "Namespace") data.namespaces.push(object);
    else if (object.kind === "NetworkPolicy") data.policies.push(object);
    else if (object.kind === "CiliumClusterwideNetworkPolicy") data.ciliumClusterwideNetworkPolicies.push(object);
    else if (object.kind === "GlobalNetworkPolicy") data.calicoGlobalNetworkPolicies.push(object);
    else throw new Error(`unexpected ${object.kind}`);
  }
  return data;
}

interface PatchOperation {
  op: "test" | "replace" | "remove";
  path: string;
  value?: unknown;
}

/** Applies a `kubectl patch networkpolicy NAME --namespace NS --type=json -p '...'` item to the objects, as the API server would. */
function applyPatches(objects: unknown[], content: string): void {
  for (const match of content.matchAll(/kubectl patch networkpolicy (\S+) --namespace (\S+) --type=json \\\n {2}-p '(.*)'/g)) {
    const [, name, namespace, json] = match as unknown as [string, string, string, string];
    const policy = (objects as { kind: string; metadata: { name: string; namespace: string }; spec: { egress: unknown[] } }[]).find(
      (object) => object.kind === "NetworkPolicy" && object.metadata.name === name && object.metadata.namespace === namespace,
    );
    if (!policy) throw new Error(`no policy ${namespace}/${name}`);
    for (const operation of JSON.parse(json) as PatchOperation[]) {
      const index = Number(operation.path.replace("/spec/egress/", ""));
      if (operation.op === "test") expect(policy.spec.egress[index]).toEqual(operation.value);
      if (operation.op === "replace") policy.spec.egress[index] = operation.value;
      if (operation.op === "remove") policy.spec.egress.splice(index, 1);
    }
  }
}

function evaluate(engine: Engine, objects: unknown[]): ClusterEvaluation {
  return evaluateCluster(readClusterCase(PROFILES[engine]), toInCluster(objects));
}

function statuses(evaluation: ClusterEvaluation): string[] {
  return evaluation.controls.map((control) => `${control.id} ${control.status}`);
}

const FIXED = ["NP-01 pass", "NP-02 pass", "NP-03 pass", "NP-04 pass", "NP-05 pass", "NP-06 pass", "NP-07 pass"];

describe.each(["azure", "calico", "cilium"] as const)("remediation on %s", (engine) => {
  const before = readYamlCase(ESTATE);
  const evaluation = evaluate(engine, before);
  const items = buildRemediation(evaluation);

  test("the estate fails default deny both ways, DNS (web denies egress but TCP 80) and IMDS", () => {
    expect(statuses(evaluation)).toEqual(["NP-01 pass", "NP-02 fail", "NP-03 fail", "NP-04 fail", "NP-05 fail", "NP-06 pass", "NP-07 pass"]);
  });

  test("every YAML fix and patch applied together: every control passes", () => {
    const objects = structuredClone(before);
    for (const item of items) {
      if (item.format === "yaml") objects.push(...readYamlCase(item.content));
      if (item.format === "shell" && item.controlId === "NP-05") applyPatches(objects, item.content);
    }
    expect(statuses(evaluate(engine, dedupe(objects)))).toEqual(FIXED);
  });

  test("the per-namespace Kubernetes manifests alone (with the IMDS patch) fix it", () => {
    const objects = structuredClone(before);
    for (const item of items) {
      if (item.format === "yaml" && !item.title.startsWith("One ")) objects.push(...readYamlCase(item.content));
      if (item.format === "shell" && item.controlId === "NP-05") applyPatches(objects, item.content);
    }
    expect(statuses(evaluate(engine, dedupe(objects)))).toEqual(FIXED);
  });

  test("no generated rule widens access: nothing generated admits a stranger on the stranger port", () => {
    const generated = items.filter((item) => item.format === "yaml" && item.controlId !== "NP-06").flatMap((item) => readYamlCase(item.content));
    const onlyGenerated = evaluate(engine, dedupe([...readYamlCase(ESTATE).filter((object) => (object as { kind: string }).kind === "Namespace"), ...generated]));
    expect(onlyGenerated.allowAnyRules).toEqual([]);
    for (const item of items) expect(item.content).not.toMatch(/443[^\n]*0\.0\.0\.0\/0|0\.0\.0\.0\/0[^\n]*443/);
  });

  test("default deny for ingress names what it cuts, and lets the detected ingress controller work", () => {
    const ingress = items.find((item) => item.controlId === "NP-02" && item.format === "yaml");
    expect(ingress?.caveats.join(" ")).toContain("ingress controllers");
    expect(ingress?.caveats.join(" ")).toContain("health probes");
    expect(ingress?.caveats.join(" ")).toContain("Ingress controller namespaces found (ingress-nginx)");
    expect(names(ingress)).toEqual(
      expect.arrayContaining([
        "NetworkPolicy ingress-nginx/bulkhead-allow-ingress-controller",
        "NetworkPolicy app/bulkhead-allow-from-ingress-controller",
        "NetworkPolicy web/bulkhead-allow-from-ingress-controller",
      ]),
    );
  });
});

/** Later objects with the same kind, namespace and name replace earlier ones, as `kubectl apply` would. */
function dedupe(objects: unknown[]): unknown[] {
  const byKey = new Map<string, unknown>();
  for (const object of objects as { kind: string; metadata: { name: string; namespace?: string } }[]) {
    byKey.set(`${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name}`, object);
  }
  return [...byKey.values()];
}

function names(item: RemediationItem | undefined): string[] {
  return parseAllDocuments(item?.content ?? "").map((document) => {
    const object = document.toJS() as { kind: string; metadata: { name: string; namespace?: string } };
    return `${object.kind} ${object.metadata.namespace ?? "-"}/${object.metadata.name}`;
  });
}

describe("engine-wide baselines", () => {
  test("Cilium: one CiliumClusterwideNetworkPolicy alone fixes NP-02 … NP-05, with IMDS denied by egressDeny", () => {
    const evaluation = evaluate("cilium", readYamlCase(ESTATE));
    const baseline = buildRemediation(evaluation).find((item) => item.title.startsWith("One CiliumClusterwideNetworkPolicy"));
    expect(names(baseline)).toEqual(["CiliumClusterwideNetworkPolicy -/bulkhead-baseline", "NetworkPolicy ingress-nginx/bulkhead-allow-ingress-controller"]);
    const objects = [...readYamlCase(ESTATE), ...readYamlCase(baseline?.content ?? "")];
    expect(statuses(evaluate("cilium", objects))).toEqual(FIXED);
    expect(baseline?.content).toContain("egressDeny");
  });

  test("Calico: one GlobalNetworkPolicy alone fixes NP-02 … NP-05, its IMDS deny ordered before the Kubernetes allows", () => {
    const evaluation = evaluate("calico", readYamlCase(ESTATE));
    const baseline = buildRemediation(evaluation).find((item) => item.title.startsWith("One GlobalNetworkPolicy"));
    const objects = [...readYamlCase(ESTATE), ...readYamlCase(baseline?.content ?? "")];
    expect(statuses(evaluate("calico", objects))).toEqual(FIXED);
  });

  test("the Cilium baseline as written, for LocalDNS clusters too", () => {
    expect(buildCiliumBaseline(["kube-system"], { localDns: true })).toEqual({
      apiVersion: "cilium.io/v2",
      kind: "CiliumClusterwideNetworkPolicy",
      metadata: { name: "bulkhead-baseline", labels: { "app.kubernetes.io/created-by": "bulkhead" } },
      spec: {
        endpointSelector: { matchExpressions: [{ key: "io.kubernetes.pod.namespace", operator: "NotIn", values: ["kube-system"] }] },
        ingress: [{}],
        egress: [
          {
            toEndpoints: [{ matchLabels: { "io.kubernetes.pod.namespace": "kube-system", "k8s-app": "kube-dns" } }],
            toPorts: [{ ports: [{ port: "53", protocol: "UDP" }, { port: "53", protocol: "TCP" }] }],
          },
          { toCIDR: ["169.254.10.10/32", "169.254.10.11/32"], toPorts: [{ ports: [{ port: "53", protocol: "UDP" }, { port: "53", protocol: "TCP" }] }] },
        ],
        egressDeny: [{ toCIDR: ["169.254.169.254/32"] }],
      },
    });
  });

  test("the Calico baseline excludes every system namespace by name", () => {
    const baseline = buildCalicoBaseline(DEFAULT_SYSTEM_NAMESPACES);
    expect(baseline.spec.namespaceSelector).toBe(`projectcalico.org/name not in {${DEFAULT_SYSTEM_NAMESPACES.map((name) => `"${name}"`).join(", ")}}`);
    expect(baseline.spec.order).toBe(10);
  });

  test("LocalDNS clusters get a DNS allow that also reaches 169.254.10.10 and .11", () => {
    const evaluation = evaluateCluster(
      readClusterCase(PROFILES.azure, "[{ name: system, count: 3, osType: Linux, localDNSProfile: { mode: Required, state: Enabled } }]"),
      toInCluster(readYamlCase(docs("apiVersion: v1\nkind: Namespace\nmetadata: { name: app }\n", "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny-all, namespace: app }\nspec: { podSelector: {}, policyTypes: [Ingress, Egress] }\n"))),
    );
    const dns = buildRemediation(evaluation).find((item) => item.controlId === "NP-04");
    expect(dns?.content).toContain("169.254.10.10/32");
    expect(dns?.content).toContain("169.254.10.11/32");
  });
});
