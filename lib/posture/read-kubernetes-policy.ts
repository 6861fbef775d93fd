// networking.k8s.io/v1 NetworkPolicy → statements (docs/design.md §4.3, first bullet).

import { parseCidr, type Cidr } from "./cidr";
import { compileLabelSelector, lookupIn, type CompiledSelector } from "./label-selectors";
import {
  ALL_PROTOCOLS,
  allPortsEntry,
  ANY_PORT,
  isValidPort,
  namedEntry,
  portSetOf,
  portSetOfEntry,
  protocolSet,
  rangeEntry,
  readObjectName,
  sharedCidrPeer,
  type CidrPeers,
  readDeclaredTypes,
  readProtocolName,
  ReaderContext,
  UNREADABLE_PORTS,
  type StatementIds,
} from "./policy-reader-kit";
import {
  MAYBE,
  NO,
  YES,
  type NamespaceMatcher,
  type PeerMatcher,
  type PodMatcher,
  type PolicyReading,
  type PortEntry,
  type PortSet,
  NO_PEERS,
  PolicyStatement,
  type Statement,
  type Subject,
  type Tri,
} from "./statements";
import type { Direction } from "./direction";
import { asRecord, listItems, NOT_A_LIST } from "./untrusted-json";

const UNION_SLOT = "union";

/** A namespaceSelector as a namespace matcher; null when it cannot be read. */
const ALL_NAMESPACES: NamespaceMatcher = Object.freeze({ kind: "all" });
// One matcher per compiled selector: thousands of peers share a few selectors.
const NAMESPACE_MATCHERS = new WeakMap<object, NamespaceMatcher>();
const POD_MATCHERS = new WeakMap<object, PodMatcher>();

export function namespaceSelectorMatcher(value: unknown): NamespaceMatcher | null {
  const compiled = compileLabelSelector(value);
  if (!compiled.ok) return null;
  if (compiled.selector.empty) return ALL_NAMESPACES;
  const selector = compiled.selector;
  let matcher = NAMESPACE_MATCHERS.get(selector);
  if (!matcher) {
    matcher = { kind: "test", test: (namespace) => (selector.test(lookupIn(namespace.labels)) === true ? YES : NO) };
    NAMESPACE_MATCHERS.set(selector, matcher);
  }
  return matcher;
}

function podMatcherOf(selector: CompiledSelector): PodMatcher {
  let matcher = POD_MATCHERS.get(selector);
  if (!matcher) {
    matcher = { kind: "selector", selector, lookup: "kubernetes" };
    POD_MATCHERS.set(selector, matcher);
  }
  return matcher;
}

function podMatcher(value: unknown, context: ReaderContext, field: string): PodMatcher {
  const compiled = compileLabelSelector(value);
  if (compiled.ok) return podMatcherOf(compiled.selector);
  context.problem(field, compiled.why);
  return { kind: "malformed" };
}

// Peers, peer lists and port sets are shared between the rules that name the same thing (they are
// never mutated): tens of thousands of rules name a few peers, and every object a reading keeps
// alive costs the garbage collector a copy.
const UNREADABLE_PEER: PeerMatcher = Object.freeze({ kind: "unreadable" });
const EVERY_PEER: readonly PeerMatcher[] = Object.freeze([Object.freeze({ kind: "everything" }) as PeerMatcher]);
const CIDR_PEERS: CidrPeers = new Map();

/** The path of a rule, spelled out only for a problem (building it for every rule costs more than reading it). */
function rulePath(direction: Direction, index: number): string {
  return `spec.${direction}[${index}]`;
}

function peerPath(direction: Direction, index: number, peerIndex: number): string {
  return `${rulePath(direction, index)}.${direction === "ingress" ? "from" : "to"}[${peerIndex}]`;
}

function readIpBlock(value: unknown, context: ReaderContext, direction: Direction, index: number, peerIndex: number): PeerMatcher {
  const block = asRecord(value);
  const cidr = parseCidr(block?.cidr);
  if (!block || !cidr) {
    context.problem(`${peerPath(direction, index, peerIndex)}.ipBlock.cidr`, "is not a CIDR such as 10.0.0.0/8 or fd00::/8");
    return UNREADABLE_PEER;
  }
  const list = listItems(block.except);
  if (list === NOT_A_LIST) {
    context.problem(`${peerPath(direction, index, peerIndex)}.ipBlock.except`, "is not a list of CIDRs");
    return UNREADABLE_PEER;
  }
  const except = new Array<Cidr>(list?.length ?? 0);
  for (let exceptIndex = 0; exceptIndex < except.length; exceptIndex += 1) {
    const excluded = parseCidr((list as unknown[])[exceptIndex]);
    if (!excluded) {
      context.problem(`${peerPath(direction, index, peerIndex)}.ipBlock.except[${exceptIndex}]`, "is not a CIDR");
      return UNREADABLE_PEER;
    }
    except[exceptIndex] = excluded;
  }
  return sharedCidrPeer(CIDR_PEERS, cidr, except, "kubernetes");
}

/** One element of `from`/`to` of rule `index`. */
function readPeer(value: unknown, own: NamespaceMatcher, context: ReaderContext, direction: Direction, index: number, peerIndex: number): PeerMatcher {
  const peer = asRecord(value);
  if (!peer) {
    context.problem(peerPath(direction, index, peerIndex), "is not a peer object");
    return UNREADABLE_PEER;
  }
  const hasSelectors = peer.namespaceSelector !== undefined || peer.podSelector !== undefined;
  if (peer.ipBlock !== undefined && peer.ipBlock !== null) {
    if (hasSelectors) {
      context.problem(peerPath(direction, index, peerIndex), "has ipBlock together with a selector; Kubernetes allows only one of them");
      return UNREADABLE_PEER;
    }
    return readIpBlock(peer.ipBlock, context, direction, index, peerIndex);
  }
  if (!hasSelectors) {
    context.problem(peerPath(direction, index, peerIndex), "names no podSelector, namespaceSelector or ipBlock");
    return UNREADABLE_PEER;
  }
  let namespaces = own;
  if (peer.namespaceSelector !== undefined && peer.namespaceSelector !== null) {
    const matcher = namespaceSelectorMatcher(peer.namespaceSelector);
    if (!matcher) {
      context.problem(`${peerPath(direction, index, peerIndex)}.namespaceSelector`, "is not a label selector");
      return UNREADABLE_PEER;
    }
    namespaces = matcher;
  }
  const compiled = compileLabelSelector(peer.podSelector);
  if (!compiled.ok) {
    context.problem(`${peerPath(direction, index, peerIndex)}.podSelector`, compiled.why);
    return UNREADABLE_PEER;
  }
  return context.podsPeer(namespaces, podMatcherOf(compiled.selector));
}

function readPortEntry(value: unknown, context: ReaderContext, direction: Direction, index: number, portIndex: number): PortEntry {
  const entry = asRecord(value);
  if (!entry) {
    context.problem(`${rulePath(direction, index)}.ports[${portIndex}]`, "is not a port entry");
    return { protocols: ALL_PROTOCOLS, kind: "malformed" };
  }
  let protocols = protocolSet("TCP");
  if (entry.protocol !== undefined && entry.protocol !== null) {
    const protocol = readProtocolName(entry.protocol);
    if (!protocol) {
      context.problem(`${rulePath(direction, index)}.ports[${portIndex}].protocol`, `${JSON.stringify(entry.protocol)} is not TCP, UDP or SCTP`);
      return { protocols: ALL_PROTOCOLS, kind: "malformed" };
    }
    protocols = protocolSet(protocol);
  }
  const port = entry.port;
  const endPort = entry.endPort;
  if (port === undefined || port === null) {
    if (endPort !== undefined && endPort !== null) {
      context.problem(`${rulePath(direction, index)}.ports[${portIndex}].endPort`, "is set without a port");
      return { protocols, kind: "malformed" };
    }
    return allPortsEntry(protocols);
  }
  if (typeof port === "string") {
    if (endPort !== undefined && endPort !== null) {
      context.problem(`${rulePath(direction, index)}.ports[${portIndex}].endPort`, "cannot go with a named port");
      return { protocols, kind: "malformed" };
    }
    return namedEntry(protocols, port);
  }
  if (typeof port !== "number" || !isValidPort(port)) {
    context.problem(`${rulePath(direction, index)}.ports[${portIndex}].port`, "is not a port number 1–65535 or a port name");
    return { protocols, kind: "malformed" };
  }
  if (endPort === undefined || endPort === null) return rangeEntry(protocols, port, port);
  if (typeof endPort !== "number" || !isValidPort(endPort) || endPort < port) {
    context.problem(`${rulePath(direction, index)}.ports[${portIndex}].endPort`, "is not a port number at or above port");
    return { protocols, kind: "malformed" };
  }
  return rangeEntry(protocols, port, endPort);
}

function readPorts(value: unknown, context: ReaderContext, direction: Direction, index: number): PortSet {
  const list = listItems(value);
  if (list === undefined || (list !== NOT_A_LIST && list.length === 0)) return ANY_PORT;
  if (list === NOT_A_LIST) {
    context.problem(`${rulePath(direction, index)}.ports`, "is not a list of ports");
    return UNREADABLE_PORTS;
  }
  // Most rules name one port, whose set is shared: no list is made to look it up.
  if (list.length === 1) return portSetOfEntry(readPortEntry(list[0], context, direction, 0, 0));
  // Sized up front: a growing array reserves room for 17 entries, and most rules name one or two ports.
  const include = new Array<PortEntry>(list.length);
  for (let portIndex = 0; portIndex < list.length; portIndex += 1) include[portIndex] = readPortEntry(list[portIndex], context, direction, index, portIndex);
  return portSetOf(include);
}

const INGRESS_AND_EGRESS: EffectiveTypes = Object.freeze({ ingress: YES, egress: YES });
const INGRESS_ONLY: EffectiveTypes = Object.freeze({ ingress: YES, egress: NO });

interface EffectiveTypes {
  ingress: Tri;
  egress: Tri;
}

/** `spec.policyTypes` when it has entries, else Ingress plus Egress when `spec.egress` has a rule (Kubernetes' defaulting). */
function readEffectiveTypes(spec: Record<string, unknown>, context: ReaderContext): EffectiveTypes {
  const declared = readDeclaredTypes(spec.policyTypes, "spec.policyTypes", context);
  if (declared) return declared;
  const egress = spec.egress;
  return Array.isArray(egress) && egress.length > 0 ? INGRESS_AND_EGRESS : INGRESS_ONLY;
}

export function readKubernetesNetworkPolicy(object: unknown, ids: StatementIds): PolicyReading {
  const { namespace: declaredNamespace, name } = readObjectName(object);
  // kubectl puts a policy without a namespace in `default`.
  const namespace = declaredNamespace ?? "default";
  const ref = { kind: "NetworkPolicy" as const, namespace, name };
  const context = new ReaderContext(ref, ids);
  const reading: PolicyReading = { ref, family: "kubernetes", scope: "namespace", statements: [], problems: context.problems, hostOnly: false, object: undefined };
  const spec = asRecord(asRecord(object)?.spec);
  if (!spec) {
    context.problem("spec", "is missing or not an object");
    return reading;
  }
  const subject: Subject = { namespaces: context.namespace(namespace), pods: podMatcher(spec.podSelector, context, "spec.podSelector") };
  const types = readEffectiveTypes(spec, context);
  for (let directionIndex = 0; directionIndex < 2; directionIndex += 1) {
    const direction: Direction = directionIndex === 0 ? "ingress" : "egress";
    // Named loads (not types[direction]): a key that varies makes every such load a slow generic one.
    const effective = direction === "ingress" ? types.ingress : types.egress;
    if (effective === NO) continue;
    const list = listItems(direction === "ingress" ? spec.ingress : spec.egress);
    // A rule list that cannot be read isolates only "maybe": no default-deny credit, no allow either.
    const certainty: Tri = list === NOT_A_LIST ? MAYBE : effective;
    if (list === NOT_A_LIST) context.problem(`spec.${direction}`, "is not a list of rules");
    reading.statements.push(isolation(context, subject, direction, certainty));
    if (list === undefined || list === NOT_A_LIST) continue;
    for (let index = 0; index < list.length; index += 1) reading.statements.push(readRule(list[index], index, direction, subject, effective, context));
  }
  return reading;
}

function isolation(context: ReaderContext, subject: Subject, direction: Direction, certainty: Tri): Statement {
  return new PolicyStatement(context.id(), context.object, "spec", -1, "kubernetes", direction, "isolate", subject, NO_PEERS, ANY_PORT, certainty, true, null, UNION_SLOT, false, null);
}

function readRule(rule: unknown, index: number, direction: Direction, subject: Subject, typeCertainty: Tri, context: ReaderContext): Statement {
  const fields = asRecord(rule);
  const peersKey = direction === "ingress" ? "from" : "to";
  let certainty: Tri = typeCertainty;
  if (!fields) {
    context.problem(rulePath(direction, index), "is not a rule object");
    certainty = MAYBE;
  }
  const items = listItems(fields === undefined ? undefined : direction === "ingress" ? fields.from : fields.to);
  let peers: readonly PeerMatcher[];
  let peerless = false;
  if (items === NOT_A_LIST) {
    context.problem(`${rulePath(direction, index)}.${peersKey}`, "is not a list of peers");
    peers = context.peerList(UNREADABLE_PEER);
    peerless = true;
  } else if (items === undefined || items.length === 0) {
    peers = EVERY_PEER;
    peerless = true;
  } else if (items.length === 1) {
    peers = context.peerList(readPeer(items[0], subject.namespaces, context, direction, index, 0));
  } else {
    const list = new Array<PeerMatcher>(items.length);
    for (let peerIndex = 0; peerIndex < items.length; peerIndex += 1) list[peerIndex] = readPeer(items[peerIndex], subject.namespaces, context, direction, index, peerIndex);
    peers = list;
  }
  const ports = readPorts(fields?.ports, context, direction, index);
  return new PolicyStatement(context.id(), context.object, direction, index, "kubernetes", direction, "allow", subject, peers, ports, certainty, peerless, null, UNION_SLOT, false, rule);
}
