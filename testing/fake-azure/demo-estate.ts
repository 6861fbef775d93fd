import { clusterFromAz, loadSampleEstate, makeDefaultDeny, makeNamespace, type FakeEstate } from "./fake-estate";

const FORBIDDEN_SUBSCRIPTION = "c0ffee00-0000-4000-8000-00000000f403";

/**
 * The sample estate plus what a real tenant throws at a collector: a throttled first listing
 * (Retry-After 1 s), a subscription that answers 403, a private cluster whose API server cannot
 * be reached, and a cluster with 300 namespaces (several pages).
 */
export async function loadDemoFakeEstate(): Promise<FakeEstate> {
  const estate = await loadSampleEstate();
  const [first, second] = estate.subscriptions;
  first.listingFailures = [{ status: 429, retryAfterSeconds: 1 }];
  const webDev = second.clusters.find((cluster) => cluster.name === "aks-web-dev");
  if (webDev) webDev.kube = { namespaces: [], policies: [], behaviour: "unreachable" };

  const names = Array.from({ length: 300 }, (_, i) => `team-${String(i).padStart(3, "0")}`);
  second.clusters.push(
    clusterFromAz(
      {
        id: `/subscriptions/${second.subscriptionId}/resourcegroups/rg-shared/providers/Microsoft.ContainerService/managedClusters/aks-shared-prod`,
        name: "aks-shared-prod",
        location: "westeurope",
        type: "Microsoft.ContainerService/ManagedClusters",
        tags: { owner: "platform", environment: "production" },
        kubernetesVersion: "1.31.2",
        agentPoolProfiles: [{ name: "system", count: 5, osType: "Linux", mode: "System" }],
        networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay", networkPolicy: "cilium", networkDataplane: "cilium", podLinkLocalAccess: "IMDS" },
      },
      { namespaces: ["default", "kube-system", ...names].map(makeNamespace), policies: ["default", ...names].map(makeDefaultDeny) },
    ),
  );
  estate.subscriptions.push({ subscriptionId: FORBIDDEN_SUBSCRIPTION, displayName: "Finance (no access)", clusters: [], listingAlways: { status: 403 } });
  return estate;
}
