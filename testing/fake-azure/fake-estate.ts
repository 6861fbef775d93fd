import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { findProjectRoot } from "@/lib/db/project-root";

/** How a fake API answers; everything else is the happy path. */
export type FakeFailure =
  | { status: 429; retryAfterSeconds: number }
  | { status: 500 | 502 | 503 }
  | { status: 403 | 404 | 401 }
  | { malformed: true };

/** The custom resources a fake API server can serve, by `<plural>.<group>`, as kubectl names them. */
export type FakeCustomResource =
  | "ciliumnetworkpolicies.cilium.io"
  | "ciliumclusterwidenetworkpolicies.cilium.io"
  | "networkpolicies.projectcalico.org"
  | "globalnetworkpolicies.projectcalico.org"
  | "networkpolicies.crd.projectcalico.org"
  | "globalnetworkpolicies.crd.projectcalico.org"
  | "adminnetworkpolicies.policy.networking.k8s.io"
  | "baselineadminnetworkpolicies.policy.networking.k8s.io"
  | "clusternetworkpolicies.policy.networking.k8s.io";

/** Every resource a fake API server lists: the built-in ones and the custom ones. */
export type FakeKubeResource = "namespaces" | "networkpolicies" | "pods" | "services" | FakeCustomResource;

export interface FakeKubeCluster {
  namespaces: unknown[];
  policies: unknown[];
  /** Pods as the API server stores them (spec and status included); absent: the cluster runs none. */
  pods?: unknown[];
  /** Services as the API server stores them; absent: none. */
  services?: unknown[];
  /** Objects of the custom resources that are installed; a resource left out answers 404, as when its CRD is not installed. */
  custom?: Partial<Record<FakeCustomResource, unknown[]>>;
  /** ok: answers; hang: accepts and never answers; forbidden: 403 (no RBAC); unauthorized: 401; unreachable: nothing listens. */
  behaviour?: "ok" | "hang" | "forbidden" | "unauthorized" | "unreachable" | "malformed";
  /** One resource answering differently from the rest: 403 (no RBAC for that kind), never answering, or a broken body. */
  resourceBehaviour?: Partial<Record<FakeKubeResource, "forbidden" | "hang" | "malformed" | "server-error">>;
}

export interface FakeCluster {
  /** The ARM resource as the REST API sends it (`properties` nested). */
  resource: Record<string, unknown>;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** Absent: listClusterUserCredential answers 404 (a cluster Bulkhead cannot sign in to). */
  kube?: FakeKubeCluster;
  /** listClusterUserCredential answers this instead (e.g. 403 without the action). */
  credentialFailure?: FakeFailure;
}

export interface FakeSubscription {
  subscriptionId: string;
  displayName: string;
  state?: "Enabled" | "Disabled" | "Warned";
  clusters: FakeCluster[];
  /** Answers to the first listing requests, in order; then the real listing. */
  listingFailures?: FakeFailure[];
  /** Every listing request answers this. */
  listingAlways?: FakeFailure;
  /**
   * What Azure Resource Graph shows of this subscription: `readable` its row in ResourceContainers
   * and its clusters; `hidden` nothing (the caller cannot read it: Resource Graph leaves it out
   * without an error); `partial` its clusters but not the subscription (Reader on resource groups only).
   * Default: `hidden` when `listingAlways` is a 403 or 404, else `readable`.
   */
  resourceGraph?: "readable" | "hidden" | "partial";
  /** Every Resource Graph query whose scope includes this subscription answers this. */
  resourceGraphFailure?: FakeGraphFailure;
  /** What Cost Management has rated for this subscription (fake-cost-management.ts); absent: nothing. */
  costs?: FakeCostRow[];
  /** Answers to the first Cost Management queries of this subscription, in order; then the real answers. */
  costFailures?: FakeCostFailure[];
}

/** One resource's cost on one day, as Cost Management rates it. */
export interface FakeCostRow {
  day: string;
  resourceGroup: string;
  resourceId: string;
  cost: number;
  currency: string;
}

/**
 * A Cost Management answer: a fault as elsewhere (403 is RBACAccessDenied); Cost Management's own
 * 429 with its per-quota retry headers and no Retry-After; or a body of the wrong shape.
 */
export type FakeCostFailure = FakeFailure | { costThrottled: true; qpuRetryAfterSeconds: number; entityRetryAfterSeconds?: number } | { wrongShape: true };

/**
 * A Resource Graph answer: a fault as elsewhere; a page that says it is truncated and gives no
 * $skipToken; or Resource Graph's own 429 (quota headers, no Retry-After).
 */
export type FakeGraphFailure = FakeFailure | { truncated: true } | { quotaExceeded: true; resetsAfterSeconds: number };

export interface FakeEstate {
  subscriptions: FakeSubscription[];
}

const TOP_LEVEL_KEYS = new Set(["id", "name", "type", "location", "tags", "sku", "identity", "extendedLocation", "kind", "eTag", "systemData"]);

/** `az aks list -o json` output back into the ARM REST shape: everything else goes under `properties`. */
export function toArmResource(cluster: Record<string, unknown>): Record<string, unknown> {
  const resource: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(cluster)) {
    if (key === "resourceGroup") continue; // az adds it; ARM does not send it
    if (TOP_LEVEL_KEYS.has(key)) resource[key] = value;
    else properties[key] = value;
  }
  return { ...resource, properties };
}

export function clusterFromAz(cluster: Record<string, unknown>, kube?: FakeKubeCluster): FakeCluster {
  const id = String(cluster.id);
  const [, subscriptionId, resourceGroup] = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\//i.exec(id) ?? [];
  return { resource: toArmResource(cluster), subscriptionId: subscriptionId.toLowerCase(), resourceGroup, name: String(cluster.name), kube };
}

/**
 * The sample estate of testing/fixtures (what `az aks list` and `kubectl get` printed),
 * served by the fakes: two subscriptions, six clusters, five with in-cluster objects.
 */
export async function loadSampleEstate(): Promise<FakeEstate> {
  const root = path.join(findProjectRoot(), "testing", "fixtures", "sample-estate");
  const clusters = JSON.parse(await readFile(path.join(root, "clusters.json"), "utf8")) as Record<string, unknown>[];
  const bySubscription = new Map<string, FakeSubscription>();
  for (const item of clusters) {
    const kubeDir = path.join(root, "kube", String(item.resourceGroup), String(item.name));
    const kube = await readKubeDir(kubeDir);
    const cluster = clusterFromAz(item, kube);
    const subscription = bySubscription.get(cluster.subscriptionId) ?? { subscriptionId: cluster.subscriptionId, displayName: `Sample ${bySubscription.size + 1}`, clusters: [] };
    subscription.clusters.push(cluster);
    bySubscription.set(cluster.subscriptionId, subscription);
  }
  return { subscriptions: [...bySubscription.values()] };
}

/** Which custom resource each `bulkhead import` file of a kube folder holds (the fake serves it at that API). */
const CUSTOM_FILES: Record<string, FakeCustomResource> = {
  "ciliumnetworkpolicies.json": "ciliumnetworkpolicies.cilium.io",
  "ciliumclusterwidenetworkpolicies.json": "ciliumclusterwidenetworkpolicies.cilium.io",
  "calico-networkpolicies.json": "networkpolicies.projectcalico.org",
  "calico-globalnetworkpolicies.json": "globalnetworkpolicies.projectcalico.org",
  "adminnetworkpolicies.json": "adminnetworkpolicies.policy.networking.k8s.io",
  "baselineadminnetworkpolicies.json": "baselineadminnetworkpolicies.policy.networking.k8s.io",
  "clusternetworkpolicies.json": "clusternetworkpolicies.policy.networking.k8s.io",
};

async function readKubeDir(directory: string): Promise<FakeKubeCluster | undefined> {
  const files: string[] = await readdir(directory).catch(() => []);
  if (files.length === 0) return undefined;
  const read = async (file: string) => ((JSON.parse(await readFile(path.join(directory, file), "utf8")) as { items?: unknown[] }).items ?? []);
  const custom: FakeKubeCluster["custom"] = {};
  for (const [file, resource] of Object.entries(CUSTOM_FILES)) if (files.includes(file)) custom[resource] = await read(file);
  return { namespaces: await read("namespaces.json"), policies: await read("networkpolicies.json"), custom, ...(files.includes("pods.json") ? { pods: await read("pods.json") } : {}) };
}

/** A Namespace object as the API server stores it. */
export function makeNamespace(name: string): Record<string, unknown> {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, uid: `uid-${name}`, resourceVersion: "1", labels: { "kubernetes.io/metadata.name": name } }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } };
}

/** Default deny both ways in `namespace`. */
export function makeDefaultDeny(namespace: string): Record<string, unknown> {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "default-deny", namespace, managedFields: [{ manager: "kubectl", operation: "Apply" }] },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  };
}
