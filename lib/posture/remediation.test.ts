import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";

import { analyzeManifests } from "./analyze-manifests";
import { readClusterFacts } from "./cluster-facts";
import { evaluateCluster } from "./evaluate-cluster";
import {
  buildBaselineManifests,
  buildDefaultDenyPolicy,
  buildRemediation,
  excludeImdsFromRule,
  recommendEngine,
  renderYamlDocuments,
} from "./remediation";
import type { ClusterEvaluation, RemediationItem } from "./types";
import { readClusterCase, readInClusterCase, readYamlCase } from "@/testing/yaml-cases";

const cluster = readClusterCase;
const inCluster = readInClusterCase;

function itemsFor(evaluation: ClusterEvaluation, controlId: string): RemediationItem[] {
  return buildRemediation(evaluation).filter((item) => item.controlId === controlId);
}

/** "kind namespace/name" of every document in a YAML item. */
function manifestNames(content: string): string[] {
  return parseAllDocuments(content).map((document) => {
    const object = document.toJS() as { kind: string; metadata: { name: string; namespace: string } };
    return `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`;
  });
}

const NAMESPACES = `
  apiVersion: v1
  kind: Namespace
  metadata: { name: web }
  ---
  apiVersion: v1
  kind: Namespace
  metadata: { name: api }
  ---
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: { name: deny-ingress, namespace: api }
  spec:
    podSelector: {}
    policyTypes: [Ingress]
`;

describe("NP-01: enabling an engine", () => {
  test("overlay: Cilium via the dataplane, with the az command, Terraform and Bicep", () => {
    const evaluation = evaluateCluster(cluster("{ networkPlugin: azure, networkPluginMode: overlay }"), null);
    const items = itemsFor(evaluation, "NP-01");
    expect(items.map((item) => item.format)).toEqual(["shell", "terraform", "bicep"]);
    expect(items[0]?.content).toBe(
      [
        "az aks update \\",
        "  --subscription 00000000-0000-0000-0000-000000000001 \\",
        "  --resource-group rg-app \\",
        "  --name aks-app \\",
        "  --network-dataplane cilium \\",
        "  --network-policy cilium",
        "",
      ].join("\n"),
    );
    expect(items[0]?.caveats).toEqual([
      "Changing the network policy engine re-images every node pool at once: it is disruptive, so plan a maintenance window.",
      "Cilium needs Azure CNI Overlay or dynamic pod IP allocation, and no Windows node pools.",
      "Azure NPM is out of support on Windows node pools after 30 Sep 2026; use Calico there.",
      "Existing NetworkPolicies are enforced as soon as the engine runs: review the default-deny and allow-any findings first.",
    ]);
    expect(items[1]?.content).toBe(
      [
        '# azurerm_kubernetes_cluster "aks-app" (resource group rg-app)',
        "network_profile {",
        '  network_plugin      = "azure"',
        '  network_plugin_mode = "overlay"',
        '  network_data_plane  = "cilium"',
        '  network_policy      = "cilium"',
        "}",
        "",
      ].join("\n"),
    );
    expect(items[2]?.content).toBe(
      [
        "// Microsoft.ContainerService/managedClusters 'aks-app' (resource group rg-app)",
        "properties: {",
        "  networkProfile: {",
        "    networkPlugin: 'azure'",
        "    networkPluginMode: 'overlay'",
        "    networkDataplane: 'cilium'",
        "    networkPolicy: 'cilium'",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });

  const engineRows = [
    { name: "Azure CNI without overlay: Azure NPM", profile: "{ networkPlugin: azure }", pools: undefined, engine: "azure" },
    { name: "kubenet: Calico", profile: "{ networkPlugin: kubenet }", pools: undefined, engine: "calico" },
    { name: "overlay with a Windows pool: Calico", profile: "{ networkPlugin: azure, networkPluginMode: overlay }", pools: "[{ name: win, count: 2, osType: Windows }]", engine: "calico" },
    { name: "above 250 nodes without overlay: Calico", profile: "{ networkPlugin: azure }", pools: "[{ name: big, count: 300 }]", engine: "calico" },
  ];
  test.each(engineRows)("$name", (row) => {
    const facts = readClusterFacts(cluster(row.profile, row.pools));
    expect(recommendEngine(facts).engine).toBe(row.engine);
    const command = itemsFor(evaluateCluster(facts, null), "NP-01")[0]?.content ?? "";
    expect(command).toContain(`--network-policy ${row.engine}`);
    expect(command.includes("--network-dataplane")).toBe(false);
  });

  test("a resource group with parentheses is shell-quoted", () => {
    const id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg(app)/providers/Microsoft.ContainerService/managedClusters/aks-app";
    const command = itemsFor(evaluateCluster(cluster("{ networkPlugin: azure }", undefined, id), null), "NP-01")[0]?.content ?? "";
    expect(command).toContain("--resource-group 'rg(app)'");
  });

  test("a name with a line break stays inside the Terraform and Bicep comments", () => {
    const facts = readClusterFacts({
      id: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-app/providers/Microsoft.ContainerService/managedClusters/aks-app",
      name: "aks-app\nresource \"null_resource\" \"pwn\" {}\r\u2028module x {}",
      networkProfile: { networkPlugin: "azure" },
    });
    const evaluation = evaluateCluster(facts, null);
    const snippets = buildRemediation(evaluation).filter((item) => item.format === "terraform" || item.format === "bicep");
    expect(snippets.length).toBeGreaterThanOrEqual(2);
    for (const snippet of snippets) {
      const first = snippet.content.split("\n")[0];
      expect(first).toMatch(/^(#|\/\/) /);
      expect(first).toContain("aks-app\uFFFDresource");
      expect(snippet.content).not.toMatch(/^(resource|module) /m);
    }
  });

  // The az, Terraform and Bicep spellings of turning on an AKS-managed engine, which a BYO-CNI cluster cannot have.
  const MANAGED_ENGINE_ADVICE = ["az aks update", "--network-policy", "network_policy", "network_plugin", "networkPolicy: '", "networkPlugin: '"];

  const ownCniRows = [
    { name: "networkPlugin none, no networkPolicy", profile: "{ networkPlugin: none }" },
    { name: "networkPlugin none with a value AKS does not know", profile: "{ networkPlugin: none, networkPolicy: antrea }" },
    { name: "networkPlugin None in another case, overlay-looking mode", profile: "{ networkPlugin: None, networkPluginMode: overlay }" },
  ];
  test.each(ownCniRows)("bring your own CNI ($name): enable enforcement in that CNI, no az, Terraform or Bicep", (row) => {
    const items = itemsFor(evaluateCluster(cluster(row.profile), null), "NP-01");
    expect(items.map((item) => item.format)).toEqual(["text"]);
    const [item] = items;
    expect(item?.title).toBe("Enable NetworkPolicy enforcement in the cluster's own CNI");
    expect(item?.content).toContain("This cluster brings its own CNI (networkPlugin: none)");
    expect(item?.content).toContain("AKS does not manage that CNI, so it cannot enable a network policy engine");
    expect(item?.content).toContain("Cilium or Calico with network policy support");
    for (const advice of MANAGED_ENGINE_ADVICE) {
      expect(item?.content, advice).not.toContain(advice);
      expect(item?.title, advice).not.toContain(advice);
    }
    expect(item?.caveats.some((caveat) => caveat.includes("record a waiver for NP-01"))).toBe(true);
  });

  test("bring your own CNI with a default deny for ingress everywhere: enforcing it is the CNI's job too", () => {
    // NAMESPACES lacks a default deny for ingress only in web.
    const data = inCluster(NAMESPACES);
    const evaluation = evaluateCluster(cluster("{ networkPlugin: none }"), { ...data, policies: [...data.policies, buildDefaultDenyPolicy("web", "ingress")] });
    const items = buildRemediation(evaluation);
    expect(itemsFor(evaluation, "NP-02").map((item) => `${item.format} ${item.title}`)).toEqual([
      "text Enforce the existing default-deny ingress policies: Enable NetworkPolicy enforcement in the cluster's own CNI",
    ]);
    expect(items.filter((item) => item.format === "shell" || item.format === "terraform")).toEqual([]);
    for (const item of items) expect(item.content).not.toContain("az aks update");
  });

  const managedCniRows = [
    { name: "Azure CNI", profile: "{ networkPlugin: azure }", engine: "azure", plugin: "azure" },
    { name: "kubenet", profile: "{ networkPlugin: kubenet }", engine: "calico", plugin: "kubenet" },
    { name: "no networkPlugin recorded", profile: "{ networkPolicy: none }", engine: "azure", plugin: "azure" },
  ];
  test.each(managedCniRows)("$name keeps the az command, Terraform and Bicep for an AKS engine", (row) => {
    const items = itemsFor(evaluateCluster(cluster(row.profile), null), "NP-01");
    expect(items.map((item) => item.format)).toEqual(["shell", "terraform", "bicep"]);
    expect(items[0]?.title).toMatch(new RegExp(`^Enable the ${row.engine} network policy engine \\(`));
    expect(items[0]?.content).toContain("az aks update");
    expect(items[0]?.content).toContain(`--network-policy ${row.engine}`);
    expect(items[1]?.content).toContain(`network_plugin      = "${row.plugin}"`);
    expect(items[1]?.content).toContain(`network_policy      = "${row.engine}"`);
    expect(items[2]?.content).toContain(`networkPolicy: '${row.engine}'`);
  });
});

describe("NP-02 … NP-04: manifests for the failing namespaces", () => {
  const evaluation = evaluateCluster(cluster("{ networkPolicy: azure }"), inCluster(NAMESPACES));

  test("default deny for ingress only where it is missing", () => {
    const [item] = itemsFor(evaluation, "NP-02");
    expect(item?.format).toBe("yaml");
    expect(manifestNames(item?.content ?? "")).toEqual(["NetworkPolicy web/bulkhead-default-deny-ingress"]);
  });

  test("default deny for egress comes with DNS allowed", () => {
    const [item] = itemsFor(evaluation, "NP-03");
    expect(manifestNames(item?.content ?? "")).toEqual([
      "NetworkPolicy api/bulkhead-default-deny-egress",
      "NetworkPolicy api/bulkhead-allow-dns-egress",
      "NetworkPolicy web/bulkhead-default-deny-egress",
      "NetworkPolicy web/bulkhead-allow-dns-egress",
    ]);
  });

  test("the exact DNS manifest", () => {
    expect(renderYamlDocuments(buildBaselineManifests([{ name: "web", defaultDenyIngress: true, defaultDenyEgress: false }]))).toBe(
      [
        "apiVersion: networking.k8s.io/v1",
        "kind: NetworkPolicy",
        "metadata:",
        "  name: bulkhead-default-deny-egress",
        "  namespace: web",
        "  labels:",
        "    app.kubernetes.io/created-by: bulkhead",
        "spec:",
        "  podSelector: {}",
        "  policyTypes:",
        "    - Egress",
        "---",
        "apiVersion: networking.k8s.io/v1",
        "kind: NetworkPolicy",
        "metadata:",
        "  name: bulkhead-allow-dns-egress",
        "  namespace: web",
        "  labels:",
        "    app.kubernetes.io/created-by: bulkhead",
        "spec:",
        "  podSelector: {}",
        "  policyTypes:",
        "    - Egress",
        "  egress:",
        "    - to:",
        "        - namespaceSelector:",
        "            matchLabels:",
        "              kubernetes.io/metadata.name: kube-system",
        "          podSelector:",
        "            matchLabels:",
        "              k8s-app: kube-dns",
        "      ports:",
        "        - protocol: UDP",
        "          port: 53",
        "        - protocol: TCP",
        "          port: 53",
        "",
      ].join("\n"),
    );
  });

  test("applying the remediation manifests makes NP-02 … NP-05 pass", () => {
    const fixes = buildRemediation(evaluation)
      .filter((item) => item.format === "yaml" && ["NP-02", "NP-03", "NP-04", "NP-05"].includes(item.controlId))
      .flatMap((item) => readYamlCase(item.content));
    const before = inCluster(NAMESPACES);
    const after = evaluateCluster(cluster("{ networkPolicy: azure }"), { namespaces: before.namespaces, policies: [...before.policies, ...fixes] });
    expect(after.controls.map((control) => `${control.id} ${control.status}`)).toEqual([
      "NP-01 pass",
      "NP-02 pass",
      "NP-03 pass",
      "NP-04 pass",
      "NP-05 pass",
      "NP-06 pass",
      "NP-07 pass",
    ]);
  });

  test("NP-04 adds DNS where egress is denied without it", () => {
    const denied = evaluateCluster(
      cluster("{ networkPolicy: azure }"),
      inCluster(`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-all, namespace: api }
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
      `),
    );
    expect(itemsFor(denied, "NP-04").map((item) => manifestNames(item.content))).toEqual([["NetworkPolicy api/bulkhead-allow-dns-egress"]]);
  });

  test("without in-cluster data the manifests are written for default, and say so", () => {
    const blind = evaluateCluster(cluster("{ networkPolicy: none }"), null);
    const [item] = itemsFor(blind, "NP-02");
    expect(manifestNames(item?.content ?? "")).toEqual(["NetworkPolicy default/bulkhead-default-deny-ingress"]);
    expect(item?.caveats).toEqual([
      "Namespaces were not read for this cluster, so these manifests are written for `default`: apply them in every workload namespace.",
      "No network policy engine is enabled, so these policies take effect only after NP-01 is fixed.",
      "A default deny for ingress cuts every inbound connection other policies do not allow: traffic from ingress controllers (ingress-nginx, AKS application routing, Traefik, …) to your services, and Azure Load Balancer health probes to pods behind LoadBalancer services with externalTrafficPolicy: Local, stop until you allow them.",
    ]);
  });
});

interface PatchOperation {
  op: "test" | "replace" | "remove";
  path: string;
  value?: unknown;
}

/** Applies the JSON patch of a `kubectl patch --type=json -p '...'` command to a policy, as the API server would. */
function applyPatchCommand(command: string, policy: { spec: { egress: unknown[] } }): void {
  const json = /-p '(.*)'$/m.exec(command)?.[1];
  if (!json) throw new Error(`no patch in ${command}`);
  for (const operation of JSON.parse(json) as PatchOperation[]) {
    const index = Number(operation.path.replace("/spec/egress/", ""));
    if (operation.op === "test") expect(policy.spec.egress[index]).toEqual(operation.value);
    if (operation.op === "replace") policy.spec.egress[index] = operation.value;
    if (operation.op === "remove") policy.spec.egress.splice(index, 1);
  }
}

describe("NP-05: IMDS", () => {
  const policies = `
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: deny-all, namespace: api }
    spec:
      podSelector: {}
      policyTypes: [Ingress, Egress]
    ---
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: egress, namespace: api }
    spec:
      podSelector: { matchLabels: { app: web } }
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock: { cidr: 169.254.169.254/32 }
        - to:
            - ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] }
          ports:
            - port: 80
        - ports:
            - port: 8080
  `;

  test("the patch takes IMDS out of every rule, and the result passes", () => {
    const data = inCluster(policies);
    const evaluation = evaluateCluster(cluster("{ networkPolicy: azure }"), data);
    expect(evaluation.imdsRules.map((rule) => rule.index)).toEqual([0, 1]);
    const [patch] = itemsFor(evaluation, "NP-05").filter((item) => item.format === "shell");
    expect(patch?.title).toBe("Take 169.254.169.254 out of 2 egress rules: api/egress egress[0], api/egress egress[1]");
    const target = data.policies[1] as { spec: { egress: unknown[] } };
    applyPatchCommand(patch?.content ?? "", target);
    expect(target.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "169.254.169.254/32"] } }], ports: [{ port: 80 }] },
      { ports: [{ port: 8080 }] },
    ]);
    const after = evaluateCluster(cluster("{ networkPolicy: azure }"), data);
    expect(after.imdsRules).toEqual([]);
    expect(after.controls[4]?.status).toBe("pass");
  });

  test("a rule with no peers is spelled out as everything it had but IMDS (IPv6 kept)", () => {
    expect(excludeImdsFromRule({ ports: [{ port: 80 }] })).toEqual({
      ports: [{ port: 80 }],
      to: [{ namespaceSelector: {} }, { ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32"] } }, { ipBlock: { cidr: "::/0" } }],
    });
  });

  test("podLinkLocalAccess: None is offered as the alternative", () => {
    const evaluation = evaluateCluster(cluster("{ networkPolicy: azure }"), inCluster(policies));
    const alternative = itemsFor(evaluation, "NP-05").find((item) => item.format === "bicep");
    expect(alternative?.content).toContain("podLinkLocalAccess: 'None'");
  });
});

describe("NP-06 and NP-07", () => {
  test("allow-any rules are listed with where they are and how to narrow them", () => {
    const evaluation = evaluateCluster(
      cluster("{ networkPolicy: azure }"),
      inCluster(`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: from-cluster, namespace: api }
        spec:
          podSelector: {}
          ingress:
            - from:
                - namespaceSelector: {}
      `),
    );
    const [item] = itemsFor(evaluation, "NP-06");
    expect(item?.title).toBe("Tighten 1 allow-any rule");
    expect(readYamlCase(item?.content ?? "")).toEqual([
      [
        {
          where: "api/from-cluster ingress[0]",
          class: "C",
          problem: "every pod of every namespace (an empty namespaceSelector, the cluster entity) on every port",
          fix: "select the namespaces by label (kubernetes.io/metadata.name) and the pods, and list the ports",
          rule: { from: [{ namespaceSelector: {} }] },
        },
      ],
    ]);
  });

  test("no policies at all: a baseline for every workload namespace", () => {
    const evaluation = evaluateCluster(cluster("{ networkPolicy: calico }"), inCluster("apiVersion: v1\nkind: Namespace\nmetadata: { name: web }\n"));
    const [item] = itemsFor(evaluation, "NP-07");
    expect(manifestNames(item?.content ?? "")).toEqual([
      "NetworkPolicy web/bulkhead-default-deny-ingress",
      "NetworkPolicy web/bulkhead-default-deny-egress",
      "NetworkPolicy web/bulkhead-allow-dns-egress",
    ]);
  });

  test("nothing fails, nothing to remediate", () => {
    const evaluation = evaluateCluster(
      cluster("{ networkPolicy: cilium, podLinkLocalAccess: None }"),
      inCluster(`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-all, namespace: web }
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: dns, namespace: web }
        spec:
          podSelector: {}
          egress:
            - to:
                - namespaceSelector: {}
                  podSelector: { matchLabels: { k8s-app: kube-dns } }
              ports:
                - { protocol: UDP, port: 53 }
      `),
    );
    expect(evaluation.controls.map((control) => control.status)).toEqual(["pass", "pass", "pass", "pass", "pass", "pass", "pass"]);
    expect(buildRemediation(evaluation)).toEqual([]);
  });
});

describe("baseline manifests fix what analyze reports", () => {
  test("input plus the fix has a default deny both ways everywhere", () => {
    const input = readYamlCase(NAMESPACES);
    const failing = analyzeManifests(input).namespaces.filter((namespace) => !namespace.defaultDenyIngress || !namespace.defaultDenyEgress);
    const fixed = analyzeManifests([...input, ...readYamlCase(renderYamlDocuments(buildBaselineManifests(failing)))]);
    expect(fixed).toEqual({
      namespaces: [
        { name: "api", defaultDenyIngress: true, defaultDenyEgress: true },
        { name: "web", defaultDenyIngress: true, defaultDenyEgress: true },
      ],
      allowAnyRules: [],
    });
  });
});
