// A cluster's in-cluster plan: its namespaces, their default-deny rollout and allows, and the
// allow-any rules that come and go.

import { ALLOW_ANY_LIFETIME, DENY_ROLLOUT_DELAY, PLATFORM_NAMESPACES } from "./catalog";
import {
  ALWAYS,
  NEVER,
  type AllowAnyIncident,
  type AllowAnyShape,
  type ClusterPlan,
  type EgressAllow,
  type IngressAllow,
  type NamespacePlan,
  type PlanOptions,
} from "./plan-types";
import { clamp, Random, STREAM } from "./random";
import {
  ADDED_NAMESPACES_PER_180_DAYS,
  APP_ALLOWS,
  APP_SCOPED_INGRESS_ALL_CHANCE,
  BASE_WORKLOAD_NAMESPACES,
  DEFAULT_NAMESPACE_EGRESS_FACTOR,
  DEFAULT_NAMESPACE_FACTOR,
  DENY_AT_BIRTH_FACTOR,
  DENY_BEFORE_ENGINE_CHANCE,
  DENY_FOLLOWS_ENGINE_CHANCE,
  DENY_LATER_CHANCE,
  DENY_ROLLOUT_SPAN,
  DILIGENCE_ADJUSTMENT,
  DILIGENCE_BY_SPEED,
  EGRESS_DENY_BY_SPEED,
  EGRESS_DENY_FROM_START_CHANCE,
  EGRESS_DENY_LAG_DAYS,
  EGRESS_DENY_SAME_DAY_CHANCE,
  EXTRA_NAMESPACES_MEAN,
  INCIDENT_NAMESPACE_WEIGHT,
  INCIDENT_NEVER_REMOVED_CHANCE,
  INHERITED_INCIDENT_CLEANUP_CHANCE,
  INHERITED_INCIDENTS_PER_SLOPPINESS,
  LATER_DENY_CHANCE,
  MAX_ADDED_NAMESPACES,
  MAX_EXTRA_NAMESPACES,
  MAX_NAMESPACES,
  NAMESPACE_LABELS,
  NEW_INCIDENTS_PER_SLOPPINESS_PER_180_DAYS,
  NON_PRODUCTION_INCIDENT_FACTOR,
  UNENFORCED_DENY_CHANCE,
} from "./tuning";

/** Last day (inclusive) the cluster exists within the period. */
export function lastDayOf(cluster: ClusterPlan, periodDays: number): number {
  return Math.min(cluster.deleteDay, periodDays) - 1;
}

export function planInCluster(options: PlanOptions, cluster: ClusterPlan): void {
  const random = new Random(options.seed, STREAM.inCluster + cluster.index);
  const periodDays = options.days;
  const firstDay = Math.max(0, cluster.bornDay);
  const lastDay = lastDayOf(cluster, periodDays);
  const speed = cluster.team.speed;
  const diligence = clamp(
    DILIGENCE_BY_SPEED[speed] +
      (cluster.env === "prod" ? DILIGENCE_ADJUSTMENT.production : cluster.env === "dev" ? DILIGENCE_ADJUSTMENT.dev : 0) +
      random.range(-DILIGENCE_ADJUSTMENT.jitter, DILIGENCE_ADJUSTMENT.jitter),
    DILIGENCE_ADJUSTMENT.min,
    DILIGENCE_ADJUSTMENT.max,
  );

  const meanExtra = EXTRA_NAMESPACES_MEAN[cluster.env === "prod" ? "prod" : "other"];
  const workload = BASE_WORKLOAD_NAMESPACES + Math.min(MAX_EXTRA_NAMESPACES, Math.floor(-Math.log(1 - random.next()) * meanExtra));
  const platformPicked = PLATFORM_NAMESPACES.filter(([, p]) => random.chance(p)).map(([n]) => n);
  const platformCount = Math.min(platformPicked.length, Math.max(0, workload - BASE_WORKLOAD_NAMESPACES));
  const platform = platformPicked.slice(0, platformCount);
  const appPool = random.shuffle([...cluster.team.namespaces]);
  let appCursor = 0;
  const nextAppName = (): string => (appCursor < appPool.length ? appPool[appCursor++] : `${cluster.team.name}-svc-${++appCursor}`);

  const entries: { name: string; role: "default" | "platform" | "app"; bornDay: number; added: boolean }[] = [
    { name: "default", role: "default", bornDay: cluster.bornDay, added: false },
    ...platform.map((name) => ({ name, role: "platform" as const, bornDay: cluster.bornDay, added: false })),
  ];
  for (let i = 0; i < workload - 1 - platformCount; i++) entries.push({ name: nextAppName(), role: "app", bornDay: cluster.bornDay, added: false });
  const added = firstDay + 1 <= lastDay ? Math.min(MAX_NAMESPACES - workload, random.poisson(ADDED_NAMESPACES_PER_180_DAYS * (periodDays / 180)), MAX_ADDED_NAMESPACES) : 0;
  for (let i = 0; i < added; i++) entries.push({ name: nextAppName(), role: "app", bornDay: random.int(firstDay + 1, lastDay), added: true });

  const hasIngressNginx = platform.includes("ingress-nginx");
  const hasMonitoring = platform.includes("monitoring");
  const appNames = entries.filter((entry) => entry.role === "app").map((entry) => entry.name);
  const [lo, hi] = DENY_ROLLOUT_DELAY[speed];
  const engineDay = cluster.engineDay;
  const egressShare = EGRESS_DENY_BY_SPEED[speed];
  const span = DENY_ROLLOUT_SPAN[speed] * (periodDays - 1);

  cluster.namespaces = entries.map((entry): NamespacePlan => {
    const denyChance = entry.role === "default" ? diligence * DEFAULT_NAMESPACE_FACTOR : diligence;
    let denyIngress: number;
    if (entry.bornDay < 0) {
      if (engineDay === ALWAYS) {
        if (random.chance(denyChance)) denyIngress = ALWAYS;
        else if (random.chance(LATER_DENY_CHANCE)) {
          const day = 1 + Math.floor(random.next() * span);
          denyIngress = day <= periodDays - 1 ? day : NEVER;
        } else denyIngress = NEVER;
      } else if (random.chance(UNENFORCED_DENY_CHANCE)) denyIngress = ALWAYS;
      else denyIngress = engineDay !== NEVER && random.chance(DENY_FOLLOWS_ENGINE_CHANCE) ? engineDay + random.int(lo, hi) : NEVER;
    } else if (engineDay <= entry.bornDay) {
      if (!entry.added && random.chance(denyChance * DENY_AT_BIRTH_FACTOR)) denyIngress = entry.bornDay;
      else denyIngress = random.chance(DENY_LATER_CHANCE) ? entry.bornDay + random.int(lo, hi) : NEVER;
    } else if (random.chance(DENY_BEFORE_ENGINE_CHANCE)) denyIngress = entry.bornDay;
    else denyIngress = engineDay !== NEVER && random.chance(DENY_FOLLOWS_ENGINE_CHANCE) ? engineDay + random.int(lo, hi) : NEVER;

    let denyEgress = NEVER;
    const egressChance = entry.role === "default" ? egressShare * DEFAULT_NAMESPACE_EGRESS_FACTOR : egressShare;
    if (denyIngress !== NEVER && random.chance(egressChance)) {
      if (denyIngress === ALWAYS) denyEgress = random.chance(EGRESS_DENY_FROM_START_CHANCE) ? ALWAYS : periodDays >= 2 ? random.int(1, periodDays - 1) : NEVER;
      else denyEgress = random.chance(EGRESS_DENY_SAME_DAY_CHANCE) ? denyIngress : denyIngress + random.int(EGRESS_DENY_LAG_DAYS.min, EGRESS_DENY_LAG_DAYS.max);
    }
    if (cluster.exemplary) denyIngress = denyEgress = entry.bornDay < 0 ? ALWAYS : entry.bornDay;

    const label = entry.name;
    const ingressAllows: IngressAllow[] = [];
    const egressAllows: EgressAllow[] = [];
    const others = appNames.filter((n) => n !== entry.name);
    if (entry.role === "app") {
      if (hasIngressNginx && random.chance(APP_ALLOWS.fromIngressNginx)) ingressAllows.push({ kind: "from-namespace", name: "allow-from-ingress-nginx", namespace: "ingress-nginx", app: label, port: random.pick([8080, 8080, 3000, 5000]) });
      if (random.chance(APP_ALLOWS.sameNamespace)) ingressAllows.push({ kind: "same-namespace", name: "allow-same-namespace" });
      if (hasMonitoring && random.chance(APP_ALLOWS.prometheusScrape)) ingressAllows.push({ kind: "scrape", name: "allow-prometheus-scrape", port: random.pick([9090, 8080, 9102]) });
      if (others.length && random.chance(APP_ALLOWS.fromOtherApp)) {
        const from = random.pick(others);
        ingressAllows.push({ kind: "from-namespace", name: `allow-from-${from}`, namespace: from, app: label, port: 8080 });
      }
      if (!ingressAllows.length) ingressAllows.push({ kind: "same-namespace", name: "allow-same-namespace" });
      if (random.chance(APP_ALLOWS.toBackendByIp)) {
        const [service, port, prefix] = random.pick(BACKEND_SERVICES);
        const cidr = `10.${random.int(10, 250)}.${random.int(0, 255)}.${prefix === 24 ? 0 : random.int(0, 7) * 32}/${prefix}`;
        egressAllows.push({ kind: "ip-block", name: `allow-egress-${service}`, cidr, port, app: label });
      }
      if (random.chance(APP_ALLOWS.internetHttps)) egressAllows.push({ kind: "internet-https", name: "allow-egress-internet-https", exceptImds: random.chance(APP_ALLOWS.internetExceptImds) });
      if (random.chance(APP_ALLOWS.egressSameNamespace)) egressAllows.push({ kind: "same-namespace", name: "allow-egress-same-namespace" });
      if (others.length && random.chance(APP_ALLOWS.toOtherApp)) {
        const to = random.pick(others);
        egressAllows.push({ kind: "to-namespace", name: `allow-egress-to-${to}`, namespace: to, port: 8080 });
      }
      if (random.chance(APP_ALLOWS.imds) && !cluster.exemplary) egressAllows.push({ kind: "imds", name: "allow-azure-instance-metadata" });
    } else if (entry.role === "platform") {
      if (entry.name === "ingress-nginx") {
        ingressAllows.push({ kind: "from-internet", name: "allow-http-https-from-internet", ports: [80, 443] });
        if (appNames.length) egressAllows.push({ kind: "to-namespace", name: `allow-egress-to-${appNames[0]}`, namespace: appNames[0], port: 8080 });
      } else if (entry.name === "monitoring") {
        ingressAllows.push({ kind: "same-namespace", name: "allow-same-namespace" });
        if (hasIngressNginx) ingressAllows.push({ kind: "from-namespace", name: "allow-grafana-from-ingress-nginx", namespace: "ingress-nginx", app: "grafana", port: 3000 });
        egressAllows.push({ kind: "scrape-all", name: "allow-scrape-all-namespaces" });
      } else {
        ingressAllows.push({ kind: "same-namespace", name: "allow-same-namespace" });
        if (entry.name !== "keda") egressAllows.push({ kind: "internet-https", name: "allow-egress-internet-https", exceptImds: random.chance(APP_ALLOWS.platformInternetExceptImds) });
        if (entry.name === "argocd" && hasIngressNginx) ingressAllows.push({ kind: "from-namespace", name: "allow-from-ingress-nginx", namespace: "ingress-nginx", app: "argocd-server", port: 8080 });
      }
    }

    const labels: Record<string, string> = {};
    if (entry.role === "app") {
      if (random.chance(NAMESPACE_LABELS.team)) labels.team = cluster.team.name;
      if (random.chance(NAMESPACE_LABELS.environment)) labels.environment = cluster.env;
      if (random.chance(NAMESPACE_LABELS.istioInjection)) labels["istio-injection"] = "enabled";
    } else if (entry.role === "platform" && random.chance(NAMESPACE_LABELS.platformPartOf)) labels["app.kubernetes.io/part-of"] = "platform";

    return {
      name: entry.name,
      bornDay: entry.bornDay,
      denyIngressDay: denyIngress,
      denyEgressDay: denyEgress,
      dnsStyle: cluster.exemplary ? "kube-dns" : random.weighted(DNS_STYLES),
      ingressAllows,
      egressAllows,
      earlyAllow:
        entry.role === "app" && hasIngressNginx && random.chance(APP_ALLOWS.earlyFromIngress) && !cluster.exemplary
          ? { kind: "from-namespace", name: "allow-from-ingress", namespace: "ingress-nginx", app: label, port: 8080 }
          : null,
      labels,
      role: entry.role,
    };
  });

  cluster.incidents = cluster.exemplary ? [] : planIncidents(random, cluster, firstDay, lastDay, periodDays);
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
function planIncidents(random: Random, cluster: ClusterPlan, firstDay: number, lastDay: number, periodDays: number): AllowAnyIncident[] {
  const incidents: AllowAnyIncident[] = [];
  if (lastDay < firstDay) return incidents;
  const envFactor = cluster.env === "prod" ? 1 : NON_PRODUCTION_INCIDENT_FACTOR;
  const [lo, hi] = ALLOW_ANY_LIFETIME[cluster.team.speed];
  const used = new Set<string>();
  const add = (startDay: number, endDay: number): void => {
    const candidates = cluster.namespaces.map((ns, i) => [ns, i] as const).filter(([ns]) => ns.bornDay <= Math.max(startDay, cluster.bornDay));
    if (!candidates.length) return;
    const [ns, namespaceIndex] = random.weighted(candidates.map((x) => [x, x[0].name === "default" ? INCIDENT_NAMESPACE_WEIGHT.default : INCIDENT_NAMESPACE_WEIGHT.other] as const));
    const shape = random.weighted(SHAPES);
    let policyName = SHAPE_POLICY_NAME[shape];
    for (let k = 2; used.has(`${namespaceIndex}/${policyName}`); k++) policyName = `${SHAPE_POLICY_NAME[shape]}-${k}`;
    used.add(`${namespaceIndex}/${policyName}`);
    const app = shape === "egress-world" || shape === "ingress-world" || (shape === "ingress-all" && random.chance(APP_SCOPED_INGRESS_ALL_CHANCE)) ? ns.name : null;
    incidents.push({ namespaceIndex, shape, policyName, app, startDay, endDay });
  };
  if (cluster.bornDay < 0) {
    const count = random.poisson(cluster.team.sloppiness * INHERITED_INCIDENTS_PER_SLOPPINESS * envFactor);
    for (let i = 0; i < count; i++) add(ALWAYS, random.chance(INHERITED_INCIDENT_CLEANUP_CHANCE) && periodDays >= 2 ? random.int(1, periodDays - 1) : NEVER);
  }
  const count = random.poisson(cluster.team.sloppiness * NEW_INCIDENTS_PER_SLOPPINESS_PER_180_DAYS * envFactor * (Math.max(0, lastDay - firstDay + 1) / 180));
  for (let i = 0; i < count; i++) {
    const start = random.int(firstDay, lastDay);
    add(start, random.chance(INCIDENT_NEVER_REMOVED_CHANCE) ? NEVER : start + random.int(lo, hi));
  }
  return incidents;
}
