// Cluster fields of docs/design.md §4.1, read from `az aks list -o json` / the SDK's ManagedCluster.

import { DEFAULT_POSTURE_CONFIG } from "./config";
import type { ClusterFacts, PostureConfig } from "./types";
import { asRecord, readString, type JsonRecord } from "./untrusted-json";

export const UNTAGGED_OWNER = "(untagged)";

const ENABLED_ENGINES = new Set(["azure", "calico", "cilium"]);
const ARM_ID_PATTERN = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)(?:\/|$)/i;

/** The cluster JSON cannot be identified; the message names the field. */
export class ClusterInputError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = "ClusterInputError";
    this.field = field;
  }
}

export interface EngineReading {
  engine: string;
  engineEnabled: boolean;
}

/** `networkPolicy` lower-cased; a Cilium dataplane enables Cilium whatever `networkPolicy` says. */
export function readEngine(networkPolicy: unknown, networkDataplane: unknown): EngineReading {
  if (typeof networkDataplane === "string" && networkDataplane.trim().toLowerCase() === "cilium") {
    return { engine: "cilium", engineEnabled: true };
  }
  if (networkPolicy === undefined || networkPolicy === null) return { engine: "none", engineEnabled: false };
  const value = typeof networkPolicy === "string" ? networkPolicy.trim().toLowerCase() : JSON.stringify(networkPolicy);
  if (value === "" || value === "none") return { engine: "none", engineEnabled: false };
  if (ENABLED_ENGINES.has(value)) return { engine: value, engineEnabled: true };
  return { engine: `unknown:${value}`, engineEnabled: false };
}

function readTags(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  const record = asRecord(value);
  if (!record) return tags;
  for (const [key, tagValue] of Object.entries(record)) {
    if (typeof tagValue === "string") tags[key] = tagValue;
  }
  return tags;
}

/** The first configured key that some tag has (case-insensitively) decides; its trimmed value is the owner. */
export function readOwner(tags: Record<string, string>, ownerTagKeys: readonly string[]): string {
  const entries = Object.entries(tags);
  for (const wanted of ownerTagKeys) {
    const lowered = wanted.toLowerCase();
    const match = entries.find(([key]) => key.toLowerCase() === lowered);
    if (match) {
      const owner = match[1].trim();
      return owner === "" ? UNTAGGED_OWNER : owner;
    }
  }
  return UNTAGGED_OWNER;
}

export function readProduction(tags: Record<string, string>, config: Pick<PostureConfig, "envTagKeys" | "prodValues">): boolean {
  const keys = new Set(config.envTagKeys.map((key) => key.toLowerCase()));
  const values = new Set(config.prodValues.map((value) => value.toLowerCase()));
  return Object.entries(tags).some(([key, value]) => keys.has(key.toLowerCase()) && values.has(value.trim().toLowerCase()));
}

function readAgentPools(value: unknown): { nodeCount: number; hasWindowsPool: boolean } {
  let nodeCount = 0;
  let hasWindowsPool = false;
  if (!Array.isArray(value)) return { nodeCount, hasWindowsPool };
  for (const item of value) {
    const pool = asRecord(item);
    if (!pool) continue;
    if (typeof pool.count === "number" && Number.isFinite(pool.count) && pool.count > 0) nodeCount += Math.floor(pool.count);
    if (typeof pool.osType === "string" && pool.osType.toLowerCase() === "windows") hasWindowsPool = true;
  }
  return { nodeCount, hasWindowsPool };
}

function readPodCidrs(network: JsonRecord): string[] {
  const cidrs = new Set<string>();
  if (typeof network.podCidr === "string" && network.podCidr !== "") cidrs.add(network.podCidr);
  if (Array.isArray(network.podCidrs)) for (const cidr of network.podCidrs) if (typeof cidr === "string" && cidr !== "") cidrs.add(cidr);
  return [...cidrs];
}

/** LocalDNS runs on a pool whose localDNSProfile is Required, or that AKS reports as Enabled (docs/rules-v2.md). */
function readLocalDns(pools: unknown): boolean {
  if (!Array.isArray(pools)) return false;
  return pools.some((item) => {
    const profile = asRecord(asRecord(item)?.localDNSProfile) ?? asRecord(asRecord(item)?.localDnsProfile);
    const mode = typeof profile?.mode === "string" ? profile.mode.toLowerCase() : "";
    const state = typeof profile?.state === "string" ? profile.state.toLowerCase() : "";
    return state === "enabled" || (mode === "required" && state !== "disabled");
  });
}

/** ACNS FQDN filtering is on when advanced network policies are FQDN or L7 (L7 includes FQDN). */
function readFqdnFiltering(network: JsonRecord): boolean {
  const security = asRecord(asRecord(network.advancedNetworking)?.security);
  const policies = typeof security?.advancedNetworkPolicies === "string" ? security.advancedNetworkPolicies.toLowerCase() : "";
  return security?.enabled !== false && (policies === "fqdn" || policies === "l7");
}

function lastSegment(id: string): string {
  const parts = id.split("/").filter((part) => part !== "");
  return parts[parts.length - 1] ?? id;
}

export function readClusterFacts(cluster: unknown, config: PostureConfig = DEFAULT_POSTURE_CONFIG): ClusterFacts {
  const record: JsonRecord = asRecord(cluster) ?? {};
  const id = record.id;
  if (typeof id !== "string" || id === "") {
    throw new ClusterInputError("id", "cluster field `id` is missing or not a string");
  }
  const match = ARM_ID_PATTERN.exec(id);
  if (!match) {
    throw new ClusterInputError("id", `cluster field \`id\` is not an ARM resource id: ${JSON.stringify(id.slice(0, 200))}`);
  }
  const network = asRecord(record.networkProfile) ?? {};
  const tags = readTags(record.tags);
  const name = readString(record.name);
  return {
    key: id.toLowerCase(),
    id,
    name: name !== null && name !== "" ? name : lastSegment(id),
    subscriptionId: match[1] as string,
    resourceGroup: match[2] as string,
    location: readString(record.location),
    owner: readOwner(tags, config.ownerTagKeys),
    production: readProduction(tags, config),
    ...readEngine(network.networkPolicy, network.networkDataplane),
    rawNetworkPolicy: readString(network.networkPolicy),
    networkPlugin: readString(network.networkPlugin),
    networkPluginMode: readString(network.networkPluginMode),
    networkDataplane: readString(network.networkDataplane),
    podLinkLocalAccess: readString(network.podLinkLocalAccess),
    podCidrs: readPodCidrs(network),
    localDns: readLocalDns(record.agentPoolProfiles),
    fqdnFiltering: readFqdnFiltering(network),
    webAppRouting: asRecord(asRecord(record.ingressProfile)?.webAppRouting)?.enabled === true,
    ...readAgentPools(record.agentPoolProfiles),
    kubernetesVersion: readString(record.currentKubernetesVersion) ?? readString(record.kubernetesVersion),
    tags,
  };
}

/** Tells already-read facts from raw cluster JSON, which never has these fields. */
export function isClusterFacts(value: unknown): value is ClusterFacts {
  const record = asRecord(value);
  return (
    record !== undefined &&
    typeof record.key === "string" &&
    typeof record.subscriptionId === "string" &&
    typeof record.engine === "string" &&
    typeof record.engineEnabled === "boolean" &&
    typeof record.production === "boolean" &&
    typeof record.nodeCount === "number" &&
    asRecord(record.tags) !== undefined
  );
}

/** networkPlugin "none": the cluster brings its own CNI, which AKS neither manages nor can add a policy engine to. */
export function usesOwnCni(facts: Pick<ClusterFacts, "networkPlugin">): boolean {
  return facts.networkPlugin?.trim().toLowerCase() === "none";
}
