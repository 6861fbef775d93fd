// One cluster's plan: its name and place, its network timeline (engine or none, and when that
// changes), tags, Kubernetes versions and node pools.

import { ENGINE_FIX_DELAY, KUBERNETES_VERSIONS, ODD_ENGINES, type FixSpeed, type TeamProfile } from "./catalog";
import {
  ALWAYS,
  NEVER,
  type ClusterPlan,
  type ClusterRole,
  type ClusterSpec,
  type ClusterTraits,
  type EnvKind,
  type NetworkPhase,
  type NetworkPlugin,
  type PlanOptions,
  type PoolPlan,
  type SubscriptionPlan,
  type TagsPhase,
  type VersionPhase,
} from "./plan-types";
import { hashUnit, Random, STREAM } from "./random";
import {
  APP_ROUTING_ADDON_CHANCE,
  AZURE_POLICY_ADDON_CHANCE,
  BACKLOG_FIX_SPAN,
  CAPITALISED_RESOURCE_GROUP_SHARE,
  DEFAULT_SERVICE_CIDR_CHANCE,
  FLAKY_PRIVATE_CLUSTER_CHANCE,
  KUBENET_FIX_TO_CILIUM_CHANCE,
  NEVER_FIXED_BY_SPEED,
  NO_ENGINE_POLICY_VALUES,
  NODE_SUBNET_ENGINES,
  NPM_MIGRATION_SHARE,
  NPM_OVERLAY_TO_CILIUM_DAYS,
  NPM_TO_CILIUM,
  OVERLAY_ENGINES,
  PADDED_OWNER_TAG_CHANCE,
  PERIOD_ENGINES,
  PRIVATE_CLUSTER_CHANCE,
  READ_FAILURE_RATE,
  STANDARD_TIER_NON_PROD_CHANCE,
  TAG_HYGIENE_CATCH_UP_CHANCE,
  WEEKEND_STOPPED_DEV_CHANCE,
} from "./tuning";

const ENV_TOKEN: Record<EnvKind, string> = { prod: "prod", staging: "staging", dev: "dev" };

const ENV_ORDER: readonly EnvKind[] = ["prod", "staging", "dev"];

/** Prod clusters go to a prod subscription of the team's business unit, others to a non-prod one. */
function pickSubscription(options: PlanOptions, index: number, team: TeamProfile, env: EnvKind, subs: SubscriptionPlan[]): number {
  const prod = env === "prod";
  const all = subs.map((_, i) => i);
  let candidates = all.filter((i) => subs[i].businessUnit === team.businessUnit && subs[i].production === prod);
  if (!candidates.length) candidates = all.filter((i) => subs[i].production === prod);
  if (!candidates.length) candidates = all;
  return candidates[Math.floor(hashUnit(options.seed, 77, index) * candidates.length)];
}

export function planCluster(options: PlanOptions, spec: ClusterSpec, index: number, subs: SubscriptionPlan[], counters: Map<string, number>): ClusterPlan {
  const random = new Random(options.seed, STREAM.cluster + index);
  const periodDays = options.days;
  const { team, env, region, bornDay, role, traits } = spec;
  const speed = team.speed;
  const isNew = bornDay >= 0;

  const counterKey = `${team.name}|${env}|${region.short}`;
  const sequence = (counters.get(counterKey) ?? 0) + 1;
  counters.set(counterKey, sequence);
  const name = `aks-${team.name}-${ENV_TOKEN[env]}-${region.short}-${String(sequence).padStart(2, "0")}`;
  const subscriptionIndex = pickSubscription(options, index, team, env, subs);
  const sub = subs[subscriptionIndex];
  sub.clusterIndices.push(index);
  // Resource group names keep their case in ARM ids; a few teams spell theirs in capitals.
  const rgLower = `rg-${team.name}-${ENV_TOKEN[env]}`;
  const resourceGroup = hashUnit(options.seed, 78, subscriptionIndex, spec.teamIndex, ENV_ORDER.indexOf(env)) < CAPITALISED_RESOURCE_GROUP_SHARE ? rgLower.toUpperCase() : rgLower;
  const id = `/subscriptions/${sub.id}/resourcegroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`;

  const { plugin, overlay, windows } = traits;
  const printsDataplane = overlay || isNew;
  const { ciliumWithoutPolicyKey } = traits;

  const noEngine = (): NetworkPhase => ({
    fromDay: bornDay,
    plugin,
    overlay,
    policy: random.weighted(NO_ENGINE_POLICY_VALUES),
    dataplane: printsDataplane ? "azure" : undefined,
  });
  const withEngine = (fromDay: number, p: NetworkPlugin, ov: boolean, engine: "azure" | "calico" | "cilium"): NetworkPhase =>
    engine === "cilium"
      ? { fromDay, plugin: p, overlay: ov, policy: ciliumWithoutPolicyKey ? undefined : "cilium", dataplane: "cilium" }
      : { fromDay, plugin: p, overlay: ov, policy: engine, dataplane: ov || isNew ? "azure" : undefined };
  // Before the period teams still chose Azure NPM; during it (Azure NPM is retiring) they choose
  // Cilium, which takes Azure CNI Overlay (a node-subnet cluster moves to it), or a few Calico.
  // One draw either way, so the rest of the plan stays put.
  const engineFrom = (fromDay: number): NetworkPhase => {
    const inPeriod = fromDay >= 0;
    if (windows) return withEngine(fromDay, plugin, overlay, inPeriod ? "calico" : "azure");
    if (ciliumWithoutPolicyKey) return withEngine(fromDay, plugin, overlay, "cilium");
    if (plugin === "kubenet") return withEngine(fromDay, plugin, overlay, "calico");
    if (!inPeriod) return withEngine(fromDay, plugin, overlay, random.weighted(overlay ? OVERLAY_ENGINES : NODE_SUBNET_ENGINES));
    const engine = random.weighted(PERIOD_ENGINES);
    return engine === "cilium" ? withEngine(fromDay, "azure", true, "cilium") : withEngine(fromDay, plugin, overlay, engine);
  };

  const enabledAtStart = traits.engineFromStart;
  const network: NetworkPhase[] = [];
  let engineDay = ALWAYS;
  if (role === "odd") {
    network.push({ fromDay: bornDay, plugin, overlay, policy: traits.oddEngine ?? ODD_ENGINES[0] });
    engineDay = NEVER;
  } else if (role === "large") {
    network.push(withEngine(bornDay, plugin, overlay, "azure"));
  } else if (enabledAtStart) {
    const phase = engineFrom(bornDay);
    network.push(phase);
    // Azure NPM is being retired; some overlay clusters move to Cilium during the period.
    if (phase.policy === "azure" && overlay && !windows && periodDays >= NPM_TO_CILIUM.fromDays && random.chance(NPM_TO_CILIUM.chance)) {
      network.push(withEngine(random.int(Math.max(1, bornDay + 1), periodDays - 1), plugin, overlay, "cilium"));
    }
  } else {
    network.push(noEngine());
    engineDay = planEngineFixDay(random, speed, bornDay, traits.backlogFixed, periodDays);
    if (engineDay !== NEVER) {
      if (plugin === "kubenet" && random.chance(KUBENET_FIX_TO_CILIUM_CHANCE)) network.push(withEngine(engineDay, "azure", true, "cilium"));
      else network.push(engineFrom(engineDay));
    }
  }

  planNpmMigration(network, { seed: options.seed, index, bornDay, periodDays, windows, role });

  const firstDay = Math.max(0, bornDay);
  const tags = planTags(random, team, env, traits.tagging, firstDay, periodDays);
  const versions = planVersions(random, speed, bornDay, periodDays);
  const pools = planPools(random, team, env, role, windows);

  const privateCluster = random.chance(PRIVATE_CLUSTER_CHANCE[env === "prod" ? "prod" : "other"]);
  const serviceCidr = random.chance(DEFAULT_SERVICE_CIDR_CHANCE) ? "10.0.0.0/16" : "172.16.0.0/16";
  return {
    index,
    role,
    team,
    env,
    location: region.name,
    subscriptionIndex,
    subscriptionId: sub.id,
    resourceGroup,
    name,
    id,
    key: id.toLowerCase(),
    bornDay,
    deleteDay: NEVER,
    engineDay,
    network,
    tags,
    versions,
    pools,
    podLinkLocalNone: traits.podLinkLocalNone,
    exemplary: traits.exemplary,
    privateCluster,
    noInClusterAccess: traits.noInClusterAccess,
    flakiness: privateCluster ? (random.chance(FLAKY_PRIVATE_CLUSTER_CHANCE) ? READ_FAILURE_RATE.flakyPrivate : READ_FAILURE_RATE.private) : READ_FAILURE_RATE.public,
    stopsOnWeekends: env === "dev" && random.chance(WEEKEND_STOPPED_DEV_CHANCE),
    azurePolicyAddon: random.chance(AZURE_POLICY_ADDON_CHANCE[env === "prod" ? "prod" : "other"]),
    appRoutingAddon: random.chance(APP_ROUTING_ADDON_CHANCE),
    skuTier: env === "prod" || random.chance(STANDARD_TIER_NON_PROD_CHANCE) ? "Standard" : "Free",
    dnsSuffix: random.hex(8),
    privateDnsZoneId: random.guid(),
    apiServerIp: `10.${random.int(1, 250)}.${random.int(0, 255)}.4`,
    serviceCidr,
    dnsServiceIp: serviceCidr.replace(/0\/16$/, "10"),
    podCidr: plugin === "kubenet" || overlay ? random.pick(["10.244.0.0/16", "192.168.0.0/16"]) : "",
    namespaces: [],
    incidents: [],
    // Planned after the namespaces (plan-policy-style.ts, plan-workloads.ts).
    policyStyle: { style: "kubernetes", styleFromDay: NEVER, baselineIngressDay: NEVER, baselineEgressDay: NEVER, imdsDenyDay: NEVER, calicoLeftovers: false, adminPoliciesDay: NEVER },
    workloads: new Map(),
  };
}

/** When an unprotected cluster gets its engine: the backlog over the period, new ones after a team-specific delay. */
function planEngineFixDay(random: Random, speed: FixSpeed, bornDay: number, backlogFixed: boolean, periodDays: number): number {
  if (bornDay < 0) {
    if (!backlogFixed || periodDays < 2) return NEVER;
    const span = BACKLOG_FIX_SPAN[speed] * (periodDays - 2);
    return 1 + Math.floor(random.next() * span);
  }
  if (random.chance(NEVER_FIXED_BY_SPEED[speed])) return NEVER;
  const [lo, hi] = ENGINE_FIX_DELAY[speed];
  return bornDay + random.int(lo, hi);
}

function planTags(random: Random, team: TeamProfile, env: EnvKind, tagging: ClusterTraits["tagging"], firstDay: number, periodDays: number): TagsPhase[] {
  const ownerKey = random.weighted([["owner", 68], ["team", 17], ["Owner", 15]] as const);
  const ownerValue = random.chance(PADDED_OWNER_TAG_CHANCE) ? ` ${team.name} ` : team.name;
  const envKey = random.weighted([["environment", 60], ["env", 30], ["Environment", 10]] as const);
  const envValue =
    env === "prod"
      ? random.weighted([["prod", 45], ["production", 45], ["Production", 10]] as const)
      : env === "staging"
        ? random.weighted([["staging", 85], ["stage", 15]] as const)
        : random.weighted([["dev", 80], ["development", 20]] as const);
  const costCenter = `cc-${100 + (team.name.length * 7 + team.name.charCodeAt(0)) % 90}`;
  const managedBy = random.weighted([["terraform", 60], ["bicep", 15], [null, 25]] as const);

  const full: Record<string, string> = {};
  full[ownerKey] = ownerValue;
  full[envKey] = envValue;
  full.costCenter = costCenter;
  if (managedBy) full.managedBy = managedBy;

  if (tagging === "full") return [{ fromDay: firstDay, tags: full }];
  const phases: TagsPhase[] = [{ fromDay: firstDay, tags: tagging === "partial" ? { costCenter } : null }];
  // Tag hygiene catches up with half of them during the period.
  if (firstDay + 1 <= periodDays - 1 && random.chance(TAG_HYGIENE_CATCH_UP_CHANCE)) phases.push({ fromDay: random.int(firstDay + 1, periodDays - 1), tags: full });
  return phases;
}

function latestVersionIndex(day: number, periodDays: number): number {
  return Math.min(KUBERNETES_VERSIONS.length - 1, 10 + Math.floor((8 * Math.max(0, day)) / Math.max(1, periodDays)));
}

function planVersions(random: Random, speed: FixSpeed, bornDay: number, periodDays: number): VersionPhase[] {
  let idx = bornDay < 0 ? (bornDay < -500 ? random.int(2, 7) : random.int(4, 10)) : Math.max(0, latestVersionIndex(bornDay, periodDays) - random.int(1, 3));
  const phases: VersionPhase[] = [{ fromDay: bornDay, version: KUBERNETES_VERSIONS[idx] }];
  const firstDay = Math.max(0, bornDay);
  if (firstDay + 1 > periodDays - 1) return phases;
  const upgrades = speed === "fast" ? 2 : speed === "medium" ? 1 : random.int(0, 1);
  const days = Array.from({ length: upgrades }, () => random.int(firstDay + 1, periodDays - 1)).sort((a, b) => a - b);
  for (const day of days) {
    const next = Math.min(latestVersionIndex(day, periodDays), idx + random.int(1, 3));
    if (next > idx && day > phases[phases.length - 1].fromDay) {
      idx = next;
      phases.push({ fromDay: day, version: KUBERNETES_VERSIONS[idx] });
    }
  }
  return phases;
}

function planPools(random: Random, team: TeamProfile, env: EnvKind, role: ClusterRole, windows: boolean): PoolPlan[] {
  const systemAutoscale = random.chance(0.5);
  const pools: PoolPlan[] = [
    {
      name: random.pick(["system", "systempool", "sys"]),
      vmSize: env === "dev" ? "Standard_D2s_v5" : random.pick(["Standard_D4s_v5", "Standard_D4ds_v5"]),
      osType: "Linux",
      osSku: random.chance(0.3) ? "AzureLinux" : "Ubuntu",
      mode: "System",
      autoscale: systemAutoscale,
      minCount: systemAutoscale ? 2 : 3,
      maxCount: systemAutoscale ? 5 : 3,
      baseCount: 3,
      maxPods: random.pick([30, 110, 110, 250]),
    },
  ];
  if (role === "large") {
    for (const name of ["user1", "user2"]) {
      pools.push({ name, vmSize: "Standard_D16s_v5", osType: "Linux", osSku: "Ubuntu", mode: "User", autoscale: true, minCount: 130, maxCount: 200, baseCount: random.int(140, 175), maxPods: 110 });
    }
    return pools;
  }
  const dataTeam = team.businessUnit === "data";
  const userPools = env === "dev" ? random.weighted([[0, 15], [1, 75], [2, 10]] as const) : random.weighted([[1, 70], [2, 30]] as const);
  const names = random.shuffle(["user", "apps", "np01", "workload"]);
  for (let i = 0; i < userPools; i++) {
    const gpu = dataTeam && i === 1;
    const vmSize = gpu
      ? random.pick(["Standard_NC6s_v3", "Standard_NC24ads_A100_v4", "Standard_NC4as_T4_v3"])
      : env === "dev"
        ? random.pick(["Standard_B4ms", "Standard_D4s_v5"])
        : dataTeam
          ? random.pick(["Standard_E8s_v5", "Standard_E16s_v5", "Standard_D16s_v5"])
          : random.pick(["Standard_D8s_v5", "Standard_D8as_v5", "Standard_D16s_v5", "Standard_F8s_v2"]);
    const autoscale = random.chance(0.75);
    const minCount = env === "prod" ? random.int(3, 6) : env === "staging" ? 2 : 1;
    const maxCount = env === "prod" ? random.int(10, 40) : env === "staging" ? random.int(6, 12) : random.int(3, 5);
    pools.push({
      name: gpu ? "gpu" : names[i],
      vmSize,
      osType: "Linux",
      osSku: random.chance(0.3) ? "AzureLinux" : "Ubuntu",
      mode: "User",
      autoscale,
      minCount,
      maxCount: autoscale ? maxCount : minCount,
      baseCount: autoscale ? minCount + random.int(0, Math.floor((maxCount - minCount) / 3)) : minCount,
      maxPods: random.pick([30, 110, 110, 250]),
    });
  }
  if (windows) {
    pools.push({ name: "win22", vmSize: "Standard_D4s_v5", osType: "Windows", osSku: "Windows2022", mode: "User", autoscale: true, minCount: 1, maxCount: 6, baseCount: 2, maxPods: 30 });
  }
  return pools;
}

/**
 * Azure NPM is retiring (docs/migration.md): most Linux NPM clusters move to Azure CNI Overlay with
 * Cilium during the period, more of them towards its end, so the Migration page's burn-down falls.
 * A node-subnet cluster goes the documented way, to Azure CNI Overlay first and to the Cilium
 * dataplane some weeks later; one whose second step falls after the period is still on NPM at its
 * end, ready or with policies to mend (the migration in progress). Windows and large clusters stay:
 * the readiness checks block them. Decided by hashes of the cluster, not the plan's random stream,
 * so nothing else of the estate moves.
 */
function planNpmMigration(network: NetworkPhase[], c: { seed: number; index: number; bornDay: number; periodDays: number; windows: boolean; role: string }): void {
  const last = network[network.length - 1];
  if (!last || last.policy !== "azure" || c.windows || c.role === "large" || c.periodDays < NPM_TO_CILIUM.fromDays) return;
  if (hashUnit(c.seed, 97, c.index) >= NPM_MIGRATION_SHARE) return;
  const start = Math.max(1, c.bornDay + 1, last.fromDay + 1);
  const span = c.periodDays - 1 - start;
  if (span < 1) return;
  const day = start + Math.floor(Math.sqrt(hashUnit(c.seed, 98, c.index)) * span);
  if (last.overlay) {
    network.push({ fromDay: day, plugin: "azure", overlay: true, policy: "cilium", dataplane: "cilium" });
    return;
  }
  network.push({ fromDay: day, plugin: "azure", overlay: true, policy: "azure", dataplane: "azure" });
  const [lo, hi] = NPM_OVERLAY_TO_CILIUM_DAYS;
  const ciliumDay = day + lo + Math.floor(hashUnit(c.seed, 99, c.index) * (hi - lo + 1));
  if (ciliumDay < c.periodDays) network.push({ fromDay: ciliumDay, plugin: "azure", overlay: true, policy: "cilium", dataplane: "cilium" });
}
