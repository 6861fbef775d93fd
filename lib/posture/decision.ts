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
import { familyEnforced, StatementIndex, type NamespaceBuckets, type Slot } from "./statement-index";
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
  type PolicyReading,
  type PortQuery,
  type Protocol,
  type Reading,
  type Statement,
  type Tri,
} from "./statements";
import type { Direction } from "./direction";
import type { Enforcement } from "./enforcement";

export { familyEnforced };
export { ENFORCE_ALL, enforcementOf, type Enforcement } from "./enforcement";

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

interface SlotRank {
  tierIndex: number;
  slotIndex: number;
  slot: Slot;
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

/** The slots of one tier whose isolation holds a pod, with the rules that may apply to it. */
export interface PlannedSlot {
  union: boolean;
  /** The isolation that holds the pod (the statement a refusal names). */
  isolation: Statement;
  rules: Statement[];
  /** Per rule: whether its subject holds the pod (YES or MAYBE; rules that cannot hold are left out). */
  subjects: Tri[];
}

export interface PlannedTier {
  slots: PlannedSlot[];
}

export interface DecisionPlan {
  /** Cilium denies whose subject may hold the pod, with that Tri. */
  denies: Statement[];
  denySubjects: Tri[];
  /** Tiers in which some slot isolates the pod; others decide nothing for it. */
  tiers: PlannedTier[];
}

export interface PolicyModelOptions {
  enforcement: Enforcement;
  /** The cluster's pod CIDRs (networkProfile.podCidr / podCidrs), when known. */
  podCidrs: readonly Cidr[];
}

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
  private enforced: readonly Statement[] | null = null;
  private readonly namespaces: Map<string, NamespaceInfo>;
  private readonly tiers: Tier[];
  private readonly index: Record<Direction, Map<string, NamespaceIndex>> = { ingress: new Map(), egress: new Map() };
  // Views are kept per namespace and label map, so selector lookups are built once per pod class.
  private readonly unknownNamespaces = new Map<string, NamespaceInfo>();
  private readonly strangerViews = new Map<string, PodView>();
  private readonly labelledViews = new WeakMap<object, Map<string, PodView>>();
  private readonly plans: Record<Reading, Record<Direction, Map<PodView, DecisionPlan>>> = {
    risk: { ingress: new Map(), egress: new Map() },
    credit: { ingress: new Map(), egress: new Map() },
  };
  private readonly slotRank = new Map<string, SlotRank>();
  private readonly unionRank: SlotRank;
  private readonly strangerIndex: Record<Direction, Map<string, NamespaceIndex>> = { ingress: new Map(), egress: new Map() };
  /** The statements that may hold a stranger pod, bucketed by namespace, and the slots (statement-index.ts). */
  private readonly filed: StatementIndex;
  /** Every enforced statement bucketed by namespace, filed when first needed. */
  private everyStatement: NamespaceBuckets | null = null;

  /**
   * `index`: the readings' statements already filed as they were read (judge-cluster.ts), under the
   * same enforcement; without it they are filed here.
   */
  constructor(readings: readonly PolicyReading[], namespaces: Iterable<NamespaceInfo>, options: PolicyModelOptions, index?: StatementIndex) {
    this.readings = readings;
    this.enforcement = options.enforcement;
    this.podCidrs = options.podCidrs;
    this.namespaces = new Map([...namespaces].map((namespace) => [namespace.name, namespace]));
    let filed = index;
    if (!filed || filed.enforcement !== options.enforcement) {
      filed = new StatementIndex(options.enforcement);
      for (let readingIndex = 0; readingIndex < readings.length; readingIndex += 1) filed.add(readings[readingIndex] as PolicyReading);
    }
    this.filed = filed;
    const slots = filed.slots;
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
    this.unionRank = this.slotRank.get("union") as SlotRank;
  }

  /** Enforced statements only, in reading order (worked out when first asked for: judging a cluster does not need them). */
  get statements(): readonly Statement[] {
    if (this.enforced === null) {
      const statements: Statement[] = [];
      for (const reading of this.readings) if (familyEnforced(this.enforcement, reading.family)) for (const statement of reading.statements) statements.push(statement);
      this.enforced = statements;
    }
    return this.enforced;
  }

  /** The Namespace objects the model was built with (what a what-if model is built with again). */
  knownNamespaces(): NamespaceInfo[] {
    return [...this.namespaces.values()];
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
  /**
   * `strangers`: only the statements that may hold the namespace's stranger pod (StatementIndex), which
   * is all that the stranger pod's decisions read; every other statement's subject refuses it.
   */
  private namespaceIndex(namespace: string, direction: Direction, strangers = false): NamespaceIndex {
    // Named loads (not this.index[direction]): a key that varies makes every such load a slow generic one.
    const cache = strangers ? this.strangerIndex : this.index;
    const indexes = direction === "ingress" ? cache.ingress : cache.egress;
    const cached = indexes.get(namespace);
    if (cached) return cached;
    const info = this.namespaceInfo(namespace);
    const buckets = strangers ? this.filed.strangers : (this.everyStatement ??= StatementIndex.everyStatement(this.readings, this.enforcement));
    const byNamespace = buckets.byNamespace;
    const wide = buckets.wide;
    const own = (direction === "ingress" ? byNamespace.ingress : byNamespace.egress).get(namespace) ?? NO_STATEMENTS;
    let candidates = own;
    for (let index = 0; index < wide.length; index += 1) {
      const statement = wide[index] as Statement;
      if (statement.direction !== direction || namespaceTest(statement.subject.namespaces, info) === NO) continue;
      if (candidates === own) candidates = own.slice();
      candidates.push(statement);
    }
    // Buckets fill in reading order, which is id order unless a replaced object moved or wide statements mix in.
    if (!(candidates === own && this.filed.idsAscending) && !isSortedById(candidates)) candidates = candidates.slice().sort((a, b) => a.id - b.id);
    const denies: Statement[] = [];
    // A namespace meets few slots (the union and a few Calico policies): a list beats a keyed map here.
    const groups: { rank: SlotRank; isolates: Statement[]; rules: Statement[] }[] = [];
    for (let index = 0; index < candidates.length; index += 1) {
      const statement = candidates[index] as Statement;
      if (statement.family === "cilium" && statement.action === "deny") {
        denies.push(statement);
        continue;
      }
      const rank = statement.order === null ? this.unionRank : this.slotRank.get(statement.slot);
      if (!rank) continue;
      let group: (typeof groups)[number] | undefined;
      for (let at = 0; at < groups.length && !group; at += 1) if ((groups[at] as (typeof groups)[number]).rank === rank) group = groups[at];
      if (!group) {
        group = { rank, isolates: [], rules: [] };
        groups.push(group);
      }
      (statement.action === "isolate" ? group.isolates : group.rules).push(statement);
    }
    const present = groups.filter((entry) => entry.isolates.length > 0);
    if (present.length > 1) present.sort(compareGroupRanks);
    const tiers: NamespaceIndex["tiers"] = [];
    for (const entry of present) {
      const name = this.tiers[entry.rank.tierIndex]?.name ?? DEFAULT_TIER;
      let tier = tiers[tiers.length - 1];
      if (!tier || tier.name !== name) {
        tier = { name, slots: [] };
        tiers.push(tier);
      }
      tier.slots.push({ slot: entry.rank.slot, isolates: fitted(entry.isolates), rules: fitted(entry.rules) });
    }
    const built: NamespaceIndex = { denies: fitted(denies), tiers, statements: candidates };
    indexes.set(namespace, built);
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
    const peers = statement.peers;
    let result: Tri = NO;
    if (peer.kind === "outside") {
      // The outside stranger avoids every listed CIDR; CIDRs of one rule admit it together when they
      // cover the family. Most rules list one block: the list is made only for two or more.
      let first: Cidr | null = null;
      let blocks: Cidr[] | null = null;
      for (let index = 0; index < peers.length; index += 1) {
        const matcher = peers[index] as PeerMatcher;
        if (matcher.kind !== "cidr" || matcher.cidr.family !== peer.family || exceptsCover(matcher.except, matcher.cidr)) continue;
        if (first === null) first = matcher.cidr;
        else (blocks ??= [first]).push(matcher.cidr);
      }
      if (first !== null && (blocks === null ? first.prefix === 0 : cidrsCoverFamily(blocks, peer.family))) return YES;
    }
    for (let index = 0; index < peers.length; index += 1) {
      result = orTri(result, this.peerMatcherHolds(peers[index] as PeerMatcher, peer));
      if (result === YES) return YES;
    }
    return result;
  }

  /** Whether one peer matcher of a rule holds `peer` (the outside stranger's CIDR cover aside: see peersMatch). */
  peerMatcherHolds(matcher: PeerMatcher, peer: Peer): Tri {
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
   * What can decide for one pod in one direction (cached per pod view): the denies and the rules whose
   * subject may hold it, and the slots whose isolation holds it, in judging order. Pods with equal
   * plans are judged alike whatever the peer, port or protocol (reachability groups them so).
   */
  plan(pod: PodRef, direction: Direction, reading: Reading): DecisionPlan {
    return this.planFor(this.podView(pod), direction, reading);
  }

  private planFor(view: PodView, direction: Direction, reading: Reading): DecisionPlan {
    const plans = reading === "risk" ? this.plans.risk : this.plans.credit;
    const cache = direction === "ingress" ? plans.ingress : plans.egress;
    const cached = cache.get(view);
    if (cached) return cached;
    const index = this.namespaceIndex(view.namespace.name, direction, view.labels === null);
    // Indexed loops: a plan is made for every pod view and direction, mostly before the optimiser
    // steps in, and an iterator is then an object per step.
    const denies: Statement[] = [];
    const denySubjects: Tri[] = [];
    for (let at = 0; at < index.denies.length; at += 1) {
      const deny = index.denies[at] as Statement;
      const subject = this.subjectAndCertainty(deny, view);
      if (subject === NO) continue;
      denies.push(deny);
      denySubjects.push(subject);
    }
    const tiers: PlannedTier[] = [];
    for (let tierIndex = 0; tierIndex < index.tiers.length; tierIndex += 1) {
      const tier = index.tiers[tierIndex] as NamespaceIndex["tiers"][number];
      const slots: PlannedSlot[] = [];
      for (let slotIndex = 0; slotIndex < tier.slots.length; slotIndex += 1) {
        const entry = tier.slots[slotIndex] as NamespaceIndex["tiers"][number]["slots"][number];
        let isolation: Statement | null = null;
        for (let at = 0; at < entry.isolates.length; at += 1) {
          const statement = entry.isolates[at] as Statement;
          if (holds(statement, this.subjectAndCertainty(statement, view), reading)) {
            isolation = statement;
            break;
          }
        }
        if (!isolation) continue;
        const rules: Statement[] = [];
        const subjects: Tri[] = [];
        for (let at = 0; at < entry.rules.length; at += 1) {
          const rule = entry.rules[at] as Statement;
          // Calico Log rules decide nothing; in the union only allows admit.
          if (rule.action === "log" || (entry.slot.kind === "union" && rule.action !== "allow")) continue;
          const subject = this.subjectAndCertainty(rule, view);
          if (subject === NO) continue;
          rules.push(rule);
          subjects.push(subject);
        }
        slots.push({ union: entry.slot.kind === "union", isolation, rules: fitted(rules), subjects: fitted(subjects) });
      }
      if (slots.length > 0) tiers.push({ slots });
    }
    const plan: DecisionPlan = { denies: fitted(denies), denySubjects: fitted(denySubjects), tiers };
    cache.set(view, plan);
    return plan;
  }

  /** Whether one statement of a plan matches the traffic, from the subject part the plan worked out. */
  private matchesPlanned(statement: Statement, subject: Tri, peer: Peer, protocol: Protocol, port: PortQuery): Tri {
    const result = andTri(subject, portSetCovers(statement.ports, protocol, port));
    if (result === NO) return NO;
    return andTri(result, this.peersMatch(statement, peer));
  }

  /**
   * Whether the engine admits the traffic at `pod` in `direction`. `reading` resolves what cannot be
   * read: "risk" assumes it admits, "credit" that it does not (§4.2).
   */
  decide(pod: PodRef, direction: Direction, peer: Peer, protocol: Protocol, port: PortQuery, reading: Reading): Decision {
    return this.decidePlanned(this.planFor(this.podView(pod), direction, reading), peer, protocol, port, reading);
  }

  /** The decision for any pod with this plan. Plain loops, no closures: this runs for every class, peer and port. */
  decidePlanned(plan: DecisionPlan, peer: Peer, protocol: Protocol, port: PortQuery, reading: Reading): Decision {
    for (let index = 0; index < plan.denies.length; index += 1) {
      const deny = plan.denies[index] as Statement;
      if (holds(deny, this.matchesPlanned(deny, plan.denySubjects[index] as Tri, peer, protocol, port), reading)) return { admitted: false, statement: deny, reason: "deny" };
    }
    for (let tierIndex = 0; tierIndex < plan.tiers.length; tierIndex += 1) {
      const tier = plan.tiers[tierIndex] as PlannedTier;
      let passed = false;
      for (let slotIndex = 0; slotIndex < tier.slots.length; slotIndex += 1) {
        const slot = tier.slots[slotIndex] as PlannedSlot;
        for (let index = 0; index < slot.rules.length; index += 1) {
          const rule = slot.rules[index] as Statement;
          if (!holds(rule, this.matchesPlanned(rule, slot.subjects[index] as Tri, peer, protocol, port), reading)) continue;
          const action = rule.action === "unreadable" ? (reading === "risk" ? "allow" : "deny") : rule.action;
          if (action === "allow") return { admitted: true, statement: rule, reason: "allow" };
          if (slot.union) continue;
          if (action === "deny") return { admitted: false, statement: rule, reason: "deny" };
          passed = true;
          break;
        }
        if (passed) break;
      }
      // A tier that selected the pod and decided nothing refuses (Calico's end of tier).
      if (!passed) return { admitted: false, statement: (tier.slots[0] as PlannedSlot).isolation, reason: "isolated" };
    }
    return { admitted: true, statement: null, reason: "not-isolated" };
  }

  private subjectAndCertainty(statement: Statement, view: PodView): Tri {
    return andTri(statement.certainty, this.subjectHolds(statement, view));
  }

  /** Whether some enforced statement isolates the pod in `direction` (risk: only certain isolations count). */
  isolates(pod: PodRef, direction: Direction, reading: Reading): Statement | null {
    return this.plan(pod, direction, reading).tiers[0]?.slots[0]?.isolation ?? null;
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

const NO_STATEMENTS: Statement[] = [];

/**
 * An array built by pushing, copied to its length. A growing array reserves room for 17 entries;
 * an index and a plan of every namespace are kept with the model, and most of their lists hold one
 * or two: the room left over was most of what judging a large cluster kept alive.
 */
function fitted<T>(items: T[]): T[] {
  return items.length === 0 ? items : items.slice();
}

function compareGroupRanks(a: { rank: SlotRank }, b: { rank: SlotRank }): number {
  return a.rank.tierIndex - b.rank.tierIndex || a.rank.slotIndex - b.rank.slotIndex;
}

function isSortedById(statements: readonly Statement[]): boolean {
  for (let index = 1; index < statements.length; index += 1) if ((statements[index - 1] as Statement).id > (statements[index] as Statement).id) return false;
  return true;
}

function exceptsCover(except: readonly Cidr[], cidr: Cidr): boolean {
  for (let index = 0; index < except.length; index += 1) if (cidrContainsCidr(except[index] as Cidr, cidr)) return true;
  return false;
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
const LOOKUPS = new WeakMap<PodView, Record<PodLookupKind, LabelLookup | null>>();

export function podTest(matcher: PodMatcher, pod: PodView): Tri {
  if (matcher.kind === "malformed") return MAYBE;
  if (matcher.selector.empty) return YES;
  // A selector with entries never selects the stranger pod (§4.2); only Calico's can ask about its namespace.
  if (pod.labels === null && matcher.lookup !== "calico") return NO;
  let lookups = LOOKUPS.get(pod);
  if (!lookups) {
    lookups = { kubernetes: null, cilium: null, calico: null };
    LOOKUPS.set(pod, lookups);
  }
  // Named loads (not lookups[matcher.lookup]): a key that varies makes every such load a slow generic one.
  let lookup: LabelLookup;
  switch (matcher.lookup) {
    case "kubernetes":
      lookup = lookups.kubernetes ??= podLookup("kubernetes", pod);
      break;
    case "cilium":
      lookup = lookups.cilium ??= podLookup("cilium", pod);
      break;
    default:
      lookup = lookups.calico ??= podLookup("calico", pod);
  }
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
