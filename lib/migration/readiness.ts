// Readiness of one Azure NPM cluster for the move to Cilium (docs/migration.md). Pure: the cluster as
// listed and its in-cluster objects in, the checks with their evidence and what to change first out.
// Microsoft's path is `az aks update --network-dataplane cilium`, which re-images every node pool and
// swaps the engine; the checks are the things that block it or that Cilium enforces differently.

import type { InClusterData } from "@/lib/posture";
import { cidrsOverlap, parseCidr, type Cidr } from "@/lib/posture/cidr";
import { asRecord } from "@/lib/posture/untrusted-json";
import type { Verdict } from "./verdicts";

/** A list field, or nothing when it is absent or not a list (readiness reads, it never judges malformed input). */
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export type CheckStatus = "blocker" | "warning" | "ok" | "unknown";
export type CheckId = "network-plugin" | "windows-pools" | "end-port" | "ipblock-pods" | "ipblock-nodes" | "named-ports" | "external-traffic-policy" | "node-count";
export type { Verdict } from "./verdicts";

export interface ReadinessCheck {
  id: CheckId;
  title: string;
  status: CheckStatus;
  /** What was found, one line per object or fact (empty when nothing was). */
  evidence: string[];
  /** What to change first; for `ok`, what was checked. */
  advice: string;
}

export interface ClusterReadiness {
  verdict: Verdict;
  checks: ReadinessCheck[];
  nodeCount: number;
  windowsPools: string[];
  /** The day Azure NPM support ends for this cluster: Windows node pools 2026-09-30, Linux 2028-09-30. */
  deadline: string;
  commands: string[];
  caveats: string[];
}

export const NPM_WINDOWS_END = "2026-09-30";
export const NPM_LINUX_END = "2028-09-30";
/** AKS ships Cilium 1.17, the first that enforces `endPort`, from Kubernetes 1.32. */
export const CILIUM_END_PORT_KUBERNETES = [1, 32] as const;
/** Azure NPM supports clusters of up to 250 nodes. */
export const NPM_MAX_NODES = 250;
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((text) => parseCidr(text) as Cidr);
const EVIDENCE_SHOWN = 12;

interface PolicyRule {
  where: string;
  direction: "ingress" | "egress";
  peers: unknown[];
  ports: unknown[];
}

/** Every rule of every Kubernetes NetworkPolicy (what NPM enforces), named for evidence. */
function policyRules(inCluster: InClusterData): PolicyRule[] {
  const rules: PolicyRule[] = [];
  for (const policy of inCluster.policies) {
    const record = asRecord(policy);
    const metadata = asRecord(record?.metadata);
    const spec = asRecord(record?.spec);
    const name = `NetworkPolicy ${String(metadata?.namespace ?? "default")}/${String(metadata?.name ?? "?")}`;
    for (const direction of ["ingress", "egress"] as const) {
      asArray(spec?.[direction]).forEach((rule, index) => {
        const r = asRecord(rule);
        rules.push({ where: `${name} ${direction}[${index}]`, direction, peers: asArray(r?.[direction === "ingress" ? "from" : "to"]), ports: asArray(r?.ports) });
      });
    }
  }
  return rules;
}

function kubernetesMinor(version: unknown): [number, number] | null {
  const match = /^v?(\d+)\.(\d+)/.exec(typeof version === "string" ? version : "");
  return match ? [Number(match[1]), Number(match[2])] : null;
}

const atLeast = (version: [number, number], wanted: readonly [number, number]) => version[0] > wanted[0] || (version[0] === wanted[0] && version[1] >= wanted[1]);

function shown(lines: string[]): string[] {
  return lines.length <= EVIDENCE_SHOWN ? lines : [...lines.slice(0, EVIDENCE_SHOWN), `… and ${lines.length - EVIDENCE_SHOWN} more`];
}

/** The readiness of a cluster for `az aks update --network-dataplane cilium`. */
export function assessReadiness(clusterJson: unknown, inCluster: InClusterData | null): ClusterReadiness {
  const cluster = asRecord(clusterJson) ?? {};
  const network = asRecord(cluster.networkProfile) ?? {};
  const pools = asArray(cluster.agentPoolProfiles).map((pool) => asRecord(pool) ?? {});
  const name = String(cluster.name ?? "");
  const resourceGroup = String(cluster.resourceGroup ?? /\/resourcegroups\/([^/]+)\//i.exec(String(cluster.id ?? ""))?.[1] ?? "");
  const version = kubernetesMinor(cluster.currentKubernetesVersion ?? cluster.kubernetesVersion);
  const plugin = String(network.networkPlugin ?? "").toLowerCase();
  const overlay = String(network.networkPluginMode ?? "").toLowerCase() === "overlay";
  const podSubnet = pools.some((pool) => typeof pool.podSubnetId === "string" && pool.podSubnetId !== "");
  const windowsPools = pools.filter((pool) => String(pool.osType ?? "").toLowerCase() === "windows").map((pool) => String(pool.name ?? "?"));
  const nodeCount = pools.reduce((sum, pool) => sum + (typeof pool.count === "number" ? pool.count : 0), 0);
  const podCidr = parseCidr(network.podCidr);
  const serviceCidr = parseCidr(network.serviceCidr);
  const rules = inCluster ? policyRules(inCluster) : [];
  const checks: ReadinessCheck[] = [];
  const missing = (id: CheckId, title: string, what: string): ReadinessCheck => ({ id, title, status: "unknown", evidence: [], advice: `Not checked: ${what} were not read for this cluster (collect with in-cluster access, docs/collection.md).` });

  // The dataplane runs on Azure CNI Overlay or Azure CNI with a pod subnet only.
  if (plugin === "kubenet") {
    checks.push({ id: "network-plugin", title: "Network plugin", status: "blocker", evidence: ["networkPlugin: kubenet"], advice: "Move to Azure CNI Overlay first (kubenet also retires on 31 Mar 2028); the Cilium dataplane runs on Azure CNI Overlay or Azure CNI with a pod subnet." });
  } else if (plugin === "azure" && !overlay && !podSubnet) {
    checks.push({ id: "network-plugin", title: "Network plugin", status: "blocker", evidence: ["networkPlugin: azure, no networkPluginMode: overlay, no pod subnet (Azure CNI node subnet)"], advice: "Move to Azure CNI Overlay first (`--network-plugin-mode overlay`): the Cilium dataplane does not run on Azure CNI's node-subnet mode." });
  } else {
    checks.push({ id: "network-plugin", title: "Network plugin", status: "ok", evidence: [plugin === "azure" ? (overlay ? "Azure CNI Overlay" : "Azure CNI with a pod subnet") : `networkPlugin: ${plugin || "(none)"}`], advice: "Azure CNI Overlay or a pod subnet: the Cilium dataplane can run here." });
  }

  checks.push(
    windowsPools.length > 0
      ? { id: "windows-pools", title: "Windows node pools", status: "blocker", evidence: windowsPools.map((pool) => `node pool ${pool} (Windows)`), advice: "Cilium does not run on Windows nodes, and Azure NPM support for Windows ended on 30 Sep 2026: move the Windows workloads to a cluster of their own, then delete these pools." }
      : { id: "windows-pools", title: "Windows node pools", status: "ok", evidence: [], advice: "No Windows node pool." },
  );

  if (!inCluster) {
    checks.push(missing("end-port", "endPort port ranges", "NetworkPolicies"));
  } else {
    const ranges = rules.flatMap((rule) => rule.ports.map((port) => asRecord(port)).filter((port) => port && port.endPort !== undefined).map((port) => `${rule.where}: port ${String(port!.port)}–${String(port!.endPort)}`));
    const supported = version !== null && atLeast(version, CILIUM_END_PORT_KUBERNETES);
    checks.push(
      ranges.length === 0
        ? { id: "end-port", title: "endPort port ranges", status: "ok", evidence: [], advice: "No rule uses endPort." }
        : supported
          ? { id: "end-port", title: "endPort port ranges", status: "ok", evidence: shown(ranges), advice: "Kubernetes 1.32 or later: AKS runs Cilium 1.17 or later, which enforces endPort ranges." }
          : { id: "end-port", title: "endPort port ranges", status: "blocker", evidence: shown(ranges), advice: `Cilium enforces endPort from 1.17, which AKS ships with Kubernetes 1.32: upgrade the cluster (now ${version ? version.join(".") : "unknown"}) before the move, or these rules admit only their first port.` },
    );
  }

  if (!inCluster) {
    checks.push(missing("ipblock-pods", "ipBlock rules for pod addresses", "NetworkPolicies"), missing("ipblock-nodes", "ipBlock rules for node addresses and the node itself", "NetworkPolicies"));
  } else {
    const forPods: string[] = [];
    const forNodes: string[] = [];
    for (const rule of rules) {
      for (const peer of rule.peers) {
        const block = asRecord(asRecord(peer)?.ipBlock);
        const cidr = block ? parseCidr(block.cidr) : null;
        if (!cidr || cidr.prefix === 0) continue;
        const line = `${rule.where}: ipBlock ${String(block!.cidr)}`;
        if (podCidr && cidrsOverlap(cidr, podCidr)) forPods.push(`${line} overlaps the pod CIDR ${String(network.podCidr)}`);
        else if (PRIVATE_RANGES.some((range) => cidrsOverlap(cidr, range)) && !(serviceCidr && cidrsOverlap(cidr, serviceCidr))) forNodes.push(`${line} (a private range: node or VNet addresses)${rule.direction === "egress" ? ", egress" : ""}`);
      }
    }
    checks.push(
      forPods.length > 0
        ? { id: "ipblock-pods", title: "ipBlock rules for pod addresses", status: "warning", evidence: shown(forPods), advice: "Cilium selects pods by identity, not by address: an ipBlock that means pods admits none of them. Replace it by a podSelector or namespaceSelector before the move." }
        : { id: "ipblock-pods", title: "ipBlock rules for pod addresses", status: "ok", evidence: [], advice: podCidr ? `No ipBlock overlaps the pod CIDR ${String(network.podCidr)}.` : "No ipBlock overlaps a known pod CIDR (the listing has none)." },
      forNodes.length > 0
        ? { id: "ipblock-nodes", title: "ipBlock rules for node addresses and the node itself", status: "warning", evidence: shown(forNodes), advice: "Cilium does not match node addresses (the pod's own node included) by ipBlock: traffic to and from nodes is the `host` and `remote-node` entities. Where these blocks mean nodes, add a CiliumNetworkPolicy with `toEntities`/`fromEntities: [host, remote-node]` as the move happens; where they mean other VNet addresses they keep working." }
        : { id: "ipblock-nodes", title: "ipBlock rules for node addresses and the node itself", status: "ok", evidence: [], advice: "No ipBlock of a private range besides the pod and service CIDRs." },
    );
  }

  if (!inCluster) {
    checks.push(missing("named-ports", "Named ports", "NetworkPolicies"));
  } else {
    const named = rules.flatMap((rule) => rule.ports.map((port) => asRecord(port)).filter((port) => port && typeof port.port === "string").map((port) => `${rule.where}: port "${String(port!.port)}"`));
    checks.push(
      named.length > 0
        ? { id: "named-ports", title: "Named ports", status: "warning", evidence: shown(named), advice: "Cilium resolves a port name against the selected pods' container ports, per pod; a name some target pods do not declare, or declare with another number, is enforced differently. Check the targets declare it, or write the port number." }
        : { id: "named-ports", title: "Named ports", status: "ok", evidence: [], advice: "Every rule names its ports by number." },
    );
  }

  if (!inCluster?.services) {
    checks.push(missing("external-traffic-policy", "LoadBalancer and NodePort Services with externalTrafficPolicy: Cluster", "Services"));
  } else {
    const exposed = inCluster.services
      .map((service) => asRecord(service))
      .filter((service) => {
        const spec = asRecord(service?.spec);
        return (spec?.type === "LoadBalancer" || spec?.type === "NodePort") && (spec.externalTrafficPolicy ?? "Cluster") === "Cluster";
      })
      .map((service) => {
        const metadata = asRecord(service?.metadata);
        return `Service ${String(metadata?.namespace)}/${String(metadata?.name)}: ${String(asRecord(service?.spec)?.type)}, externalTrafficPolicy Cluster`;
      });
    checks.push(
      exposed.length > 0
        ? { id: "external-traffic-policy", title: "LoadBalancer and NodePort Services with externalTrafficPolicy: Cluster", status: "warning", evidence: shown(exposed), advice: "Under NPM this traffic reaches pods from a node's address; Cilium keeps the client's address, so ingress policies that admitted nodes no longer admit it. Admit the clients' ranges (or `world`) on these pods, or set externalTrafficPolicy: Local." }
        : { id: "external-traffic-policy", title: "LoadBalancer and NodePort Services with externalTrafficPolicy: Cluster", status: "ok", evidence: [], advice: "No LoadBalancer or NodePort Service with externalTrafficPolicy: Cluster." },
    );
  }

  checks.push({
    id: "node-count",
    title: "Nodes to re-image",
    status: nodeCount > NPM_MAX_NODES ? "warning" : "ok",
    evidence: [`${nodeCount} nodes in ${pools.length} node pools`],
    advice:
      nodeCount > NPM_MAX_NODES
        ? `Above the ${NPM_MAX_NODES} nodes Azure NPM supports: move first. Every node is re-imaged; plan a long maintenance window and enough surge capacity.`
        : "Every node pool is re-imaged: plan a maintenance window, PodDisruptionBudgets and surge capacity.",
  });

  const statuses = new Set(checks.map((check) => check.status));
  const verdict: Verdict = statuses.has("blocker") ? "blocked" : statuses.has("warning") ? "needs-work" : statuses.has("unknown") ? "incomplete" : "ready";
  return {
    verdict,
    checks,
    nodeCount,
    windowsPools,
    deadline: windowsPools.length > 0 ? NPM_WINDOWS_END : NPM_LINUX_END,
    commands: migrationCommands({ name, resourceGroup, plugin, overlay, podSubnet, windowsPools, version, checks }),
    caveats: migrationCaveats(checks),
  };
}

function migrationCommands(c: { name: string; resourceGroup: string; plugin: string; overlay: boolean; podSubnet: boolean; windowsPools: string[]; version: [number, number] | null; checks: ReadinessCheck[] }): string[] {
  const target = `--resource-group ${c.resourceGroup} --name ${c.name}`;
  const commands: string[] = [];
  for (const pool of c.windowsPools) commands.push(`# after moving its workloads: az aks nodepool delete --resource-group ${c.resourceGroup} --cluster-name ${c.name} --name ${pool}`);
  if (c.plugin === "kubenet") commands.push(`az aks update ${target} --network-plugin azure --network-plugin-mode overlay --pod-cidr 192.168.0.0/16`);
  else if (c.plugin === "azure" && !c.overlay && !c.podSubnet) commands.push(`az aks update ${target} --network-plugin-mode overlay --pod-cidr 192.168.0.0/16`);
  if (c.checks.some((check) => check.id === "end-port" && check.status === "blocker")) commands.push(`az aks upgrade ${target} --kubernetes-version 1.32`);
  commands.push(`az aks update ${target} --network-dataplane cilium`);
  commands.push(`az aks show ${target} --query "networkProfile.{dataplane: networkDataplane, policy: networkPolicy}"`);
  commands.push("kubectl -n kube-system get pods -l k8s-app=cilium");
  return commands;
}

function migrationCaveats(checks: ReadinessCheck[]): string[] {
  const caveats = [
    "The update re-images every node pool and replaces Azure NPM with Cilium: schedule it, and there is no update back to Azure NPM.",
    "Try the policies on a staging cluster first: Cilium enforces the same NetworkPolicies, but the behaviours below differ.",
  ];
  for (const check of checks) if (check.status === "warning" || check.status === "blocker") caveats.push(`${check.title}: ${check.advice}`);
  return caveats;
}
