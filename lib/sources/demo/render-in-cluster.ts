// One cluster's in-cluster objects on a given day, as `kubectl get -o json` prints them (the API
// server has defaulted policyTypes): Namespaces, the policy objects in the cluster's style
// (render-styled-policies.ts) and the pod classes. Built fresh on every call.

import type { ServiceSummary } from "@/lib/sources/service-summary";
import { CREATION_SLOTS, type DemoClock } from "./demo-clock";
import type {
  DemoInClusterObjects,
  KubeNamespace,
  KubeNetworkPolicy,
  KubeNetworkPolicyEgressRule,
  KubeNetworkPolicyIngressRule,
  KubeNetworkPolicyPeer,
} from "./kube-objects";
import { engineOfPhase } from "./plan-policy-style";
import { ALWAYS, phaseAt, type AllowAnyIncident, type ClusterPlan, type EgressAllow, type IngressAllow, type NamespacePlan, type PolicyStyle } from "./plan-types";
import { hashInts } from "./random";
import { renderPodClasses } from "./render-pods";
import {
  adminPolicies,
  calicoGlobalDenies,
  calicoImdsDeny,
  calicoIncident,
  calicoLeftover,
  ciliumClusterwideBaseline,
  ciliumEgressAllow,
  ciliumImdsDeny,
  ciliumIncident,
  ciliumIngressAllow,
  ciliumNamespaceDenies,
  SEGMENTATION_LABELS,
  type KubeObject,
} from "./render-styled-policies";

type PolicySpec = KubeNetworkPolicy["spec"];

const NAME_LABEL = "kubernetes.io/metadata.name";
const IMDS = "169.254.169.254/32";
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

const POLICY_SLOTS = 40;
const SYSTEM_SLOT = CREATION_SLOTS - 1;

const tcp = (port: number) => ({ protocol: "TCP" as const, port });
const namespacePeer = (name: string): KubeNetworkPolicyPeer => ({ namespaceSelector: { matchLabels: { [NAME_LABEL]: name } } });

interface RenderContext {
  c: ClusterPlan;
  clock: DemoClock;
  policies: KubeNetworkPolicy[];
  ciliumNetworkPolicies: KubeObject[];
  ciliumClusterwideNetworkPolicies: KubeObject[];
  calicoNetworkPolicies: KubeObject[];
  calicoGlobalNetworkPolicies: KubeObject[];
  adminNetworkPolicies: KubeObject[];
  baselineAdminNetworkPolicies: KubeObject[];
}

/** Metadata of a namespaced object created on `since` (or with its namespace): stable across days. */
function namespacedMetadata(ctx: RenderContext, ns: NamespacePlan, nsIndex: number, name: string, since: number) {
  const day = since === ALWAYS || since < ns.bornDay ? ns.bornDay : since;
  const h = hashInts(ctx.c.index, nsIndex, name.length * 131 + name.charCodeAt(name.length - 1), day);
  // Same-day objects come in order: system namespaces, then workload namespaces, then their policies.
  const slot = day === ns.bornDay ? h % POLICY_SLOTS : h % CREATION_SLOTS;
  return {
    name,
    namespace: ns.name,
    creationTimestamp: ctx.clock.creationTimestamp(day, slot),
    generation: 1,
    resourceVersion: String(1_000_000 + (h % 90_000_000)),
  };
}

function pushPolicy(ctx: RenderContext, ns: NamespacePlan, nsIndex: number, name: string, since: number, spec: PolicySpec): void {
  ctx.policies.push({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: namespacedMetadata(ctx, ns, nsIndex, name, since), spec });
}

function pushCiliumPolicy(ctx: RenderContext, ns: NamespacePlan, nsIndex: number, name: string, since: number, spec: Record<string, unknown>): void {
  ctx.ciliumNetworkPolicies.push({ apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: namespacedMetadata(ctx, ns, nsIndex, name, since), spec });
}

function pushCalicoPolicy(ctx: RenderContext, ns: NamespacePlan, nsIndex: number, name: string, since: number, spec: Record<string, unknown>): void {
  ctx.calicoNetworkPolicies.push({ apiVersion: "projectcalico.org/v3", kind: "NetworkPolicy", metadata: namespacedMetadata(ctx, ns, nsIndex, name, since), spec });
}

/** A cluster-scoped object created on `since` (the cluster's birth when it predates the period). */
function pushClusterScoped(ctx: RenderContext, list: KubeObject[], type: { apiVersion: string; kind: string }, name: string, since: number, spec: Record<string, unknown>): void {
  const day = since === ALWAYS || since < ctx.c.bornDay ? ctx.c.bornDay : since;
  const h = hashInts(ctx.c.index, 7_777, name.length * 131 + name.charCodeAt(name.length - 1), day);
  list.push({
    apiVersion: type.apiVersion,
    kind: type.kind,
    metadata: { name, creationTimestamp: ctx.clock.creationTimestamp(day, h % CREATION_SLOTS), generation: 1, resourceVersion: String(1_000_000 + (h % 90_000_000)) },
    spec,
  });
}

function dnsEgressRule(style: NamespacePlan["dnsStyle"]): KubeNetworkPolicyEgressRule {
  const ports = [
    { protocol: "UDP" as const, port: 53 },
    { protocol: "TCP" as const, port: 53 },
  ];
  const dnsPods = { matchLabels: { "k8s-app": "kube-dns" } };
  if (style === "old-label") return { to: [{ namespaceSelector: { matchLabels: { name: "kube-system" } }, podSelector: dnsPods }], ports };
  if (style === "all-namespaces") return { to: [{ namespaceSelector: {}, podSelector: dnsPods }], ports };
  return { to: [{ namespaceSelector: { matchLabels: { [NAME_LABEL]: "kube-system" } }, podSelector: dnsPods }], ports };
}

function ingressAllowSpec(a: IngressAllow): PolicySpec {
  switch (a.kind) {
    case "from-namespace": {
      const peer = namespacePeer(a.namespace);
      if (a.namespace === "ingress-nginx") peer.podSelector = { matchLabels: { "app.kubernetes.io/name": "ingress-nginx" } };
      return { podSelector: { matchLabels: { app: a.app } }, policyTypes: ["Ingress"], ingress: [{ from: [peer], ports: [tcp(a.port)] }] };
    }
    case "same-namespace":
      return { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: {} }] }] };
    case "from-internet":
      return {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: a.ports.map(tcp) }],
      };
    case "scrape":
      return {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ ...namespacePeer("monitoring"), podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } }], ports: [tcp(a.port)] }],
      };
  }
}

function egressAllowSpec(a: EgressAllow): PolicySpec {
  switch (a.kind) {
    case "ip-block":
      return { podSelector: { matchLabels: { app: a.app } }, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: a.cidr } }], ports: [tcp(a.port)] }] };
    case "internet-https":
      return {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{ to: [{ ipBlock: a.exceptImds ? { cidr: "0.0.0.0/0", except: [...PRIVATE_RANGES, IMDS] } : { cidr: "0.0.0.0/0" } }], ports: [tcp(443)] }],
      };
    case "same-namespace":
      return { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ podSelector: {} }] }] };
    case "to-namespace":
      return { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [namespacePeer(a.namespace)], ports: [tcp(a.port)] }] };
    case "scrape-all":
      return {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
        policyTypes: ["Egress"],
        egress: [{ to: [{ namespaceSelector: {} }], ports: [tcp(8080), tcp(9090), tcp(9100), tcp(10250)] }],
      };
    case "imds":
      return { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: IMDS } }], ports: [tcp(80)] }] };
  }
}

function incidentSpec(inc: AllowAnyIncident): PolicySpec {
  const podSelector = inc.app ? { matchLabels: { app: inc.app } } : {};
  const ingress = (rule: KubeNetworkPolicyIngressRule): PolicySpec => ({ podSelector, policyTypes: ["Ingress"], ingress: [rule] });
  const egress = (rule: KubeNetworkPolicyEgressRule): PolicySpec => ({ podSelector, policyTypes: ["Egress"], egress: [rule] });
  switch (inc.shape) {
    case "ingress-all":
      return ingress({});
    case "egress-all":
      return egress({});
    case "egress-world":
      return egress({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] });
    case "egress-world-except-imds":
      return egress({ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [IMDS] } }] });
    case "ingress-world":
      return ingress({ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }] });
    case "ingress-all-namespaces":
      return ingress({ from: [{ namespaceSelector: {} }] });
    case "egress-all-namespaces":
      return egress({ to: [{ namespaceSelector: {}, podSelector: {} }] });
    case "debug-all":
      return { podSelector, policyTypes: ["Ingress", "Egress"], ingress: [{}], egress: [{}] };
  }
}

/**
 * One namespace's policies in the cluster's style. Default denies: Kubernetes NetworkPolicies, a
 * CiliumNetworkPolicy pair, or nothing here (the cluster-wide styles select the namespace by label).
 * App allows: CiliumNetworkPolicies on Cilium styles, Kubernetes NetworkPolicies otherwise.
 */
function renderNamespacePolicies(ctx: RenderContext, ns: NamespacePlan, nsIndex: number, day: number, style: PolicyStyle): void {
  if (style === "kubernetes") return renderKubernetesNamespacePolicies(ctx, ns, nsIndex, day);
  // Under a cluster-wide baseline a namespace is denied from the baseline's day, or its own if earlier.
  const plan = ctx.c.policyStyle;
  const denyIngressDay = style === "cilium-clusterwide" ? Math.min(ns.denyIngressDay, Math.max(plan.baselineIngressDay, ns.bornDay)) : ns.denyIngressDay;
  const denyEgressDay = style === "cilium-clusterwide" ? Math.min(ns.denyEgressDay, Math.max(plan.baselineEgressDay, ns.bornDay)) : ns.denyEgressDay;
  const ingressDenied = denyIngressDay <= day;
  const egressDenied = denyEgressDay <= day;
  const cilium = style === "cilium-namespaced" || style === "cilium-clusterwide";
  if (style === "cilium-namespaced") {
    for (const deny of ciliumNamespaceDenies(ns, ingressDenied, egressDenied)) {
      pushCiliumPolicy(ctx, ns, nsIndex, deny.name, deny.since === "ingress" ? denyIngressDay : denyEgressDay, deny.spec);
    }
  }
  if (egressDenied) {
    for (const a of ns.egressAllows) {
      if (cilium) pushCiliumPolicy(ctx, ns, nsIndex, a.name, denyEgressDay, ciliumEgressAllow(a));
      else pushPolicy(ctx, ns, nsIndex, a.name, denyEgressDay, egressAllowSpec(a));
    }
  }
  const ingress = ingressDenied ? ns.ingressAllows : ns.earlyAllow ? [ns.earlyAllow] : [];
  for (const a of ingress) {
    const since = ingressDenied ? denyIngressDay : ns.bornDay;
    if (cilium) pushCiliumPolicy(ctx, ns, nsIndex, a.name, since, ciliumIngressAllow(a));
    else pushPolicy(ctx, ns, nsIndex, a.name, since, ingressAllowSpec(a));
  }
}

function renderKubernetesNamespacePolicies(ctx: RenderContext, ns: NamespacePlan, nsIndex: number, day: number): void {
  const ingressDenied = ns.denyIngressDay <= day;
  const egressDenied = ns.denyEgressDay <= day;
  if (ingressDenied && egressDenied && ns.denyIngressDay === ns.denyEgressDay) {
    pushPolicy(ctx, ns, nsIndex, "default-deny-all", ns.denyIngressDay, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  } else {
    if (ingressDenied) pushPolicy(ctx, ns, nsIndex, "default-deny-ingress", ns.denyIngressDay, { podSelector: {}, policyTypes: ["Ingress"] });
    if (egressDenied) pushPolicy(ctx, ns, nsIndex, "default-deny-egress", ns.denyEgressDay, { podSelector: {}, policyTypes: ["Egress"] });
  }
  if (egressDenied) {
    pushPolicy(ctx, ns, nsIndex, "allow-dns", ns.denyEgressDay, { podSelector: {}, policyTypes: ["Egress"], egress: [dnsEgressRule(ns.dnsStyle)] });
    for (const a of ns.egressAllows) pushPolicy(ctx, ns, nsIndex, a.name, ns.denyEgressDay, egressAllowSpec(a));
  }
  if (ingressDenied) {
    for (const a of ns.ingressAllows) pushPolicy(ctx, ns, nsIndex, a.name, ns.denyIngressDay, ingressAllowSpec(a));
  } else if (ns.earlyAllow) {
    pushPolicy(ctx, ns, nsIndex, ns.earlyAllow.name, ns.bornDay, ingressAllowSpec(ns.earlyAllow));
  }
}

function withNameLabel(name: string, extra: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = {};
  labels[NAME_LABEL] = name;
  for (const key in extra) labels[key] = extra[key];
  return labels;
}

function namespaceObject(name: string, labels: Record<string, string>, created: string, resourceVersion: number): KubeNamespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, labels: withNameLabel(name, labels), creationTimestamp: created, resourceVersion: String(resourceVersion) },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  };
}

function compareByNamespaceThenName(a: { metadata: { namespace?: string; name: string } }, b: { metadata: { namespace?: string; name: string } }): number {
  const an = a.metadata.namespace ?? "";
  const bn = b.metadata.namespace ?? "";
  if (an !== bn) return an < bn ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export function renderInCluster(c: ClusterPlan, day: number, clock: DemoClock): DemoInClusterObjects {
  const born = c.bornDay;
  const bornAt = clock.creationTimestamp(born, SYSTEM_SLOT);
  const namespaces: KubeNamespace[] = [
    namespaceObject("kube-system", { "addonmanager.kubernetes.io/mode": "Reconcile" }, bornAt, 4),
    namespaceObject("kube-public", {}, bornAt, 5),
    namespaceObject("kube-node-lease", {}, bornAt, 6),
  ];
  if (c.azurePolicyAddon) {
    namespaces.push(namespaceObject("gatekeeper-system", { "admission.gatekeeper.sh/ignore": "no-self-managing", "control-plane": "controller-manager" }, bornAt, 1_201));
  }
  if (c.appRoutingAddon) namespaces.push(namespaceObject("app-routing-system", {}, bornAt, 1_317));
  const net = phaseAt(c.network, day);
  if (net.policy === "calico") {
    const since = clock.creationTimestamp(Math.max(born, net.fromDay), SYSTEM_SLOT);
    namespaces.push(namespaceObject("tigera-operator", { name: "tigera-operator" }, since, 2_404));
    namespaces.push(namespaceObject("calico-system", { name: "calico-system" }, since, 2_411));
  }

  const plan = c.policyStyle;
  const style: PolicyStyle = plan.style !== "kubernetes" && day >= plan.styleFromDay ? plan.style : "kubernetes";
  const byLabel = style === "calico-global";
  const ctx: RenderContext = {
    c,
    clock,
    policies: [],
    ciliumNetworkPolicies: [],
    ciliumClusterwideNetworkPolicies: [],
    calicoNetworkPolicies: [],
    calicoGlobalNetworkPolicies: [],
    adminNetworkPolicies: [],
    baselineAdminNetworkPolicies: [],
  };
  for (let i = 0; i < c.namespaces.length; i++) {
    const ns = c.namespaces[i];
    if (ns.bornDay > day) continue;
    const h = hashInts(c.index, i);
    const created = clock.creationTimestamp(ns.bornDay, POLICY_SLOTS + (h % (SYSTEM_SLOT - POLICY_SLOTS)));
    // The cluster-wide styles' namespaces join the default denies by label, on their deny day.
    const labels = byLabel ? withSegmentationLabels(ns, day) : ns.labels;
    namespaces.push(namespaceObject(ns.name, labels, created, 10_000 + (h % 900_000)));
    renderNamespacePolicies(ctx, ns, i, day, style);
  }
  for (const [index, inc] of c.incidents.entries()) {
    if (inc.startDay <= day && day < inc.endDay && c.namespaces[inc.namespaceIndex].bornDay <= day) {
      const ns = c.namespaces[inc.namespaceIndex];
      if (style === "cilium-namespaced" || style === "cilium-clusterwide") pushCiliumPolicy(ctx, ns, inc.namespaceIndex, inc.policyName, inc.startDay, ciliumIncident(inc));
      else if (style === "calico-global" && index % 2 === 0) pushCalicoPolicy(ctx, ns, inc.namespaceIndex, inc.policyName, inc.startDay, calicoIncident(inc));
      else pushPolicy(ctx, ns, inc.namespaceIndex, inc.policyName, inc.startDay, incidentSpec(inc));
    }
  }
  renderClusterScoped(ctx, day, style);
  namespaces.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  ctx.policies.sort(compareByNamespaceThenName);
  ctx.ciliumNetworkPolicies.sort(compareByNamespaceThenName);
  ctx.calicoNetworkPolicies.sort(compareByNamespaceThenName);
  for (const list of [ctx.ciliumClusterwideNetworkPolicies, ctx.calicoGlobalNetworkPolicies, ctx.adminNetworkPolicies, ctx.baselineAdminNetworkPolicies]) list.sort(compareByNamespaceThenName);
  return {
    namespaces,
    policies: ctx.policies,
    ciliumNetworkPolicies: ctx.ciliumNetworkPolicies,
    ciliumClusterwideNetworkPolicies: ctx.ciliumClusterwideNetworkPolicies,
    calicoNetworkPolicies: ctx.calicoNetworkPolicies,
    calicoGlobalNetworkPolicies: ctx.calicoGlobalNetworkPolicies,
    adminNetworkPolicies: ctx.adminNetworkPolicies,
    baselineAdminNetworkPolicies: ctx.baselineAdminNetworkPolicies,
    clusterNetworkPolicies: [],
    pods: renderPodClasses(c, day),
    services: renderServices(c, day),
  };
}

/**
 * The Services of the day (docs/migration.md reads their type and external traffic policy): kube-dns,
 * one ClusterIP Service per app namespace, and a LoadBalancer for each namespace that admits the
 * internet, a third of them with externalTrafficPolicy: Local.
 */
function renderServices(c: ClusterPlan, day: number): ServiceSummary[] {
  const services: ServiceSummary[] = [{ metadata: { namespace: "kube-system", name: "kube-dns" }, spec: { type: "ClusterIP" } }];
  c.namespaces.forEach((ns, index) => {
    if (ns.bornDay > day || ns.role !== "app") return;
    services.push({ metadata: { namespace: ns.name, name: ns.name }, spec: { type: "ClusterIP" } });
    if (ns.ingressAllows.some((allow) => allow.kind === "from-internet")) {
      const local = hashInts(c.index, index, 77) % 3 === 0;
      services.push({ metadata: { namespace: ns.name, name: `${ns.name}-public` }, spec: { type: "LoadBalancer", ...(local ? { externalTrafficPolicy: "Local" } : {}) } });
    }
  });
  return services;
}

function withSegmentationLabels(ns: NamespacePlan, day: number): Record<string, string> {
  const labels = { ...ns.labels };
  if (ns.denyIngressDay <= day) labels[SEGMENTATION_LABELS.ingress] = "deny";
  if (ns.denyEgressDay <= day) labels[SEGMENTATION_LABELS.egress] = "deny";
  return labels;
}

const CCNP = { apiVersion: "cilium.io/v2", kind: "CiliumClusterwideNetworkPolicy" };
const GNP = { apiVersion: "projectcalico.org/v3", kind: "GlobalNetworkPolicy" };

/** The cluster-wide objects of the day: the style's default denies, the IMDS deny, leftovers, admin policies. */
function renderClusterScoped(ctx: RenderContext, day: number, style: PolicyStyle): void {
  const { c } = ctx;
  const plan = c.policyStyle;
  // One baseline for the whole cluster: its DNS rule is written once, and only a sloppy team gets it wrong.
  const dnsStyle = c.namespaces[0]?.dnsStyle === "old-label" && c.team.sloppiness >= 0.4 ? "old-label" : "kube-dns";
  let baselineDeniesImds = false;
  if (style === "cilium-clusterwide" && (plan.baselineIngressDay <= day || plan.baselineEgressDay <= day)) {
    const baseline = ciliumClusterwideBaseline(dnsStyle, plan.baselineIngressDay <= day, plan.baselineEgressDay <= day);
    pushClusterScoped(ctx, ctx.ciliumClusterwideNetworkPolicies, CCNP, baseline.name, Math.min(plan.baselineIngressDay, plan.baselineEgressDay), baseline.spec);
    baselineDeniesImds = true;
  } else if (style === "calico-global") {
    for (const policy of calicoGlobalDenies(dnsStyle)) pushClusterScoped(ctx, ctx.calicoGlobalNetworkPolicies, GNP, policy.name, plan.styleFromDay, policy.spec);
  }
  const engine = engineOfPhase(phaseAt(c.network, day));
  if (plan.imdsDenyDay <= day && !baselineDeniesImds) {
    if (engine === "cilium") pushClusterScoped(ctx, ctx.ciliumClusterwideNetworkPolicies, CCNP, ciliumImdsDeny().name, plan.imdsDenyDay, ciliumImdsDeny().spec);
    else if (engine === "calico") pushClusterScoped(ctx, ctx.calicoGlobalNetworkPolicies, GNP, calicoImdsDeny().name, plan.imdsDenyDay, calicoImdsDeny().spec);
  }
  if (plan.calicoLeftovers) {
    pushClusterScoped(ctx, ctx.calicoGlobalNetworkPolicies, { apiVersion: "crd.projectcalico.org/v1", kind: "GlobalNetworkPolicy" }, calicoLeftover().name, ALWAYS, calicoLeftover().spec);
  }
  if (plan.adminPoliciesDay <= day) {
    const { admin, baseline } = adminPolicies();
    pushClusterScoped(ctx, ctx.adminNetworkPolicies, { apiVersion: "policy.networking.k8s.io/v1alpha1", kind: "AdminNetworkPolicy" }, admin.name, plan.adminPoliciesDay, admin.spec);
    pushClusterScoped(ctx, ctx.baselineAdminNetworkPolicies, { apiVersion: "policy.networking.k8s.io/v1alpha1", kind: "BaselineAdminNetworkPolicy" }, baseline.name, plan.adminPoliciesDay, baseline.spec);
  }
}
