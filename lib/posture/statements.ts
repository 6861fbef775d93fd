// The one shape every policy object is read into (docs/design.md §4.2 "Statements"): a subject,
// a direction, an action, peers and ports, an order where the engine has one, and a reference back
// to the object and rule it came from. Readers (read-*-policy.ts) build these; decision.ts judges them.

import type { Cidr } from "./cidr";
import type { CompiledSelector } from "./label-selectors";
import type { Direction } from "./direction";

/** No, yes, or "cannot tell": a malformed field. How "cannot tell" resolves depends on the reading. */
export const NO = 0;
export const YES = 1;
export const MAYBE = 2;
export type Tri = typeof NO | typeof YES | typeof MAYBE;

/**
 * `risk`: for checks whose good outcome is "refused" (default deny, IMDS, allow-any): what cannot be
 * read is assumed to admit as much as it could. `credit`: for checks whose good outcome is "admitted"
 * (DNS): what cannot be read is assumed to admit nothing. Either way a malformed field earns no credit.
 */
export type Reading = "risk" | "credit";

export function andTri(a: Tri, b: Tri): Tri {
  if (a === NO || b === NO) return NO;
  return a === MAYBE || b === MAYBE ? MAYBE : YES;
}

export function orTri(a: Tri, b: Tri): Tri {
  if (a === YES || b === YES) return YES;
  return a === MAYBE || b === MAYBE ? MAYBE : NO;
}

export type PolicyFamily = "kubernetes" | "cilium" | "calico" | "admin";

/** Every policy object kind of §4.3; Calico's kinds are prefixed so they do not collide with Kubernetes'. */
export const POLICY_KINDS = [
  "NetworkPolicy",
  "CiliumNetworkPolicy",
  "CiliumClusterwideNetworkPolicy",
  "CalicoNetworkPolicy",
  "CalicoGlobalNetworkPolicy",
  "AdminNetworkPolicy",
  "BaselineAdminNetworkPolicy",
  "ClusterNetworkPolicy",
] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

export const FAMILY_OF_KIND: Record<PolicyKind, PolicyFamily> = {
  NetworkPolicy: "kubernetes",
  CiliumNetworkPolicy: "cilium",
  CiliumClusterwideNetworkPolicy: "cilium",
  CalicoNetworkPolicy: "calico",
  CalicoGlobalNetworkPolicy: "calico",
  AdminNetworkPolicy: "admin",
  BaselineAdminNetworkPolicy: "admin",
  ClusterNetworkPolicy: "admin",
};

export interface ObjectRef {
  kind: PolicyKind;
  /** Null for cluster-scoped objects. */
  namespace: string | null;
  name: string;
}

export interface StatementRef extends ObjectRef {
  /** Where the rule list is: "ingress", "egressDeny", "specs[1].egress", ... ("spec" for an isolation). */
  list: string;
  /** Position in that list, from 0; -1 for an isolation, which belongs to the whole object or spec. */
  index: number;
}

/** A field that could not be read: it is reported, and it never earns credit. */
export interface PolicyProblem {
  object: ObjectRef;
  /** Path from the object root, e.g. "spec.ingress[0].from[1].ipBlock.cidr". */
  field: string;
  why: string;
}

/** Facts about a namespace that selectors may look at. */
export interface NamespaceInfo {
  name: string;
  /** The Namespace object's labels plus kubernetes.io/metadata.name (and projectcalico.org/name for Calico). */
  labels: Readonly<Record<string, string>>;
}

/** A pod as the decision sees it; `labels: null` is a stranger pod, whose labels nobody knows. */
export interface PodView {
  namespace: NamespaceInfo;
  labels: Readonly<Record<string, string>> | null;
}

export type NamespaceMatcher =
  | { kind: "names"; names: ReadonlySet<string> }
  | { kind: "all" }
  | { kind: "test"; test: (namespace: NamespaceInfo) => Tri };

/** Pods within the namespaces a matcher allows. `malformed` answers MAYBE for every pod. */
export type PodMatcher = { kind: "selector"; selector: CompiledSelector; lookup: PodLookupKind } | { kind: "malformed" };

/** How a selector's keys map to pod and namespace labels, per family. */
export type PodLookupKind = "kubernetes" | "cilium" | "calico";

export interface Subject {
  namespaces: NamespaceMatcher;
  pods: PodMatcher;
}

export type Protocol = "TCP" | "UDP" | "SCTP";
export const PROTOCOLS: readonly Protocol[] = ["TCP", "UDP", "SCTP"];

/** The stranger port (§4.2): TCP on a port no rule names. */
export const STRANGER_PORT = Symbol("stranger port");
export type PortQuery = number | string | typeof STRANGER_PORT;

export type PortEntry =
  | { protocols: ReadonlySet<Protocol>; kind: "all" }
  | { protocols: ReadonlySet<Protocol>; kind: "range"; from: number; to: number }
  | { protocols: ReadonlySet<Protocol>; kind: "named"; name: string }
  | { protocols: ReadonlySet<Protocol>; kind: "malformed" };

/** Ports a rule applies to: any of `include` (null: every port of every protocol) and none of `exclude`. */
export interface PortSet {
  include: readonly PortEntry[] | null;
  exclude: readonly PortEntry[];
  /** Protocols allowed at all (Calico's protocol / notProtocol; ICMP-only rules have none). */
  protocols: ReadonlySet<Protocol>;
  /** Calico `source.ports` on the peer side: the client's port, unknown in advance. */
  uncertain: boolean;
}

/** One way a rule names its peers. */
export type PeerMatcher =
  | { kind: "everything" }
  | { kind: "unreadable" }
  | { kind: "pods"; namespaces: NamespaceMatcher; pods: PodMatcher }
  | { kind: "cidr"; cidr: Cidr; except: readonly Cidr[]; engine: "kubernetes" | "cilium" }
  | { kind: "entities"; entities: ReadonlySet<string> }
  | { kind: "fqdn"; matchesAll: boolean }
  | { kind: "service"; namespace: string; name: string }
  | {
      kind: "calico";
      nets: readonly Cidr[] | null;
      notNets: readonly Cidr[];
      /** Endpoints only: set when a selector, notSelector or namespaceSelector scopes the rule to pods. */
      endpoints: { namespaces: NamespaceMatcher; pods: PodMatcher } | null;
      notSelector: PodMatcher | null;
      /** serviceAccounts with names or a selector: pods run as a named account, which the strangers do not. */
      serviceAccounts: boolean;
      ipVersion: 4 | 6 | null;
    };

export type StatementAction = "isolate" | "allow" | "deny" | "pass" | "log" | "unreadable";

export interface Statement {
  readonly id: number;
  readonly ref: StatementRef;
  family: Exclude<PolicyFamily, "admin">;
  direction: Direction;
  action: StatementAction;
  subject: Subject;
  /** OR of matchers; empty: no peer at all. */
  peers: readonly PeerMatcher[];
  ports: PortSet;
  /** MAYBE when part of the rule cannot be read (a null rule, a malformed policyTypes). */
  certainty: Tri;
  /** Names no peer at all (allow-any class A, §4.2). */
  peerless: boolean;
  /** Where the engine orders statements (Calico): tier, policy order, policy name; null elsewhere. */
  order: { tier: string; order: number; name: string } | null;
  /** The object-level group the statement belongs to (one Calico policy, or the unordered union). */
  slot: string;
  /** Uses toFQDNs (advisory without ACNS FQDN filtering). */
  fqdn: boolean;
  /** The rule object as written, for display. */
  rule: unknown;
}

// The small fields of a statement packed into one integer (PolicyStatement.bits): each of its fields
// costs 8 bytes on every one of a large estate's hundred thousand statements, and the garbage
// collector copies every byte of them while an estate is read.
const FAMILIES: readonly Statement["family"][] = ["kubernetes", "cilium", "calico"];
const ACTIONS: readonly StatementAction[] = ["isolate", "allow", "deny", "pass", "log", "unreadable"];
const EGRESS_BIT = 1;
const PEERLESS_BIT = 2;
const FQDN_BIT = 4;
const CERTAINTY_SHIFT = 3; // 2 bits: NO, YES, MAYBE
const FAMILY_SHIFT = 5; // 2 bits
const ACTION_SHIFT = 7; // 3 bits

function packBits(family: Statement["family"], direction: Direction, action: StatementAction, certainty: Tri, peerless: boolean, fqdn: boolean): number {
  return (
    (direction === "egress" ? EGRESS_BIT : 0) |
    (peerless ? PEERLESS_BIT : 0) |
    (fqdn ? FQDN_BIT : 0) |
    (certainty << CERTAINTY_SHIFT) |
    (FAMILIES.indexOf(family) << FAMILY_SHIFT) |
    (ACTIONS.indexOf(action) << ACTION_SHIFT)
  );
}

/**
 * A statement as the readers build it. There is one per rule of every object read (a hundred thousand
 * on a large estate), so its reference is worked out when asked for rather than kept as an object,
 * and its family, direction, action, certainty and flags share one packed field.
 */
export class PolicyStatement implements Statement {
  // Declared, not initialised: class fields would define each property once more per statement.
  declare readonly id: number;
  declare private readonly object: ObjectRef;
  declare private readonly list: string;
  declare private readonly index: number;
  declare private readonly bits: number;
  declare readonly subject: Subject;
  declare readonly peers: readonly PeerMatcher[];
  declare readonly ports: PortSet;
  declare readonly order: Statement["order"];
  declare readonly slot: string;
  declare readonly rule: unknown;

  constructor(
    id: number,
    object: ObjectRef,
    list: string,
    index: number,
    family: Statement["family"],
    direction: Direction,
    action: StatementAction,
    subject: Subject,
    peers: readonly PeerMatcher[],
    ports: PortSet,
    certainty: Tri,
    peerless: boolean,
    order: Statement["order"],
    slot: string,
    fqdn: boolean,
    rule: unknown,
  ) {
    this.id = id;
    this.object = object;
    this.list = list;
    this.index = index;
    this.bits = packBits(family, direction, action, certainty, peerless, fqdn);
    this.subject = subject;
    this.peers = peers;
    this.ports = ports;
    this.order = order;
    this.slot = slot;
    this.rule = rule;
  }

  get family(): Statement["family"] {
    return FAMILIES[(this.bits >> FAMILY_SHIFT) & 3] as Statement["family"];
  }

  get direction(): Direction {
    return this.bits & EGRESS_BIT ? "egress" : "ingress";
  }

  get action(): StatementAction {
    return ACTIONS[(this.bits >> ACTION_SHIFT) & 7] as StatementAction;
  }

  get certainty(): Tri {
    return ((this.bits >> CERTAINTY_SHIFT) & 3) as Tri;
  }

  get peerless(): boolean {
    return (this.bits & PEERLESS_BIT) !== 0;
  }

  get fqdn(): boolean {
    return (this.bits & FQDN_BIT) !== 0;
  }

  get ref(): StatementRef {
    return { kind: this.object.kind, namespace: this.object.namespace, name: this.object.name, list: this.list, index: this.index };
  }
}

/** No peers at all (an isolation): one shared list. */
export const NO_PEERS: readonly PeerMatcher[] = Object.freeze([]);

/** Everything read from one policy object. */
export interface PolicyReading {
  ref: ObjectRef;
  family: PolicyFamily;
  /** Cluster-scoped objects (CCNP, GNP, admin policies) apply across namespaces. */
  scope: "namespace" | "cluster";
  statements: Statement[];
  problems: PolicyProblem[];
  /** Host-endpoint-only Calico policy, Cilium host policy: read, but no pod rule. */
  hostOnly: boolean;
  /**
   * The object as read, so callers can say where it came from (file and document). Readers write it
   * as undefined in the literal, so setting it later fills a slot the reading already has instead of
   * giving each of tens of thousands of readings a separate property store.
   */
  object?: unknown;
}
