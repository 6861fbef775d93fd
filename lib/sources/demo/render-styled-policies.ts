// The namespaces' plan written as Cilium and Calico objects (rules v2, docs/design.md §4.3), the way
// teams on those engines write it: the default denies as one CiliumClusterwideNetworkPolicy or
// Calico GlobalNetworkPolicy per direction selecting labelled namespaces, or as a
// CiliumNetworkPolicy per namespace; app allows and the sloppy allow-any incidents as
// CiliumNetworkPolicies (Calico clusters keep theirs as Kubernetes NetworkPolicies, with some
// sloppy Calico NetworkPolicies); IMDS denied cluster-wide; leftovers and admin policies besides.

import type { AllowAnyIncident, EgressAllow, IngressAllow, NamespacePlan } from "./plan-types";

export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } & Record<string, unknown>; spec: Record<string, unknown> };

/** The namespace labels the cluster-wide styles select by; the platform team sets them as each namespace is onboarded. */
export const SEGMENTATION_LABELS = { ingress: "segmentation.contoso.com/ingress", egress: "segmentation.contoso.com/egress" } as const;

const NS = "k8s:io.kubernetes.pod.namespace";
const IMDS = "169.254.169.254/32";
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

const ports = (list: number[], protocol = "TCP") => [{ ports: list.map((port) => ({ port: String(port), protocol })) }];

/** Cilium's egress to kube-dns, in the namespace plan's DNS style (`old-label` names a label kube-dns pods do not carry). */
function ciliumDnsRule(style: NamespacePlan["dnsStyle"]): Record<string, unknown> {
  const dns = [{ ports: [{ port: "53", protocol: "ANY" }], rules: { dns: [{ matchPattern: "*" }] } }];
  if (style === "old-label") return { toEndpoints: [{ matchLabels: { [NS]: "kube-system", "k8s:k8s-app": "coredns" } }], toPorts: dns };
  if (style === "all-namespaces") return { toEndpoints: [{ matchLabels: { "k8s:k8s-app": "kube-dns" }, matchExpressions: [{ key: NS, operator: "Exists" }] }], toPorts: dns };
  return { toEndpoints: [{ matchLabels: { [NS]: "kube-system", "k8s:k8s-app": "kube-dns" } }], toPorts: dns };
}

function calicoDnsRules(style: NamespacePlan["dnsStyle"]): Record<string, unknown>[] {
  const namespaceSelector = style === "old-label" ? "name == 'kube-system'" : style === "all-namespaces" ? "all()" : "projectcalico.org/name == 'kube-system'";
  return ["UDP", "TCP"].map((protocol) => ({ action: "Allow", protocol, destination: { selector: "k8s-app == 'kube-dns'", namespaceSelector, ports: [53] } }));
}

/** The per-namespace default denies of the `cilium-namespaced` style (Cilium's documented `ingress: [{}]`, and egress with DNS). */
export function ciliumNamespaceDenies(ns: NamespacePlan, ingress: boolean, egress: boolean): { name: string; since: "ingress" | "egress"; spec: Record<string, unknown> }[] {
  const out: { name: string; since: "ingress" | "egress"; spec: Record<string, unknown> }[] = [];
  if (ingress) out.push({ name: "default-deny-ingress", since: "ingress", spec: { endpointSelector: {}, ingress: [{}] } });
  if (egress) out.push({ name: "default-deny-egress", since: "egress", spec: { endpointSelector: {}, egress: [ciliumDnsRule(ns.dnsStyle)] } });
  return out;
}

/** Namespaces a cluster-wide baseline leaves alone: AKS's own and add-ons'. */
const BASELINE_EXEMPT = ["kube-system", "kube-public", "kube-node-lease", "gatekeeper-system", "app-routing-system"];

/**
 * The `cilium-clusterwide` style's one CiliumClusterwideNetworkPolicy for every workload namespace,
 * as it stands once ingress, egress or both are denied: `ingress: [{}]` denies ingress, the DNS
 * egress rule denies the rest of egress, `egressDeny` keeps IMDS out either way (with
 * `enableDefaultDeny.egress: false` while egress is still open, so the deny alone isolates nothing).
 */
export function ciliumClusterwideBaseline(dnsStyle: NamespacePlan["dnsStyle"], ingress: boolean, egress: boolean): { name: string; spec: Record<string, unknown> } {
  const parts = [ingress ? "ingress" : null, egress ? "egress (DNS to kube-dns allowed)" : null].filter(Boolean).join(" and ");
  return {
    name: "workload-baseline",
    spec: {
      description: `Default deny of ${parts} for every workload namespace; no pod reaches the instance metadata service`,
      endpointSelector: { matchExpressions: [{ key: NS, operator: "NotIn", values: BASELINE_EXEMPT }] },
      ...(egress ? {} : { enableDefaultDeny: { ingress: ingress, egress: false } }),
      ...(ingress ? { ingress: [{}] } : {}),
      ...(egress ? { egress: [ciliumDnsRule(dnsStyle)] } : {}),
      egressDeny: [{ toCIDR: [IMDS] }],
    },
  };
}

/** The cluster-wide IMDS deny on Cilium: an `egressDeny` that does not switch default deny on (`enableDefaultDeny: false`). */
export function ciliumImdsDeny(): { name: string; spec: Record<string, unknown> } {
  return {
    name: "deny-imds",
    spec: {
      description: "No workload pod reaches the instance metadata service",
      endpointSelector: { matchExpressions: [{ key: NS, operator: "NotIn", values: ["kube-system"] }] },
      enableDefaultDeny: { ingress: false, egress: false },
      egressDeny: [{ toCIDR: [IMDS] }],
    },
  };
}

/** The Calico GlobalNetworkPolicies of the `calico-global` style: namespaces join by label; DNS allowed. */
export function calicoGlobalDenies(dnsStyle: NamespacePlan["dnsStyle"]): { name: string; spec: Record<string, unknown> }[] {
  return [
    { name: "default-deny-ingress", spec: { namespaceSelector: `${SEGMENTATION_LABELS.ingress} == 'deny'`, selector: "all()", types: ["Ingress"] } },
    { name: "default-deny-egress", spec: { namespaceSelector: `${SEGMENTATION_LABELS.egress} == 'deny'`, selector: "all()", types: ["Egress"], egress: calicoDnsRules(dnsStyle) } },
  ];
}

/**
 * The IMDS deny on Calico, in a tier of its own that hands everything else on (`Pass`), so it is
 * judged before the default tier's policies and changes nothing else.
 */
export function calicoImdsDeny(): { name: string; spec: Record<string, unknown> } {
  return {
    name: "security.deny-imds",
    spec: {
      tier: "security",
      order: 10,
      selector: "all()",
      namespaceSelector: "projectcalico.org/name not in {'kube-system', 'calico-system', 'tigera-operator'}",
      types: ["Egress"],
      egress: [{ action: "Deny", protocol: "TCP", destination: { nets: [IMDS] } }, { action: "Pass" }],
    },
  };
}

/** What a move from Calico to Cilium leaves in Calico's CRDs: its default deny, enforced by nothing now. */
export function calicoLeftover(): { name: string; spec: Record<string, unknown> } {
  return {
    name: "default.default-deny",
    spec: {
      tier: "default",
      selector: "projectcalico.org/namespace not in {'kube-system', 'calico-system', 'tigera-operator'}",
      types: ["Ingress", "Egress"],
      egress: [{ action: "Allow", protocol: "UDP", destination: { selector: "k8s-app == 'kube-dns'", ports: [53] } }],
    },
  };
}

/** A platform team trying the network-policy-api: read and listed, enforced by no AKS engine. */
export function adminPolicies(): { admin: { name: string; spec: Record<string, unknown> }; baseline: { name: string; spec: Record<string, unknown> } } {
  return {
    admin: {
      name: "platform-guardrails",
      spec: {
        priority: 10,
        subject: { namespaces: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system"] }] } },
        egress: [{ name: "deny-imds", action: "Deny", to: [{ networks: [IMDS] }] }],
        ingress: [{ name: "allow-monitoring", action: "Allow", from: [{ namespaces: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }] }],
      },
    },
    baseline: {
      name: "default",
      spec: { subject: { namespaces: {} }, ingress: [{ name: "default-deny", action: "Deny", from: [{ namespaces: {} }] }] },
    },
  };
}

/** An app allow as a CiliumNetworkPolicy spec (rules that name their peers and ports, as the Kubernetes ones do). */
export function ciliumIngressAllow(allow: IngressAllow): Record<string, unknown> {
  switch (allow.kind) {
    case "from-namespace": {
      const peer: Record<string, string> = { [NS]: allow.namespace };
      if (allow.namespace === "ingress-nginx") peer["app.kubernetes.io/name"] = "ingress-nginx";
      return { endpointSelector: { matchLabels: { app: allow.app } }, ingress: [{ fromEndpoints: [{ matchLabels: peer }], toPorts: ports([allow.port]) }] };
    }
    case "same-namespace":
      return { endpointSelector: {}, ingress: [{ fromEndpoints: [{}] }] };
    case "from-internet":
      return { endpointSelector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx" } }, ingress: [{ fromEntities: ["world"], toPorts: ports(allow.ports) }] };
    case "scrape":
      return { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { [NS]: "monitoring", "app.kubernetes.io/name": "prometheus" } }], toPorts: ports([allow.port]) }] };
  }
}

export function ciliumEgressAllow(allow: EgressAllow): Record<string, unknown> {
  switch (allow.kind) {
    case "ip-block":
      return { endpointSelector: { matchLabels: { app: allow.app } }, egress: [{ toCIDR: [allow.cidr], toPorts: ports([allow.port]) }] };
    case "internet-https":
      return { endpointSelector: {}, egress: [{ toCIDRSet: [allow.exceptImds ? { cidr: "0.0.0.0/0", except: [...PRIVATE_RANGES, IMDS] } : { cidr: "0.0.0.0/0" }], toPorts: ports([443]) }] };
    case "same-namespace":
      return { endpointSelector: {}, egress: [{ toEndpoints: [{}] }] };
    case "to-namespace":
      return { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: { [NS]: allow.namespace } }], toPorts: ports([allow.port]) }] };
    case "scrape-all":
      return { endpointSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } }, egress: [{ toEntities: ["cluster"], toPorts: ports([8080, 9090, 9100, 10250]) }] };
    case "imds":
      return { endpointSelector: {}, egress: [{ toCIDR: [IMDS], toPorts: ports([80]) }] };
  }
}

/** A sloppy policy as teams on Cilium write it: entities instead of selectors. */
export function ciliumIncident(incident: AllowAnyIncident): Record<string, unknown> {
  const endpointSelector = incident.app ? { matchLabels: { app: incident.app } } : {};
  switch (incident.shape) {
    case "ingress-all":
      return { endpointSelector, ingress: [{ fromEntities: ["all"] }] };
    case "egress-all":
      return { endpointSelector, egress: [{ toEntities: ["all"] }] };
    case "egress-world":
      return { endpointSelector, egress: [{ toEntities: ["world"] }] };
    case "egress-world-except-imds":
      return { endpointSelector, egress: [{ toCIDRSet: [{ cidr: "0.0.0.0/0", except: [IMDS] }] }] };
    case "ingress-world":
      return { endpointSelector, ingress: [{ fromEntities: ["world"] }] };
    case "ingress-all-namespaces":
      return { endpointSelector, ingress: [{ fromEntities: ["cluster"] }] };
    case "egress-all-namespaces":
      return { endpointSelector, egress: [{ toEntities: ["cluster"] }] };
    case "debug-all":
      return { endpointSelector, ingress: [{ fromEntities: ["all"] }], egress: [{ toEntities: ["all"] }] };
  }
}

/** A sloppy policy as a Calico NetworkPolicy: an Allow with no selector, nets of the world, or every namespace. */
export function calicoIncident(incident: AllowAnyIncident): Record<string, unknown> {
  const selector = incident.app ? `app == '${incident.app}'` : "all()";
  const ingress = (rule: Record<string, unknown>) => ({ order: 500, selector, types: ["Ingress"], ingress: [{ action: "Allow", ...rule }] });
  const egress = (rule: Record<string, unknown>) => ({ order: 500, selector, types: ["Egress"], egress: [{ action: "Allow", ...rule }] });
  switch (incident.shape) {
    case "ingress-all":
      return ingress({});
    case "egress-all":
      return egress({});
    case "egress-world":
      return egress({ destination: { nets: ["0.0.0.0/0"] } });
    case "egress-world-except-imds":
      return egress({ destination: { nets: ["0.0.0.0/0"], notNets: [IMDS] } });
    case "ingress-world":
      return ingress({ source: { nets: ["0.0.0.0/0"] } });
    case "ingress-all-namespaces":
      return ingress({ source: { namespaceSelector: "all()" } });
    case "egress-all-namespaces":
      return egress({ destination: { namespaceSelector: "all()" } });
    case "debug-all":
      return { order: 500, selector, types: ["Ingress", "Egress"], ingress: [{ action: "Allow" }], egress: [{ action: "Allow" }] };
  }
}
