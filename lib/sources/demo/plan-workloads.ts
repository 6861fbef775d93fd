// The workloads of each namespace, whose pods make the pod classes of docs/design.md §4.5: tens to
// hundreds per cluster, labelled the way teams label them (`app`, `app.kubernetes.io/*`, `tier`,
// `version`), with releases that change the version label now and then. Pod counts are replicas of
// the plan, not of the day's autoscaling: a class changes when a release does, not every day.

import type { ClusterPlan, PlanOptions, WorkloadPlan } from "./plan-types";
import { hashUnit, Random, STREAM } from "./random";
import { APP_WORKLOADS, LARGE_CLUSTER_APP_WORKLOADS, RELEASE_INTERVAL_DAYS, REPLICAS, VERSIONED_WORKLOAD_CHANCE } from "./tuning";

/** Extra workloads of an app namespace beside its main one, with the tier their pods say. */
const SIDE_WORKLOADS: readonly (readonly [string, string])[] = [
  ["worker", "worker"],
  ["db", "data"],
  ["cache", "cache"],
  ["consumer", "worker"],
  ["cron", "batch"],
  ["admin", "frontend"],
  ["metrics", "monitoring"],
  ["gateway", "edge"],
  ["scheduler", "batch"],
  ["search", "data"],
  ["notifier", "worker"],
];

/** Platform namespaces' workloads as their charts label them. */
const PLATFORM_WORKLOADS: Record<string, readonly { name: string; labels: Record<string, string>; replicas: number }[]> = {
  "ingress-nginx": [{ name: "ingress-nginx-controller", labels: { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": "ingress-nginx" }, replicas: 2 }],
  monitoring: [
    { name: "prometheus", labels: { "app.kubernetes.io/name": "prometheus", "app.kubernetes.io/instance": "kube-prometheus-stack" }, replicas: 1 },
    { name: "grafana", labels: { app: "grafana", "app.kubernetes.io/name": "grafana" }, replicas: 1 },
    { name: "alertmanager", labels: { "app.kubernetes.io/name": "alertmanager" }, replicas: 1 },
    { name: "kube-state-metrics", labels: { "app.kubernetes.io/name": "kube-state-metrics" }, replicas: 1 },
  ],
  "cert-manager": [
    { name: "cert-manager", labels: { app: "cert-manager", "app.kubernetes.io/name": "cert-manager", "app.kubernetes.io/component": "controller" }, replicas: 1 },
    { name: "cert-manager-webhook", labels: { app: "webhook", "app.kubernetes.io/name": "webhook", "app.kubernetes.io/component": "webhook" }, replicas: 1 },
    { name: "cert-manager-cainjector", labels: { app: "cainjector", "app.kubernetes.io/name": "cainjector", "app.kubernetes.io/component": "cainjector" }, replicas: 1 },
  ],
  argocd: [
    { name: "argocd-server", labels: { app: "argocd-server", "app.kubernetes.io/name": "argocd-server" }, replicas: 2 },
    { name: "argocd-repo-server", labels: { "app.kubernetes.io/name": "argocd-repo-server" }, replicas: 2 },
    { name: "argocd-application-controller", labels: { "app.kubernetes.io/name": "argocd-application-controller" }, replicas: 1 },
  ],
  "external-dns": [{ name: "external-dns", labels: { "app.kubernetes.io/name": "external-dns" }, replicas: 1 }],
  keda: [
    { name: "keda-operator", labels: { app: "keda-operator", "app.kubernetes.io/name": "keda-operator" }, replicas: 1 },
    { name: "keda-metrics-apiserver", labels: { app: "keda-metrics-apiserver", "app.kubernetes.io/name": "keda-metrics-apiserver" }, replicas: 1 },
  ],
};

/** kube-system as AKS runs it: not a workload namespace, so no class, but its pods are listed like any. */
const KUBE_SYSTEM_WORKLOADS: readonly { name: string; labels: Record<string, string>; replicas: number }[] = [
  { name: "coredns", labels: { "k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true" }, replicas: 2 },
  { name: "coredns-autoscaler", labels: { "k8s-app": "coredns-autoscaler" }, replicas: 1 },
  { name: "metrics-server", labels: { "k8s-app": "metrics-server" }, replicas: 2 },
  { name: "konnectivity-agent", labels: { app: "konnectivity-agent" }, replicas: 2 },
];

/** `app`-style teams write `app`, `tier`, `version`; the others the recommended `app.kubernetes.io/*` labels (keeping `app`, which their policies select). */
function labelStyle(options: PlanOptions, team: string): "app" | "recommended" {
  let code = 0;
  for (const char of team) code = (code * 31 + char.charCodeAt(0)) >>> 0;
  return hashUnit(options.seed, 91, code) < 0.5 ? "app" : "recommended";
}

function releasesOf(random: Random, firstDay: number, periodDays: number): { fromDay: number; version: string }[] {
  let major = random.int(1, 4);
  let minor = random.int(0, 12);
  const releases = [{ fromDay: Number.NEGATIVE_INFINITY, version: `${major}.${minor}.${random.int(0, 9)}` }];
  let day = Math.max(0, firstDay) + random.int(RELEASE_INTERVAL_DAYS[0], RELEASE_INTERVAL_DAYS[1]);
  while (day < periodDays) {
    if (random.chance(0.15)) {
      major += 1;
      minor = 0;
    } else minor += 1;
    releases.push({ fromDay: day, version: `${major}.${minor}.${random.int(0, 9)}` });
    day += random.int(RELEASE_INTERVAL_DAYS[0], RELEASE_INTERVAL_DAYS[1]);
  }
  return releases;
}

export function planWorkloads(options: PlanOptions, cluster: ClusterPlan): void {
  const random = new Random(options.seed, STREAM.workloads + cluster.index);
  const style = labelStyle(options, cluster.team.name);
  const [lowReplicas, highReplicas] = REPLICAS[cluster.env];
  const workloads = new Map<string, WorkloadPlan[]>();
  const fixed = (list: readonly { name: string; labels: Record<string, string>; replicas: number }[]): WorkloadPlan[] =>
    list.map((item) => ({ name: item.name, labels: { ...item.labels }, replicas: item.replicas, versionLabel: null, releases: [] }));
  workloads.set("kube-system", fixed(KUBE_SYSTEM_WORKLOADS));

  for (const namespace of cluster.namespaces) {
    if (namespace.role === "platform") {
      workloads.set(namespace.name, fixed(PLATFORM_WORKLOADS[namespace.name] ?? []));
      continue;
    }
    if (namespace.role === "default") {
      // Most teams leave `default` empty; dev clusters gather a stray deployment or two.
      const stray = cluster.env === "dev" && random.chance(0.4) ? [{ name: "hello-world", labels: { app: "hello-world" }, replicas: 1 }] : [];
      workloads.set(namespace.name, fixed(stray));
      continue;
    }
    const [low, high] = cluster.role === "large" ? LARGE_CLUSTER_APP_WORKLOADS : APP_WORKLOADS;
    const count = random.int(low, high);
    const sides = random.shuffle([...SIDE_WORKLOADS]).slice(0, count - 1);
    // The main workload carries `app: <namespace>`: what the namespace's own allow policies select.
    const specs: [string, string][] = [[namespace.name, random.pick(["backend", "frontend", "api"])], ...sides.map(([suffix, tier]): [string, string] => [`${namespace.name}-${suffix}`, tier])];
    const list: WorkloadPlan[] = specs.map(([name, tier]) => {
      const versioned = random.chance(VERSIONED_WORKLOAD_CHANCE);
      const versionLabel = versioned ? (style === "app" ? "version" : "app.kubernetes.io/version") : null;
      const labels: Record<string, string> =
        style === "app"
          ? { app: name, tier }
          : { app: name, "app.kubernetes.io/name": name, "app.kubernetes.io/component": tier, "app.kubernetes.io/part-of": namespace.name };
      const replicas = tier === "data" ? random.int(1, 3) : random.int(lowReplicas, highReplicas);
      return { name, labels, replicas, versionLabel, releases: versioned ? releasesOf(random, Math.max(cluster.bornDay, namespace.bornDay), options.days) : [] };
    });
    workloads.set(namespace.name, list);
  }
  cluster.workloads = workloads;
}
