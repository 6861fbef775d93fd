// Picking the objects the evaluator reads out of untrusted Kubernetes JSON: Namespaces, every policy
// kind of docs/design.md §4.3, Pods and workload controllers' pod templates (§4.5).

import { readName } from "./policy-reader-kit";
import type { PolicyKind } from "./statements";
import type { InClusterData } from "./types";
import { asRecord } from "./untrusted-json";

/** Lists nest only by accident; the bound keeps a hostile document from recursing forever. */
const MAX_LIST_DEPTH = 8;

/**
 * Replaces every list (`kind: List` and any `*List` with `items`, and plain arrays) with its items,
 * recursively. Items of a typed list carry no `kind`: it is taken from the list's kind
 * (NetworkPolicyList → NetworkPolicy), with the list's apiVersion, on a shallow copy. `onObject`
 * hears of each object with its path in `objects` (`[0, "items", 3]`), so a reader can say where it was.
 */
export function flattenKubeObjects(objects: readonly unknown[], onObject?: (object: unknown, path: readonly (string | number)[]) => void): unknown[] {
  const flat: unknown[] = [];
  const visit = (items: readonly unknown[], depth: number, itemKind: string | null, apiVersion: unknown, at: readonly (string | number)[]): void => {
    for (let index = 0; index < items.length; index += 1) {
      const item = items[index];
      if (depth < MAX_LIST_DEPTH && Array.isArray(item)) {
        visit(item, depth + 1, null, undefined, onObject ? [...at, index] : at);
        continue;
      }
      let record = asRecord(item);
      if (record && itemKind !== null && (record.kind === undefined || record.kind === null)) {
        record = { ...record, kind: itemKind, ...(record.apiVersion === undefined && apiVersion !== undefined ? { apiVersion } : {}) };
      }
      if (depth < MAX_LIST_DEPTH && isListRecord(record)) {
        const kind = record.kind as string;
        visit(record.items as unknown[], depth + 1, kind === "List" ? null : kind.slice(0, -"List".length), record.apiVersion, onObject ? [...at, index, "items"] : at);
        continue;
      }
      flat.push(record ?? item);
      onObject?.(record ?? item, [...at, index]);
    }
  };
  visit(objects, 0, null, undefined, []);
  return flat;
}

export type ObjectClass = "Namespace" | "Pod" | "Workload" | PolicyKind;

function group(apiVersion: unknown): string | null {
  if (apiVersion === undefined || apiVersion === null) return null;
  if (typeof apiVersion !== "string") return "?";
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "ReplicationController"]);
const CALICO_GROUPS = new Set(["projectcalico.org", "crd.projectcalico.org"]);

/** What an object is, from its kind and API group; null for kinds the evaluator does not read. */
export function classifyObject(object: unknown): ObjectClass | null {
  const record = asRecord(object);
  if (!record || typeof record.kind !== "string") return null;
  const apiGroup = group(record.apiVersion);
  switch (record.kind) {
    case "Namespace":
      return apiGroup === null || apiGroup === "" ? "Namespace" : null;
    case "Pod":
      return apiGroup === null || apiGroup === "" ? "Pod" : null;
    case "NetworkPolicy":
      // Calico's CRDs also call themselves NetworkPolicy; the API group tells them apart.
      if (apiGroup !== null && CALICO_GROUPS.has(apiGroup)) return "CalicoNetworkPolicy";
      return apiGroup === null || apiGroup === "networking.k8s.io" || apiGroup === "extensions" ? "NetworkPolicy" : null;
    case "GlobalNetworkPolicy":
      return apiGroup === null || CALICO_GROUPS.has(apiGroup) ? "CalicoGlobalNetworkPolicy" : null;
    case "CiliumNetworkPolicy":
    case "CiliumClusterwideNetworkPolicy":
      return apiGroup === null || apiGroup === "cilium.io" ? record.kind : null;
    case "AdminNetworkPolicy":
    case "BaselineAdminNetworkPolicy":
    case "ClusterNetworkPolicy":
      return apiGroup === null || apiGroup === "policy.networking.k8s.io" ? record.kind : null;
    default:
      return WORKLOAD_KINDS.has(record.kind) ? "Workload" : null;
  }
}

/** The in-cluster lists (InClusterData) and which kind their kindless items are. */
export const IN_CLUSTER_LISTS: readonly { field: keyof InClusterData; kind: string; apiVersion: string }[] = [
  { field: "namespaces", kind: "Namespace", apiVersion: "v1" },
  { field: "policies", kind: "NetworkPolicy", apiVersion: "networking.k8s.io/v1" },
  { field: "ciliumNetworkPolicies", kind: "CiliumNetworkPolicy", apiVersion: "cilium.io/v2" },
  { field: "ciliumClusterwideNetworkPolicies", kind: "CiliumClusterwideNetworkPolicy", apiVersion: "cilium.io/v2" },
  { field: "calicoNetworkPolicies", kind: "NetworkPolicy", apiVersion: "projectcalico.org/v3" },
  { field: "calicoGlobalNetworkPolicies", kind: "GlobalNetworkPolicy", apiVersion: "projectcalico.org/v3" },
  { field: "adminNetworkPolicies", kind: "AdminNetworkPolicy", apiVersion: "policy.networking.k8s.io/v1alpha1" },
  { field: "baselineAdminNetworkPolicies", kind: "BaselineAdminNetworkPolicy", apiVersion: "policy.networking.k8s.io/v1alpha1" },
  { field: "clusterNetworkPolicies", kind: "ClusterNetworkPolicy", apiVersion: "policy.networking.k8s.io/v1alpha2" },
  { field: "pods", kind: "Pod", apiVersion: "v1" },
];

/**
 * Every object of the in-cluster lists, with a kind: the items of each list are of that list's kind
 * unless they say otherwise. Old stored documents have only `namespaces` and `policies`.
 */
export function objectsOfInClusterData(inCluster: InClusterData): unknown[] {
  const objects: unknown[] = [];
  for (const list of IN_CLUSTER_LISTS) {
    const items = inCluster[list.field];
    if (!Array.isArray(items)) continue;
    for (const item of flattenKubeObjects(items)) {
      const record = asRecord(item);
      if (!record) continue;
      if (record.kind === undefined || record.kind === null) {
        objects.push({ ...record, kind: list.kind, apiVersion: record.apiVersion ?? list.apiVersion });
      } else if (list.field === "policies" && record.kind === "NetworkPolicy" && (record.apiVersion === undefined || record.apiVersion === null)) {
        objects.push({ ...record, apiVersion: list.apiVersion });
      } else if (list.field === "calicoNetworkPolicies" && record.kind === "NetworkPolicy" && (record.apiVersion === undefined || record.apiVersion === null)) {
        objects.push({ ...record, apiVersion: list.apiVersion });
      } else {
        objects.push(record);
      }
    }
  }
  return objects;
}

export interface NamespaceObject {
  name: string;
  labels: Record<string, string>;
}

/** A pod's or a pod template's labels in a namespace (§4.5 pod classes), with how many pods it stands for. */
export interface PodObject {
  namespace: string;
  labels: Record<string, string>;
  count: number;
}

export interface SortedObjects {
  namespaces: NamespaceObject[];
  policies: { kind: PolicyKind; object: unknown }[];
  pods: PodObject[];
}

function readLabels(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  const record = asRecord(value);
  if (!record) return labels;
  for (const [key, label] of Object.entries(record)) {
    if (typeof label === "string") labels[key] = label;
    else if (typeof label === "number" || typeof label === "boolean") labels[key] = String(label);
  }
  return labels;
}

/** The pod template of a workload controller: spec.template, or a CronJob's spec.jobTemplate.spec.template. */
function podTemplate(record: Record<string, unknown>): Record<string, unknown> | undefined {
  const spec = asRecord(record.spec);
  if (record.kind === "CronJob") return asRecord(asRecord(asRecord(spec?.jobTemplate)?.spec)?.template);
  return asRecord(spec?.template);
}

/** A `*List` object with `items`: what flattenKubeObjects replaces with its items. */
function isListRecord(record: Record<string, unknown> | null | undefined): record is Record<string, unknown> {
  const kind = record?.kind;
  return typeof kind === "string" && kind.endsWith("List") && Array.isArray(record?.items);
}

/** Whether a top-level value is one flattenKubeObjects would replace with its items. */
function isList(value: unknown): boolean {
  return Array.isArray(value) || isListRecord(asRecord(value));
}

/** Sorts objects (lists flattened) into Namespaces, policies by kind, and pods; other kinds are dropped. */
export function sortKubeObjects(objects: readonly unknown[]): SortedObjects {
  const sorted: SortedObjects = { namespaces: [], policies: [], pods: [] };
  // What the manifest reader gives is flat already: walked as it is rather than copied into a new list.
  let flat = true;
  for (let index = 0; index < objects.length && flat; index += 1) flat = !isList(objects[index]);
  const items = flat ? objects : flattenKubeObjects(objects);
  for (let index = 0; index < items.length; index += 1) {
    const object = items[index];
    const kind = classifyObject(object);
    if (kind === null) continue;
    const record = asRecord(object) as Record<string, unknown>;
    const metadata = asRecord(record.metadata);
    if (kind === "Namespace") {
      const name = readName(metadata?.name);
      if (name !== null) sorted.namespaces.push({ name, labels: readLabels(metadata?.labels) });
    } else if (kind === "Pod") {
      // A stored pod class (docs/design.md §4.5) is a Pod's metadata with the number of pods it stands for.
      const count = record.count;
      sorted.pods.push({
        namespace: readName(metadata?.namespace) ?? "default",
        labels: readLabels(metadata?.labels),
        count: typeof count === "number" && Number.isInteger(count) && count >= 0 ? count : 1,
      });
    } else if (kind === "Workload") {
      const template = podTemplate(record);
      const replicas = asRecord(record.spec)?.replicas;
      sorted.pods.push({
        namespace: readName(metadata?.namespace) ?? "default",
        labels: readLabels(asRecord(template?.metadata)?.labels),
        count: typeof replicas === "number" && Number.isInteger(replicas) && replicas >= 0 ? replicas : 1,
      });
    } else {
      sorted.policies.push({ kind, object });
    }
  }
  return sorted;
}
