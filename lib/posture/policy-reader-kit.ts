// What every policy reader shares: statement ids, problem reports, port entries and name readers.

import type { Cidr } from "./cidr";
import {
  MAYBE,
  NO,
  PROTOCOLS,
  YES,
  type Tri,
  type ObjectRef,
  type NamespaceMatcher,
  type PeerMatcher,
  type PodMatcher,
  type PolicyProblem,
  type PortEntry,
  type PortSet,
  type Protocol,
} from "./statements";
import { asRecord } from "./untrusted-json";

export const ALL_PROTOCOLS: ReadonlySet<Protocol> = new Set(PROTOCOLS);
export const NO_PROTOCOLS: ReadonlySet<Protocol> = new Set();
const ONE_PROTOCOL: Readonly<Record<Protocol, ReadonlySet<Protocol>>> = { TCP: new Set(["TCP"]), UDP: new Set(["UDP"]), SCTP: new Set(["SCTP"]) };

/** The shared set holding one protocol: port entries are many, their protocol sets few. */
export function protocolSet(protocol: Protocol): ReadonlySet<Protocol> {
  return ONE_PROTOCOL[protocol];
}

export const ANY_PORT: PortSet = Object.freeze({ include: null, exclude: [], protocols: ALL_PROTOCOLS, uncertain: false });
/** A port list that could not be read: MAYBE for every port. */
export const UNREADABLE_PORTS: PortSet = Object.freeze({
  include: [{ protocols: ALL_PROTOCOLS, kind: "malformed" } as PortEntry],
  exclude: [],
  protocols: ALL_PROTOCOLS,
  uncertain: false,
});

/** One object being read: hands out statement ids and collects its problems. */
export class ReaderContext {
  readonly problems: PolicyProblem[] = [];

  constructor(
    readonly object: ObjectRef,
    private readonly ids: StatementIds,
  ) {}

  id(): number {
    return this.ids.take();
  }


  namespace(name: string): NamespaceMatcher {
    return this.ids.namespace(name);
  }

  podsPeer(namespaces: NamespaceMatcher, pods: PodMatcher): PeerMatcher {
    return this.ids.podsPeer(namespaces, pods);
  }

  peerList(peer: PeerMatcher): readonly PeerMatcher[] {
    return this.ids.peerList(peer);
  }

  problem(field: string, why: string): void {
    this.problems.push({ object: this.object, field, why });
  }
}

/**
 * One id sequence per model, shared by every reader, so statements can be keyed by id; and the
 * matchers that many rules of one model share (peers and peer lists are never mutated).
 */
export class StatementIds {
  /** `after`: the ids start above it, so statements added to an existing model (a what-if) keep their place after its own. */
  constructor(private next = 0) {}

  private readonly own = new Map<string, NamespaceMatcher>();
  private readonly peerLists = new Map<PeerMatcher, readonly PeerMatcher[]>();

  /**
   * The pods peer of these namespaces and pods. Not shared: most pairs occur once or twice, and a new
   * small object costs less than the lookup that would find it.
   */
  podsPeer(namespaces: NamespaceMatcher, pods: PodMatcher): PeerMatcher {
    return { kind: "pods", namespaces, pods };
  }

  /** A one-peer list; the list of a shared peer (every peer, a common block) is shared too. */
  peerList(peer: PeerMatcher): readonly PeerMatcher[] {
    if (peer.kind === "pods") return [peer];
    let list = this.peerLists.get(peer);
    if (!list) {
      list = [peer];
      this.peerLists.set(peer, list);
    }
    return list;
  }

  take(): number {
    this.next += 1;
    return this.next;
  }

  /** The matcher for one namespace, shared by every statement that names it. */
  namespace(name: string): NamespaceMatcher {
    let matcher = this.own.get(name);
    if (!matcher) {
      matcher = { kind: "names", names: new Set([name]) };
      this.own.set(name, matcher);
    }
    return matcher;
  }
}

/** Names YAML turned into numbers (`namespace: 2024`) are still names. */
export function readName(value: unknown): string | null {
  if (typeof value === "string") return value === "" ? null : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

export const UNNAMED = "(unnamed)";

export function readObjectName(object: unknown): { namespace: string | null; name: string } {
  const metadata = asRecord(asRecord(object)?.metadata);
  return { namespace: readName(metadata?.namespace), name: readName(metadata?.name) ?? UNNAMED };
}

export function isValidPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

// Shared port entries and sets: a few ports are named tens of thousands of times, and every object
// kept alive across a collection costs the garbage collector a copy. Entries are never mutated; the
// table is bounded so a long-running server does not grow it without end. (No closures here: the
// TypeScript loader names every closure it creates, which costs more than the entry.)
const SHARED_PROTOCOL_SETS: readonly ReadonlySet<Protocol>[] = [ALL_PROTOCOLS, ONE_PROTOCOL.TCP, ONE_PROTOCOL.UDP, ONE_PROTOCOL.SCTP];
const SHARED_LIMIT = 20_000;
const SHARED_ENTRIES = new Map<number | string, PortEntry>();
const SHARED_SETS = new Map<PortEntry, PortSet>();

function sharedKeyOf(entry: PortEntry): number | string | null {
  const shared = SHARED_PROTOCOL_SETS.indexOf(entry.protocols);
  if (shared < 0 || entry.kind === "malformed") return null;
  if (entry.kind === "all") return shared;
  if (entry.kind === "named") return `${shared}:${entry.name}`;
  return rangeKey(shared, entry.from, entry.to);
}

function rangeKey(shared: number, from: number, to: number): number {
  return from <= 1 && to >= 65535 ? shared : shared + 4 * (from * 65536 + to);
}

/** The shared entry equal to `entry`, which becomes the shared one when there is none yet. */
function share(key: number | string, entry: PortEntry): PortEntry {
  const known = SHARED_ENTRIES.get(key);
  if (known) return known;
  if (SHARED_ENTRIES.size >= SHARED_LIMIT) {
    SHARED_ENTRIES.clear();
    SHARED_SETS.clear();
  }
  SHARED_ENTRIES.set(key, entry);
  return entry;
}

/** A port entry covering `port` numbers from..to, or every port when the range is 1–65535 (§4.2). */
export function rangeEntry(protocols: ReadonlySet<Protocol>, from: number, to: number): PortEntry {
  const all = from <= 1 && to >= 65535;
  const shared = SHARED_PROTOCOL_SETS.indexOf(protocols);
  if (shared >= 0) {
    const known = SHARED_ENTRIES.get(rangeKey(shared, from, to));
    if (known) return known;
  }
  const entry: PortEntry = all ? { protocols, kind: "all" } : { protocols, kind: "range", from, to };
  return shared < 0 ? entry : share(rangeKey(shared, from, to), entry);
}

/** A port entry naming a port (`http`), which resolves per pod. */
export function namedEntry(protocols: ReadonlySet<Protocol>, name: string): PortEntry {
  const entry: PortEntry = { protocols, kind: "named", name };
  const key = sharedKeyOf(entry);
  return key === null ? entry : share(key, entry);
}

/** Every port of the given protocols. */
export function allPortsEntry(protocols: ReadonlySet<Protocol>): PortEntry {
  const shared = SHARED_PROTOCOL_SETS.indexOf(protocols);
  if (shared < 0) return { protocols, kind: "all" };
  return SHARED_ENTRIES.get(shared) ?? share(shared, { protocols, kind: "all" });
}

/** The port set of a list of entries on every protocol; a one-entry list of a shared entry is shared too. */
export function portSetOf(include: PortEntry[]): PortSet {
  const entry = include.length === 1 ? (include[0] as PortEntry) : null;
  const known = entry === null ? undefined : SHARED_SETS.get(entry);
  if (known) return known;
  const key = entry === null ? null : sharedKeyOf(entry);
  if (entry === null || key === null || SHARED_ENTRIES.get(key) !== entry) return { include, exclude: [], protocols: ALL_PROTOCOLS, uncertain: false };
  const set: PortSet = { include, exclude: [], protocols: ALL_PROTOCOLS, uncertain: false };
  SHARED_SETS.set(entry, set);
  return set;
}

/** The port set of one entry: the shared set when the entry is shared, without building a list to find it. */
export function portSetOfEntry(entry: PortEntry): PortSet {
  return SHARED_SETS.get(entry) ?? portSetOf([entry]);
}

/** Shared CIDR peers by block (parsed blocks are shared, so a block is its own key). */
export type CidrPeers = Map<Cidr, Extract<PeerMatcher, { kind: "cidr" }>[]>;
const NO_CIDRS: readonly Cidr[] = Object.freeze([]);

function sameBlocks(a: readonly Cidr[], b: readonly Cidr[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return false;
  return true;
}

/** The shared peer of a block with these exceptions (compared block by block), made when there is none. */
export function sharedCidrPeer(table: CidrPeers, cidr: Cidr, except: readonly Cidr[], engine: "kubernetes" | "cilium"): PeerMatcher {
  let peers = table.get(cidr);
  if (!peers) {
    if (table.size >= SHARED_LIMIT) table.clear();
    peers = [];
    table.set(cidr, peers);
  }
  for (const peer of peers) if (sameBlocks(peer.except, except)) return peer;
  const peer = { kind: "cidr" as const, cidr, except: except.length === 0 ? NO_CIDRS : except, engine };
  if (peers.length < 64) peers.push(peer);
  return peer;
}

/** How a port query meets a port set: YES, NO, or MAYBE when part of it cannot be read. */
export function portSetCovers(ports: PortSet, protocol: Protocol, port: number | string | symbol): 0 | 1 | 2 {
  if (!ports.protocols.has(protocol)) return NO;
  let included: 0 | 1 | 2 = ports.include === null ? 1 : NO;
  if (ports.include !== null) {
    for (let index = 0; index < ports.include.length; index += 1) {
      const covers = entryCovers(ports.include[index] as PortEntry, protocol, port);
      if (covers === 1) {
        included = 1;
        break;
      }
      if (covers === MAYBE) included = MAYBE;
    }
  }
  if (included === NO) return NO;
  for (let index = 0; index < ports.exclude.length; index += 1) {
    const covers = entryCovers(ports.exclude[index] as PortEntry, protocol, port);
    if (covers === 1) return NO;
    if (covers === MAYBE) included = MAYBE;
  }
  return ports.uncertain ? MAYBE : included;
}

function entryCovers(entry: PortEntry, protocol: Protocol, port: number | string | symbol): 0 | 1 | 2 {
  if (!entry.protocols.has(protocol)) return NO;
  switch (entry.kind) {
    case "all":
      return 1;
    case "malformed":
      return MAYBE;
    case "named":
      // A named port resolves per pod; it never matches a number or the stranger port.
      return typeof port === "string" && port === entry.name ? 1 : NO;
    case "range":
      return typeof port === "number" && port >= entry.from && port <= entry.to ? 1 : NO;
  }
}

/** A list with entries, or any other value that is present: Cilium and Calico treat an empty list as absent. */
export function hasEntries(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
}

/** A label of a label map, or undefined (own keys only: labels come from untrusted JSON). */
export function labelOf(labels: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
}

// Shared: readers only read them.
const INGRESS_AND_EGRESS = Object.freeze({ ingress: YES, egress: YES } as const);
const INGRESS_ONLY = Object.freeze({ ingress: YES, egress: NO } as const);
const EGRESS_ONLY = Object.freeze({ ingress: NO, egress: YES } as const);
const NEITHER = Object.freeze({ ingress: NO, egress: NO } as const);

/**
 * Declared policy types (Kubernetes `policyTypes`, Calico `types`): YES/NO per direction, MAYBE both
 * ways when the field is not a list, null when absent or empty (each engine defaults it its own way).
 */
export function readDeclaredTypes(declared: unknown, field: string, context: ReaderContext): { ingress: Tri; egress: Tri } | null {
  if (Array.isArray(declared) && declared.length > 0) {
    let ingress: Tri = NO;
    let egress: Tri = NO;
    let unknown: unknown = undefined;
    for (let index = 0; index < declared.length; index += 1) {
      const type: unknown = declared[index];
      if (type === "Ingress") ingress = YES;
      else if (type === "Egress") egress = YES;
      else if (unknown === undefined) unknown = type;
    }
    if (unknown !== undefined) context.problem(field, `holds ${JSON.stringify(unknown)}, which is not Ingress or Egress`);
    return ingress === YES ? (egress === YES ? INGRESS_AND_EGRESS : INGRESS_ONLY) : egress === YES ? EGRESS_ONLY : NEITHER;
  }
  if (declared !== undefined && declared !== null && !Array.isArray(declared)) {
    context.problem(field, "is not a list");
    return { ingress: MAYBE, egress: MAYBE };
  }
  return null;
}

/** Kubernetes and Calico spell protocols in capitals; anything else is unreadable. */
export function readProtocolName(value: unknown): Protocol | null {
  return typeof value === "string" && (PROTOCOLS as readonly string[]).includes(value) ? (value as Protocol) : null;
}
