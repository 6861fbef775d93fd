// Plans the whole synthetic estate up front: who owns what, when each cluster is created, fixed,
// broken and deleted. Costs O(clusters) once; rendering a day later is a per-cluster lookup.

import type { FaultCause } from "@/lib/sources/source";
import {
  ALLOW_ANY_LIFETIME,
  DENY_ROLLOUT_DELAY,
  ENGINE_FIX_DELAY,
  KUBERNETES_VERSIONS,
  PLATFORM_NAMESPACES,
  REGIONS,
  WAIVER_APPROVERS,
  listSubscriptionTemplates,
  listTeams,
  type FixSpeed,
  type RegionInfo,
  type TeamProfile,
} from "./catalog";
import {
  ALWAYS,
  NEVER,
  type AllowAnyIncident,
  type AllowAnyShape,
  type ClusterPlan,
  type ClusterRole,
  type DemoControlId,
  type EgressAllow,
  type EnvKind,
  type EstatePlan,
  type IngressAllow,
  type ListingFailure,
  type NamespacePlan,
  type NetworkPhase,
  type NetworkPlugin,
  type PlannedWaiver,
  type PoolPlan,
  type SubscriptionPlan,
  type TagsPhase,
  type VersionPhase,
} from "./plan-types";
import { Random, hashUnit } from "./random";

export interface PlanOptions {
  clusters: number;
  days: number;
  seed: number;
  subscriptions: number;
  owners: number;
}


/** Rare traits are handed out by quota, not coin flips, so every estate has its "few" of each. */
interface ClusterTraits {
  plugin: NetworkPlugin;
  overlay: boolean;
  /** An engine from the cluster's first day in the period. */
  engineFromStart: boolean;
  /** Older than the period, without an engine, and fixed during the period. */
  backlogFixed: boolean;
  windows: boolean;
  /** A platform-team reference cluster: default deny everywhere from day one, no sloppy rules. */
  exemplary: boolean;
  /** Runs Cilium and prints no networkPolicy key. */
  ciliumWithoutPolicyKey: boolean;
  tagging: "full" | "partial" | "none";
  podLinkLocalNone: boolean;
  noInClusterAccess: boolean;
  oddEngine: string | null;
}

interface ClusterSpec {
  team: TeamProfile;
  teamIndex: number;
  env: EnvKind;
  region: RegionInfo;
  bornDay: number;
  role: ClusterRole;
  traits: ClusterTraits;
}

/** Random streams: one per purpose, so adding a feature to one does not reshuffle the others. */
const STREAM = { schedule: 1, failures: 2, deletions: 3, waivers: 4, subscriptions: 500_000_000, cluster: 1_000_000_000, inCluster: 1_500_000_000 };

const ENV_TOKEN: Record<EnvKind, string> = { prod: "prod", staging: "staging", dev: "dev" };
const ENV_ORDER: readonly EnvKind[] = ["prod", "staging", "dev"];
const ODD_ENGINES = ["antrea", "kube-router"];
const LARGE_CLUSTER_TEAMS = ["platform", "search", "checkout", "payments"];

export function planEstate(o: PlanOptions): EstatePlan {
  const D = o.days;
  const N = o.clusters;
  const teams = listTeams(o.owners);

  const subscriptions = planSubscriptions(o);
  const specs = scheduleClusters(o, teams);
  const nameCounters = new Map<string, number>();
  const clusters = specs.map((spec, index) => planCluster(o, spec, index, subscriptions, nameCounters));

  const totalEver = clusters.length;
  planDeletions(o, clusters, totalEver - N);
  for (const c of clusters) planInCluster(o, c);

  const clusterByKey = new Map<string, ClusterPlan>();
  for (const c of clusters) clusterByKey.set(c.key, c);
  for (const s of subscriptions) s.clusterIndices.sort((a, b) => compareStrings(clusters[a].key, clusters[b].key));

  const listingFailures = planListingFailures(o, subscriptions);
  const waivers = planWaivers(o, clusters, listingFailures);
  return { seed: o.seed, days: D, teams, subscriptions, clusters, clusterByKey, listingFailures, waivers };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Subscriptions and the cluster schedule

function planSubscriptions(o: PlanOptions): SubscriptionPlan[] {
  return listSubscriptionTemplates(o.subscriptions).map((t, i) => ({
    id: new Random(o.seed, STREAM.subscriptions + i).guid(),
    displayName: t.displayName,
    production: t.production,
    businessUnit: t.businessUnit,
    clusterIndices: [],
  }));
}

/** Estate grows ~30% over the period, ~5% of all clusters are deleted, and it ends at exactly N. */
function scheduleClusters(o: PlanOptions, teams: TeamProfile[]): ClusterSpec[] {
  const D = o.days;
  const N = o.clusters;
  const r = new Random(o.seed, STREAM.schedule);
  const hasHistory = D >= 2;
  const totalEver = hasHistory ? Math.round(N / 0.95) : N;
  const initial = N === 0 ? 0 : hasHistory ? Math.max(1, Math.round(N / 1.3)) : N;
  const created = totalEver - initial;

  const teamWeights = teams.map((t, i) => [i, t.size] as const);
  const pickRegion = (team: TeamProfile): RegionInfo =>
    r.chance(0.7) ? (REGIONS.find((x) => x.name === team.homeRegion) ?? REGIONS[0]) : r.weighted(REGIONS.map((x) => [x, x.weight] as const));
  // Normal clusters get their environment by quota in assignTraits.
  const makeSpec = (bornDay: number, role: ClusterRole, teamIndex = r.weighted(teamWeights), env: EnvKind = "dev"): ClusterSpec => {
    const team = teams[teamIndex];
    const traits: ClusterTraits = {
      plugin: "azure",
      overlay: false,
      engineFromStart: false,
      backlogFixed: false,
      windows: false,
      ciliumWithoutPolicyKey: false,
      exemplary: false,
      tagging: "full",
      podLinkLocalNone: false,
      noInClusterAccess: false,
      oddEngine: null,
    };
    return { team, teamIndex, env, region: pickRegion(team), bornDay, role, traits };
  };

  // Clusters that exist before the period: older ones first, so name numbers follow age.
  const births = Array.from({ length: initial }, () => -r.int(14, 900)).sort((a, b) => a - b);
  const roles: ClusterRole[] = births.map(() => "normal");
  const large = N >= 50 ? Math.max(2, Math.round(N / 75)) : 0;
  const odd = N >= 20 ? Math.max(1, Math.round(N / 100)) : 0;
  const order = r.shuffle(Array.from({ length: initial }, (_, i) => i));
  order.slice(0, large).forEach((i) => (roles[i] = "large"));
  order.slice(large, large + odd).forEach((i) => (roles[i] = "odd"));

  const specs: ClusterSpec[] = births.map((born, i) => {
    if (roles[i] === "large") {
      const names = LARGE_CLUSTER_TEAMS.filter((n) => teams.some((t) => t.name === n));
      const chosen = names.length ? r.pick(names) : null;
      const teamIndex = chosen ? teams.findIndex((t) => t.name === chosen) : r.weighted(teamWeights);
      return makeSpec(born, "large", teamIndex, "prod");
    }
    if (roles[i] === "odd") return makeSpec(born, "odd", undefined, r.chance(0.5) ? "dev" : "staging");
    return makeSpec(born, "normal");
  });

  // One slow team spins up a batch of unprotected clusters within a week: the visible setback.
  const batchSize = D >= 21 && N >= 30 ? Math.min(created, Math.round(N * 0.08)) : 0;
  const slowTeams = teams.map((t, i) => [t, i] as const).filter(([t]) => t.speed === "slow");
  const batchTeam = slowTeams.find(([t]) => t.name === "data-science") ?? slowTeams[0] ?? [teams[0], 0];
  const batchStart = Math.min(D - 1, Math.max(1, Math.round(D * 0.42)));
  const later: ClusterSpec[] = [];
  for (let i = 0; i < batchSize; i++) {
    const born = Math.min(D - 1, batchStart + r.int(0, 2));
    later.push(makeSpec(born, "batch", batchTeam[1], r.weighted([["prod", 40], ["staging", 25], ["dev", 35]] as const)));
  }
  for (let i = batchSize; i < created; i++) later.push(makeSpec(r.int(1, D - 1), "normal"));
  later.sort((a, b) => a.bornDay - b.bornDay);
  const all = specs.concat(later);
  assignTraits(r, all, D);
  return all;
}

const START_BY_ENV: Record<EnvKind, number> = { prod: 0.7, staging: 0.54, dev: 0.44 };
const START_BY_SPEED: Record<FixSpeed, number> = { fast: 0.12, medium: 0, slow: -0.12 };

/** Exactly round(sum of weights) items, each more likely the higher its weight (Efraimidis–Spirakis). */
function chooseExactly<T>(r: Random, items: T[], weight: (item: T) => number): T[] {
  let total = 0;
  const keyed = items.map((item) => {
    const w = clamp(weight(item), 0.02, 0.98);
    total += w;
    return { item, key: Math.log(1 - r.next()) / w };
  });
  keyed.sort((a, b) => b.key - a.key);
  return keyed.slice(0, Math.round(total)).map((k) => k.item);
}

function assignTraits(r: Random, specs: ClusterSpec[], D: number): void {
  // Environments by quota: ~45% production, 20% staging, the rest dev.
  const normal = specs.filter((s) => s.role === "normal");
  const others = specs.filter((s) => s.role !== "normal");
  const quota = (env: EnvKind, share: number) => Math.max(0, Math.round(specs.length * share) - others.filter((s) => s.env === env).length);
  const prodCount = quota("prod", 0.45);
  const stagingCount = quota("staging", 0.2);
  r.shuffle([...normal]).forEach((s, i) => (s.env = i < prodCount ? "prod" : i < prodCount + stagingCount ? "staging" : "dev"));

  // Network plugin by age: kubenet and node-subnet Azure CNI on old clusters, overlay on new ones.
  for (const s of specs) {
    const t = s.traits;
    if (s.role === "odd") t.plugin = "none";
    else if (s.role === "large") t.overlay = false;
    else if (s.bornDay >= 0) t.overlay = r.chance(0.85);
    else if (s.bornDay < -500) t.plugin = r.chance(0.45) ? "kubenet" : "azure";
    else if (s.bornDay < -200) {
      const x = r.next();
      t.plugin = x < 0.15 ? "kubenet" : "azure";
      t.overlay = x >= 0.6;
    } else t.overlay = r.chance(0.75);
  }
  const pickQuota = (eligible: ClusterSpec[], share: number): ClusterSpec[] => r.shuffle(eligible).slice(0, Math.round(eligible.length * share));
  const ordinary = () => specs.filter((s) => s.role === "normal" || s.role === "batch");
  // Windows node pools need Azure CNI.
  pickQuota(ordinary(), 0.05).forEach((s) => {
    s.traits.windows = true;
    s.traits.plugin = "azure";
  });
  const untagged = pickQuota(specs.filter((s) => s.role === "normal"), 0.045);
  untagged.forEach((s, i) => (s.traits.tagging = i % 3 === 2 ? "partial" : "none"));
  pickQuota([...specs], 0.04).forEach((s) => (s.traits.podLinkLocalNone = true));
  pickQuota([...specs], 0.04).forEach((s) => (s.traits.noInClusterAccess = true));
  specs.filter((s) => s.role === "odd").forEach((s, i) => (s.traits.oddEngine = ODD_ENGINES[i % ODD_ENGINES.length]));

  // Engine adoption by quota: the expected share, drawn with each cluster's propensity.
  for (const s of specs) if (s.role === "large") s.traits.engineFromStart = true;
  const older = specs.filter((s) => s.role === "normal" && s.bornDay < 0);
  const startPropensity = (s: ClusterSpec) =>
    START_BY_ENV[s.env] + START_BY_SPEED[s.team.speed] - (s.traits.plugin === "kubenet" ? 0.2 : 0);
  chooseExactly(r, older, startPropensity).forEach((s) => (s.traits.engineFromStart = true));
  const newer = specs.filter((s) => s.role === "normal" && s.bornDay >= 0);
  const birthPropensity = (s: ClusterSpec) => ({ fast: 0.4, medium: 0.35, slow: 0.25 })[s.team.speed] + 0.3 * (s.bornDay / D) + (s.env === "prod" ? 0.1 : 0);
  chooseExactly(r, newer, birthPropensity).forEach((s) => (s.traits.engineFromStart = true));
  const backlog = older.filter((s) => !s.traits.engineFromStart);
  const fixPropensity = (s: ClusterSpec) => ({ fast: 0.9, medium: 0.7, slow: 0.38 })[s.team.speed] * (s.env === "dev" ? 0.9 : 1);
  chooseExactly(r, backlog, fixPropensity).forEach((s) => (s.traits.backlogFixed = true));
  // Some Cilium clusters print only `networkDataplane: cilium`, as older API versions did.
  const ciliumCandidates = specs.filter((s) => s.role === "normal" && s.traits.overlay && !s.traits.windows && s.traits.engineFromStart);
  pickQuota(ciliumCandidates, 0.06).forEach((s) => (s.traits.ciliumWithoutPolicyKey = true));
  const references = r.shuffle(specs.filter((s) => s.role === "normal" && s.team.speed === "fast" && s.traits.engineFromStart));
  references.slice(0, Math.round(specs.length * 0.05)).forEach((s) => (s.traits.exemplary = true));
}

/** Prod clusters go to a prod subscription of the team's business unit, others to a non-prod one. */
function pickSubscription(o: PlanOptions, index: number, team: TeamProfile, env: EnvKind, subs: SubscriptionPlan[]): number {
  const prod = env === "prod";
  const all = subs.map((_, i) => i);
  let candidates = all.filter((i) => subs[i].businessUnit === team.businessUnit && subs[i].production === prod);
  if (!candidates.length) candidates = all.filter((i) => subs[i].production === prod);
  if (!candidates.length) candidates = all;
  return candidates[Math.floor(hashUnit(o.seed, 77, index) * candidates.length)];
}

// ---------------------------------------------------------------------------------------------
// One cluster: network timeline, tags, versions, node pools

function planCluster(o: PlanOptions, spec: ClusterSpec, index: number, subs: SubscriptionPlan[], counters: Map<string, number>): ClusterPlan {
  const r = new Random(o.seed, STREAM.cluster + index);
  const D = o.days;
  const { team, env, region, bornDay, role, traits } = spec;
  const speed = team.speed;
  const isNew = bornDay >= 0;

  const counterKey = `${team.name}|${env}|${region.short}`;
  const nn = (counters.get(counterKey) ?? 0) + 1;
  counters.set(counterKey, nn);
  const name = `aks-${team.name}-${ENV_TOKEN[env]}-${region.short}-${String(nn).padStart(2, "0")}`;
  const subscriptionIndex = pickSubscription(o, index, team, env, subs);
  const sub = subs[subscriptionIndex];
  sub.clusterIndices.push(index);
  // Resource group names keep their case in ARM ids; a few teams spell theirs in capitals.
  const rgLower = `rg-${team.name}-${ENV_TOKEN[env]}`;
  const resourceGroup = hashUnit(o.seed, 78, subscriptionIndex, spec.teamIndex, ENV_ORDER.indexOf(env)) < 0.08 ? rgLower.toUpperCase() : rgLower;
  const id = `/subscriptions/${sub.id}/resourcegroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`;

  const { plugin, overlay, windows } = traits;
  const printsDataplane = overlay || isNew;
  const { ciliumWithoutPolicyKey } = traits;

  const noEngine = (): NetworkPhase => ({
    fromDay: bornDay,
    plugin,
    overlay,
    policy: r.weighted([["none", 40], [undefined, 35], [null, 25]] as const),
    dataplane: printsDataplane ? "azure" : undefined,
  });
  const withEngine = (fromDay: number, p: NetworkPlugin, ov: boolean, engine: "azure" | "calico" | "cilium"): NetworkPhase =>
    engine === "cilium"
      ? { fromDay, plugin: p, overlay: ov, policy: ciliumWithoutPolicyKey ? undefined : "cilium", dataplane: "cilium" }
      : { fromDay, plugin: p, overlay: ov, policy: engine, dataplane: ov || isNew ? "azure" : undefined };
  const chooseEngine = (): "azure" | "calico" | "cilium" => {
    if (windows) return "azure";
    if (ciliumWithoutPolicyKey) return "cilium";
    if (plugin === "kubenet") return "calico";
    if (overlay) return r.weighted([["cilium", 70], ["azure", 20], ["calico", 10]] as const);
    return r.weighted([["azure", 60], ["calico", 40]] as const);
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
    const engine = chooseEngine();
    network.push(withEngine(bornDay, plugin, overlay, engine));
    // Azure NPM is being retired; some overlay clusters move to Cilium during the period.
    if (engine === "azure" && overlay && !windows && D >= 10 && r.chance(0.15)) {
      network.push(withEngine(r.int(Math.max(1, bornDay + 1), D - 1), plugin, overlay, "cilium"));
    }
  } else {
    network.push(noEngine());
    engineDay = planEngineFixDay(r, speed, bornDay, traits.backlogFixed, D);
    if (engineDay !== NEVER) {
      if (plugin === "kubenet" && r.chance(0.3)) network.push(withEngine(engineDay, "azure", true, "cilium"));
      else network.push(withEngine(engineDay, plugin, overlay, chooseEngine()));
    }
  }

  const firstDay = Math.max(0, bornDay);
  const tags = planTags(r, team, env, traits.tagging, firstDay, D);
  const versions = planVersions(r, speed, bornDay, D);
  const pools = planPools(r, team, env, role, windows);

  const privateCluster = r.chance(env === "prod" ? 0.25 : 0.08);
  const serviceCidr = r.chance(0.8) ? "10.0.0.0/16" : "172.16.0.0/16";
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
    flakiness: privateCluster ? (r.chance(0.15) ? 0.22 : 0.025) : 0.002,
    stopsOnWeekends: env === "dev" && r.chance(0.08),
    azurePolicyAddon: r.chance(env === "prod" ? 0.7 : 0.4),
    appRoutingAddon: r.chance(0.2),
    skuTier: env === "prod" || r.chance(0.25) ? "Standard" : "Free",
    dnsSuffix: r.hex(8),
    privateDnsZoneId: r.guid(),
    apiServerIp: `10.${r.int(1, 250)}.${r.int(0, 255)}.4`,
    serviceCidr,
    dnsServiceIp: serviceCidr.replace(/0\/16$/, "10"),
    podCidr: plugin === "kubenet" || overlay ? r.pick(["10.244.0.0/16", "192.168.0.0/16"]) : "",
    namespaces: [],
    incidents: [],
  };
}

/** When an unprotected cluster gets its engine: the backlog over the period, new ones after a team-specific delay. */
function planEngineFixDay(r: Random, speed: FixSpeed, bornDay: number, backlogFixed: boolean, D: number): number {
  if (bornDay < 0) {
    if (!backlogFixed || D < 2) return NEVER;
    const span = { fast: 0.3, medium: 0.75, slow: 1 }[speed] * (D - 2);
    return 1 + Math.floor(r.next() * span);
  }
  const pNever = { fast: 0, medium: 0.05, slow: 0.12 }[speed];
  if (r.chance(pNever)) return NEVER;
  const [lo, hi] = ENGINE_FIX_DELAY[speed];
  return bornDay + r.int(lo, hi);
}

function planTags(r: Random, team: TeamProfile, env: EnvKind, tagging: ClusterTraits["tagging"], firstDay: number, D: number): TagsPhase[] {
  const ownerKey = r.weighted([["owner", 68], ["team", 17], ["Owner", 15]] as const);
  const ownerValue = r.chance(0.03) ? ` ${team.name} ` : team.name;
  const envKey = r.weighted([["environment", 60], ["env", 30], ["Environment", 10]] as const);
  const envValue =
    env === "prod"
      ? r.weighted([["prod", 45], ["production", 45], ["Production", 10]] as const)
      : env === "staging"
        ? r.weighted([["staging", 85], ["stage", 15]] as const)
        : r.weighted([["dev", 80], ["development", 20]] as const);
  const costCenter = `cc-${100 + (team.name.length * 7 + team.name.charCodeAt(0)) % 90}`;
  const managedBy = r.weighted([["terraform", 60], ["bicep", 15], [null, 25]] as const);

  const full: Record<string, string> = {};
  full[ownerKey] = ownerValue;
  full[envKey] = envValue;
  full.costCenter = costCenter;
  if (managedBy) full.managedBy = managedBy;

  if (tagging === "full") return [{ fromDay: firstDay, tags: full }];
  const phases: TagsPhase[] = [{ fromDay: firstDay, tags: tagging === "partial" ? { costCenter } : null }];
  // Tag hygiene catches up with half of them during the period.
  if (firstDay + 1 <= D - 1 && r.chance(0.5)) phases.push({ fromDay: r.int(firstDay + 1, D - 1), tags: full });
  return phases;
}

function latestVersionIndex(day: number, D: number): number {
  return Math.min(KUBERNETES_VERSIONS.length - 1, 10 + Math.floor((8 * Math.max(0, day)) / Math.max(1, D)));
}

function planVersions(r: Random, speed: FixSpeed, bornDay: number, D: number): VersionPhase[] {
  let idx = bornDay < 0 ? (bornDay < -500 ? r.int(2, 7) : r.int(4, 10)) : Math.max(0, latestVersionIndex(bornDay, D) - r.int(1, 3));
  const phases: VersionPhase[] = [{ fromDay: bornDay, version: KUBERNETES_VERSIONS[idx] }];
  const firstDay = Math.max(0, bornDay);
  if (firstDay + 1 > D - 1) return phases;
  const upgrades = speed === "fast" ? 2 : speed === "medium" ? 1 : r.int(0, 1);
  const days = Array.from({ length: upgrades }, () => r.int(firstDay + 1, D - 1)).sort((a, b) => a - b);
  for (const day of days) {
    const next = Math.min(latestVersionIndex(day, D), idx + r.int(1, 3));
    if (next > idx && day > phases[phases.length - 1].fromDay) {
      idx = next;
      phases.push({ fromDay: day, version: KUBERNETES_VERSIONS[idx] });
    }
  }
  return phases;
}

function planPools(r: Random, team: TeamProfile, env: EnvKind, role: ClusterRole, windows: boolean): PoolPlan[] {
  const systemAutoscale = r.chance(0.5);
  const pools: PoolPlan[] = [
    {
      name: r.pick(["system", "systempool", "sys"]),
      vmSize: env === "dev" ? "Standard_D2s_v5" : r.pick(["Standard_D4s_v5", "Standard_D4ds_v5"]),
      osType: "Linux",
      osSku: r.chance(0.3) ? "AzureLinux" : "Ubuntu",
      mode: "System",
      autoscale: systemAutoscale,
      minCount: systemAutoscale ? 2 : 3,
      maxCount: systemAutoscale ? 5 : 3,
      baseCount: 3,
      maxPods: r.pick([30, 110, 110, 250]),
    },
  ];
  if (role === "large") {
    for (const name of ["user1", "user2"]) {
      pools.push({ name, vmSize: "Standard_D16s_v5", osType: "Linux", osSku: "Ubuntu", mode: "User", autoscale: true, minCount: 130, maxCount: 200, baseCount: r.int(140, 175), maxPods: 110 });
    }
    return pools;
  }
  const dataTeam = team.businessUnit === "data";
  const userPools = env === "dev" ? r.weighted([[0, 15], [1, 75], [2, 10]] as const) : r.weighted([[1, 70], [2, 30]] as const);
  const names = r.shuffle(["user", "apps", "np01", "workload"]);
  for (let i = 0; i < userPools; i++) {
    const gpu = dataTeam && i === 1;
    const vmSize = gpu
      ? r.pick(["Standard_NC6s_v3", "Standard_NC24ads_A100_v4", "Standard_NC4as_T4_v3"])
      : env === "dev"
        ? r.pick(["Standard_B4ms", "Standard_D4s_v5"])
        : dataTeam
          ? r.pick(["Standard_E8s_v5", "Standard_E16s_v5", "Standard_D16s_v5"])
          : r.pick(["Standard_D8s_v5", "Standard_D8as_v5", "Standard_D16s_v5", "Standard_F8s_v2"]);
    const autoscale = r.chance(0.75);
    const minCount = env === "prod" ? r.int(3, 6) : env === "staging" ? 2 : 1;
    const maxCount = env === "prod" ? r.int(10, 40) : env === "staging" ? r.int(6, 12) : r.int(3, 5);
    pools.push({
      name: gpu ? "gpu" : names[i],
      vmSize,
      osType: "Linux",
      osSku: r.chance(0.3) ? "AzureLinux" : "Ubuntu",
      mode: "User",
      autoscale,
      minCount,
      maxCount: autoscale ? maxCount : minCount,
      baseCount: autoscale ? minCount + r.int(0, Math.floor((maxCount - minCount) / 3)) : minCount,
      maxPods: r.pick([30, 110, 110, 250]),
    });
  }
  if (windows) {
    pools.push({ name: "win22", vmSize: "Standard_D4s_v5", osType: "Windows", osSku: "Windows2022", mode: "User", autoscale: true, minCount: 1, maxCount: 6, baseCount: 2, maxPods: 30 });
  }
  return pools;
}

// ---------------------------------------------------------------------------------------------
// Deletions and listing failures

/** ~5% of clusters are deleted, mostly old unprotected non-prod ones, plus one short-lived new one. */
function planDeletions(o: PlanOptions, clusters: ClusterPlan[], count: number): void {
  if (count <= 0) return;
  const D = o.days;
  const r = new Random(o.seed, STREAM.deletions);
  let remaining = count;
  const newcomers = clusters.filter((c) => c.bornDay >= 1 && c.role === "normal" && c.bornDay <= D - 12);
  if (count >= 2 && D >= 30 && newcomers.length >= 5) {
    const c = r.pick(newcomers);
    c.deleteDay = c.bornDay + r.int(4, 10);
    remaining--;
  }
  const candidates = clusters.filter((c) => c.bornDay < 0 && c.role === "normal");
  const weights = candidates.map((c) => (c.engineDay === ALWAYS ? 1 : 3) * (c.env === "prod" ? 1 : 2));
  while (remaining > 0 && candidates.length) {
    let total = 0;
    for (const w of weights) total += w;
    let x = r.next() * total;
    let k = 0;
    while (k < weights.length - 1 && x >= weights[k]) x -= weights[k++];
    candidates[k].deleteDay = r.int(1, D - 1);
    candidates.splice(k, 1);
    weights.splice(k, 1);
    remaining--;
  }
}

const LISTING_FAULTS: readonly FaultCause[] = ["forbidden", "server-error", "throttled", "forbidden", "timeout", "server-error", "throttled"];

/** A handful of days on which one subscription's listing fails (never the first or the last day). */
function planListingFailures(o: PlanOptions, subs: SubscriptionPlan[]): Map<number, ListingFailure> {
  const D = o.days;
  const failures = new Map<number, ListingFailure>();
  const populated = subs.map((s, i) => [s, i] as const).filter(([s]) => s.clusterIndices.length > 0);
  const count = D < 10 || !populated.length ? 0 : Math.max(1, Math.round(D / 50));
  if (!count) return failures;
  const r = new Random(o.seed, STREAM.failures);
  const segment = (D - 2) / count;
  for (let k = 0; k < count; k++) {
    const lo = 1 + Math.floor(k * segment);
    const hi = Math.max(lo, Math.min(D - 2, Math.floor((k + 1) * segment)));
    const day = r.int(lo, hi);
    const [sub, subscriptionIndex] = r.pick(populated);
    const cause = LISTING_FAULTS[k % LISTING_FAULTS.length];
    failures.set(day, { day, subscriptionIndex, cause, message: describeListingFault(cause, sub.id, r) });
  }
  return failures;
}

function describeListingFault(cause: FaultCause, subscriptionId: string, r: Random): string {
  switch (cause) {
    case "forbidden": {
      const principal = r.guid();
      return `(AuthorizationFailed) The client '${principal}' with object id '${principal}' does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/read' over scope '/subscriptions/${subscriptionId}' or the scope is invalid. If access was recently granted, please refresh your credentials.`;
    }
    case "throttled":
      return `(TooManyRequests) Number of 'read' requests for subscription '${subscriptionId}' actor '${r.guid()}' exceeded. Please try again after '${r.int(5, 40)}' seconds after additional tokens are available.`;
    case "timeout":
      return `GET https://management.azure.com/subscriptions/${subscriptionId}/providers/Microsoft.ContainerService/managedClusters?api-version=2025-05-01 timed out after 30000 ms`;
    default:
      return `(InternalServerError) The server encountered an internal error and was unable to complete your request. Correlation id: ${r.guid()}.`;
  }
}

// ---------------------------------------------------------------------------------------------
// In-cluster plan: namespaces, their default-deny rollout, allow-any incidents

/** Last day (inclusive) the cluster exists within the period. */
function lastDayOf(c: ClusterPlan, D: number): number {
  return Math.min(c.deleteDay, D) - 1;
}

function planInCluster(o: PlanOptions, c: ClusterPlan): void {
  const r = new Random(o.seed, STREAM.inCluster + c.index);
  const D = o.days;
  const firstDay = Math.max(0, c.bornDay);
  const lastDay = lastDayOf(c, D);
  const speed = c.team.speed;
  const diligence = clamp(
    { fast: 0.75, medium: 0.5, slow: 0.3 }[speed] + (c.env === "prod" ? 0.1 : c.env === "dev" ? -0.15 : 0) + r.range(-0.1, 0.1),
    0.05,
    0.95,
  );

  const meanExtra = c.env === "prod" ? 4.5 : 3.2;
  const workload = 3 + Math.min(12, Math.floor(-Math.log(1 - r.next()) * meanExtra));
  const platformPicked = PLATFORM_NAMESPACES.filter(([, p]) => r.chance(p)).map(([n]) => n);
  const platformCount = Math.min(platformPicked.length, Math.max(0, workload - 3));
  const platform = platformPicked.slice(0, platformCount);
  const appPool = r.shuffle([...c.team.namespaces]);
  let appCursor = 0;
  const nextAppName = (): string => (appCursor < appPool.length ? appPool[appCursor++] : `${c.team.name}-svc-${++appCursor}`);

  const entries: { name: string; role: "default" | "platform" | "app"; bornDay: number; added: boolean }[] = [
    { name: "default", role: "default", bornDay: c.bornDay, added: false },
    ...platform.map((name) => ({ name, role: "platform" as const, bornDay: c.bornDay, added: false })),
  ];
  for (let i = 0; i < workload - 1 - platformCount; i++) entries.push({ name: nextAppName(), role: "app", bornDay: c.bornDay, added: false });
  const added = firstDay + 1 <= lastDay ? Math.min(15 - workload, r.poisson(0.9 * (D / 180)), 3) : 0;
  for (let i = 0; i < added; i++) entries.push({ name: nextAppName(), role: "app", bornDay: r.int(firstDay + 1, lastDay), added: true });

  const hasIngressNginx = platform.includes("ingress-nginx");
  const hasMonitoring = platform.includes("monitoring");
  const appNames = entries.filter((e) => e.role === "app").map((e) => e.name);
  const [lo, hi] = DENY_ROLLOUT_DELAY[speed];
  const E = c.engineDay;
  const pEgress = { fast: 0.8, medium: 0.55, slow: 0.35 }[speed];
  const span = { fast: 0.5, medium: 0.9, slow: 1.3 }[speed] * (D - 1);

  c.namespaces = entries.map((e): NamespacePlan => {
    const q = e.role === "default" ? diligence * 0.5 : diligence;
    let denyIngress: number;
    if (e.bornDay < 0) {
      if (E === ALWAYS) {
        if (r.chance(q)) denyIngress = ALWAYS;
        else if (r.chance(0.65)) {
          const day = 1 + Math.floor(r.next() * span);
          denyIngress = day <= D - 1 ? day : NEVER;
        } else denyIngress = NEVER;
      } else if (r.chance(0.12)) denyIngress = ALWAYS;
      else denyIngress = E !== NEVER && r.chance(0.8) ? E + r.int(lo, hi) : NEVER;
    } else if (E <= e.bornDay) {
      if (!e.added && r.chance(q * 0.8)) denyIngress = e.bornDay;
      else denyIngress = r.chance(0.85) ? e.bornDay + r.int(lo, hi) : NEVER;
    } else if (r.chance(0.08)) denyIngress = e.bornDay;
    else denyIngress = E !== NEVER && r.chance(0.8) ? E + r.int(lo, hi) : NEVER;

    let denyEgress = NEVER;
    const pE = e.role === "default" ? pEgress * 0.6 : pEgress;
    if (denyIngress !== NEVER && r.chance(pE)) {
      if (denyIngress === ALWAYS) denyEgress = r.chance(0.6) ? ALWAYS : D >= 2 ? r.int(1, D - 1) : NEVER;
      else denyEgress = r.chance(0.5) ? denyIngress : denyIngress + r.int(3, 40);
    }
    if (c.exemplary) denyIngress = denyEgress = e.bornDay < 0 ? ALWAYS : e.bornDay;

    const label = e.name;
    const ingressAllows: IngressAllow[] = [];
    const egressAllows: EgressAllow[] = [];
    const others = appNames.filter((n) => n !== e.name);
    if (e.role === "app") {
      if (hasIngressNginx && r.chance(0.65)) ingressAllows.push({ kind: "from-namespace", name: "allow-from-ingress-nginx", namespace: "ingress-nginx", app: label, port: r.pick([8080, 8080, 3000, 5000]) });
      if (r.chance(0.5)) ingressAllows.push({ kind: "same-namespace", name: "allow-same-namespace" });
      if (hasMonitoring && r.chance(0.6)) ingressAllows.push({ kind: "scrape", name: "allow-prometheus-scrape", port: r.pick([9090, 8080, 9102]) });
      if (others.length && r.chance(0.35)) {
        const from = r.pick(others);
        ingressAllows.push({ kind: "from-namespace", name: `allow-from-${from}`, namespace: from, app: label, port: 8080 });
      }
      if (!ingressAllows.length) ingressAllows.push({ kind: "same-namespace", name: "allow-same-namespace" });
      if (r.chance(0.4)) {
        const [service, port, prefix] = r.pick(BACKEND_SERVICES);
        const cidr = `10.${r.int(10, 250)}.${r.int(0, 255)}.${prefix === 24 ? 0 : r.int(0, 7) * 32}/${prefix}`;
        egressAllows.push({ kind: "ip-block", name: `allow-egress-${service}`, cidr, port, app: label });
      }
      if (r.chance(0.35)) egressAllows.push({ kind: "internet-https", name: "allow-egress-internet-https", exceptImds: r.chance(0.75) });
      if (r.chance(0.5)) egressAllows.push({ kind: "same-namespace", name: "allow-egress-same-namespace" });
      if (others.length && r.chance(0.3)) {
        const to = r.pick(others);
        egressAllows.push({ kind: "to-namespace", name: `allow-egress-to-${to}`, namespace: to, port: 8080 });
      }
      if (r.chance(0.04) && !c.exemplary) egressAllows.push({ kind: "imds", name: "allow-azure-instance-metadata" });
    } else if (e.role === "platform") {
      if (e.name === "ingress-nginx") {
        ingressAllows.push({ kind: "from-internet", name: "allow-http-https-from-internet", ports: [80, 443] });
        if (appNames.length) egressAllows.push({ kind: "to-namespace", name: `allow-egress-to-${appNames[0]}`, namespace: appNames[0], port: 8080 });
      } else if (e.name === "monitoring") {
        ingressAllows.push({ kind: "same-namespace", name: "allow-same-namespace" });
        if (hasIngressNginx) ingressAllows.push({ kind: "from-namespace", name: "allow-grafana-from-ingress-nginx", namespace: "ingress-nginx", app: "grafana", port: 3000 });
        egressAllows.push({ kind: "scrape-all", name: "allow-scrape-all-namespaces" });
      } else {
        ingressAllows.push({ kind: "same-namespace", name: "allow-same-namespace" });
        if (e.name !== "keda") egressAllows.push({ kind: "internet-https", name: "allow-egress-internet-https", exceptImds: r.chance(0.8) });
        if (e.name === "argocd" && hasIngressNginx) ingressAllows.push({ kind: "from-namespace", name: "allow-from-ingress-nginx", namespace: "ingress-nginx", app: "argocd-server", port: 8080 });
      }
    }

    const labels: Record<string, string> = {};
    if (e.role === "app") {
      if (r.chance(0.6)) labels.team = c.team.name;
      if (r.chance(0.2)) labels.environment = c.env;
      if (r.chance(0.1)) labels["istio-injection"] = "enabled";
    } else if (e.role === "platform" && r.chance(0.4)) labels["app.kubernetes.io/part-of"] = "platform";

    return {
      name: e.name,
      bornDay: e.bornDay,
      denyIngressDay: denyIngress,
      denyEgressDay: denyEgress,
      dnsStyle: c.exemplary ? "kube-dns" : r.weighted(DNS_STYLES),
      ingressAllows,
      egressAllows,
      earlyAllow:
        e.role === "app" && hasIngressNginx && r.chance(0.2) && !c.exemplary
          ? { kind: "from-namespace", name: "allow-from-ingress", namespace: "ingress-nginx", app: label, port: 8080 }
          : null,
      labels,
    };
  });

  c.incidents = c.exemplary ? [] : planIncidents(r, c, firstDay, lastDay, D);
}

/** Backends outside the cluster that app namespaces reach by IP range: name, TCP port, prefix length. */
const BACKEND_SERVICES = [["postgres", 5432, 24], ["sql", 1433, 27], ["redis", 6379, 28], ["kafka", 9093, 24]] as const;
const DNS_STYLES = [["kube-dns", 93], ["old-label", 4], ["all-namespaces", 3]] as const;

const SHAPES: readonly (readonly [AllowAnyShape, number])[] = [
  ["ingress-all", 22],
  ["egress-world", 22],
  ["egress-world-except-imds", 10],
  ["ingress-all-namespaces", 16],
  ["egress-all", 8],
  ["ingress-world", 8],
  ["egress-all-namespaces", 6],
  ["debug-all", 8],
];

const SHAPE_POLICY_NAME: Record<AllowAnyShape, string> = {
  "ingress-all": "allow-all-ingress",
  "egress-all": "allow-all-egress",
  "egress-world": "allow-internet-egress",
  "egress-world-except-imds": "allow-egress-internet",
  "ingress-world": "allow-from-anywhere",
  "ingress-all-namespaces": "allow-from-all-namespaces",
  "egress-all-namespaces": "allow-egress-all-namespaces",
  "debug-all": "temp-debug-allow-all",
};

/** Allow-any rules: some predate the period (about half cleaned up), new ones come and go. */
function planIncidents(r: Random, c: ClusterPlan, firstDay: number, lastDay: number, D: number): AllowAnyIncident[] {
  const incidents: AllowAnyIncident[] = [];
  if (lastDay < firstDay) return incidents;
  const envFactor = c.env === "prod" ? 1 : 1.2;
  const [lo, hi] = ALLOW_ANY_LIFETIME[c.team.speed];
  const used = new Set<string>();
  const add = (startDay: number, endDay: number): void => {
    const candidates = c.namespaces.map((ns, i) => [ns, i] as const).filter(([ns]) => ns.bornDay <= Math.max(startDay, c.bornDay));
    if (!candidates.length) return;
    const [ns, namespaceIndex] = r.weighted(candidates.map((x) => [x, x[0].name === "default" ? 1 : 4] as const));
    const shape = r.weighted(SHAPES);
    let policyName = SHAPE_POLICY_NAME[shape];
    for (let k = 2; used.has(`${namespaceIndex}/${policyName}`); k++) policyName = `${SHAPE_POLICY_NAME[shape]}-${k}`;
    used.add(`${namespaceIndex}/${policyName}`);
    const app = shape === "egress-world" || shape === "ingress-world" || (shape === "ingress-all" && r.chance(0.5)) ? ns.name : null;
    incidents.push({ namespaceIndex, shape, policyName, app, startDay, endDay });
  };
  if (c.bornDay < 0) {
    const count = r.poisson(c.team.sloppiness * 1.3 * envFactor);
    for (let i = 0; i < count; i++) add(ALWAYS, r.chance(0.85) && D >= 2 ? r.int(1, D - 1) : NEVER);
  }
  const count = r.poisson(c.team.sloppiness * 0.55 * envFactor * (Math.max(0, lastDay - firstDay + 1) / 180));
  for (let i = 0; i < count; i++) {
    const start = r.int(firstDay, lastDay);
    add(start, r.chance(0.12) ? NEVER : start + r.int(lo, hi));
  }
  return incidents;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

// ---------------------------------------------------------------------------------------------
// Waivers

const WAIVER_CONTROLS: readonly DemoControlId[] = ["NP-01", "NP-06", "NP-02", "NP-01", "NP-03", "NP-06", "NP-02", "NP-01"];
const WAIVER_DURATIONS = [30, 60, 90, 90, 180];

interface FailingWindow {
  start: number;
  /** Exclusive. */
  end: number;
  reason: (r: Random) => string;
}

/** Windows in which the cluster certainly fails `control` (given its in-cluster data is read). */
function findFailingWindows(c: ClusterPlan, control: DemoControlId, D: number): FailingWindow[] {
  const first = Math.max(0, c.bornDay);
  const endOfLife = lastDayOf(c, D) + 1;
  const windows: FailingWindow[] = [];
  const ticket = (r: Random, prefix: string): string => `${prefix}-${r.int(1000, 4999)}`;
  if (control === "NP-01") {
    const end = Math.min(c.engineDay, endOfLife);
    const phase = c.network[0];
    windows.push({
      start: first,
      end,
      reason: (r) =>
        phase.plugin === "none"
          ? `Bring-your-own CNI (${String(phase.policy)}) enforces NetworkPolicy; AKS does not report it as an engine. Reviewed with platform security.`
          : phase.plugin === "kubenet"
            ? `Kubenet cluster is scheduled for migration to Azure CNI Overlay; the engine is enabled in that change (${ticket(r, "CHG")}).`
            : c.pools.some((p) => p.osType === "Windows")
              ? `Windows node pool: enabling the engine needs a maintenance window agreed with the app owner (${ticket(r, "CHG")}).`
              : c.env === "dev"
                ? "Short-lived development cluster; decommission planned before this waiver expires."
                : `Engine rollout is scheduled with the next node-image upgrade (${ticket(r, "CHG")}).`,
    });
  } else if (control === "NP-06") {
    for (const inc of c.incidents) {
      const ns = c.namespaces[inc.namespaceIndex].name;
      windows.push({
        start: Math.max(first, inc.startDay),
        end: Math.min(endOfLife, inc.endDay),
        reason: (r) =>
          inc.shape.startsWith("ingress") && ns !== "default"
            ? `${ns}: public entry point; traffic is filtered by Azure Front Door WAF before it reaches the cluster (${ticket(r, "SEC")}).`
            : inc.shape === "debug-all"
              ? `${ns}: temporary debug policy during incident INC-${r.int(10000, 99999)}; removed after the post-mortem.`
              : `${ns}: third-party SaaS with rotating IPs; egress is restricted by Azure Firewall FQDN rules instead (${ticket(r, "SEC")}).`,
      });
    }
  } else {
    for (const ns of c.namespaces) {
      const until = control === "NP-02" ? ns.denyIngressDay : ns.denyEgressDay;
      windows.push({
        start: Math.max(first, ns.bornDay),
        end: Math.min(endOfLife, until),
        reason: (r) =>
          control === "NP-02"
            ? `Namespace ${ns.name} hosts a legacy service moving to the shared ingress pattern; default deny follows the move (${ticket(r, "SEC")}).`
            : `Batch jobs in ${ns.name} call many external endpoints; the egress allow-list is being built (${ticket(r, "SEC")}).`,
      });
    }
  }
  const minLength = D >= 8 ? 4 : 2;
  return windows.filter((w) => w.end - w.start >= minLength);
}

/** ~8% of clusters carry a waiver on a finding that fails when the waiver is created. */
function planWaivers(o: PlanOptions, clusters: ClusterPlan[], failures: Map<number, ListingFailure>): PlannedWaiver[] {
  const D = o.days;
  const count = clusters.length >= 10 && D >= 2 ? Math.round(o.clusters * 0.08) : 0;
  const r = new Random(o.seed, STREAM.waivers);
  const order = r.shuffle(clusters.map((c) => c.index));
  const taken = new Set<number>();
  const waivers: PlannedWaiver[] = [];
  let cursor = 0;
  for (let slot = 0; waivers.length < count && cursor < order.length; slot++) {
    const control = WAIVER_CONTROLS[slot % WAIVER_CONTROLS.length];
    // Walk the shuffled clusters until one has a window for this control.
    for (let tries = 0; tries < order.length && cursor < order.length; tries++) {
      const c = clusters[order[(cursor + tries) % order.length]];
      if (taken.has(c.index)) continue;
      const windows = findFailingWindows(c, control, D);
      if (!windows.length) continue;
      const w = r.pick(windows);
      let created = w.start + r.int(0, w.end - w.start - 2);
      while (created < w.end - 1 && failures.get(created)?.subscriptionIndex === c.subscriptionIndex) created++;
      if (failures.get(created)?.subscriptionIndex === c.subscriptionIndex) continue;
      taken.add(c.index);
      waivers.push({
        clusterId: c.id,
        controlId: control,
        createdDayIndex: created,
        expiresDayIndex: created + r.pick(WAIVER_DURATIONS),
        reason: w.reason(r),
        createdBy: r.pick(WAIVER_APPROVERS),
      });
      break;
    }
    cursor++;
  }
  return waivers.sort((a, b) => a.createdDayIndex - b.createdDayIndex || compareStrings(a.clusterId, b.clusterId));
}
