// The knobs of the demo estate: how the synthetic organisation grows, adopts engines, rolls out
// default deny and slips. The plan (plan-*.ts) draws every random choice against one of these, so
// the story the KPIs tell is tuned here. A value is a probability (0..1) unless its name says
// otherwise. Changing one changes every estate a seed gives: the demo's tests pin the shapes.

import type { FixSpeed } from "./catalog";
import type { EnvKind } from "./plan-types";

/** Per team speed: fast, medium, slow. */
type BySpeed = Readonly<Record<FixSpeed, number>>;

// ---- The estate over the period ------------------------------------------------------------

/** Clusters alive at the end ÷ clusters that ever existed: about 5% are deleted during the period. */
export const SURVIVING_SHARE = 0.95;
/** Clusters at the end ÷ clusters at the start: the estate grows about 30%. */
export const GROWTH_FACTOR = 1.3;
/** A cluster lives in its team's home region, else in one by region weight. */
export const HOME_REGION_CHANCE = 0.7;
/** Large (hundreds of nodes) clusters: from estates of this size, one per this many clusters, at least this many. */
export const LARGE_CLUSTERS = { fromEstateSize: 50, oneIn: 75, atLeast: 2 } as const;
/** Clusters on a bring-your-own CNI: from estates of this size, one per this many clusters, at least one. */
export const ODD_CLUSTERS = { fromEstateSize: 20, oneIn: 100, atLeast: 1 } as const;
/** An odd cluster is dev rather than staging. */
export const ODD_CLUSTER_DEV_CHANCE = 0.5;
/**
 * The visible setback: one slow team creates this share of the estate, unprotected, within a week
 * starting at this fraction of the period (estates of at least `fromEstateSize` over `fromDays`).
 */
export const SETBACK_BATCH = { share: 0.08, startsAt: 0.42, fromDays: 21, fromEstateSize: 30 } as const;
/** Environments of the setback batch, by weight. */
export const SETBACK_BATCH_ENVIRONMENTS = [["prod", 40], ["staging", 25], ["dev", 35]] as const;

// ---- Traits handed out by quota ---------------------------------------------------------------

/** Shares of the estate in production and staging; the rest is dev. */
export const PRODUCTION_SHARE = 0.45;
export const STAGING_SHARE = 0.2;
/** Network plugins by age: new clusters mostly overlay; old ones kubenet or node-subnet Azure CNI. */
export const NEW_CLUSTER_OVERLAY_CHANCE = 0.85;
/** Born more than this many days before the period: the oldest generation. */
export const OLDEST_GENERATION_DAYS = 500;
export const OLDEST_KUBENET_CHANCE = 0.45;
/** Born more than this many days before the period (and not the oldest): the middle generation. */
export const MIDDLE_GENERATION_DAYS = 200;
/** The middle generation: below the first, kubenet; at or above the second, overlay. */
export const MIDDLE_KUBENET_BELOW = 0.15;
export const MIDDLE_OVERLAY_FROM = 0.6;
export const RECENT_OVERLAY_CHANCE = 0.75;
export const WINDOWS_POOL_SHARE = 0.05;
/** Clusters without (or with partial) owner tags; every third of them keeps a cost-centre tag. */
export const UNTAGGED_SHARE = 0.045;
export const POD_LINK_LOCAL_NONE_SHARE = 0.04;
export const NO_IN_CLUSTER_ACCESS_SHARE = 0.04;
/** Cilium clusters that print only `networkDataplane: cilium`, as older API versions did. */
export const CILIUM_WITHOUT_POLICY_KEY_SHARE = 0.06;
/** Platform-team reference clusters: default deny everywhere from day one. */
export const EXEMPLARY_SHARE = 0.05;

// ---- Engine adoption -----------------------------------------------------------------------------

/** Propensity of a cluster older than the period to have an engine from the start, by environment and team speed. */
export const START_ENGINE_BY_ENV: Readonly<Record<EnvKind, number>> = { prod: 0.7, staging: 0.54, dev: 0.44 };
export const START_ENGINE_BY_SPEED: BySpeed = { fast: 0.12, medium: 0, slow: -0.12 };
/** Kubenet clusters lag behind. */
export const START_ENGINE_KUBENET_PENALTY = 0.2;
/** Propensity of a cluster born in the period to start with an engine: team speed, later births, production. */
export const BIRTH_ENGINE_BY_SPEED: BySpeed = { fast: 0.4, medium: 0.35, slow: 0.25 };
export const BIRTH_ENGINE_LATER_BONUS = 0.3;
export const BIRTH_ENGINE_PRODUCTION_BONUS = 0.1;
/** Propensity of an unprotected older cluster to be fixed during the period; dev clusters a little less. */
export const BACKLOG_FIX_BY_SPEED: BySpeed = { fast: 0.9, medium: 0.7, slow: 0.38 };
export const BACKLOG_FIX_DEV_FACTOR = 0.9;
/** Quota draws never treat a propensity as certain or impossible. */
export const PROPENSITY_BOUNDS = { min: 0.02, max: 0.98 } as const;
/** Fixed backlog clusters are fixed within this fraction of the period. */
export const BACKLOG_FIX_SPAN: BySpeed = { fast: 0.3, medium: 0.75, slow: 1 };
/** A new unprotected cluster that never gets its engine. */
export const NEVER_FIXED_BY_SPEED: BySpeed = { fast: 0, medium: 0.05, slow: 0.12 };
/** Azure NPM overlay clusters that move to Cilium during a period of at least this many days. */
export const NPM_TO_CILIUM = { chance: 0.15, fromDays: 10 } as const;
/** Of the Linux clusters still on Azure NPM, the share that moves to Cilium during the period (the migration in progress). */
export const NPM_MIGRATION_SHARE = 0.6;
/** Days from a node-subnet NPM cluster's move to Azure CNI Overlay to its move to the Cilium dataplane (at least, at most). */
export const NPM_OVERLAY_TO_CILIUM_DAYS = [21, 60] as const;
/** A kubenet cluster fixed by moving to Azure CNI Overlay with Cilium rather than adding Calico. */
export const KUBENET_FIX_TO_CILIUM_CHANCE = 0.6;
/** What an unprotected cluster prints as networkPolicy: "none", no key, or null. */
export const NO_ENGINE_POLICY_VALUES = [["none", 40], [undefined, 35], [null, 25]] as const;
export const OVERLAY_ENGINES = [["cilium", 70], ["azure", 20], ["calico", 10]] as const;
export const NODE_SUBNET_ENGINES = [["azure", 60], ["calico", 40]] as const;
/**
 * Engines chosen during the period (new clusters, backlog fixes): Azure NPM is retiring, so Cilium,
 * Azure's recommendation (on Azure CNI Overlay), and a few Calico.
 */
export const PERIOD_ENGINES = [["cilium", 85], ["calico", 15]] as const;

// ---- Cluster properties ----------------------------------------------------------------------

export const PRIVATE_CLUSTER_CHANCE: Readonly<Record<"prod" | "other", number>> = { prod: 0.25, other: 0.08 };
/** In-cluster reads fail on this share of days: flaky private clusters, other private ones, public ones. */
export const FLAKY_PRIVATE_CLUSTER_CHANCE = 0.15;
export const READ_FAILURE_RATE = { flakyPrivate: 0.22, private: 0.025, public: 0.002 } as const;
export const WEEKEND_STOPPED_DEV_CHANCE = 0.08;
export const DEFAULT_SERVICE_CIDR_CHANCE = 0.8;
export const AZURE_POLICY_ADDON_CHANCE: Readonly<Record<"prod" | "other", number>> = { prod: 0.7, other: 0.4 };
export const APP_ROUTING_ADDON_CHANCE = 0.2;
export const STANDARD_TIER_NON_PROD_CHANCE = 0.25;
/** Resource group names spelled in capitals (ARM keeps their case in ids). */
export const CAPITALISED_RESOURCE_GROUP_SHARE = 0.08;
/** An owner tag with stray spaces around the value. */
export const PADDED_OWNER_TAG_CHANCE = 0.03;
/** Untagged clusters whose tags are fixed during the period. */
export const TAG_HYGIENE_CATCH_UP_CHANCE = 0.5;

// ---- Deletions and listing failures -------------------------------------------------------------

/** One short-lived newcomer is deleted after this many days (periods of at least `fromDays`). */
export const SHORT_LIVED_NEWCOMER = { fromDays: 30, minDays: 4, maxDays: 10, bornBeforeEnd: 12 } as const;
/** Deletion weight of an older cluster: unprotected ones and non-production ones go more often. */
export const DELETION_WEIGHT = { protectedFromStart: 1, otherwise: 3, production: 1, nonProduction: 2 } as const;
/** One subscription listing fails on one day per this many days (periods of at least `fromDays`). */
export const LISTING_FAILURES = { oneInDays: 50, fromDays: 10 } as const;

// ---- Namespaces and default deny ---------------------------------------------------------------

/** How diligently a team's namespaces deny by default: by speed, production more, dev less, ± jitter, bounded. */
export const DILIGENCE_BY_SPEED: BySpeed = { fast: 0.75, medium: 0.5, slow: 0.3 };
export const DILIGENCE_ADJUSTMENT = { production: 0.1, dev: -0.15, jitter: 0.1, min: 0.05, max: 0.95 } as const;
/** The `default` namespace gets this fraction of the diligence (and of the egress share). */
export const DEFAULT_NAMESPACE_FACTOR = 0.5;
export const DEFAULT_NAMESPACE_EGRESS_FACTOR = 0.6;
/** Workload namespaces: three, plus an exponential number with this mean (at most twelve more). */
export const EXTRA_NAMESPACES_MEAN: Readonly<Record<"prod" | "other", number>> = { prod: 4.5, other: 3.2 };
export const BASE_WORKLOAD_NAMESPACES = 3;
export const MAX_EXTRA_NAMESPACES = 12;
/** Namespaces added during the period: a Poisson rate per 180 days, at most this many, 15 in all. */
export const ADDED_NAMESPACES_PER_180_DAYS = 0.9;
export const MAX_ADDED_NAMESPACES = 3;
export const MAX_NAMESPACES = 15;
/** Share of namespaces that also deny egress once they deny ingress. */
export const EGRESS_DENY_BY_SPEED: BySpeed = { fast: 0.8, medium: 0.55, slow: 0.35 };
/** An older cluster with an engine rolls out its default deny within this fraction of the period. */
export const DENY_ROLLOUT_SPAN: BySpeed = { fast: 0.5, medium: 0.9, slow: 1.3 };
/** Older clusters with an engine: a namespace not denied from the start gets its deny during the period. */
export const LATER_DENY_CHANCE = 0.65;
/** Older clusters without an engine: a namespace that already carries a deny (unenforced). */
export const UNENFORCED_DENY_CHANCE = 0.12;
/** A deny follows the engine fix. */
export const DENY_FOLLOWS_ENGINE_CHANCE = 0.8;
/** New namespaces on clusters with an engine: denied from birth (less for added ones), else later. */
export const DENY_AT_BIRTH_FACTOR = 0.8;
export const DENY_LATER_CHANCE = 0.85;
/** New namespaces on clusters without an engine yet that deny anyway. */
export const DENY_BEFORE_ENGINE_CHANCE = 0.08;
/** Egress deny of a namespace denied from the start: also from the start, else later in the period. */
export const EGRESS_DENY_FROM_START_CHANCE = 0.6;
/** Egress deny on the same day as ingress, else this many days later. */
export const EGRESS_DENY_SAME_DAY_CHANCE = 0.5;
export const EGRESS_DENY_LAG_DAYS = { min: 3, max: 40 } as const;

// ---- What app namespaces allow -------------------------------------------------------------------

export const APP_ALLOWS = {
  fromIngressNginx: 0.65,
  sameNamespace: 0.5,
  prometheusScrape: 0.6,
  fromOtherApp: 0.35,
  toBackendByIp: 0.4,
  internetHttps: 0.35,
  /** An internet HTTPS allow that leaves IMDS out (apps; platform namespaces: `platformInternetExceptImds`). */
  internetExceptImds: 0.75,
  platformInternetExceptImds: 0.8,
  egressSameNamespace: 0.5,
  toOtherApp: 0.3,
  /** An explicit allow to the instance metadata service (NP-05 fails). */
  imds: 0.04,
  /** An allow from the ingress controller that exists before the default deny does. */
  earlyFromIngress: 0.2,
} as const;
export const NAMESPACE_LABELS = { team: 0.6, environment: 0.2, istioInjection: 0.1, platformPartOf: 0.4 } as const;

// ---- Allow-any incidents ---------------------------------------------------------------------

/** Non-production clusters collect more of them. */
export const NON_PRODUCTION_INCIDENT_FACTOR = 1.2;
/** Older than the period: a Poisson count of sloppiness × this, most cleaned up during the period. */
export const INHERITED_INCIDENTS_PER_SLOPPINESS = 1.3;
export const INHERITED_INCIDENT_CLEANUP_CHANCE = 0.85;
/** During the period: a Poisson rate of sloppiness × this per 180 days of life; some are never removed. */
export const NEW_INCIDENTS_PER_SLOPPINESS_PER_180_DAYS = 0.55;
export const INCIDENT_NEVER_REMOVED_CHANCE = 0.12;
/** An ingress-all rule scoped to the namespace's app rather than every pod. */
export const APP_SCOPED_INGRESS_ALL_CHANCE = 0.5;
/** Which namespace an incident lands in: `default` weighs less than the others. */
export const INCIDENT_NAMESPACE_WEIGHT = { default: 1, other: 4 } as const;

// ---- Waivers ---------------------------------------------------------------------------------

/** Share of clusters with a waiver (estates of at least `fromEstateSize` clusters). */
export const WAIVERS = { share: 0.08, fromEstateSize: 10 } as const;

// ---- Policy styles and workloads (rules v2) -------------------------------------------------

/** How Cilium clusters write their segmentation: one cluster-wide policy per direction, per-namespace CiliumNetworkPolicies, or Kubernetes NetworkPolicies. */
export const CILIUM_STYLES = [["cilium-clusterwide", 50], ["cilium-namespaced", 25], ["kubernetes", 25]] as const;
/** Calico clusters: GlobalNetworkPolicies by namespace label, or Kubernetes NetworkPolicies only. */
export const CALICO_STYLES = [["calico-global", 60], ["kubernetes", 40]] as const;
/** Share of Cilium and Calico clusters whose platform team adds a cluster-wide IMDS deny, and the days it takes after the engine. */
export const IMDS_DENY_CHANCE = 0.55;
export const IMDS_DENY_DELAY = [0, 90] as const;
/** Share of Cilium clusters older than the period that still hold Calico's CRDs and a GlobalNetworkPolicy. */
export const CALICO_LEFTOVER_CHANCE = 0.3;
/** Share of clusters whose platform team tries the network-policy-api admin policies. */
export const ADMIN_POLICIES_CHANCE = 0.06;

/** Workloads per app namespace (inclusive), and on the large clusters. */
export const APP_WORKLOADS = [2, 6] as const;
export const LARGE_CLUSTER_APP_WORKLOADS = [6, 12] as const;
/** Replicas per workload by environment (inclusive). */
export const REPLICAS: Readonly<Record<"prod" | "staging" | "dev", readonly [number, number]>> = { prod: [2, 6], staging: [1, 3], dev: [1, 2] };
/** Share of workloads whose pods carry a release label; days between releases (inclusive). */
export const VERSIONED_WORKLOAD_CHANCE = 0.45;
export const RELEASE_INTERVAL_DAYS = [45, 150] as const;
