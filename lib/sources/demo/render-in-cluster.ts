// One cluster's Namespace and NetworkPolicy objects on a given day, as `kubectl get -o json`
// prints them (the API server has defaulted policyTypes). Built fresh on every call.

import { CREATION_SLOTS, type DemoClock } from "./demo-clock";
import type {
  DemoInClusterObjects,
  KubeNamespace,
  KubeNetworkPolicy,
  KubeNetworkPolicyEgressRule,
  KubeNetworkPolicyIngressRule,
  KubeNetworkPolicyPeer,
} from "./kube-objects";
import { ALWAYS, phaseAt, type AllowAnyIncident, type ClusterPlan, type EgressAllow, type IngressAllow, type NamespacePlan } from "./plan-types";
import { hashInts } from "./random";

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
}

function pushPolicy(ctx: RenderContext, ns: NamespacePlan, nsIndex: number, name: string, since: number, spec: PolicySpec): void {
  const day = since === ALWAYS || since < ns.bornDay ? ns.bornDay : since;
  const h = hashInts(ctx.c.index, nsIndex, name.length * 131 + name.charCodeAt(name.length - 1), day);
  // Same-day objects come in order: system namespaces, then workload namespaces, then their policies.
  const slot = day === ns.bornDay ? h % POLICY_SLOTS : h % CREATION_SLOTS;
  ctx.policies.push({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: {
      name,
      namespace: ns.name,
      creationTimestamp: ctx.clock.creationTimestamp(day, slot),
      generation: 1,
      resourceVersion: String(1_000_000 + (h % 90_000_000)),
    },
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

function renderNamespacePolicies(ctx: RenderContext, ns: NamespacePlan, nsIndex: number, day: number): void {
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

function compareByNamespaceThenName(a: KubeNetworkPolicy, b: KubeNetworkPolicy): number {
  const an = a.metadata.namespace;
  const bn = b.metadata.namespace;
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

  const ctx: RenderContext = { c, clock, policies: [] };
  for (let i = 0; i < c.namespaces.length; i++) {
    const ns = c.namespaces[i];
    if (ns.bornDay > day) continue;
    const h = hashInts(c.index, i);
    const created = clock.creationTimestamp(ns.bornDay, POLICY_SLOTS + (h % (SYSTEM_SLOT - POLICY_SLOTS)));
    namespaces.push(namespaceObject(ns.name, ns.labels, created, 10_000 + (h % 900_000)));
    renderNamespacePolicies(ctx, ns, i, day);
  }
  for (const inc of c.incidents) {
    if (inc.startDay <= day && day < inc.endDay && c.namespaces[inc.namespaceIndex].bornDay <= day) {
      pushPolicy(ctx, c.namespaces[inc.namespaceIndex], inc.namespaceIndex, inc.policyName, inc.startDay, incidentSpec(inc));
    }
  }
  namespaces.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  ctx.policies.sort(compareByNamespaceThenName);
  return { namespaces, policies: ctx.policies };
}
