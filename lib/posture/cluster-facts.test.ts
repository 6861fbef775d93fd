import { describe, expect, test } from "vitest";

import { ClusterInputError, readClusterFacts } from "./cluster-facts";
import { DEFAULT_POSTURE_CONFIG } from "./config";
import type { ClusterFacts, PostureConfig } from "./types";
import { readYamlObject } from "@/testing/yaml-cases";

const ID = "/subscriptions/3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f/resourceGroups/RG-Payments/providers/Microsoft.ContainerService/managedClusters/aks-pay";

/** A cluster as `az aks list -o json` prints it, with `extra` YAML lines appended at the top level. */
function cluster(extra: string): string {
  return `
    id: ${ID}
    name: aks-pay
    location: westeurope
${extra
  .split("\n")
  .map((line) => `    ${line}`)
  .join("\n")}
  `;
}

interface FactsCase {
  name: string;
  yaml: string;
  expect: Partial<ClusterFacts>;
  config?: PostureConfig;
}

function check(row: FactsCase): void {
  const facts = readClusterFacts(readYamlObject(row.yaml), row.config ?? DEFAULT_POSTURE_CONFIG);
  const picked = Object.fromEntries(Object.keys(row.expect).map((key) => [key, facts[key as keyof ClusterFacts]]));
  expect(picked).toEqual(row.expect);
}

describe("identity", () => {
  test("key, subscription and resource group come from the ARM id", () => {
    const facts = readClusterFacts(readYamlObject(cluster("tags: {}")));
    expect(facts).toMatchObject({
      key: ID.toLowerCase(),
      id: ID,
      name: "aks-pay",
      subscriptionId: "3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f",
      resourceGroup: "RG-Payments",
      location: "westeurope",
      nodeCount: 0,
      hasWindowsPool: false,
      tags: {},
    });
  });

  const broken: { name: string; value: unknown }[] = [
    { name: "id missing", value: { name: "aks" } },
    { name: "id not a string", value: { id: 42 } },
    { name: "id not an ARM id", value: { id: "aks-pay" } },
    { name: "cluster not an object", value: "aks-pay" },
  ];
  test.each(broken)("$name throws ClusterInputError naming `id`", ({ value }) => {
    expect(() => readClusterFacts(value)).toThrow(ClusterInputError);
    expect(() => readClusterFacts(value)).toThrow(/`id`/);
  });

  test("name falls back to the last segment of the id", () => {
    expect(readClusterFacts({ id: ID }).name).toBe("aks-pay");
  });
});

describe("owner and production tags", () => {
  const rows: FactsCase[] = [
    { name: "owner tag", yaml: cluster("tags: { owner: payments }"), expect: { owner: "payments" } },
    { name: "Owner in another case", yaml: cluster("tags: { Owner: platform }"), expect: { owner: "platform" } },
    { name: "OWNER trimmed", yaml: cluster('tags: { OWNER: "  payments  " }'), expect: { owner: "payments" } },
    { name: "team when there is no owner", yaml: cluster("tags: { team: analytics }"), expect: { owner: "analytics" } },
    { name: "owner wins over team", yaml: cluster("tags: { team: analytics, owner: payments }"), expect: { owner: "payments" } },
    { name: "empty owner is (untagged)", yaml: cluster('tags: { owner: "" }'), expect: { owner: "(untagged)" } },
    { name: "blank owner is (untagged)", yaml: cluster('tags: { owner: "   " }'), expect: { owner: "(untagged)" } },
    {
      name: "an empty owner tag decides, even with a team tag",
      yaml: cluster('tags: { owner: "", team: analytics }'),
      expect: { owner: "(untagged)" },
    },
    { name: "no tags at all", yaml: cluster("tags: null"), expect: { owner: "(untagged)", production: false, tags: {} } },
    {
      name: "configured owner keys",
      yaml: cluster("tags: { owner: payments, CostCenter: cc-104 }"),
      config: { ...DEFAULT_POSTURE_CONFIG, ownerTagKeys: ["costcenter"] },
      expect: { owner: "cc-104" },
    },
    { name: "environment: production", yaml: cluster("tags: { environment: production }"), expect: { production: true } },
    { name: "Env: PROD", yaml: cluster("tags: { Env: PROD }"), expect: { production: true } },
    { name: "Environment: Production, trimmed", yaml: cluster('tags: { Environment: " Production " }'), expect: { production: true } },
    { name: "environment: staging", yaml: cluster("tags: { environment: staging }"), expect: { production: false } },
    { name: "prod under another key", yaml: cluster("tags: { stage: prod }"), expect: { production: false } },
    {
      name: "configured production values",
      yaml: cluster("tags: { env: live }"),
      config: { ...DEFAULT_POSTURE_CONFIG, prodValues: ["live"] },
      expect: { production: true },
    },
    { name: "non-string tag values are dropped", yaml: cluster("tags: { owner: 42, team: web }"), expect: { owner: "web", tags: { team: "web" } } },
  ];
  test.each(rows)("$name", check);
});

describe("policy engine", () => {
  const rows: FactsCase[] = [
    {
      name: "azure",
      yaml: cluster("networkProfile: { networkPlugin: azure, networkPolicy: azure }"),
      expect: { engine: "azure", engineEnabled: true, rawNetworkPolicy: "azure", networkPlugin: "azure" },
    },
    { name: "Calico in another case", yaml: cluster("networkProfile: { networkPolicy: Calico }"), expect: { engine: "calico", engineEnabled: true, rawNetworkPolicy: "Calico" } },
    { name: "cilium", yaml: cluster("networkProfile: { networkPolicy: cilium }"), expect: { engine: "cilium", engineEnabled: true } },
    {
      name: "a Cilium dataplane enables Cilium whatever networkPolicy says",
      yaml: cluster("networkProfile: { networkPolicy: none, networkDataplane: cilium }"),
      expect: { engine: "cilium", engineEnabled: true, rawNetworkPolicy: "none", networkDataplane: "cilium" },
    },
    { name: "networkPolicy absent", yaml: cluster("networkProfile: { networkPlugin: kubenet }"), expect: { engine: "none", engineEnabled: false, rawNetworkPolicy: null } },
    { name: "networkPolicy null", yaml: cluster("networkProfile: { networkPolicy: null }"), expect: { engine: "none", engineEnabled: false } },
    { name: "networkPolicy empty", yaml: cluster('networkProfile: { networkPolicy: "" }'), expect: { engine: "none", engineEnabled: false } },
    { name: "networkPolicy none", yaml: cluster("networkProfile: { networkPolicy: none }"), expect: { engine: "none", engineEnabled: false } },
    {
      name: "an unknown engine is recorded and not enabled",
      yaml: cluster("networkProfile: { networkPolicy: Antrea }"),
      expect: { engine: "unknown:antrea", engineEnabled: false, rawNetworkPolicy: "Antrea" },
    },
    {
      name: "a non-string networkPolicy is unknown, not none",
      yaml: cluster("networkProfile: { networkPolicy: 42 }"),
      expect: { engine: "unknown:42", engineEnabled: false, rawNetworkPolicy: null },
    },
    { name: "no networkProfile at all", yaml: cluster("sku: { tier: Free }"), expect: { engine: "none", engineEnabled: false, podLinkLocalAccess: null } },
    {
      name: "podLinkLocalAccess and plugin mode are kept raw",
      yaml: cluster("networkProfile: { networkPluginMode: overlay, podLinkLocalAccess: None }"),
      expect: { networkPluginMode: "overlay", podLinkLocalAccess: "None" },
    },
  ];
  test.each(rows)("$name", check);
});

describe("node pools", () => {
  const rows: FactsCase[] = [
    {
      name: "node count is the sum of the pools' counts; Windows pools are noticed",
      yaml: cluster("agentPoolProfiles:\n  - { name: system, count: 3, osType: Linux }\n  - { name: win, count: 2, osType: Windows }"),
      expect: { nodeCount: 5, hasWindowsPool: true },
    },
    {
      name: "missing and broken counts add nothing",
      yaml: cluster('agentPoolProfiles:\n  - { name: a, count: 4 }\n  - { name: b }\n  - { name: c, count: "7" }\n  - null'),
      expect: { nodeCount: 4, hasWindowsPool: false },
    },
    { name: "agentPoolProfiles not a list", yaml: cluster("agentPoolProfiles: lots"), expect: { nodeCount: 0, hasWindowsPool: false } },
  ];
  test.each(rows)("$name", check);
});
