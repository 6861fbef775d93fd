// Picking Namespace and NetworkPolicy objects out of untrusted Kubernetes JSON.

import { asRecord } from "./untrusted-json";

export interface PolicyObject {
  namespace: string;
  name: string;
  spec: unknown;
}

/** The name reported for a policy without `metadata.name`. */
export const UNNAMED_POLICY = "(unnamed)";

/** Lists nest only by accident; the bound keeps a hostile document from recursing forever. */
const MAX_LIST_DEPTH = 8;

/** Replaces every `kind: List` (and plain array) with its items, recursively. */
export function flattenKubeObjects(objects: readonly unknown[]): unknown[] {
  const flat: unknown[] = [];
  const visit = (items: readonly unknown[], depth: number): void => {
    for (const item of items) {
      if (depth < MAX_LIST_DEPTH && Array.isArray(item)) {
        visit(item, depth + 1);
        continue;
      }
      const record = asRecord(item);
      if (depth < MAX_LIST_DEPTH && record?.kind === "List" && Array.isArray(record.items)) {
        visit(record.items, depth + 1);
        continue;
      }
      flat.push(item);
    }
  };
  visit(objects, 0);
  return flat;
}

/** Calico's and other CRDs also call themselves NetworkPolicy; only the Kubernetes API group counts. */
function isKubernetesNetworkPolicyApi(apiVersion: unknown): boolean {
  if (apiVersion === undefined || apiVersion === null) return true;
  return typeof apiVersion === "string" && (apiVersion.startsWith("networking.k8s.io/") || apiVersion === "extensions/v1beta1");
}

function isCoreApi(apiVersion: unknown): boolean {
  return apiVersion === undefined || apiVersion === null || apiVersion === "v1";
}

/** `requireKind` is false for the items of typed lists, which the API server sends without `kind`. */
function isNetworkPolicyObject(object: unknown, requireKind: boolean): boolean {
  const record = asRecord(object);
  if (!record) return false;
  if (record.kind === undefined || record.kind === null) return !requireKind;
  return record.kind === "NetworkPolicy" && isKubernetesNetworkPolicyApi(record.apiVersion);
}

function isNamespaceObject(object: unknown, requireKind: boolean): boolean {
  const record = asRecord(object);
  if (!record) return false;
  if (record.kind === undefined || record.kind === null) return !requireKind;
  return record.kind === "Namespace" && isCoreApi(record.apiVersion);
}

/** Names YAML turned into numbers (`namespace: 2024`) are still names. */
function readName(value: unknown): string | null {
  if (typeof value === "string") return value === "" ? null : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

function readNamespaceName(object: unknown): string | null {
  return readName(asRecord(asRecord(object)?.metadata)?.name);
}

function readPolicyObject(object: unknown): PolicyObject {
  const record = asRecord(object) ?? {};
  const metadata = asRecord(record.metadata);
  return {
    // kubectl puts a policy without a namespace in `default`.
    namespace: readName(metadata?.namespace) ?? "default",
    name: readName(metadata?.name) ?? UNNAMED_POLICY,
    spec: record.spec,
  };
}

/** Later objects with the same namespace and name replace earlier ones, as `kubectl apply` would. */
export function dedupePolicies(policies: Iterable<PolicyObject>): PolicyObject[] {
  const byKey = new Map<string, PolicyObject>();
  let unnamed = 0;
  for (const policy of policies) {
    const key = policy.name === UNNAMED_POLICY ? `\u0000${(unnamed += 1)}` : `${policy.namespace}\u0000${policy.name}`;
    byKey.set(key, policy);
  }
  return [...byKey.values()];
}

export interface KubeObjects {
  namespaceNames: string[];
  policies: PolicyObject[];
}

/**
 * Sorts objects (Lists flattened) into namespace names and policies; other kinds are dropped.
 * `kindless` says what an object without `kind` is: the items of a typed list come without it.
 */
export function collectKubeObjects(
  objects: readonly unknown[],
  kindless: "Namespace" | "NetworkPolicy" | null,
  into: KubeObjects = { namespaceNames: [], policies: [] },
): KubeObjects {
  for (const object of flattenKubeObjects(objects)) {
    if (isNetworkPolicyObject(object, kindless !== "NetworkPolicy")) {
      into.policies.push(readPolicyObject(object));
    } else if (isNamespaceObject(object, kindless !== "Namespace")) {
      const name = readNamespaceName(object);
      if (name !== null) into.namespaceNames.push(name);
    }
  }
  return into;
}
