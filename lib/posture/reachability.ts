// Reachability and lateral exposure (docs/design.md §4.5): which pod classes reach which, on the
// protocols and ports any rule names plus the stranger port, judged by the one decision of §4.2.
// Pure: no I/O.
//
// It never tests every pair of classes against every rule:
//  1. Classes that no selector tells apart (the same statements apply to them both ways, and every
//     peer matcher holds them alike) form one atom; everything below works on atoms.
//  2. Atoms whose decision plans are equal form a subject group, judged once per direction.
//  3. Within a group, the candidate ports fall into the few classes its statements tell apart; per
//     (group, port class) the admitted peers are worked out once, as bit sets over atoms, by walking
//     the plan exactly as decide() does.
//  4. A connection needs egress and ingress on the same port: per atom pair, the interned port sets
//     of the two sides are intersected (one table lookup).
// The cost grows with classes × applicable statements, plus one cheap test per atom pair.

import { IMDS_ADDRESS } from "./cidr";
import type { DecisionPlan, Peer, PolicyModel, PodRef } from "./decision";
import { NO, YES, andTri, MAYBE, PROTOCOLS, STRANGER_PORT, type NamespaceMatcher, type PeerMatcher, type PortQuery, type PortSet, type Protocol, type Statement, type Tri } from "./statements";
import { portSetCovers } from "./policy-reader-kit";
import type { Direction } from "./direction";

/** A pod class of §4.5: a distinct (namespace, labels) of workload pods, or a namespace's stranger pod. */
export interface ReachClass {
  namespace: string;
  /** Null: the namespace's stranger pod (§4.2), a pod whose labels no selector with entries matches. */
  labels: Readonly<Record<string, string>> | null;
  /** Pods in the class: 0 for a stranger pod where pods were read, 1 where they were not. */
  count: number;
}

/** One protocol and port the reachability examines (§4.5: the ports any rule names, and the stranger port). */
export interface CandidatePort {
  protocol: Protocol;
  /** A number (the first port of a range no rule tells apart), a port name, or the stranger port. */
  port: PortQuery;
  /** "TCP/80", "TCP/8000-8079", "UDP/53", "TCP/http", "TCP/*" for the stranger port. */
  label: string;
}

/** What is stored per snapshot: compact, deterministic, JSON. Namespaces and classes are referred to by position. */
export interface ReachabilityDocument {
  /** Bumped when the shape or the meaning of a field changes. */
  version: 1;
  /** Workload namespaces, sorted by name. */
  namespaces: string[];
  /** The protocols and ports examined, as CandidatePort labels. */
  ports: string[];
  /** Workload pods (N of §4.5). */
  pods: number;
  /** Lateral exposure in percent (§4.5), one decimal; null when there are fewer than two pods. */
  exposure: number | null;
  /** Pods per namespace (by position). */
  namespacePods: number[];
  /** Per namespace (by position) its stranger pod first, then its classes by labels. */
  classes: ReachabilityDocumentClass[];
  /**
   * [from, to, pods] for every ordered pair of namespaces (positions; from may equal to) where some class
   * of `from` reaches some class of `to`, sorted: `pods` of `to` that some other pod of `from` (running,
   * or its stranger pod: a new deployment) reaches. The share is pods ÷ namespacePods[to] (namespaceShare).
   */
  namespacePairs: [number, number, number][];
  /** Classes (positions in `classes`) the outside stranger reaches on ingress. */
  internetExposed: number[];
  /** Classes that reach IMDS (169.254.169.254, TCP 80). */
  reachesImds: number[];
}

export interface ReachabilityDocumentClass {
  /** Position in `namespaces`. */
  namespace: number;
  /** Null for the namespace's stranger pod. */
  labels: Record<string, string> | null;
  count: number;
  /** R(S) of §4.5: the pods this class reaches, its own other pods included, itself not. */
  reachablePods: number;
  /** Namespaces in which it reaches at least one class. */
  namespacesReached: number;
}

/** The share (percent, one decimal) of `to`'s pods that pods of `from` reach; null when `to` has no pods or no pair. */
export function namespaceShare(document: ReachabilityDocument, from: number, to: number): number | null {
  const total = document.namespacePods[to] ?? 0;
  if (total === 0) return null;
  const pair = document.namespacePairs.find(([source, target]) => source === from && target === to);
  return round1(((pair?.[2] ?? 0) / total) * 100);
}

/** The computed reachability: the stored document, and class-level answers for the CLI and explanations. */
export interface Reachability {
  document: ReachabilityDocument;
  classes: readonly ReachClass[];
  ports: readonly CandidatePort[];
  /** Whether class `from` reaches class `to` (positions in `classes`; a class may reach itself: its other pods). */
  reaches(from: number, to: number): boolean;
  /** The classes class `from` reaches, by position. */
  reachableFrom(from: number): number[];
  /** Per namespace class `from` reaches: the pods it reaches there (itself left out). */
  namespacesReachedBy(from: number): { namespace: string; pods: number }[];
  internetExposed(cls: number): boolean;
  reachesImds(cls: number): boolean;
  /** How much the grouping saved: atoms (classes no selector tells apart) and subject groups per direction. */
  stats: { atoms: number; egressGroups: number; ingressGroups: number };
}

export const REACHABILITY_VERSION = 1;
const IMDS_PEER: Peer = { kind: "address", address: IMDS_ADDRESS };
const IMDS_PORT = 80;
const OUTSIDE_V4: Peer = { kind: "outside", family: 4 };
const OUTSIDE_V6: Peer = { kind: "outside", family: 6 };

/** Plain code-unit order, so output does not depend on the machine's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Labels with keys in code-unit order, as text: the identity of a class within its namespace. */
export function labelsKey(labels: Readonly<Record<string, string>> | null): string {
  if (labels === null) return "";
  return JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => compareText(a, b))));
}

/**
 * The pod classes of §4.5: per workload namespace (sorted) its stranger pod, then its known classes
 * (sorted by labels). With pod data the stranger pod counts 0 pods; without, each namespace is its
 * stranger pod with one pod.
 */
export function reachabilityClasses(namespaces: readonly string[], known: readonly { namespace: string; labels: Readonly<Record<string, string>>; count: number }[], hasPodData: boolean): ReachClass[] {
  const byNamespace = new Map<string, { namespace: string; labels: Readonly<Record<string, string>>; count: number }[]>();
  for (const podClass of known) {
    const list = byNamespace.get(podClass.namespace);
    if (list) list.push(podClass);
    else byNamespace.set(podClass.namespace, [podClass]);
  }
  const classes: ReachClass[] = [];
  for (const namespace of [...namespaces].sort(compareText)) {
    classes.push({ namespace, labels: null, count: hasPodData ? 0 : 1 });
    if (!hasPodData) continue;
    const own = (byNamespace.get(namespace) ?? []).map((podClass) => ({ podClass, key: labelsKey(podClass.labels) }));
    own.sort((a, b) => compareText(a.key, b.key));
    for (const { podClass } of own) classes.push({ namespace, labels: podClass.labels, count: podClass.count });
  }
  return classes;
}

/**
 * The protocols and ports to examine: per protocol, every stretch of ports that the named ranges tell
 * apart (one port stands for each), every named port, and the stranger port (TCP on a port no rule
 * names). A port no range covers behaves as the stranger port, so it needs no entry of its own.
 */
export function candidatePorts(model: PolicyModel): CandidatePort[] {
  const ranges: Record<Protocol, [number, number][]> = { TCP: [], UDP: [], SCTP: [] };
  const names: Record<Protocol, Set<string>> = { TCP: new Set(), UDP: new Set(), SCTP: new Set() };
  const seen = new Set<PortSet>();
  for (const statement of model.statements) {
    if (seen.has(statement.ports)) continue;
    seen.add(statement.ports);
    for (const entry of [...(statement.ports.include ?? []), ...statement.ports.exclude]) {
      if (entry.kind === "range") for (const protocol of entry.protocols) ranges[protocol].push([entry.from, entry.to]);
      else if (entry.kind === "named") for (const protocol of entry.protocols) names[protocol].add(entry.name);
    }
  }
  const ports: CandidatePort[] = [];
  for (const protocol of PROTOCOLS) {
    // Sweep the range ends: between two consecutive ends every port is covered by the same ranges.
    const events = new Map<number, number>();
    for (const [from, to] of ranges[protocol]) {
      events.set(from, (events.get(from) ?? 0) + 1);
      events.set(to + 1, (events.get(to + 1) ?? 0) - 1);
    }
    const points = [...events.keys()].sort((a, b) => a - b);
    let open = 0;
    for (let index = 0; index < points.length; index += 1) {
      const from = points[index] as number;
      open += events.get(from) as number;
      const next = points[index + 1];
      if (open > 0 && next !== undefined) {
        const to = next - 1;
        ports.push({ protocol, port: from, label: from === to ? `${protocol}/${from}` : `${protocol}/${from}-${to}` });
      }
    }
    for (const name of [...names[protocol]].sort(compareText)) ports.push({ protocol, port: name, label: `${protocol}/${name}` });
    if (protocol === "TCP") ports.push({ protocol, port: STRANGER_PORT, label: "TCP/*" });
  }
  return ports;
}

/** Bit sets over atoms (and, on ingress, the two outside strangers after them). */
type Bits = Uint32Array;

function newBits(words: number): Bits {
  return new Uint32Array(words);
}

function hasBit(bits: Bits, index: number): boolean {
  return ((bits[index >>> 5] as number) & (1 << (index & 31))) !== 0;
}

function setBit(bits: Bits, index: number): void {
  bits[index >>> 5] = (bits[index >>> 5] as number) | (1 << (index & 31));
}

/** Sets bits from..to-1. */
function setRange(bits: Bits, from: number, to: number): void {
  for (let index = from; index < to && (index & 31) !== 0; index += 1) setBit(bits, index);
  let index = from + ((32 - (from & 31)) & 31);
  for (; index + 32 <= to; index += 32) bits[index >>> 5] = 0xffffffff;
  for (; index < to; index += 1) setBit(bits, index);
}

/** Calls `visit` with every set bit, in order. */
function forEachBit(bits: Bits, visit: (index: number) => void): void {
  for (let word = 0; word < bits.length; word += 1) {
    let value = bits[word] as number;
    while (value !== 0) {
      const low = value & -value;
      visit(word * 32 + (31 - Math.clz32(low)));
      value ^= low;
    }
  }
}

/** Peers a statement's peers hold: YES and MAYBE (MAYBE only where no matcher says YES). */
interface PeerBits {
  yes: Bits;
  maybe: Bits;
  /** Atoms a matcher names in particular (not through one that holds every pod alike). */
  specific: Bits;
}

/** Which classes (by position) one peer matcher holds: all of them alike, or the listed ones. */
type MatcherHolds = { all: Tri } | { yes: number[]; maybe: number[] };

/** A plan's statements that can decide something, with the subject part and whether MAYBE widens (risk). */
interface PlannedStep {
  statement: Statement;
  subject: Tri;
  /** "deny" (Cilium deny), or a slot rule: "allow", "deny", "pass" (unreadable is an allow for risk). */
  action: "allow" | "deny" | "pass";
  /** Denies count only certain matches; allows and passes count "maybe" too (the risk reading). */
  widens: boolean;
  tier: number;
  union: boolean;
}

interface SubjectGroup {
  /** The interned set of candidate ports on which the group admits an atom no statement names in particular; 0: none. */
  background: number;
  /** The atoms named in particular, with their own port sets (parallel lists). */
  atoms: Int32Array;
  ids: Int32Array;
  /** The port sets of the outside stranger, IPv4 and IPv6 (meaningful on ingress). */
  outside: [number, number];
}

/**
 * Reachability of one cluster (§4.5) from its decision model and pod classes (reachabilityClasses).
 * Judged with the risk reading: what cannot be read is assumed to admit.
 */
export function computeReachability(model: PolicyModel, classes: readonly ReachClass[]): Reachability {
  const ports = candidatePorts(model);
  const portWords = Math.max(1, Math.ceil(ports.length / 32));
  const refs: PodRef[] = classes.map((cls) => ({ namespace: cls.namespace, labels: cls.labels }));

  // 1. Subject groups per direction: classes whose plans say the same.
  const groupsOf = { egress: [] as DecisionPlan[], ingress: [] as DecisionPlan[] };
  const groupOfClass = { egress: new Int32Array(classes.length), ingress: new Int32Array(classes.length) };
  for (const direction of ["egress", "ingress"] as const satisfies readonly Direction[]) {
    const byKey = new Map<string, number>();
    const byPlan = new Map<DecisionPlan, number>();
    refs.forEach((ref, index) => {
      const plan = model.plan(ref, direction, "risk");
      let group = byPlan.get(plan);
      if (group === undefined) {
        const key = planKey(plan);
        group = byKey.get(key);
        if (group === undefined) {
          group = groupsOf[direction].length;
          groupsOf[direction].push(plan);
          byKey.set(key, group);
        }
        byPlan.set(plan, group);
      }
      groupOfClass[direction][index] = group;
    });
  }

  // 2. Peer matchers of every statement that can decide, evaluated on the classes they can hold.
  const holdsOf = new Map<PeerMatcher, MatcherHolds>();
  const matcherIds = new Map<PeerMatcher, number>();
  const evaluator = new MatcherEvaluator(model, classes, refs);
  const stepsOfGroup = { egress: groupsOf.egress.map(stepsOf), ingress: groupsOf.ingress.map(stepsOf) };
  const deciding = new Set<Statement>();
  for (const direction of ["egress", "ingress"] as const) {
    for (const steps of stepsOfGroup[direction]) for (const step of steps) deciding.add(step.statement);
  }
  const signatures: number[][] = classes.map(() => []);
  for (const statement of deciding) {
    for (const matcher of statement.peers) {
      if (holdsOf.has(matcher)) continue;
      const holds = evaluator.holds(matcher);
      holdsOf.set(matcher, holds);
      if ("all" in holds) continue;
      const id = matcherIds.size;
      matcherIds.set(matcher, id);
      for (const index of holds.yes) (signatures[index] as number[]).push(id * 2);
      for (const index of holds.maybe) (signatures[index] as number[]).push(id * 2 + 1);
    }
  }

  // 3. Atoms: classes alike as subjects both ways and as peers.
  const atomOf = new Int32Array(classes.length);
  const atomMembers: number[][] = [];
  const atomKeys = new Map<string, number>();
  classes.forEach((_, index) => {
    const key = `${groupOfClass.egress[index]}|${groupOfClass.ingress[index]}|${(signatures[index] as number[]).join(",")}`;
    let atom = atomKeys.get(key);
    if (atom === undefined) {
      atom = atomMembers.length;
      atomMembers.push([]);
      atomKeys.set(key, atom);
    }
    atomOf[index] = atom;
    (atomMembers[atom] as number[]).push(index);
  });
  const atoms = atomMembers.length;
  // Bit sets carry, after the atoms, the outside stranger (both families; used on ingress) and a
  // "background" atom that no matcher names in particular: every atom outside all `specific` sets of a
  // group's statements fares as the background does, so only the named ones are looked at one by one.
  const outsideV4 = atoms;
  const outsideV6 = atoms + 1;
  const background = atoms + 2;
  const width = atoms + 3;
  const words = Math.ceil(width / 32);

  const peerBitsOf = new Map<Statement, PeerBits>();
  const peerBits = (statement: Statement): PeerBits => {
    let bits = peerBitsOf.get(statement);
    if (bits) return bits;
    bits = { yes: newBits(words), maybe: newBits(words), specific: newBits(words) };
    for (const matcher of statement.peers) {
      const holds = holdsOf.get(matcher) as MatcherHolds;
      if ("all" in holds) {
        if (holds.all === NO) continue;
        const target = holds.all === YES ? bits.yes : bits.maybe;
        setRange(target, 0, atoms);
        setBit(target, background);
        continue;
      }
      for (const index of holds.yes) {
        setBit(bits.yes, atomOf[index] as number);
        setBit(bits.specific, atomOf[index] as number);
      }
      for (const index of holds.maybe) {
        setBit(bits.maybe, atomOf[index] as number);
        setBit(bits.specific, atomOf[index] as number);
      }
    }
    const v4 = model.peersMatch(statement, OUTSIDE_V4);
    const v6 = model.peersMatch(statement, OUTSIDE_V6);
    if (v4 !== NO) setBit(v4 === YES ? bits.yes : bits.maybe, outsideV4);
    if (v6 !== NO) setBit(v6 === YES ? bits.yes : bits.maybe, outsideV6);
    for (let word = 0; word < words; word += 1) bits.maybe[word] = (bits.maybe[word] as number) & ~(bits.yes[word] as number);
    peerBitsOf.set(statement, bits);
    return bits;
  };

  // 4. Per group and port class, the admitted peers; then per peer the set of ports it is admitted on.
  const portSets = new PortSetTable(portWords);
  const coverage = new Map<PortSet, Uint8Array>();
  const coverageOf = (set: PortSet): Uint8Array => {
    let covered = coverage.get(set);
    if (!covered) {
      covered = new Uint8Array(ports.length);
      ports.forEach((port, index) => {
        (covered as Uint8Array)[index] = portSetCovers(set, port.protocol, port.port);
      });
      coverage.set(set, covered);
    }
    return covered;
  };
  const judge = new GroupJudge(ports.length, portWords, width, words, coverageOf, peerBits, portSets);
  const judged = {
    egress: groupsOf.egress.map((plan, group) => judge.judge(plan, stepsOfGroup.egress[group] as PlannedStep[])),
    ingress: groupsOf.ingress.map((plan, group) => judge.judge(plan, stepsOfGroup.ingress[group] as PlannedStep[])),
  };

  // 5. Atom pairs: egress of the source and ingress of the target on a common port.
  const atomGroup = { egress: new Int32Array(atoms), ingress: new Int32Array(atoms) };
  for (let atom = 0; atom < atoms; atom += 1) {
    const member = (atomMembers[atom] as number[])[0] as number;
    atomGroup.egress[atom] = groupOfClass.egress[member] as number;
    atomGroup.ingress[atom] = groupOfClass.ingress[member] as number;
  }
  const idCount = portSets.size;
  const meets = portSets.meetTable();
  // Per source atom, the ingress groups in which it is named in particular (and with which port set).
  const namedIn: { group: number; id: number }[][] = Array.from({ length: atoms }, () => []);
  judged.ingress.forEach((group, index) => {
    for (let at = 0; at < group.atoms.length; at += 1) (namedIn[group.atoms[at] as number] as { group: number; id: number }[]).push({ group: index, id: group.ids[at] as number });
  });
  const ingressMembers: number[][] = judged.ingress.map(() => []);
  for (let atom = 0; atom < atoms; atom += 1) (ingressMembers[atomGroup.ingress[atom] as number] as number[]).push(atom);
  const backgroundInto = Int32Array.from(atomGroup.ingress, (group) => (judged.ingress[group] as SubjectGroup).background);
  const out = new Int32Array(atoms);
  const into = new Int32Array(atoms);
  const atomWords = Math.ceil(atoms / 32);
  const reach: Bits[] = [];
  for (let source = 0; source < atoms; source += 1) {
    const egress = judged.egress[atomGroup.egress[source] as number] as SubjectGroup;
    out.fill(egress.background);
    for (let at = 0; at < egress.atoms.length; at += 1) out[egress.atoms[at] as number] = egress.ids[at] as number;
    into.set(backgroundInto);
    for (const { group, id } of namedIn[source] as { group: number; id: number }[]) for (const target of ingressMembers[group] as number[]) into[target] = id;
    const row = newBits(atomWords);
    for (let target = 0; target < atoms; target += 1) {
      const a = out[target] as number;
      const b = into[target] as number;
      if (a === 0 || b === 0) continue;
      if (meets === null ? portSets.meet(a, b) : meets[a * idCount + b] === 1) row[target >>> 5] = (row[target >>> 5] as number) | (1 << (target & 31));
    }
    reach.push(row);
  }

  const exposedAtom = new Uint8Array(atoms);
  const imdsAtom = new Uint8Array(atoms);
  for (let atom = 0; atom < atoms; atom += 1) {
    const ingress = judged.ingress[atomGroup.ingress[atom] as number] as SubjectGroup;
    exposedAtom[atom] = ingress.outside[0] !== 0 || ingress.outside[1] !== 0 ? 1 : 0;
    const plan = groupsOf.egress[atomGroup.egress[atom] as number] as DecisionPlan;
    imdsAtom[atom] = model.decidePlanned(plan, IMDS_PEER, "TCP", IMDS_PORT, "risk").admitted ? 1 : 0;
  }

  return {
    ...buildReachability(classes, ports, atomOf, atomMembers, reach, exposedAtom, imdsAtom),
    stats: { atoms, egressGroups: groupsOf.egress.length, ingressGroups: groupsOf.ingress.length },
  };
}

/** A text that is equal for two plans exactly when they decide alike for every peer and port. */
function planKey(plan: DecisionPlan): string {
  const parts: string[] = [];
  plan.denies.forEach((deny, index) => parts.push(`d${deny.id}:${plan.denySubjects[index]}`));
  for (const tier of plan.tiers) {
    parts.push("t");
    for (const slot of tier.slots) {
      parts.push(slot.union ? "u" : `s${slot.isolation.id}`);
      slot.rules.forEach((rule, index) => parts.push(`${rule.id}:${slot.subjects[index]}`));
    }
  }
  return parts.join(",");
}

/** The statements of a plan that can decide, in judging order. */
function stepsOf(plan: DecisionPlan): PlannedStep[] {
  const steps: PlannedStep[] = [];
  plan.denies.forEach((deny, index) => steps.push({ statement: deny, subject: plan.denySubjects[index] as Tri, action: "deny", widens: false, tier: -1, union: false }));
  plan.tiers.forEach((tier, tierIndex) => {
    for (const slot of tier.slots) {
      slot.rules.forEach((rule, index) => {
        // The risk reading: an unreadable action is an allow; what cannot be read widens allows and passes.
        const action = rule.action === "unreadable" || rule.action === "allow" ? "allow" : rule.action === "pass" ? "pass" : "deny";
        steps.push({ statement: rule, subject: slot.subjects[index] as Tri, action, widens: action !== "deny", tier: tierIndex, union: slot.union });
      });
    }
  });
  return steps;
}

/**
 * Judges subject groups: per group its port classes, and per port class the peers the plan admits,
 * walked the way PolicyModel.decidePlanned walks it for one peer (denies, then each isolating tier,
 * then admit). The bit sets it works in are kept between groups: there are thousands of groups.
 */
class GroupJudge {
  private readonly undecided: Bits;
  private readonly active: Bits;
  private readonly passed: Bits;
  private readonly matched: Bits;
  private readonly distinct: Bits;
  private readonly admittedIn: Bits[] = [];
  private readonly portClass: Int32Array;

  constructor(
    private readonly portCount: number,
    private readonly portWords: number,
    private readonly width: number,
    private readonly words: number,
    private readonly coverageOf: (set: PortSet) => Uint8Array,
    private readonly peerBits: (statement: Statement) => PeerBits,
    private readonly portSets: PortSetTable,
  ) {
    this.undecided = newBits(words);
    this.active = newBits(words);
    this.passed = newBits(words);
    this.matched = newBits(words);
    this.distinct = newBits(words);
    this.portClass = new Int32Array(portCount);
  }

  judge(plan: DecisionPlan, steps: readonly PlannedStep[]): SubjectGroup {
    const { portCount, portWords, width, words, undecided, active, passed, matched, distinct, portClass } = this;
    // Port classes: candidate ports on which every step's ports answer alike.
    portClass.fill(0);
    let classes = portCount > 0 ? 1 : 0;
    const split = new Map<number, number>();
    for (const step of steps) {
      const covered = this.coverageOf(step.statement.ports);
      split.clear();
      let next = 0;
      for (let port = 0; port < portCount; port += 1) {
        const key = (portClass[port] as number) * 3 + (covered[port] as number);
        let id = split.get(key);
        if (id === undefined) {
          id = next;
          next += 1;
          split.set(key, id);
        }
        portClass[port] = id;
      }
      classes = next;
    }
    const classPorts: Bits[] = [];
    const representative: number[] = [];
    for (let index = 0; index < classes; index += 1) classPorts.push(newBits(portWords));
    for (let port = 0; port < portCount; port += 1) {
      const cls = portClass[port] as number;
      if (representative[cls] === undefined) representative[cls] = port;
      setBit(classPorts[cls] as Bits, port);
    }

    // Per port class, the admitted peers.
    while (this.admittedIn.length < classes) this.admittedIn.push(newBits(words));
    for (let cls = 0; cls < classes; cls += 1) {
      const port = representative[cls] as number;
      const admitted = this.admittedIn[cls] as Bits;
      admitted.fill(0);
      undecided.fill(0);
      setRange(undecided, 0, width);
      let stepIndex = 0;
      // Cilium denies win whenever they match (only certain matches count for a deny).
      for (; stepIndex < steps.length && (steps[stepIndex] as PlannedStep).tier === -1; stepIndex += 1) {
        const step = steps[stepIndex] as PlannedStep;
        if (!matchInto(step, this.coverageOf(step.statement.ports)[port] as Tri, this.peerBits, matched, words)) continue;
        for (let word = 0; word < words; word += 1) undecided[word] = (undecided[word] as number) & ~(matched[word] as number);
      }
      for (let tier = 0; tier < plan.tiers.length; tier += 1) {
        active.set(undecided);
        passed.fill(0);
        for (; stepIndex < steps.length && (steps[stepIndex] as PlannedStep).tier === tier; stepIndex += 1) {
          const step = steps[stepIndex] as PlannedStep;
          if (!matchInto(step, this.coverageOf(step.statement.ports)[port] as Tri, this.peerBits, matched, words)) continue;
          for (let word = 0; word < words; word += 1) {
            const hit = (active[word] as number) & (matched[word] as number);
            if (hit === 0) continue;
            if (step.action === "allow") admitted[word] = (admitted[word] as number) | hit;
            else if (step.action === "pass" && !step.union) passed[word] = (passed[word] as number) | hit;
            else if (step.union) continue; // the union admits with allows only
            active[word] = (active[word] as number) & ~hit;
          }
        }
        // The tier isolates the pod: what it left undecided is refused; what passed goes on to the next tier.
        undecided.set(passed);
      }
      for (let word = 0; word < words; word += 1) admitted[word] = (admitted[word] as number) | (undecided[word] as number);
    }

    // Per peer: the candidate ports on which it is admitted, interned. Only the atoms some statement
    // names in particular, the outside strangers and the background need looking at: every other atom
    // fares as the background does.
    distinct.fill(0);
    for (const step of steps) {
      const specific = this.peerBits(step.statement).specific;
      for (let word = 0; word < words; word += 1) distinct[word] = (distinct[word] as number) | (specific[word] as number);
    }
    const byMask = new Map<string, number>();
    const idOf = (peer: number): number => {
      let mask = "";
      for (let cls = 0; cls < classes; cls += 1) mask += hasBit(this.admittedIn[cls] as Bits, peer) ? "1" : "0";
      if (!mask.includes("1")) return 0;
      let id = byMask.get(mask);
      if (id === undefined) {
        id = this.portSets.intern(unionOf(classPorts, (cls) => mask.charCodeAt(cls) === 49, portWords));
        byMask.set(mask, id);
      }
      return id;
    };
    const named: number[] = [];
    const namedIds: number[] = [];
    forEachBit(distinct, (peer) => {
      if (peer >= width - 3) return;
      named.push(peer);
      namedIds.push(idOf(peer));
    });
    return { background: idOf(width - 1), atoms: Int32Array.from(named), ids: Int32Array.from(namedIds), outside: [idOf(width - 3), idOf(width - 2)] };
  }
}

/** The union of the port sets of the port classes `chosen` picks. */
function unionOf(classPorts: readonly Bits[], chosen: (cls: number) => boolean, portWords: number): Bits {
  const ports = newBits(portWords);
  classPorts.forEach((own, cls) => {
    if (!chosen(cls)) return;
    for (let word = 0; word < portWords; word += 1) ports[word] = (ports[word] as number) | (own[word] as number);
  });
  return ports;
}

/** The peers one step matches on one port, into `into`; false when it matches none. */
function matchInto(step: PlannedStep, port: Tri, peerBits: (statement: Statement) => PeerBits, into: Bits, words: number): boolean {
  const base = andTri(step.subject, port);
  if (base === NO) return false;
  if (!step.widens && base !== YES) return false;
  const bits = peerBits(step.statement);
  let any = false;
  for (let word = 0; word < words; word += 1) {
    const value = step.widens ? (bits.yes[word] as number) | (bits.maybe[word] as number) : (bits.yes[word] as number);
    into[word] = value;
    if (value !== 0) any = true;
  }
  return any;
}

/** Interned sets of candidate ports (id 0: the empty set), and which of them meet. */
class PortSetTable {
  private readonly sets: Bits[] = [newBits(1)];
  private readonly ids = new Map<string, number>();

  constructor(private readonly words: number) {}

  get size(): number {
    return this.sets.length;
  }

  intern(ports: Bits): number {
    const key = Array.from(ports).join(",");
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(ports);
      this.ids.set(key, id);
    }
    return id;
  }

  /** Whether sets a and b share a port. */
  meet(a: number, b: number): boolean {
    const left = this.sets[a] as Bits;
    const right = this.sets[b] as Bits;
    for (let word = 0; word < this.words; word += 1) if (((left[word] as number) & (right[word] as number)) !== 0) return true;
    return false;
  }

  /** meets[a × size + b] is 1 when sets a and b share a port; null when there are too many sets for a table (then ask meet()). */
  meetTable(): Uint8Array | null {
    const size = this.sets.length;
    if (size > 4096) return null;
    const table = new Uint8Array(size * size);
    for (let a = 1; a < size; a += 1) {
      for (let b = a; b < size; b += 1) {
        if (this.meet(a, b)) {
          table[a * size + b] = 1;
          table[b * size + a] = 1;
        }
      }
    }
    return table;
  }
}

/**
 * Which classes a peer matcher holds, evaluated only where it can hold: a pods matcher on the classes
 * of the namespaces it allows, a CIDR or entity on every pod alike. Results are shared between
 * matchers naming the same namespaces and pods.
 */
class MatcherEvaluator {
  private readonly namespaceIndex = new Map<string, number[]>();
  private readonly namespaceSets = new Map<object, number[]>();
  private readonly podPeers = new Map<object, Map<object, MatcherHolds>>();
  private readonly peers: Peer[];

  constructor(
    private readonly model: PolicyModel,
    private readonly classes: readonly ReachClass[],
    refs: readonly PodRef[],
  ) {
    classes.forEach((cls, index) => {
      const list = this.namespaceIndex.get(cls.namespace);
      if (list) list.push(index);
      else this.namespaceIndex.set(cls.namespace, [index]);
    });
    this.peers = refs.map((pod) => ({ kind: "pod", pod }));
  }

  holds(matcher: PeerMatcher): MatcherHolds {
    switch (matcher.kind) {
      case "everything":
        return { all: YES };
      case "unreadable":
        return { all: MAYBE };
      case "fqdn":
      case "entities":
      case "cidr":
        // The same for every pod: CIDRs, entities (cluster, all) and FQDNs do not look at labels.
        return this.classes.length === 0 ? { all: NO } : { all: this.model.peerMatcherHolds(matcher, this.peers[0] as Peer) };
      case "service":
        return this.evaluate(matcher, this.classes.map((_, index) => index));
      case "pods": {
        // Every pod of every namespace: `namespaceSelector: {}` with no (or an empty) podSelector.
        if (matcher.namespaces.kind === "all" && matcher.pods.kind === "selector" && matcher.pods.selector.empty) return { all: YES };
        let byPods = this.podPeers.get(matcher.namespaces);
        if (!byPods) {
          byPods = new Map();
          this.podPeers.set(matcher.namespaces, byPods);
        }
        let holds = byPods.get(matcher.pods);
        if (!holds) {
          holds = this.evaluate(matcher, this.candidatesIn(matcher.namespaces));
          byPods.set(matcher.pods, holds);
        }
        return holds;
      }
      case "calico":
        if (matcher.endpoints) return this.evaluate(matcher, this.candidatesIn(matcher.endpoints.namespaces));
        // Without endpoints or a notSelector, nets and service accounts hold every pod alike.
        if (!matcher.notSelector) return this.classes.length === 0 ? { all: NO } : { all: this.model.peerMatcherHolds(matcher, this.peers[0] as Peer) };
        return this.evaluate(matcher, this.classes.map((_, index) => index));
    }
  }

  /** Classes in the namespaces a namespace matcher may allow. */
  private candidatesIn(namespaces: NamespaceMatcher): number[] {
    let candidates = this.namespaceSets.get(namespaces);
    if (!candidates) {
      const names =
        namespaces.kind === "names"
          ? [...namespaces.names]
          : [...this.namespaceIndex.keys()].filter((name) => namespaces.kind === "all" || namespaces.test(this.model.namespaceInfo(name)) !== NO);
      candidates = names.flatMap((name) => this.namespaceIndex.get(name) ?? []);
      this.namespaceSets.set(namespaces, candidates);
    }
    return candidates;
  }

  private evaluate(matcher: PeerMatcher, candidates: readonly number[]): MatcherHolds {
    const yes: number[] = [];
    const maybe: number[] = [];
    for (const index of candidates) {
      const tri = this.model.peerMatcherHolds(matcher, this.peers[index] as Peer);
      if (tri === YES) yes.push(index);
      else if (tri === MAYBE) maybe.push(index);
    }
    return { yes, maybe };
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The document and the class-level answers, from reach between atoms. */
function buildReachability(
  classes: readonly ReachClass[],
  ports: readonly CandidatePort[],
  atomOf: Int32Array,
  atomMembers: readonly number[][],
  reach: readonly Bits[],
  exposedAtom: Uint8Array,
  imdsAtom: Uint8Array,
): Omit<Reachability, "stats"> {
  const namespaces = [...new Set(classes.map((cls) => cls.namespace))].sort(compareText);
  const namespacePosition = new Map(namespaces.map((name, index) => [name, index]));
  const nsOf = classes.map((cls) => namespacePosition.get(cls.namespace) as number);
  const reaches = (from: number, to: number): boolean => hasBit(reach[atomOf[from] as number] as Bits, atomOf[to] as number);
  const pods = classes.reduce((sum, cls) => sum + cls.count, 0);

  // Per atom: the pods it reaches per namespace (before leaving a class's own pod out).
  const atomPods = atomMembers.map((members) => members.reduce((sum, member) => sum + (classes[member] as ReachClass).count, 0));
  const atomNamespaces = atomMembers.map((members) => [...new Set(members.map((member) => nsOf[member] as number))]);
  const atomNamespacePods: Map<number, number>[] = atomMembers.map((_, atom) => {
    const perNamespace = new Map<number, number>();
    forEachBit(reach[atom] as Bits, (target) => {
      const spread = atomNamespaces[target] as number[];
      if (spread.length === 1) {
        const namespace = spread[0] as number;
        perNamespace.set(namespace, (perNamespace.get(namespace) ?? 0) + (atomPods[target] as number));
        return;
      }
      for (const member of atomMembers[target] as number[]) perNamespace.set(nsOf[member] as number, (perNamespace.get(nsOf[member] as number) ?? 0) + (classes[member] as ReachClass).count);
    });
    return perNamespace;
  });
  const namespacesReachedBy = (from: number): { namespace: string; pods: number }[] => {
    const perNamespace = atomNamespacePods[atomOf[from] as number] as Map<number, number>;
    const self = reaches(from, from) && (classes[from] as ReachClass).count > 0 ? 1 : 0;
    return [...perNamespace.entries()]
      .sort(([a], [b]) => a - b)
      .map(([namespace, count]) => ({ namespace: namespaces[namespace] as string, pods: namespace === nsOf[from] ? count - self : count }));
  };

  let weighted = 0;
  const atomTotals = atomNamespacePods.map((perNamespace) => {
    let total = 0;
    for (const count of perNamespace.values()) total += count;
    return total;
  });
  const documentClasses: ReachabilityDocumentClass[] = classes.map((cls, index) => {
    const atom = atomOf[index] as number;
    const reachablePods = (atomTotals[atom] as number) - (reaches(index, index) && cls.count > 0 ? 1 : 0);
    weighted += cls.count * reachablePods;
    return { namespace: nsOf[index] as number, labels: cls.labels === null ? null : { ...cls.labels }, count: cls.count, reachablePods, namespacesReached: (atomNamespacePods[atom] as Map<number, number>).size };
  });

  // Namespace pairs: pods of `to` that some other pod of `from` reaches.
  const podsIn = new Array<number>(namespaces.length).fill(0);
  classes.forEach((cls, index) => {
    podsIn[nsOf[index] as number] += cls.count;
  });
  const classesIn: number[][] = namespaces.map(() => []);
  classes.forEach((_, index) => (classesIn[nsOf[index] as number] as number[]).push(index));
  const namespacePairs: [number, number, number][] = [];
  const reachers = new Int32Array(atomMembers.length);
  const reachedPods = new Int32Array(namespaces.length);
  const reachedSeen = new Uint8Array(namespaces.length);
  namespaces.forEach((_, from) => {
    reachers.fill(0);
    for (const source of classesIn[from] as number[]) {
      forEachBit(reach[atomOf[source] as number] as Bits, (target) => {
        reachers[target] = (reachers[target] as number) + 1;
      });
    }
    reachedPods.fill(0);
    reachedSeen.fill(0);
    for (let target = 0; target < classes.length; target += 1) {
      const count = reachers[atomOf[target] as number] as number;
      if (count === 0) continue;
      const to = nsOf[target] as number;
      const selfOnly = to === from && reaches(target, target) ? 1 : 0;
      reachedSeen[to] = 1;
      if (count - selfOnly > 0 || (selfOnly === 1 && (classes[target] as ReachClass).count >= 2)) reachedPods[to] = (reachedPods[to] as number) + (classes[target] as ReachClass).count;
    }
    for (let to = 0; to < namespaces.length; to += 1) {
      if (reachedSeen[to] === 0) continue;
      namespacePairs.push([from, to, reachedPods[to] as number]);
    }
  });

  const internetExposed = classes.map((_, index) => index).filter((index) => exposedAtom[atomOf[index] as number] === 1);
  const reachesImds = classes.map((_, index) => index).filter((index) => imdsAtom[atomOf[index] as number] === 1);
  const document: ReachabilityDocument = {
    version: REACHABILITY_VERSION,
    namespaces,
    ports: ports.map((port) => port.label),
    pods,
    exposure: pods < 2 ? null : round1((weighted / (pods * (pods - 1))) * 100),
    namespacePods: podsIn,
    classes: documentClasses,
    namespacePairs,
    internetExposed,
    reachesImds,
  };
  return {
    document,
    classes,
    ports,
    reaches,
    reachableFrom: (from) => classes.map((_, index) => index).filter((to) => reaches(from, to)),
    namespacesReachedBy,
    internetExposed: (cls) => exposedAtom[atomOf[cls] as number] === 1,
    reachesImds: (cls) => imdsAtom[atomOf[cls] as number] === 1,
  };
}
