// createClusterEvaluator: the same evaluations as evaluateCluster, with each set of in-cluster objects
// judged once per engine settings however many cluster documents it is paired with.

import { describe, expect, test } from "vitest";

import { DEFAULT_POSTURE_CONFIG } from "./config";
import { createClusterEvaluator, evaluateCluster } from "./evaluate-cluster";
import type { InClusterData, PostureConfig } from "./types";

const ID = "/subscriptions/aaaaaaaa-0000-4000-8000-000000000001/resourcegroups/rg/providers/Microsoft.ContainerService/managedClusters/aks";

function cluster(options: { nodes: number; engine: "azure" | "cilium"; podCidr?: string }) {
  return {
    id: ID,
    name: "aks",
    location: "westeurope",
    tags: { owner: "team-a", environment: "production" },
    agentPoolProfiles: [{ name: "system", count: options.nodes, osType: "Linux", mode: "System" }],
    networkProfile:
      options.engine === "cilium"
        ? { networkPlugin: "azure", networkPluginMode: "overlay", networkDataplane: "cilium", networkPolicy: "cilium", podCidr: options.podCidr ?? "10.244.0.0/16" }
        : { networkPlugin: "azure", networkPolicy: "azure", podCidr: options.podCidr ?? "10.244.0.0/16" },
  };
}

// A cluster-wide Cilium default deny: it counts under Cilium only.
const objects = (): InClusterData => ({
  namespaces: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } }],
  policies: [],
  ciliumClusterwideNetworkPolicies: [
    {
      apiVersion: "cilium.io/v2",
      kind: "CiliumClusterwideNetworkPolicy",
      metadata: { name: "baseline" },
      spec: { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { app: "frontend" } }] }], egress: [{ toEndpoints: [{ matchLabels: { app: "api" } }] }] },
    },
  ],
});

describe("createClusterEvaluator", () => {
  test("gives what evaluateCluster gives, for every cluster document one in-cluster document is paired with", () => {
    const evaluate = createClusterEvaluator();
    const inCluster = objects();
    const documents = [
      cluster({ nodes: 3, engine: "cilium" }),
      cluster({ nodes: 4, engine: "cilium" }),
      cluster({ nodes: 4, engine: "azure" }),
      cluster({ nodes: 5, engine: "cilium", podCidr: "10.0.0.0/8" }),
      cluster({ nodes: 3, engine: "cilium" }),
    ];
    const shared = documents.map((document) => evaluate(document, inCluster, DEFAULT_POSTURE_CONFIG));
    const alone = documents.map((document) => evaluateCluster(document, objects(), DEFAULT_POSTURE_CONFIG));
    expect(shared).toEqual(alone);
    // The engine decides what is enforced: the Cilium object isolates under Cilium only.
    expect(shared[0]?.namespaces[0]).toMatchObject({ defaultDenyIngress: true });
    expect(shared[2]?.namespaces[0]).toMatchObject({ defaultDenyIngress: false });
    // Node counts do not change the judgement: it is the same one, shared.
    expect(shared[1]?.namespaces).toBe(shared[0]?.namespaces);
    expect(shared[4]?.namespaces).toBe(shared[0]?.namespaces);
    expect(shared[2]?.namespaces).not.toBe(shared[0]?.namespaces);
    expect(shared[3]?.namespaces).not.toBe(shared[0]?.namespaces);
  });

  test("judges again under another configuration", () => {
    const evaluate = createClusterEvaluator();
    const inCluster = objects();
    const shopIsSystem: PostureConfig = { ...DEFAULT_POSTURE_CONFIG, systemNamespaces: [...DEFAULT_POSTURE_CONFIG.systemNamespaces, "shop"] };
    const document = cluster({ nodes: 3, engine: "cilium" });
    expect(evaluate(document, inCluster, DEFAULT_POSTURE_CONFIG).namespaces.map((namespace) => namespace.name)).toEqual(["shop"]);
    expect(evaluate(document, inCluster, shopIsSystem)).toEqual(evaluateCluster(document, objects(), shopIsSystem));
    expect(evaluate(document, inCluster, shopIsSystem).namespaces).toEqual([]);
  });
});
