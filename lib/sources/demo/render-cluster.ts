// One cluster as `az aks list -o json` prints it on a given day of the demo.

import { phaseAt, type ClusterPlan, type PoolPlan } from "./plan-types";
import { hashUnit } from "./random";

const DEFAULT_OVERLAY_POD_CIDR = "10.244.0.0/16";

/** Daily autoscaler drift around the pool's base size, within its bounds. */
function poolCountOn(seed: number, c: ClusterPlan, poolIndex: number, pool: PoolPlan, day: number): number {
  if (!pool.autoscale) return pool.baseCount;
  const spread = Math.max(2, (pool.maxCount - pool.minCount) * 0.25);
  const count = pool.baseCount + Math.round((hashUnit(seed, 91, c.index, poolIndex, day) - 0.5) * spread);
  return Math.min(pool.maxCount, Math.max(pool.minCount, count));
}

export function renderClusterJson(c: ClusterPlan, day: number, seed: number, stopped: boolean): Record<string, unknown> {
  const net = phaseAt(c.network, day);
  const tags = phaseAt(c.tags, day).tags;
  const version = phaseAt(c.versions, day).version;
  const dnsPrefix = `${c.name}-dns`;
  const powerState = { code: stopped ? "Stopped" : "Running" };

  const networkProfile: Record<string, unknown> = { networkPlugin: net.plugin };
  if (net.overlay) networkProfile.networkPluginMode = "overlay";
  if (net.policy !== undefined) networkProfile.networkPolicy = net.policy;
  if (net.dataplane) networkProfile.networkDataplane = net.dataplane;
  // A node-subnet cluster moved to Azure CNI Overlay gets Azure's default overlay pod range.
  if (net.plugin === "kubenet" || net.overlay) networkProfile.podCidr = c.podCidr || DEFAULT_OVERLAY_POD_CIDR;
  networkProfile.serviceCidr = c.serviceCidr;
  networkProfile.dnsServiceIp = c.dnsServiceIp;
  networkProfile.outboundType = c.privateCluster ? "userDefinedRouting" : "loadBalancer";
  networkProfile.loadBalancerSku = "standard";
  networkProfile.ipFamilies = ["IPv4"];
  if (c.podLinkLocalNone) networkProfile.podLinkLocalAccess = "None";
  else if (net.overlay && c.bornDay >= 0) networkProfile.podLinkLocalAccess = "IMDS";

  const agentPoolProfiles = c.pools.map((pool, i) => {
    const profile: Record<string, unknown> = {
      name: pool.name,
      count: poolCountOn(seed, c, i, pool, day),
      vmSize: pool.vmSize,
      osDiskSizeGb: pool.osType === "Windows" ? 256 : 128,
      osDiskType: pool.vmSize.includes("ds_") ? "Ephemeral" : "Managed",
      maxPods: pool.maxPods,
      type: "VirtualMachineScaleSets",
      enableAutoScaling: pool.autoscale,
    };
    if (pool.autoscale) {
      profile.minCount = pool.minCount;
      profile.maxCount = pool.maxCount;
    }
    profile.provisioningState = "Succeeded";
    profile.powerState = { code: powerState.code };
    profile.orchestratorVersion = version;
    profile.currentOrchestratorVersion = version;
    profile.mode = pool.mode;
    profile.osType = pool.osType;
    profile.osSku = pool.osSku;
    return profile;
  });

  const cluster: Record<string, unknown> = {
    id: c.id,
    location: c.location,
    name: c.name,
    tags: tags ? { ...tags } : null,
    type: "Microsoft.ContainerService/ManagedClusters",
    resourceGroup: c.resourceGroup,
    identity: { type: "SystemAssigned" },
    sku: { name: "Base", tier: c.skuTier },
    kubernetesVersion: version,
    currentKubernetesVersion: version,
    dnsPrefix,
    fqdn: `${dnsPrefix}-${c.dnsSuffix}.hcp.${c.location}.azmk8s.io`,
    azurePortalFqdn: `${dnsPrefix}-${c.dnsSuffix}.portal.hcp.${c.location}.azmk8s.io`,
  };
  if (c.privateCluster) cluster.privateFqdn = `${dnsPrefix}-${c.dnsSuffix}.${c.privateDnsZoneId}.privatelink.${c.location}.azmk8s.io`;
  cluster.agentPoolProfiles = agentPoolProfiles;
  cluster.enableRbac = true;
  cluster.nodeResourceGroup = `MC_${c.resourceGroup}_${c.name}_${c.location}`;
  cluster.networkProfile = networkProfile;
  cluster.aadProfile = { managed: true, enableAzureRbac: true };
  if (c.privateCluster) cluster.apiServerAccessProfile = { enablePrivateCluster: true, enablePrivateClusterPublicFqdn: true };
  cluster.addonProfiles = { azurepolicy: { enabled: c.azurePolicyAddon, config: null } };
  if (c.appRoutingAddon) cluster.ingressProfile = { webAppRouting: { enabled: true } };
  cluster.oidcIssuerProfile = { enabled: c.bornDay > -300 };
  cluster.provisioningState = "Succeeded";
  cluster.powerState = powerState;
  cluster.maxAgentPools = 100;
  return cluster;
}
