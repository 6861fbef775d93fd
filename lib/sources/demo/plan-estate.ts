// Plans the whole synthetic estate up front: who owns what, when each cluster is created, fixed,
// broken and deleted. Costs O(clusters) once; rendering a day later is a per-cluster lookup. The
// estate's schedule and the traits handed out by quota live here; one cluster's timeline in
// plan-cluster.ts, its namespaces in plan-in-cluster.ts; the knobs of it all in tuning.ts.

import { listSubscriptionTemplates, listTeams, ODD_ENGINES, REGIONS, type RegionInfo, type TeamProfile } from "./catalog";
import { planCluster } from "./plan-cluster";
import { planDeletions } from "./plan-deletions";
import { planInCluster } from "./plan-in-cluster";
import { planPolicyStyle } from "./plan-policy-style";
import { planWorkloads } from "./plan-workloads";
import { planListingFailures } from "./plan-listing-failures";
import type { ClusterPlan, ClusterRole, ClusterSpec, ClusterTraits, EnvKind, EstatePlan, PlanOptions, SubscriptionPlan } from "./plan-types";
import { planWaivers } from "./plan-waivers";
import { clamp, compareStrings, Random, STREAM } from "./random";
import {
  BACKLOG_FIX_BY_SPEED,
  BACKLOG_FIX_DEV_FACTOR,
  BIRTH_ENGINE_BY_SPEED,
  BIRTH_ENGINE_LATER_BONUS,
  BIRTH_ENGINE_PRODUCTION_BONUS,
  CILIUM_WITHOUT_POLICY_KEY_SHARE,
  EXEMPLARY_SHARE,
  GROWTH_FACTOR,
  HOME_REGION_CHANCE,
  LARGE_CLUSTERS,
  MIDDLE_GENERATION_DAYS,
  MIDDLE_KUBENET_BELOW,
  MIDDLE_OVERLAY_FROM,
  NEW_CLUSTER_OVERLAY_CHANCE,
  NO_IN_CLUSTER_ACCESS_SHARE,
  ODD_CLUSTER_DEV_CHANCE,
  ODD_CLUSTERS,
  OLDEST_GENERATION_DAYS,
  OLDEST_KUBENET_CHANCE,
  POD_LINK_LOCAL_NONE_SHARE,
  PRODUCTION_SHARE,
  PROPENSITY_BOUNDS,
  RECENT_OVERLAY_CHANCE,
  SETBACK_BATCH,
  SETBACK_BATCH_ENVIRONMENTS,
  STAGING_SHARE,
  START_ENGINE_BY_ENV,
  START_ENGINE_BY_SPEED,
  START_ENGINE_KUBENET_PENALTY,
  SURVIVING_SHARE,
  UNTAGGED_SHARE,
  WINDOWS_POOL_SHARE,
} from "./tuning";

const LARGE_CLUSTER_TEAMS = ["platform", "search", "checkout", "payments"];

export function planEstate(options: PlanOptions): EstatePlan {
  const periodDays = options.days;
  const clusterCount = options.clusters;
  const teams = listTeams(options.owners);

  const subscriptions = planSubscriptions(options);
  const specs = scheduleClusters(options, teams);
  const nameCounters = new Map<string, number>();
  const clusters = specs.map((spec, index) => planCluster(options, spec, index, subscriptions, nameCounters));

  const totalEver = clusters.length;
  planDeletions(options, clusters, totalEver - clusterCount);
  for (const cluster of clusters) {
    planInCluster(options, cluster);
    planPolicyStyle(options, cluster);
    planWorkloads(options, cluster);
  }

  const clusterByKey = new Map<string, ClusterPlan>();
  for (const cluster of clusters) clusterByKey.set(cluster.key, cluster);
  for (const subscription of subscriptions) subscription.clusterIndices.sort((a, b) => compareStrings(clusters[a].key, clusters[b].key));

  const listingFailures = planListingFailures(options, subscriptions);
  const waivers = planWaivers(options, clusters, listingFailures);
  return { seed: options.seed, days: periodDays, teams, subscriptions, clusters, clusterByKey, listingFailures, waivers };
}

function planSubscriptions(options: PlanOptions): SubscriptionPlan[] {
  return listSubscriptionTemplates(options.subscriptions).map((t, i) => ({
    id: new Random(options.seed, STREAM.subscriptions + i).guid(),
    displayName: t.displayName,
    production: t.production,
    businessUnit: t.businessUnit,
    clusterIndices: [],
  }));
}

/** The estate grows (GROWTH_FACTOR) over the period, some clusters are deleted (SURVIVING_SHARE), and it ends at exactly `options.clusters`. */
function scheduleClusters(options: PlanOptions, teams: TeamProfile[]): ClusterSpec[] {
  const periodDays = options.days;
  const clusterCount = options.clusters;
  const random = new Random(options.seed, STREAM.schedule);
  const hasHistory = periodDays >= 2;
  const totalEver = hasHistory ? Math.round(clusterCount / SURVIVING_SHARE) : clusterCount;
  const initial = clusterCount === 0 ? 0 : hasHistory ? Math.max(1, Math.round(clusterCount / GROWTH_FACTOR)) : clusterCount;
  const created = totalEver - initial;

  const teamWeights = teams.map((t, i) => [i, t.size] as const);
  const pickRegion = (team: TeamProfile): RegionInfo =>
    random.chance(HOME_REGION_CHANCE) ? (REGIONS.find((x) => x.name === team.homeRegion) ?? REGIONS[0]) : random.weighted(REGIONS.map((x) => [x, x.weight] as const));
  // Normal clusters get their environment by quota in assignTraits.
  const makeSpec = (bornDay: number, role: ClusterRole, teamIndex = random.weighted(teamWeights), env: EnvKind = "dev"): ClusterSpec => {
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
  const births = Array.from({ length: initial }, () => -random.int(14, 900)).sort((a, b) => a - b);
  const roles: ClusterRole[] = births.map(() => "normal");
  const large = clusterCount >= LARGE_CLUSTERS.fromEstateSize ? Math.max(LARGE_CLUSTERS.atLeast, Math.round(clusterCount / LARGE_CLUSTERS.oneIn)) : 0;
  const odd = clusterCount >= ODD_CLUSTERS.fromEstateSize ? Math.max(ODD_CLUSTERS.atLeast, Math.round(clusterCount / ODD_CLUSTERS.oneIn)) : 0;
  const order = random.shuffle(Array.from({ length: initial }, (_, i) => i));
  order.slice(0, large).forEach((i) => (roles[i] = "large"));
  order.slice(large, large + odd).forEach((i) => (roles[i] = "odd"));

  const specs: ClusterSpec[] = births.map((born, i) => {
    if (roles[i] === "large") {
      const names = LARGE_CLUSTER_TEAMS.filter((n) => teams.some((t) => t.name === n));
      const chosen = names.length ? random.pick(names) : null;
      const teamIndex = chosen ? teams.findIndex((t) => t.name === chosen) : random.weighted(teamWeights);
      return makeSpec(born, "large", teamIndex, "prod");
    }
    if (roles[i] === "odd") return makeSpec(born, "odd", undefined, random.chance(ODD_CLUSTER_DEV_CHANCE) ? "dev" : "staging");
    return makeSpec(born, "normal");
  });

  // One slow team spins up a batch of unprotected clusters within a week: the visible setback.
  const batchSize = periodDays >= SETBACK_BATCH.fromDays && clusterCount >= SETBACK_BATCH.fromEstateSize ? Math.min(created, Math.round(clusterCount * SETBACK_BATCH.share)) : 0;
  const slowTeams = teams.map((t, i) => [t, i] as const).filter(([t]) => t.speed === "slow");
  const batchTeam = slowTeams.find(([t]) => t.name === "data-science") ?? slowTeams[0] ?? [teams[0], 0];
  const batchStart = Math.min(periodDays - 1, Math.max(1, Math.round(periodDays * SETBACK_BATCH.startsAt)));
  const later: ClusterSpec[] = [];
  for (let i = 0; i < batchSize; i++) {
    const born = Math.min(periodDays - 1, batchStart + random.int(0, 2));
    later.push(makeSpec(born, "batch", batchTeam[1], random.weighted(SETBACK_BATCH_ENVIRONMENTS)));
  }
  for (let i = batchSize; i < created; i++) later.push(makeSpec(random.int(1, periodDays - 1), "normal"));
  later.sort((a, b) => a.bornDay - b.bornDay);
  const all = specs.concat(later);
  assignTraits(random, all, periodDays);
  return all;
}

/** Exactly round(sum of weights) items, each more likely the higher its weight (Efraimidis–Spirakis). */
function chooseExactly<T>(random: Random, items: T[], weight: (item: T) => number): T[] {
  let total = 0;
  const keyed = items.map((item) => {
    const w = clamp(weight(item), PROPENSITY_BOUNDS.min, PROPENSITY_BOUNDS.max);
    total += w;
    return { item, key: Math.log(1 - random.next()) / w };
  });
  keyed.sort((a, b) => b.key - a.key);
  return keyed.slice(0, Math.round(total)).map((k) => k.item);
}

function assignTraits(random: Random, specs: ClusterSpec[], periodDays: number): void {
  // Environments by quota: ~45% production, 20% staging, the rest dev.
  const normal = specs.filter((spec) => spec.role === "normal");
  const others = specs.filter((spec) => spec.role !== "normal");
  const quota = (env: EnvKind, share: number) => Math.max(0, Math.round(specs.length * share) - others.filter((spec) => spec.env === env).length);
  const prodCount = quota("prod", PRODUCTION_SHARE);
  const stagingCount = quota("staging", STAGING_SHARE);
  random.shuffle([...normal]).forEach((spec, i) => (spec.env = i < prodCount ? "prod" : i < prodCount + stagingCount ? "staging" : "dev"));

  // Network plugin by age: kubenet and node-subnet Azure CNI on old clusters, overlay on new ones.
  for (const spec of specs) {
    const traits = spec.traits;
    if (spec.role === "odd") traits.plugin = "none";
    else if (spec.role === "large") traits.overlay = false;
    else if (spec.bornDay >= 0) traits.overlay = random.chance(NEW_CLUSTER_OVERLAY_CHANCE);
    else if (spec.bornDay < -OLDEST_GENERATION_DAYS) traits.plugin = random.chance(OLDEST_KUBENET_CHANCE) ? "kubenet" : "azure";
    else if (spec.bornDay < -MIDDLE_GENERATION_DAYS) {
      const x = random.next();
      traits.plugin = x < MIDDLE_KUBENET_BELOW ? "kubenet" : "azure";
      traits.overlay = x >= MIDDLE_OVERLAY_FROM;
    } else traits.overlay = random.chance(RECENT_OVERLAY_CHANCE);
  }
  const pickQuota = (eligible: ClusterSpec[], share: number): ClusterSpec[] => random.shuffle(eligible).slice(0, Math.round(eligible.length * share));
  const ordinary = () => specs.filter((spec) => spec.role === "normal" || spec.role === "batch");
  // Windows node pools need Azure CNI.
  pickQuota(ordinary(), WINDOWS_POOL_SHARE).forEach((spec) => {
    spec.traits.windows = true;
    spec.traits.plugin = "azure";
  });
  const untagged = pickQuota(specs.filter((spec) => spec.role === "normal"), UNTAGGED_SHARE);
  untagged.forEach((spec, i) => (spec.traits.tagging = i % 3 === 2 ? "partial" : "none"));
  pickQuota([...specs], POD_LINK_LOCAL_NONE_SHARE).forEach((spec) => (spec.traits.podLinkLocalNone = true));
  pickQuota([...specs], NO_IN_CLUSTER_ACCESS_SHARE).forEach((spec) => (spec.traits.noInClusterAccess = true));
  specs.filter((spec) => spec.role === "odd").forEach((spec, i) => (spec.traits.oddEngine = ODD_ENGINES[i % ODD_ENGINES.length]));

  // Engine adoption by quota: the expected share, drawn with each cluster's propensity.
  for (const spec of specs) if (spec.role === "large") spec.traits.engineFromStart = true;
  const older = specs.filter((spec) => spec.role === "normal" && spec.bornDay < 0);
  const startPropensity = (spec: ClusterSpec) =>
    START_ENGINE_BY_ENV[spec.env] + START_ENGINE_BY_SPEED[spec.team.speed] - (spec.traits.plugin === "kubenet" ? START_ENGINE_KUBENET_PENALTY : 0);
  chooseExactly(random, older, startPropensity).forEach((spec) => (spec.traits.engineFromStart = true));
  const newer = specs.filter((spec) => spec.role === "normal" && spec.bornDay >= 0);
  const birthPropensity = (spec: ClusterSpec) => BIRTH_ENGINE_BY_SPEED[spec.team.speed] + BIRTH_ENGINE_LATER_BONUS * (spec.bornDay / periodDays) + (spec.env === "prod" ? BIRTH_ENGINE_PRODUCTION_BONUS : 0);
  chooseExactly(random, newer, birthPropensity).forEach((spec) => (spec.traits.engineFromStart = true));
  const backlog = older.filter((spec) => !spec.traits.engineFromStart);
  const fixPropensity = (spec: ClusterSpec) => BACKLOG_FIX_BY_SPEED[spec.team.speed] * (spec.env === "dev" ? BACKLOG_FIX_DEV_FACTOR : 1);
  chooseExactly(random, backlog, fixPropensity).forEach((spec) => (spec.traits.backlogFixed = true));
  // Some Cilium clusters print only `networkDataplane: cilium`, as older API versions did.
  const ciliumCandidates = specs.filter((spec) => spec.role === "normal" && spec.traits.overlay && !spec.traits.windows && spec.traits.engineFromStart);
  pickQuota(ciliumCandidates, CILIUM_WITHOUT_POLICY_KEY_SHARE).forEach((spec) => (spec.traits.ciliumWithoutPolicyKey = true));
  const references = random.shuffle(specs.filter((spec) => spec.role === "normal" && spec.team.speed === "fast" && spec.traits.engineFromStart));
  references.slice(0, Math.round(specs.length * EXEMPLARY_SHARE)).forEach((spec) => (spec.traits.exemplary = true));
}
