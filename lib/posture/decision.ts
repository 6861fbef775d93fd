// The decision of docs/design.md §4.2, built once per cluster: decide(pod, direction, peer, protocol,
// port, reading) says whether the engine admits that traffic at that pod.
//
// Order of judgement, generalising the three engines into one walk:
//   1. Cilium denies (ingressDeny / egressDeny) win whenever they match.
//   2. Tiers in order (Calico's tiers; every other engine has only the default tier). Within a tier,
//      policies by order then name; a Calico policy that selects the pod decides with its first
//      matching Allow or Deny, and Pass jumps to the next tier. Kubernetes NetworkPolicies and Cilium
//      allows form one unordered group at order 1000 of the default tier: any matching allow admits.
//      A tier in which some policy selected the pod but nothing decided refuses (end of tier).
//   3. A pod nothing selected in that direction is admitted.
// Statements are indexed per namespace and direction, so a query for one namespace never scans the
// statements of others (issue 13 asks class × class over thousands of objects).

import { cidrContainsAddress, cidrContainsCidr, cidrsCoverFamily, cidrsOverlap, type Cidr, type IpAddress, type IpFamily } from "./cidr";
import { CALICO_NAMESPACE_NAME_LABEL, calicoNamespaceLookup, DEFAULT_TIER } from "./read-calico-policy";
import { CILIUM_SERVICE_ACCOUNT_KEY } from "./read-cilium-policy";
import { UNKNOWN_LABEL, type LabelLookup } from "./label-selectors";
import { labelOf, portSetCovers } from "./policy-reader-kit";
import {
  andTri,
  MAYBE,
  NO,
  orTri,
  YES,
  type NamespaceInfo,
  type NamespaceMatcher,
  type PeerMatcher,
  type PodLookupKind,
  type PodMatcher,
  type PodView,
  type PolicyFamily,
  type PolicyReading,
  type PortQuery,
  type Protocol,
  type Reading,
  type Statement,
  type Tri,
} from "./statements";
import type { Direction } from "./types";

/** Which families the cluster's engine enforces (§4.3). */
export interface Enforcement {
  kubernetes: boolean;
  cilium: boolean;
  calico: boolean;
}

/** Every kind judged as if enforced: `bulkhead analyze` without --engine. */
export const ENFORCE_ALL: Enforcement = Object.freeze({ kubernetes: true, cilium: true, calico: true });

/**
 * The families an engine enforces. Without an engine nothing is enforced, but the Kubernetes
 * NetworkPolicies are still judged as written for the "judged on the objects" columns (§4.4).
 */
export function enforcementOf(engine: string): Enforcement {
  switch (engine) {
    case "cilium":
      return { kubernetes: true, cilium: true, calico: false };
    case "calico":
      return { kubernetes: true, calico: true, cilium: false };
    default:
      return { kubernetes: true, cilium: false, calico: false };
  }
}

export function familyEnforced(enforcement: Enforcement, family: PolicyFamily): boolean {
  return family !== "admin" && enforcement[family];
}

/** A pod to ask about; `labels: null` is the stranger pod of its namespace (§4.2). */
export interface PodRef {
  namespace: string;
  labels: Readonly<Record<string, string>> | null;
}

export type Peer = { kind: "pod"; pod: PodRef } | { kind: "address"; address: IpAddress } | { kind: "outside"; family: IpFamily };

export interface Decision {
  admitted: boolean;
  /** The statement that decided: the matching deny or allow, or the isolation that refused. Null: not isolated. */
  statement: Statement | null;
  reason: "deny" | "allow" | "isolated" | "not-isolated";
}

interface Slot {
  key: string;
  kind: "union" | "ordered";
  order: number;
  name: string;
  statements: Statement[];
}

interface Tier {
  name: string;
  slots: Slot[];
}

/** The statements that can apply to one namespace in one direction, in judging order. */
interface NamespaceIndex {
  /** Every candidate statement, in reading order. */
  statements: Statement[];
  denies: Statement[];
  tiers: { name: string; slots: { slot: Slot; isolates: Statement[]; rules: Statement[] }[] }[];
}

export interface PolicyModelOptions {
  enforcement: Enforcement;
  /** The cluster's pod CIDRs (networkProfile.podCidr / podCidrs), when known. */
  podCidrs: readonly Cidr[];
}

const UNION_ORDER = 1000;
// Calico names a Kubernetes NetworkPolicy knp.default.<name> and sorts same-order policies by name.
const UNION_NAME = "knp.default.";

function compareSlots(a: Slot, b: Slot): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function kleene(result: boolean | null): Tri {
  return result === true ? YES : NO;
}

export class PolicyModel {
  readonly readings: readonly PolicyReading[];
  readonly enforcement: Enforcement;
  readonly podCidrs: readonly Cidr[];
  /** Enforced statements only. */
  readonly statements: readonly Statement[];
  private readonly namespaces: Map<string, NamespaceInfo>;
  private readonly denies: Statement[] = [];
  private readonly tiers: Tier[];
  private readonly index: Record<Direction, Map<string, NamespaceIndex>> = { ingress: new Map(), egress: new Map() };
  // Views are kept per namespace and label map, so selector lookups are built once per pod class.
  private readonly unknownNamespaces = new Map<string, NamespaceInfo>();
  private readonly strangerViews = new Map<string, PodView>();
  private readonly labelledViews = new WeakMap<object, Map<string, PodView>>();
  private readonly slotRank = new Map<string, { tierIndex: number; slotIndex: number; slot: Slot }>();
  private readonly byNamespace = new Map<string, Statement[]>();
  private readonly wide: Statement[] = [];

  constructor(readings: readonly PolicyReading[], namespaces: Iterable<NamespaceInfo>, options: PolicyModelOptions) {
    this.readings = readings;
    this.enforcement = options.enforcement;
    this.podCidrs = options.podCidrs;
    this.namespaces = new Map([...namespaces].map((namespace) => [namespace.name, namespace]));
    const statements: Statement[] = [];
    const slots = new Map<string, { tier: string; slot: Slot }>();
    const union: Slot = { key: "union", kind: "union", order: UNION_ORDER, name: UNION_NAME, statements: [] };
    slots.set("union", { tier: DEFAULT_TIER, slot: union });
    for (const reading of readings) {
      if (!familyEnforced(this.enforcement, reading.family)) continue;
      for (const statement of reading.statements) {
        statements.push(statement);
        if (statement.family === "cilium" && statement.action === "deny") {
          this.denies.push(statement);
        } else if (statement.order === null) {
          union.statements.push(statement);
        } else {
          let entry = slots.get(statement.slot);
          if (!entry) {
            entry = { tier: statement.order.tier, slot: { key: statement.slot, kind: "ordered", order: statement.order.order, name: statement.order.name, statements: [] } };
            slots.set(statement.slot, entry);
          }
          entry.slot.statements.push(statement);
        }
      }
    }
    this.statements = statements;
    const tiers = new Map<string, Slot[]>();
    for (const { tier, slot } of slots.values()) {
      const list = tiers.get(tier);
      if (list) list.push(slot);
      else tiers.set(tier, [slot]);
    }
    // Tier objects are not read: named tiers come before the default tier, alphabetically (docs/rules-v2.md).
    const names = [...tiers.keys()].filter((name) => name !== DEFAULT_TIER).sort();
    names.push(DEFAULT_TIER);
    this.tiers = names.map((name) => ({ name, slots: (tiers.get(name) ?? []).sort(compareSlots) }));
    this.tiers.forEach((tier, tierIndex) => tier.slots.forEach((slot, slotIndex) => this.slotRank.set(slot.key, { tierIndex, slotIndex, slot })));
    // Statements bucketed by the namespaces their subject names, so one namespace's query reads only its own.
    for (const statement of statements) {
      const matcher = statement.subject.namespaces;
      if (matcher.kind === "names") {
        for (const name of matcher.names) {
          const bucket = this.byNamespace.get(name);
          if (bucket) bucket.push(statement);
          else this.byNamespace.set(name, [statement]);
        }
      } else {
        this.wide.push(statement);
      }
    }
  }

  /** The namespace's labels as selectors see them; unknown namespaces carry only their name label. */
  namespaceInfo(name: string): NamespaceInfo {
    const known = this.namespaces.get(name);
    if (known) return known;
    let unknown = this.unknownNamespaces.get(name);
    if (!unknown) {
      unknown = { name, labels: { "kubernetes.io/metadata.name": name } };
      this.unknownNamespaces.set(name, unknown);
    }
    return unknown;
  }

  /** The view of a pod; the same object for the same namespace and label map (or stranger). */
  podView(pod: PodRef): PodView {
    let views: Map<string, PodView> | undefined;
    if (pod.labels === null) {
      views = this.strangerViews;
    } else {
      views = this.labelledViews.get(pod.labels);
      if (!views) {
        views = new Map();
        this.labelledViews.set(pod.labels, views);
      }
    }
    let view = views.get(pod.namespace);
    if (!view) {
      view = { namespace: this.namespaceInfo(pod.namespace), labels: pod.labels };
      views.set(pod.namespace, view);
    }
    return view;
  }

  /** Statements that may apply to pods of `namespace` in `direction`, in judging order (cached). */
  private namespaceIndex(namespace: string, direction: Direction): NamespaceIndex {
    const cached = this.index[direction].get(namespace);
    if (cached) return cached;
    const info = this.namespaceInfo(namespace);
    const candidates = (this.byNamespace.get(namespace) ?? []).filter((statement) => statement.direction === direction);
    for (const statement of this.wide) {
      if (statement.direction === direction && namespaceTest(statement.subject.namespaces, info) !== NO) candidates.push(statement);
    }
    candidates.sort((a, b) => a.id - b.id);
    const denies: Statement[] = [];
    const bySlot = new Map<string, { rank: { tierIndex: number; slotIndex: number; slot: Slot }; isolates: Statement[]; rules: Statement[] }>();
    for (const statement of candidates) {
      if (statement.family === "cilium" && statement.action === "deny") {
        denies.push(statement);
        continue;
      }
      const slotKey = statement.order === null ? "union" : statement.slot;
      let entry = bySlot.get(slotKey);
      if (!entry) {
        const rank = this.slotRank.get(slotKey);
        if (!rank) continue;
        entry = { rank, isolates: [], rules: [] };
        bySlot.set(slotKey, entry);
      }
      (statement.action === "isolate" ? entry.isolates : entry.rules).push(statement);
    }
    const present = [...bySlot.values()].filter((entry) => entry.isolates.length > 0).sort((a, b) => a.rank.tierIndex - b.rank.tierIndex || a.rank.slotIndex - b.rank.slotIndex);
    const tiers: NamespaceIndex["tiers"] = [];
    for (const entry of present) {
      const name = this.tiers[entry.rank.tierIndex]?.name ?? DEFAULT_TIER;
      let tier = tiers[tiers.length - 1];
      if (!tier || tier.name !== name) {
        tier = { name, slots: [] };
        tiers.push(tier);
      }
      tier.slots.push({ slot: entry.rank.slot, isolates: entry.isolates, rules: entry.rules });
    }
    const built: NamespaceIndex = { denies, tiers, statements: candidates };
    this.index[direction].set(namespace, built);
    return built;
  }

  /** Every enforced statement whose subject may include the namespace, in one direction. */
  statementsFor(namespace: string, direction: Direction): readonly Statement[] {
    return this.namespaceIndex(namespace, direction).statements;
  }

  /** Whether the statement's subject holds the pod: YES, NO or MAYBE (a malformed selector). */
  subjectHolds(statement: Statement, pod: PodView): Tri {
    return andTri(namespaceTest(statement.subject.namespaces, pod.namespace), podTest(statement.subject.pods, pod));
  }

  /** Whether one statement matches the traffic, before the reading resolves MAYBE. */
  matches(statement: Statement, pod: PodView, peer: Peer, protocol: Protocol, port: PortQuery): Tri {
    let result = andTri(statement.certainty, this.subjectHolds(statement, pod));
    if (result === NO || statement.action === "isolate") return result;
    result = andTri(result, portSetCovers(statement.ports, protocol, port));
    if (result === NO) return NO;
    return andTri(result, this.peersMatch(statement, peer));
  }

  /** Whether the statement's peers hold `peer` (ports and subject aside). */
  peersMatch(statement: Statement, peer: Peer): Tri {
    let result: Tri = NO;
    if (peer.kind === "outside") {
      // The outside stranger avoids every listed CIDR; CIDRs of one rule admit it together when they cover the family.
      const blocks: Cidr[] = [];
      for (const matcher of statement.peers) {
        if (matcher.kind === "cidr" && !matcher.except.some((except) => cidrContainsCidr(except, matcher.cidr))) blocks.push(matcher.cidr);
      }
      if (cidrsCoverFamily(blocks, peer.family)) return YES;
    }
    for (const matcher of statement.peers) {
      result = orTri(result, this.peerMatcherHolds(matcher, peer));
      if (result === YES) return YES;
    }
    return result;
  }

  private peerMatcherHolds(matcher: PeerMatcher, peer: Peer): Tri {
    switch (matcher.kind) {
      case "everything":
        return YES;
      case "unreadable":
        return MAYBE;
      case "pods":
        if (peer.kind !== "pod") return NO;
        return andTri(namespaceTest(matcher.namespaces, this.namespaceInfo(peer.pod.namespace)), podTest(matcher.pods, this.podView(peer.pod)));
      case "cidr":
        // Under Cilium no CIDR selects pods, whether a Kubernetes ipBlock or a Cilium toCIDR (AKS: NPM to Cilium migration).
        if (peer.kind === "pod") return this.cidrAdmitsPods(matcher.cidr, matcher.except, this.enforcement.cilium);
        if (peer.kind === "address") return cidrContainsAddress(matcher.cidr, peer.address) && !matcher.except.some((except) => cidrContainsAddress(except, peer.address)) ? YES : NO;
        return NO; // the outside stranger: handled for the whole rule in peersMatch
      case "entities":
        return entitiesHold(matcher.entities, peer);
      case "fqdn":
        // Cilium allows only addresses its DNS proxy saw resolved: pods and IMDS are never among them.
        return peer.kind === "outside" && matcher.matchesAll ? YES : NO;
      case "service":
        return peer.kind === "pod" && matcher.namespace === "kube-system" && matcher.name === "kube-dns" && isKubeDnsPod(peer.pod) ? YES : NO;
      case "calico":
        return this.calicoHolds(matcher, peer);
    }
  }

  /** A CIDR admits in-cluster pods only when it is a /0 or holds the pod CIDR (§4.2). */
  private cidrAdmitsPods(cidr: Cidr, except: readonly Cidr[], cilium: boolean): Tri {
    let admits: Tri;
    if (cidr.prefix === 0) admits = YES;
    else admits = this.podCidrs.some((pods) => cidrContainsCidr(cidr, pods)) ? YES : NO;
    if (admits === NO) return NO;
    if (except.length > 0) {
      if (this.podCidrs.length === 0) admits = MAYBE;
      else if (this.podCidrs.every((pods) => except.some((excluded) => cidrContainsCidr(excluded, pods)))) return NO;
      else if (this.podCidrs.some((pods) => except.some((excluded) => cidrsOverlap(excluded, pods)))) admits = MAYBE;
    }
    // Cilium gives pods their own identities, which CIDR selectors do not select: credit it never, risk it always.
    return cilium ? MAYBE : admits;
  }

  private calicoHolds(matcher: Extract<PeerMatcher, { kind: "calico" }>, peer: Peer): Tri {
    if (peer.kind === "pod") {
      let result: Tri = YES;
      if (matcher.serviceAccounts) return NO;
      if (matcher.endpoints) {
        result = andTri(namespaceTest(matcher.endpoints.namespaces, this.namespaceInfo(peer.pod.namespace)), podTest(matcher.endpoints.pods, this.podView(peer.pod)));
        if (result === NO) return NO;
      }
      if (matcher.notSelector && podTest(matcher.notSelector, this.podView(peer.pod)) === YES) return NO;
      // A pod's address family is not known: an IP-version rule may or may not apply to it.
      if (matcher.ipVersion !== null) result = andTri(result, MAYBE);
      if (matcher.nets !== null) {
        let nets: Tri = NO;
        for (const net of matcher.nets) nets = orTri(nets, this.cidrAdmitsPods(net, [], false));
        result = andTri(result, nets);
      }
      if (matcher.notNets.length > 0) {
        const excluded = matcher.notNets.some((net) => net.prefix === 0 || this.podCidrs.some((pods) => cidrContainsCidr(net, pods)));
        if (excluded) return NO;
        if (this.podCidrs.length === 0 || matcher.notNets.some((net) => this.podCidrs.some((pods) => cidrsOverlap(net, pods)))) result = andTri(result, MAYBE);
      }
      return result;
    }
    const family = peer.kind === "outside" ? peer.family : peer.address.family;
    if (matcher.ipVersion !== null && matcher.ipVersion !== family) return NO;
    if (matcher.endpoints || matcher.serviceAccounts) return NO;
    if (peer.kind === "address") {
      if (matcher.nets !== null && !matcher.nets.some((net) => cidrContainsAddress(net, peer.address))) return NO;
      return matcher.notNets.some((net) => cidrContainsAddress(net, peer.address)) ? NO : YES;
    }
    if (matcher.nets !== null && !cidrsCoverFamily(matcher.nets, family)) return NO;
    return matcher.notNets.some((net) => net.family === family && net.prefix === 0) ? NO : YES;
  }

  /**
   * Whether the engine admits the traffic at `pod` in `direction`. `reading` resolves what cannot be
   * read: "risk" assumes it admits, "credit" that it does not (§4.2).
   */
  decide(pod: PodRef, direction: Direction, peer: Peer, protocol: Protocol, port: PortQuery, reading: Reading): Decision {
    const view = this.podView(pod);
    const index = this.namespaceIndex(pod.namespace, direction);
    // Plain loops, no closures: this runs for every class, peer and port of a cluster.
    for (const deny of index.denies) {
      if (holds(deny, this.matches(deny, view, peer, protocol, port), reading)) return { admitted: false, statement: deny, reason: "deny" };
    }
    for (const tier of index.tiers) {
      let isolatedBy: Statement | null = null;
      let passed = false;
      for (const entry of tier.slots) {
        let isolation: Statement | null = null;
        for (const statement of entry.isolates) {
          if (holds(statement, this.subjectAndCertainty(statement, view), reading)) {
            isolation = statement;
            break;
          }
        }
        if (!isolation) continue;
        isolatedBy ??= isolation;
        if (entry.slot.kind === "union") {
          for (const statement of entry.rules) {
            if (statement.action === "allow" && holds(statement, this.matches(statement, view, peer, protocol, port), reading)) return { admitted: true, statement, reason: "allow" };
          }
          continue;
        }
        for (const rule of entry.rules) {
          if (rule.action === "log") continue;
          if (!holds(rule, this.matches(rule, view, peer, protocol, port), reading)) continue;
          const action = rule.action === "unreadable" ? (reading === "risk" ? "allow" : "deny") : rule.action;
          if (action === "allow") return { admitted: true, statement: rule, reason: "allow" };
          if (action === "deny") return { admitted: false, statement: rule, reason: "deny" };
          passed = true;
          break;
        }
        if (passed) break;
      }
      if (!passed && isolatedBy) return { admitted: false, statement: isolatedBy, reason: "isolated" };
    }
    return { admitted: true, statement: null, reason: "not-isolated" };
  }

  private subjectAndCertainty(statement: Statement, view: PodView): Tri {
    return andTri(statement.certainty, this.subjectHolds(statement, view));
  }

  /** Whether some enforced statement isolates the pod in `direction` (risk: only certain isolations count). */
  isolates(pod: PodRef, direction: Direction, reading: Reading): Statement | null {
    const view = this.podView(pod);
    for (const tier of this.namespaceIndex(pod.namespace, direction).tiers) {
      for (const entry of tier.slots) {
        const isolation = entry.isolates.find((statement) => {
          const tri = this.subjectAndCertainty(statement, view);
          return tri === YES || (tri === MAYBE && reading === "credit");
        });
        if (isolation) return isolation;
      }
    }
    return null;
  }

  /** The enforced deny statements and ordered rules that may apply in a namespace, for NP-05's "a deny that covers all its pods". */
  deniesFor(namespace: string, direction: Direction): Statement[] {
    const index = this.namespaceIndex(namespace, direction);
    const denies = [...index.denies];
    for (const tier of index.tiers) for (const entry of tier.slots) for (const rule of entry.rules) if (rule.action === "deny") denies.push(rule);
    return denies;
  }

  /** Judging position of an ordered statement: tier, slot, rule; null for unordered ones. */
  position(statement: Statement): [number, number, number] | null {
    if (statement.order === null) return null;
    const rank = this.slotRank.get(statement.slot);
    return rank ? [rank.tierIndex, rank.slotIndex, statement.ref.index] : null;
  }

  /** Position of the union group (Kubernetes NetworkPolicies, Cilium allows) in the default tier. */
  unionPosition(): [number, number, number] {
    const rank = this.slotRank.get("union");
    return [rank?.tierIndex ?? this.tiers.length - 1, rank?.slotIndex ?? 0, 0];
  }
}

/** Whether a statement's match counts: YES always, MAYBE when reading it so is the pessimistic choice. */
function holds(statement: Statement, tri: Tri, reading: Reading): boolean {
  return tri === YES || (tri === MAYBE && widens(statement, reading));
}

/** MAYBE counts when reading it so is the pessimistic choice for the question asked. */
function widens(statement: Statement, reading: Reading): boolean {
  switch (statement.action) {
    case "allow":
    case "pass":
      return reading === "risk";
    case "unreadable":
      return true;
    default:
      return reading === "credit";
  }
}

export function namespaceTest(matcher: NamespaceMatcher, namespace: NamespaceInfo): Tri {
  switch (matcher.kind) {
    case "all":
      return YES;
    case "names":
      return matcher.names.has(namespace.name) ? YES : NO;
    case "test":
      return matcher.test(namespace);
  }
}

// Lookups are built once per pod view and family, not once per selector test.
const LOOKUPS = new WeakMap<PodView, Partial<Record<PodLookupKind, LabelLookup>>>();

export function podTest(matcher: PodMatcher, pod: PodView): Tri {
  if (matcher.kind === "malformed") return MAYBE;
  if (matcher.selector.empty) return YES;
  let lookups = LOOKUPS.get(pod);
  if (!lookups) {
    lookups = {};
    LOOKUPS.set(pod, lookups);
  }
  const lookup = (lookups[matcher.lookup] ??= podLookup(matcher.lookup, pod));
  return kleene(matcher.selector.test(lookup));
}

/** How each family's selectors see a pod: its own labels, plus what the engine derives from its namespace. */
function podLookup(kind: PodLookupKind, pod: PodView): LabelLookup {
  const labels = pod.labels;
  if (kind === "kubernetes") return (key) => ownLabel(labels, key);
  if (kind === "cilium") return (key) => (key === CILIUM_SERVICE_ACCOUNT_KEY ? UNKNOWN_LABEL : ownLabel(labels, key));
  const namespaceLabels = calicoNamespaceLookup(pod.namespace);
  return (key) => {
    if (key === "projectcalico.org/namespace") return pod.namespace.name;
    if (key === "projectcalico.org/orchestrator") return "k8s";
    if (key.startsWith("pcns.")) return namespaceLabels(key.slice(5));
    if (key === "projectcalico.org/serviceaccount" || key.startsWith("pcsa.")) return UNKNOWN_LABEL;
    return ownLabel(labels, key);
  };
}

/** A pod's own label; the stranger pod's labels are unknown. */
function ownLabel(labels: Readonly<Record<string, string>> | null, key: string): string | undefined | typeof UNKNOWN_LABEL {
  return labels === null ? UNKNOWN_LABEL : labelOf(labels, key);
}

function entitiesHold(entities: ReadonlySet<string>, peer: Peer): Tri {
  if (entities.has("all")) return YES;
  if (peer.kind === "pod") return entities.has("cluster") ? YES : NO;
  const family = peer.kind === "outside" ? peer.family : peer.address.family;
  if (entities.has("world") || entities.has(`world-ipv${family}`)) {
    if (peer.kind === "address" && isLocalDnsAddress(peer.address)) return MAYBE;
    return YES;
  }
  if (peer.kind === "address" && isLocalDnsAddress(peer.address) && entities.has("host")) return YES;
  return NO;
}

export const KUBE_DNS_LABELS: Readonly<Record<string, string>> = Object.freeze({ "k8s-app": "kube-dns" });

export function isKubeDnsPod(pod: PodRef): boolean {
  return pod.namespace === "kube-system" && pod.labels !== null && pod.labels["k8s-app"] === "kube-dns";
}

/** AKS LocalDNS listens on 169.254.10.10 (KubeDNS traffic) and 169.254.10.11 (VnetDNS traffic) on every node. */
export const LOCAL_DNS_ADDRESSES: readonly IpAddress[] = [
  { family: 4, value: (169n << 24n) | (254n << 16n) | (10n << 8n) | 10n },
  { family: 4, value: (169n << 24n) | (254n << 16n) | (10n << 8n) | 11n },
];

function isLocalDnsAddress(address: IpAddress): boolean {
  return LOCAL_DNS_ADDRESSES.some((local) => local.family === address.family && local.value === address.value);
}

export { CALICO_NAMESPACE_NAME_LABEL };
