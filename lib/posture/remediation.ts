// Text a person can apply to fix each failing control: manifests, az commands, Terraform and Bicep fragments.

import { stringify } from "yaml";

import { cidrContainsAddress, IMDS_ADDRESS, IMDS_CIDR, parseCidr } from "./cidr";
import { usesOwnCni } from "./cluster-facts";
import { DEFAULT_SYSTEM_NAMESPACES } from "./config";
import { formatRuleRef } from "./controls";
import type {
  AllowAnyClass,
  AllowAnyRule,
  ClusterEvaluation,
  ClusterFacts,
  ControlId,
  ImdsRule,
  NamespaceCoverage,
  RemediationItem,
} from "./types";
import { asRecord, readListField } from "./untrusted-json";
import { formatList, plural } from "./wording";

export interface NetworkPolicyManifest {
  apiVersion: "networking.k8s.io/v1";
  kind: "NetworkPolicy";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
}

/** A manifest of any engine's kind, ready for `kubectl apply`. */
export interface PolicyManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
}

/** What a namespace lacks; the shape analyzeManifests and evaluateCluster both report. */
export interface NamespaceDefaultDeny {
  name: string;
  defaultDenyIngress: boolean;
  defaultDenyEgress: boolean;
  /** False where the namespace denies egress but blocks DNS: the fix adds the DNS allow. */
  allowsDns?: boolean;
}

/** Options for the generated DNS allow. */
export interface DnsOptions {
  /** The node pools run AKS LocalDNS: allow its node-local addresses as well. */
  localDns?: boolean;
}

/** Prefixed names so that applying a fix never overwrites a policy the team wrote. */
export const REMEDIATION_POLICY_NAMES = {
  denyIngress: "bulkhead-default-deny-ingress",
  denyEgress: "bulkhead-default-deny-egress",
  allowDns: "bulkhead-allow-dns-egress",
  allowControllerIngress: "bulkhead-allow-ingress-controller",
  allowFromController: "bulkhead-allow-from-ingress-controller",
  baseline: "bulkhead-baseline",
} as const;

/** AKS LocalDNS's node-local addresses (docs/rules-v2.md). */
export const LOCAL_DNS_CIDRS = ["169.254.10.10/32", "169.254.10.11/32"] as const;

const CREATED_BY = { "app.kubernetes.io/created-by": "bulkhead" };

function policy(namespace: string, name: string, spec: Record<string, unknown>): NetworkPolicyManifest {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace, labels: { ...CREATED_BY } },
    spec,
  };
}

export function buildDefaultDenyPolicy(namespace: string, direction: "ingress" | "egress"): NetworkPolicyManifest {
  return direction === "ingress"
    ? policy(namespace, REMEDIATION_POLICY_NAMES.denyIngress, { podSelector: {}, policyTypes: ["Ingress"] })
    : policy(namespace, REMEDIATION_POLICY_NAMES.denyEgress, { podSelector: {}, policyTypes: ["Egress"] });
}

const DNS_PORTS = [
  { protocol: "UDP", port: 53 },
  { protocol: "TCP", port: 53 },
];

/** Egress to kube-dns (and to LocalDNS where the node pools run it) on UDP and TCP 53, for every pod of the namespace. */
export function buildAllowDnsPolicy(namespace: string, options: DnsOptions = {}): NetworkPolicyManifest {
  const egress: unknown[] = [
    {
      to: [
        {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
          podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
        },
      ],
      ports: DNS_PORTS,
    },
  ];
  if (options.localDns) egress.push({ to: LOCAL_DNS_CIDRS.map((cidr) => ({ ipBlock: { cidr } })), ports: DNS_PORTS });
  return policy(namespace, REMEDIATION_POLICY_NAMES.allowDns, { podSelector: {}, policyTypes: ["Egress"], egress });
}

/**
 * Default deny in each missing direction, with DNS allowed wherever egress gets denied, and a DNS
 * allow where a namespace already denies egress but blocks DNS (`allowsDns: false`).
 */
export function buildBaselineManifests(namespaces: readonly NamespaceDefaultDeny[], options: DnsOptions = {}): NetworkPolicyManifest[] {
  const manifests: NetworkPolicyManifest[] = [];
  for (const namespace of namespaces) {
    if (!namespace.defaultDenyIngress) manifests.push(buildDefaultDenyPolicy(namespace.name, "ingress"));
    if (!namespace.defaultDenyEgress) {
      manifests.push(buildDefaultDenyPolicy(namespace.name, "egress"), buildAllowDnsPolicy(namespace.name, options));
    } else if (namespace.allowsDns === false) {
      manifests.push(buildAllowDnsPolicy(namespace.name, options));
    }
  }
  return manifests;
}

// ---- engine-wide baselines ---------------------------------------------------------------------

/** Namespaces where an ingress controller usually runs; default deny ingress must let it in and let it reach backends. */
export const INGRESS_CONTROLLER_NAMESPACES = [
  "ingress-nginx",
  "nginx-ingress",
  "app-routing-system",
  "traefik",
  "kong",
  "haproxy-controller",
  "contour",
  "projectcontour",
  "istio-ingress",
  "envoy-gateway-system",
  "emissary",
] as const;

/** Controller namespaces present: workload namespaces by name, and app-routing-system when the AKS add-on is on. */
export function detectIngressControllers(evaluation: Pick<ClusterEvaluation, "namespaces" | "facts">): string[] {
  const present = new Set(evaluation.namespaces.map((namespace) => namespace.name));
  if (evaluation.facts.webAppRouting) present.add("app-routing-system");
  return INGRESS_CONTROLLER_NAMESPACES.filter((name) => present.has(name));
}

/** Lets an ingress controller namespace receive HTTP(S) from its load balancer; the other ports stay denied. */
export function buildAllowControllerIngressPolicy(controller: string): NetworkPolicyManifest {
  return policy(controller, REMEDIATION_POLICY_NAMES.allowControllerIngress, {
    podSelector: {},
    policyTypes: ["Ingress"],
    ingress: [{ ports: [{ protocol: "TCP", port: 80 }, { protocol: "TCP", port: 443 }] }],
  });
}

/** Lets the controller's pods reach the pods of a backend namespace. */
export function buildAllowFromControllerPolicy(namespace: string, controller: string): NetworkPolicyManifest {
  return policy(namespace, REMEDIATION_POLICY_NAMES.allowFromController, {
    podSelector: {},
    policyTypes: ["Ingress"],
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": controller } } }] }],
  });
}

export function controllerManifests(controllers: readonly string[], backends: readonly string[]): NetworkPolicyManifest[] {
  const manifests: NetworkPolicyManifest[] = [];
  for (const controller of controllers) {
    if (backends.includes(controller)) manifests.push(buildAllowControllerIngressPolicy(controller));
    for (const backend of backends) if (backend !== controller) manifests.push(buildAllowFromControllerPolicy(backend, controller));
  }
  return manifests;
}

/**
 * One CiliumClusterwideNetworkPolicy for every workload namespace: default deny both ways, DNS to
 * kube-dns (and LocalDNS) allowed, IMDS denied with egressDeny so no other allow can open it.
 */
export function buildCiliumBaseline(systemNamespaces: readonly string[], options: DnsOptions & { controllers?: readonly string[] } = {}): PolicyManifest {
  const dnsPorts = [{ ports: [{ port: "53", protocol: "UDP" }, { port: "53", protocol: "TCP" }] }];
  const egress: unknown[] = [{ toEndpoints: [{ matchLabels: { "io.kubernetes.pod.namespace": "kube-system", "k8s-app": "kube-dns" } }], toPorts: dnsPorts }];
  if (options.localDns) egress.push({ toCIDR: [...LOCAL_DNS_CIDRS], toPorts: dnsPorts });
  const controllers = options.controllers ?? [];
  // `ingress: [{}]` admits nothing and puts every selected pod in default deny for ingress.
  const ingress = controllers.length === 0 ? [{}] : controllers.map((controller) => ({ fromEndpoints: [{ matchLabels: { "io.kubernetes.pod.namespace": controller } }] }));
  return {
    apiVersion: "cilium.io/v2",
    kind: "CiliumClusterwideNetworkPolicy",
    metadata: { name: REMEDIATION_POLICY_NAMES.baseline, labels: { ...CREATED_BY } },
    spec: {
      endpointSelector: { matchExpressions: [{ key: "io.kubernetes.pod.namespace", operator: "NotIn", values: [...systemNamespaces] }] },
      ingress,
      egress,
      egressDeny: [{ toCIDR: [IMDS_CIDR] }],
    },
  };
}

/** Calico's order for the baseline: before the Kubernetes NetworkPolicies (1000), so its IMDS deny comes first. */
export const CALICO_BASELINE_ORDER = 10;

/**
 * One GlobalNetworkPolicy for every workload namespace, with the same effect: it selects every pod of
 * those namespaces both ways (so unmatched traffic ends the tier refused), denies IMDS first and allows DNS.
 */
export function buildCalicoBaseline(systemNamespaces: readonly string[], options: DnsOptions & { controllers?: readonly string[] } = {}): PolicyManifest {
  const names = systemNamespaces.map((name) => `"${name}"`).join(", ");
  const egress: unknown[] = [
    { action: "Deny", protocol: "TCP", destination: { nets: [IMDS_CIDR] } },
    { action: "Deny", protocol: "UDP", destination: { nets: [IMDS_CIDR] } },
    { action: "Allow", protocol: "UDP", destination: { namespaceSelector: "projectcalico.org/name == 'kube-system'", selector: "k8s-app == 'kube-dns'", ports: [53] } },
    { action: "Allow", protocol: "TCP", destination: { namespaceSelector: "projectcalico.org/name == 'kube-system'", selector: "k8s-app == 'kube-dns'", ports: [53] } },
  ];
  if (options.localDns) {
    egress.push({ action: "Allow", protocol: "UDP", destination: { nets: [...LOCAL_DNS_CIDRS], ports: [53] } }, { action: "Allow", protocol: "TCP", destination: { nets: [...LOCAL_DNS_CIDRS], ports: [53] } });
  }
  const ingress = (options.controllers ?? []).map((controller) => ({ action: "Allow", source: { namespaceSelector: `projectcalico.org/name == '${controller}'` } }));
  return {
    apiVersion: "projectcalico.org/v3",
    kind: "GlobalNetworkPolicy",
    metadata: { name: REMEDIATION_POLICY_NAMES.baseline, labels: { ...CREATED_BY } },
    spec: {
      order: CALICO_BASELINE_ORDER,
      namespaceSelector: `projectcalico.org/name not in {${names}}`,
      selector: "all()",
      types: ["Ingress", "Egress"],
      ...(ingress.length > 0 ? { ingress } : {}),
      egress,
    },
  };
}

/** Multi-document YAML, `---` between documents, ready for `kubectl apply -f -`. */
export function renderYamlDocuments(documents: readonly unknown[]): string {
  return documents.map((document) => stringify(document, { lineWidth: 0 })).join("---\n");
}

export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

// ---- NP-01: enable an engine -------------------------------------------------------------------

export interface EngineRecommendation {
  engine: "azure" | "calico" | "cilium";
  why: string;
}

/**
 * Cilium where the cluster can run it; Calico where Azure NPM is out of support or unavailable; else Azure NPM.
 * Only for a CNI that AKS manages: see usesOwnCni.
 */
export function recommendEngine(facts: ClusterFacts): EngineRecommendation {
  const plugin = facts.networkPlugin?.toLowerCase() ?? null;
  const overlay = facts.networkPluginMode?.toLowerCase() === "overlay";
  if (facts.hasWindowsPool) {
    return { engine: "calico", why: "the cluster has a Windows node pool, which Cilium does not support and Azure NPM no longer supports" };
  }
  if (plugin === "kubenet") return { engine: "calico", why: "Calico is the engine available with kubenet" };
  if (overlay) return { engine: "cilium", why: "the cluster uses Azure CNI Overlay, which Azure CNI Powered by Cilium runs on" };
  if (facts.nodeCount > 250) return { engine: "calico", why: "Azure NPM is supported only up to 250 nodes" };
  return { engine: "azure", why: "Azure CNI without overlay runs Azure NPM; Cilium also needs dynamic pod IP allocation" };
}

function buildEngineCommand(facts: ClusterFacts, recommendation: EngineRecommendation): string {
  const args = [
    "az aks update",
    `--subscription ${shellQuote(facts.subscriptionId)}`,
    `--resource-group ${shellQuote(facts.resourceGroup)}`,
    `--name ${shellQuote(facts.name)}`,
  ];
  if (recommendation.engine === "cilium") args.push("--network-dataplane cilium");
  args.push(`--network-policy ${recommendation.engine}`);
  return `${args.join(" \\\n  ")}\n`;
}

const ENGINE_CAVEATS = [
  "Changing the network policy engine re-images every node pool at once: it is disruptive, so plan a maintenance window.",
  "Cilium needs Azure CNI Overlay or dynamic pod IP allocation, and no Windows node pools.",
  "Azure NPM is out of support on Windows node pools after 30 Sep 2026; use Calico there.",
  "Existing NetworkPolicies are enforced as soon as the engine runs: review the default-deny and allow-any findings first.",
];

/** Prose, not a snippet: enforcement is switched on in the CNI's own install, which Bulkhead cannot see or generate. */
function buildOwnCniItems(): RemediationItem[] {
  return [
    {
      controlId: "NP-01",
      title: "Enable NetworkPolicy enforcement in the cluster's own CNI",
      format: "text",
      content: [
        "This cluster brings its own CNI (networkPlugin: none). AKS does not manage that CNI, so it cannot enable a network policy engine for this cluster.",
        "Turn on NetworkPolicy enforcement in the CNI the cluster runs: for example, install Cilium or Calico with network policy support, or enable it in the one already installed. A CNI without NetworkPolicy support, such as Flannel on its own, enforces nothing.",
      ].join("\n\n"),
      caveats: [
        "AKS does not report the enforcement of a self-managed CNI, so NP-01 keeps failing once it works: record a waiver for NP-01 that names the CNI and how its enforcement was checked.",
        "Existing NetworkPolicies are enforced as soon as the CNI enforces them: review the default-deny and allow-any findings first.",
      ],
    },
  ];
}

/** Text inside a one-line comment: a line break (or any control character) would end the comment and start code. */
function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "\uFFFD");
}

function buildEngineItems(facts: ClusterFacts): RemediationItem[] {
  if (usesOwnCni(facts)) return buildOwnCniItems();
  const recommendation = recommendEngine(facts);
  const { engine } = recommendation;
  const cilium = engine === "cilium";
  const plugin = facts.networkPlugin ?? "azure";
  const terraform = [
    `# azurerm_kubernetes_cluster "${commentText(facts.name)}" (resource group ${commentText(facts.resourceGroup)})`,
    "network_profile {",
    `  network_plugin      = "${plugin}"`,
    ...(facts.networkPluginMode ? [`  network_plugin_mode = "${facts.networkPluginMode}"`] : []),
    ...(cilium ? ['  network_data_plane  = "cilium"'] : []),
    `  network_policy      = "${engine}"`,
    "}",
    "",
  ].join("\n");
  const bicep = [
    `// Microsoft.ContainerService/managedClusters '${commentText(facts.name)}' (resource group ${commentText(facts.resourceGroup)})`,
    "properties: {",
    "  networkProfile: {",
    `    networkPlugin: '${plugin}'`,
    ...(facts.networkPluginMode ? [`    networkPluginMode: '${facts.networkPluginMode}'`] : []),
    ...(cilium ? ["    networkDataplane: 'cilium'"] : []),
    `    networkPolicy: '${engine}'`,
    "  }",
    "}",
    "",
  ].join("\n");
  return [
    {
      controlId: "NP-01",
      title: `Enable the ${engine} network policy engine (${recommendation.why})`,
      format: "shell",
      content: buildEngineCommand(facts, recommendation),
      caveats: [...ENGINE_CAVEATS],
    },
    {
      controlId: "NP-01",
      title: `Terraform: set network_policy = "${engine}"`,
      format: "terraform",
      content: terraform,
      caveats: [
        ENGINE_CAVEATS[0] as string,
        "Read the plan before applying: some azurerm provider versions replace the whole cluster when network_policy changes.",
      ],
    },
    {
      controlId: "NP-01",
      title: `Bicep: set networkProfile.networkPolicy to '${engine}'`,
      format: "bicep",
      content: bicep,
      caveats: [ENGINE_CAVEATS[0] as string],
    },
  ];
}

// ---- NP-05: IMDS -------------------------------------------------------------------------------

function ipBlockAdmitsImds(value: unknown): boolean {
  const block = asRecord(value);
  const cidr = parseCidr(block?.cidr);
  if (!block || !cidr || !cidrContainsAddress(cidr, IMDS_ADDRESS)) return false;
  const except = readListField(block.except);
  if (except.state !== "list") return true;
  return !except.items.some((entry) => {
    const excluded = parseCidr(entry);
    return excluded !== null && cidrContainsAddress(excluded, IMDS_ADDRESS);
  });
}

/**
 * The rule with 169.254.169.254/32 taken out, or null when the rule exists only to reach IMDS. A rule
 * with no peers gets IMDS excepted without naming anything new: it keeps every other destination it had.
 */
export function excludeImdsFromRule(rule: unknown): unknown {
  const patched: Record<string, unknown> = { ...(asRecord(structuredClone(rule)) ?? {}) };
  const peers = readListField(patched.to);
  if (peers.state !== "list" || peers.items.length === 0) {
    // No peers means every destination; spell that out without IMDS.
    patched.to = [{ namespaceSelector: {} }, { ipBlock: { cidr: "0.0.0.0/0", except: [IMDS_CIDR] } }, { ipBlock: { cidr: "::/0" } }];
    return patched;
  }
  const kept: unknown[] = [];
  for (const item of peers.items) {
    const peer = asRecord(item);
    if (!peer || !ipBlockAdmitsImds(peer.ipBlock)) {
      kept.push(item);
      continue;
    }
    const block = asRecord(peer.ipBlock) ?? {};
    // A /32 is IMDS itself; `except` must be a strict subset, so the peer goes.
    if (parseCidr(block.cidr)?.prefix === 32) continue;
    const except = readListField(block.except);
    kept.push({ ...peer, ipBlock: { ...block, except: [...(except.state === "list" ? except.items : []), IMDS_CIDR] } });
  }
  if (kept.length === 0) return null;
  patched.to = kept;
  return patched;
}

/** One JSON patch per Kubernetes NetworkPolicy; `test` ops make it fail if the policy changed since it was read. */
function buildImdsPatchCommands(rules: readonly ImdsRule[]): string {
  const byPolicy = new Map<string, ImdsRule[]>();
  for (const rule of rules) {
    const key = `${rule.namespace ?? ""}\u0000${rule.policy}`;
    const group = byPolicy.get(key);
    if (group) {
      if (!group.some((existing) => existing.index === rule.index)) group.push(rule);
    } else byPolicy.set(key, [rule]);
  }
  const commands: string[] = [];
  for (const group of byPolicy.values()) {
    const first = group[0] as ImdsRule;
    // Highest index first, so a removal does not shift the rules still to be patched.
    const ordered = [...group].sort((a, b) => b.index - a.index);
    const operations: unknown[] = [];
    for (const rule of ordered) {
      const path = `/spec/egress/${rule.index}`;
      const replacement = excludeImdsFromRule(rule.rule);
      operations.push({ op: "test", path, value: rule.rule });
      operations.push(replacement === null ? { op: "remove", path } : { op: "replace", path, value: replacement });
    }
    commands.push(
      `kubectl patch networkpolicy ${shellQuote(first.policy)} --namespace ${shellQuote(first.namespace ?? "default")} --type=json \\\n  -p ${shellQuote(JSON.stringify(operations))}`,
    );
  }
  return `${commands.join("\n")}\n`;
}

// ---- NP-06: allow-any rules --------------------------------------------------------------------

/** What each allow-any class admits and how to narrow it; shown by the CLI and in remediation. */
export const ALLOW_ANY_CLASS_ADVICE: Readonly<Record<AllowAnyClass, { problem: string; fix: string }>> = {
  A: {
    problem: "no peers: every pod and address, on every port",
    fix: "list the peers the workload needs (pod / namespace selectors, CIDRs) and the ports",
  },
  B: {
    problem: "every address outside the cluster (a 0.0.0.0/0 or ::/0 CIDR, the world entity, toFQDNs *) on every port",
    fix: "narrow the CIDR or names to what the workload needs, or at least list the ports",
  },
  C: {
    problem: "every pod of every namespace (an empty namespaceSelector, the cluster entity) on every port",
    fix: "select the namespaces by label (kubernetes.io/metadata.name) and the pods, and list the ports",
  },
};

function buildAllowAnyItem(rules: readonly AllowAnyRule[]): RemediationItem {
  const listing = rules.map((rule) => ({
    where: formatRuleRef(rule),
    class: rule.class,
    problem: ALLOW_ANY_CLASS_ADVICE[rule.class].problem,
    fix: ALLOW_ANY_CLASS_ADVICE[rule.class].fix,
    rule: rule.rule,
  }));
  return {
    controlId: "NP-06",
    title: `Tighten ${plural(rules.length, "allow-any rule")}`,
    format: "yaml",
    content: stringify(listing, { lineWidth: 0 }),
    caveats: [
      "Only the team that owns the workload knows its real peers and ports: tighten each rule with them, then re-run bulkhead.",
      "`where` is [kind] namespace/policy list[index], the rule's position in its rule list.",
    ],
  };
}

// ---- assembly ----------------------------------------------------------------------------------

const NOT_READ_CAVEAT =
  "Namespaces were not read for this cluster, so these manifests are written for `default`: apply them in every workload namespace.";
const NO_ENGINE_CAVEAT = "No network policy engine is enabled, so these policies take effect only after NP-01 is fixed.";
const EGRESS_CAVEAT =
  "A default deny for egress blocks every outbound connection other policies do not allow: add allow rules for the destinations your workloads need before applying it in production.";
const INGRESS_CAVEAT =
  "A default deny for ingress cuts every inbound connection other policies do not allow: traffic from ingress controllers (ingress-nginx, AKS application routing, Traefik, …) to your services, and Azure Load Balancer health probes to pods behind LoadBalancer services with externalTrafficPolicy: Local, stop until you allow them.";
const NODE_LOCAL_DNS_CAVEAT = "If the cluster runs NodeLocal DNSCache, also allow egress to its address (usually 169.254.20.10) on port 53.";

function controllerCaveat(controllers: readonly string[]): string[] {
  if (controllers.length === 0) return [];
  return [
    `Ingress controller namespaces found (${controllers.join(", ")}): the manifests let them receive TCP 80 and 443 and reach every backend namespace; under a default deny for egress they also need egress to their backends and to the API server.`,
  ];
}

/** Namespaces the manifests are written for; `default` stands in when in-cluster data was not read. */
function targetNamespaces(evaluation: ClusterEvaluation, needsFix: (namespace: NamespaceCoverage) => boolean): NamespaceDefaultDeny[] {
  if (!evaluation.hasInClusterData) return [{ name: "default", defaultDenyIngress: false, defaultDenyEgress: false }];
  return evaluation.namespaces.filter(needsFix);
}

function commonCaveats(evaluation: ClusterEvaluation): string[] {
  const caveats: string[] = [];
  if (!evaluation.hasInClusterData) caveats.push(NOT_READ_CAVEAT);
  if (!evaluation.facts.engineEnabled) caveats.push(NO_ENGINE_CAVEAT);
  return caveats;
}

function namesOf(namespaces: readonly NamespaceDefaultDeny[]): string {
  return formatList(namespaces.map((namespace) => namespace.name));
}

function yamlItem(controlId: ControlId, title: string, manifests: readonly unknown[], caveats: string[]): RemediationItem {
  return { controlId, title, format: "yaml", content: renderYamlDocuments(manifests), caveats };
}

/** The engine-wide baseline (Cilium or Calico), offered beside the per-namespace manifests. */
function buildEngineBaselineItem(controlId: ControlId, evaluation: ClusterEvaluation, systemNamespaces: readonly string[]): RemediationItem | null {
  const engine = evaluation.facts.engine;
  if (engine !== "cilium" && engine !== "calico") return null;
  const controllers = detectIngressControllers(evaluation);
  const options = { localDns: evaluation.facts.localDns, controllers };
  const manifests: unknown[] = [engine === "cilium" ? buildCiliumBaseline(systemNamespaces, options) : buildCalicoBaseline(systemNamespaces, options)];
  const workload = evaluation.namespaces.map((namespace) => namespace.name);
  for (const controller of controllers) if (workload.includes(controller)) manifests.push(buildAllowControllerIngressPolicy(controller));
  const kind = engine === "cilium" ? "CiliumClusterwideNetworkPolicy" : "GlobalNetworkPolicy";
  return yamlItem(controlId, `One ${kind} for every workload namespace: default deny both ways, DNS allowed, IMDS denied`, manifests, [
    ...commonCaveats(evaluation),
    INGRESS_CAVEAT,
    EGRESS_CAVEAT,
    ...controllerCaveat(controllers),
    engine === "cilium"
      ? "The egressDeny to 169.254.169.254/32 wins over every allow, so no other policy can reopen IMDS."
      : `The GlobalNetworkPolicy has order ${CALICO_BASELINE_ORDER}: its IMDS deny is judged before every policy with a higher order, the Kubernetes NetworkPolicies (1000) included.`,
  ]);
}

function buildDefaultDenyItems(controlId: "NP-02" | "NP-03", evaluation: ClusterEvaluation, systemNamespaces: readonly string[]): RemediationItem[] {
  const direction = controlId === "NP-02" ? "ingress" : "egress";
  const targets = targetNamespaces(evaluation, (namespace) =>
    direction === "ingress" ? !namespace.defaultDenyIngress : !namespace.defaultDenyEgress,
  );
  if (targets.length === 0) {
    // Every namespace already has its default deny; only the missing engine keeps it from working.
    return buildEngineItems(evaluation.facts)
      .slice(0, 1)
      .map((item) => ({ ...item, controlId, title: `Enforce the existing default-deny ${direction} policies: ${item.title}` }));
  }
  const localDns = evaluation.facts.localDns;
  const controllers = detectIngressControllers(evaluation);
  const workload = evaluation.namespaces.map((namespace) => namespace.name);
  const manifests: unknown[] =
    direction === "ingress"
      ? [...targets.map((namespace) => buildDefaultDenyPolicy(namespace.name, "ingress")), ...controllerManifests(controllers, workload)]
      : targets.flatMap((namespace) => [buildDefaultDenyPolicy(namespace.name, "egress"), buildAllowDnsPolicy(namespace.name, { localDns })]);
  const caveats = commonCaveats(evaluation);
  if (direction === "egress") caveats.push(EGRESS_CAVEAT, NODE_LOCAL_DNS_CAVEAT);
  else caveats.push(INGRESS_CAVEAT, ...controllerCaveat(controllers));
  const title =
    direction === "ingress"
      ? `Deny ingress by default in ${namesOf(targets)}`
      : `Deny egress by default, allowing DNS, in ${namesOf(targets)}`;
  const items = [yamlItem(controlId, title, manifests, caveats)];
  const baseline = buildEngineBaselineItem(controlId, evaluation, systemNamespaces);
  if (baseline) items.push(baseline);
  return items;
}

function buildDnsItems(evaluation: ClusterEvaluation): RemediationItem[] {
  const targets = evaluation.namespaces.filter((namespace) => namespace.defaultDenyEgress && !namespace.allowsDns);
  if (targets.length === 0) return [];
  return [
    yamlItem(
      "NP-04",
      `Allow DNS to kube-dns in ${namesOf(targets)}`,
      targets.map((namespace) => buildAllowDnsPolicy(namespace.name, { localDns: evaluation.facts.localDns })),
      [NODE_LOCAL_DNS_CAVEAT],
    ),
  ];
}

function buildImdsItems(evaluation: ClusterEvaluation, systemNamespaces: readonly string[]): RemediationItem[] {
  const items: RemediationItem[] = [];
  const baseline = buildEngineBaselineItem("NP-05", evaluation, systemNamespaces);
  if (baseline) items.push(baseline);
  const targets = targetNamespaces(evaluation, (namespace) => namespace.permitsImds && !namespace.defaultDenyEgress);
  if (targets.length > 0 && !baseline) {
    const manifests = targets.flatMap((namespace) => [buildDefaultDenyPolicy(namespace.name, "egress"), buildAllowDnsPolicy(namespace.name, { localDns: evaluation.facts.localDns })]);
    items.push(
      yamlItem("NP-05", `Deny egress by default, allowing DNS, in ${namesOf(targets)}: IMDS is then refused`, manifests, [
        ...commonCaveats(evaluation),
        EGRESS_CAVEAT,
        "Nothing else is allowed on your behalf: add the egress your workloads need, with 169.254.169.254/32 in the except list of any wide ipBlock.",
      ]),
    );
  }
  const patchable = evaluation.imdsRules.filter((rule) => rule.kind === "NetworkPolicy");
  if (patchable.length > 0) {
    items.push({
      controlId: "NP-05",
      title: `Take 169.254.169.254 out of ${plural(new Set(patchable.map(formatRuleRef)).size, "egress rule")}: ${formatList([...new Set(patchable.map(formatRuleRef))])}`,
      format: "shell",
      content: buildImdsPatchCommands(patchable),
      caveats: [
        "Each patch first tests that the rule is unchanged since it was read; if the test fails, re-run bulkhead and use the new patch.",
        "A rule whose only destination is 169.254.169.254/32 is removed: something asked for IMDS explicitly, so check with its owner first.",
      ],
    });
  }
  items.push({
    controlId: "NP-05",
    title: "Alternative: block IMDS for every pod with podLinkLocalAccess: None",
    format: "bicep",
    content: [
      `// Microsoft.ContainerService/managedClusters '${commentText(evaluation.facts.name)}' (resource group ${commentText(evaluation.facts.resourceGroup)})`,
      "properties: {",
      "  networkProfile: {",
      "    podLinkLocalAccess: 'None'",
      "  }",
      "}",
      "",
    ].join("\n"),
    caveats: [
      "podLinkLocalAccess is in preview: use an API version of Microsoft.ContainerService/managedClusters that has it.",
      "Pods that read a managed identity token from IMDS stop working; move them to Microsoft Entra Workload ID first. Pods with hostNetwork keep access.",
    ],
  });
  return items;
}

function buildPoliciesPresentItems(evaluation: ClusterEvaluation, systemNamespaces: readonly string[]): RemediationItem[] {
  const targets =
    evaluation.namespaces.length > 0
      ? evaluation.namespaces.map(({ name }) => ({ name, defaultDenyIngress: false, defaultDenyEgress: false }))
      : [{ name: "default", defaultDenyIngress: false, defaultDenyEgress: false }];
  const items = [
    yamlItem(
      "NP-07",
      `Start with a default deny both ways, allowing DNS, in ${namesOf(targets)}`,
      buildBaselineManifests(targets, { localDns: evaluation.facts.localDns }),
      [INGRESS_CAVEAT, EGRESS_CAVEAT, NODE_LOCAL_DNS_CAVEAT],
    ),
  ];
  const baseline = buildEngineBaselineItem("NP-07", evaluation, systemNamespaces);
  if (baseline) items.push(baseline);
  return items;
}

/**
 * Remediation for every failing control of the evaluation, in catalogue order. No generated rule
 * widens access: each is a default deny, an allow for DNS or an ingress controller's own traffic, or a deny.
 */
export function buildRemediation(evaluation: ClusterEvaluation, systemNamespaces: readonly string[] = DEFAULT_SYSTEM_NAMESPACES): RemediationItem[] {
  const items: RemediationItem[] = [];
  for (const control of evaluation.controls) {
    if (control.status !== "fail") continue;
    switch (control.id) {
      case "NP-01":
        items.push(...buildEngineItems(evaluation.facts));
        break;
      case "NP-02":
      case "NP-03":
        items.push(...buildDefaultDenyItems(control.id, evaluation, systemNamespaces));
        break;
      case "NP-04":
        items.push(...buildDnsItems(evaluation));
        break;
      case "NP-05":
        items.push(...buildImdsItems(evaluation, systemNamespaces));
        break;
      case "NP-06":
        if (evaluation.allowAnyRules.length > 0) items.push(buildAllowAnyItem(evaluation.allowAnyRules));
        break;
      case "NP-07":
        items.push(...buildPoliciesPresentItems(evaluation, systemNamespaces));
        break;
    }
  }
  return items;
}
