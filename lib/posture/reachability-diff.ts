// The connections a change adds and removes (`bulkhead analyze --against`, docs/design.md §6): class
// to class, from outside the cluster to a class, and from a class to IMDS, matched between the base and
// the changed manifests by namespace and labels. Pure.

import type { PolicyModel } from "./decision";
import { labelsKey, type Reachability, type ReachClass } from "./reachability";
import { portsBetween } from "./reachability-explain";

export interface ClassIdentity {
  namespace: string;
  /** Null: the namespace's stranger pod (a new deployment). */
  labels: Readonly<Record<string, string>> | null;
}

export type ConnectionKind = "pod" | "outside" | "imds";

export interface Connection {
  kind: ConnectionKind;
  /** Null: from outside the cluster. */
  from: ClassIdentity | null;
  /** Null: to IMDS. */
  to: ClassIdentity | null;
  /** Between two namespaces (pod connections only). */
  crossNamespace: boolean;
  /** Candidate port labels on which it connects (in the version that has it). */
  ports: string[];
}

export interface ReachabilityChanges {
  added: Connection[];
  removed: Connection[];
  exposure: { base: number | null; head: number | null };
  /** The change adds reachability from outside the cluster, to IMDS, or across namespaces: `--against` exits 1. */
  addsRisk: boolean;
}

function identityKey(cls: ClassIdentity): string {
  return `${cls.namespace}\u0000${labelsKey(cls.labels)}`;
}

function connectionKey(kind: ConnectionKind, from: ClassIdentity | null, to: ClassIdentity | null): string {
  return `${kind}\u0001${from ? identityKey(from) : ""}\u0001${to ? identityKey(to) : ""}`;
}

function identity(cls: ReachClass): ClassIdentity {
  return { namespace: cls.namespace, labels: cls.labels };
}

/** Every connection of one version, keyed; ports are worked out only for those that change. */
function connectionsOf(reachability: Reachability): Map<string, { kind: ConnectionKind; from: number | null; to: number | null }> {
  const connections = new Map<string, { kind: ConnectionKind; from: number | null; to: number | null }>();
  reachability.classes.forEach((cls, from) => {
    for (const to of reachability.reachableFrom(from)) connections.set(connectionKey("pod", identity(cls), identity(reachability.classes[to] as ReachClass)), { kind: "pod", from, to });
    if (reachability.internetExposed(from)) connections.set(connectionKey("outside", null, identity(cls)), { kind: "outside", from: null, to: from });
    if (reachability.reachesImds(from)) connections.set(connectionKey("imds", identity(cls), null), { kind: "imds", from, to: null });
  });
  return connections;
}

function describe(model: PolicyModel, reachability: Reachability, entry: { kind: ConnectionKind; from: number | null; to: number | null }): Connection {
  const from = entry.from === null ? null : (reachability.classes[entry.from] as ReachClass);
  const to = entry.to === null ? null : (reachability.classes[entry.to] as ReachClass);
  let ports: string[];
  if (entry.kind === "imds") ports = ["TCP/80"];
  else if (entry.kind === "outside") ports = portsBetween(model, reachability.ports, null, to as ReachClass);
  else ports = portsBetween(model, reachability.ports, from as ReachClass, to as ReachClass);
  return {
    kind: entry.kind,
    from: from && identity(from),
    to: to && identity(to),
    crossNamespace: entry.kind === "pod" && from !== null && to !== null && from.namespace !== to.namespace,
    ports,
  };
}

/** What `head` adds to and removes from `base`, in class order of the version that has each connection. */
export function compareReachability(base: { model: PolicyModel; reachability: Reachability }, head: { model: PolicyModel; reachability: Reachability }): ReachabilityChanges {
  const before = connectionsOf(base.reachability);
  const after = connectionsOf(head.reachability);
  const added = [...after.entries()].filter(([key]) => !before.has(key)).map(([, entry]) => describe(head.model, head.reachability, entry));
  const removed = [...before.entries()].filter(([key]) => !after.has(key)).map(([, entry]) => describe(base.model, base.reachability, entry));
  return {
    added,
    removed,
    exposure: { base: base.reachability.document.exposure, head: head.reachability.document.exposure },
    addsRisk: added.some((connection) => connection.kind !== "pod" || connection.crossNamespace),
  };
}
