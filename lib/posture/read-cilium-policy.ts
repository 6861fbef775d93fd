// cilium.io/v2 CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy → statements (docs/design.md §4.3).
// Semantics follow Cilium's pkg/policy/api (rule.go, ingress.go, egress.go, entity.go, l4.go) and its
// Kubernetes translation: a namespaced policy's endpointSelector always stays in its namespace, and its
// peer selectors do too unless they name io.kubernetes.pod.namespace.

import { parseCidr, type Cidr } from "./cidr";
import { compileEntries, readSelectorEntries, SELECT_NONE, SelectorMemo, type CompiledSelector, type SelectorEntry } from "./label-selectors";
import { ALL_PROTOCOLS, allPortsEntry, ANY_PORT, hasEntries, namedEntry, isValidPort, labelOf, portSetOf, protocolSet, rangeEntry, readObjectName, ReaderContext, sharedCidrPeer, UNREADABLE_PORTS, type CidrPeers, type StatementIds } from "./policy-reader-kit";
import {
  MAYBE,
  NO,
  YES,
  type NamespaceMatcher,
  type NamespaceInfo,
  type PeerMatcher,
  type PodMatcher,
  type PolicyReading,
  type PortEntry,
  type PortSet,
  type Protocol,
  NO_PEERS,
  PolicyStatement,
  type Statement,
  type Subject,
  type Tri,
} from "./statements";
import type { Direction } from "./direction";
import { asRecord, listItems, NOT_A_LIST, readListField } from "./untrusted-json";
import { ValueMemo } from "./value-memo";

export const CILIUM_NAMESPACE_KEY = "io.kubernetes.pod.namespace";
export const CILIUM_NAMESPACE_LABEL_PREFIX = "io.cilium.k8s.namespace.labels.";
export const CILIUM_SERVICE_ACCOUNT_KEY = "io.cilium.k8s.policy.serviceaccount";
const CILIUM_CLUSTER_KEY = "io.cilium.k8s.policy.cluster";

/** Entities of entity.go; only all, world and cluster are any of the strangers (§4.3). */
export const CILIUM_ENTITIES = new Set(["all", "world", "world-ipv4", "world-ipv6", "cluster", "host", "remote-node", "kube-apiserver", "health", "init", "ingress", "unmanaged", "none"]);

const UNION_SLOT = "union";

/** `k8s:app` is `app`; `any:` matches any source. Reserved labels keep their prefix. */
export function normaliseCiliumKey(key: string): string {
  if (key.startsWith("k8s:")) return key.slice(4);
  if (key.startsWith("any:")) return key.slice(4);
  return key;
}

function isNamespaceKey(key: string): boolean {
  return key === CILIUM_NAMESPACE_KEY || key.startsWith(CILIUM_NAMESPACE_LABEL_PREFIX);
}

function namespaceLookup(namespace: NamespaceInfo): (key: string) => string | undefined {
  return (key) => {
    if (key === CILIUM_NAMESPACE_KEY) return namespace.name;
    if (key.startsWith(CILIUM_NAMESPACE_LABEL_PREFIX)) {
      const label = key.slice(CILIUM_NAMESPACE_LABEL_PREFIX.length);
      return labelOf(namespace.labels, label);
    }
    return undefined;
  };
}

interface SplitSelector {
  /** Entries that choose namespaces (the namespace key and namespace labels), compiled; null: none. */
  namespaces: CompiledSelector | null;
  /** The same without the namespace key (a namespaced policy's endpointSelector ignores it). */
  namespaceLabels: CompiledSelector | null;
  pods: PodMatcher;
  /** reserved:<entity> keys: the selector picks Cilium's reserved identities, not pods. */
  reserved: string[];
  namesNamespace: boolean;
  /** Entries other than the reserved ones. */
  otherEntries: number;
}

type SplitReading = { ok: true; split: SplitSelector } | { ok: false; why: string };

// Policies repeat a few selectors thousands of times: each is split and compiled once.
const SPLIT_SELECTORS = new ValueMemo<SplitReading>();
const ALL_NAMESPACES: NamespaceMatcher = Object.freeze({ kind: "all" });

function splitSelector(value: unknown): SplitReading {
  if (value === undefined || value === null) return splitEntries(value);
  return SPLIT_SELECTORS.get(value, () => splitEntries(value));
}

function splitEntries(value: unknown): SplitReading {
  const read = readSelectorEntries(value, normaliseCiliumKey);
  if (!read.ok) return read;
  const namespaceEntries: SelectorEntry[] = [];
  const podEntries: SelectorEntry[] = [];
  const reserved: string[] = [];
  let namesNamespace = false;
  for (const entry of read.entries) {
    if (entry.key.startsWith("reserved:")) reserved.push(entry.key.slice("reserved:".length));
    else if (entry.key === CILIUM_CLUSTER_KEY) continue; // one cluster: the cluster key always holds
    else if (isNamespaceKey(entry.key)) {
      namespaceEntries.push(entry);
      if (entry.key === CILIUM_NAMESPACE_KEY) namesNamespace = true;
    } else podEntries.push(entry);
  }
  const labelEntries = namespaceEntries.filter((entry) => entry.key !== CILIUM_NAMESPACE_KEY);
  return {
    ok: true,
    split: {
      namespaces: namespaceEntries.length > 0 ? compileEntries(namespaceEntries) : null,
      namespaceLabels: labelEntries.length > 0 ? compileEntries(labelEntries) : null,
      pods: { kind: "selector", selector: compileEntries(podEntries), lookup: "cilium" },
      reserved,
      namesNamespace,
      otherEntries: namespaceEntries.length + podEntries.length,
    },
  };
}

const NAMESPACE_MATCHERS = new WeakMap<CompiledSelector, WeakMap<NamespaceMatcher, NamespaceMatcher>>();

/** Namespaces that `base` allows and the namespace entries select; shared per selector and base. */
function namespaceMatcherOf(selector: CompiledSelector | null, base: NamespaceMatcher): NamespaceMatcher {
  if (selector === null) return base;
  let byBase = NAMESPACE_MATCHERS.get(selector);
  if (!byBase) {
    byBase = new WeakMap();
    NAMESPACE_MATCHERS.set(selector, byBase);
  }
  let matcher = byBase.get(base);
  if (!matcher) {
    matcher = {
      kind: "test",
      test: (namespace) => {
        if (base.kind === "names" && !base.names.has(namespace.name)) return NO;
        return selector.test(namespaceLookup(namespace)) === true ? YES : NO;
      },
    };
    byBase.set(base, matcher);
  }
  return matcher;
}

interface RuleScope {
  /** The policy's namespace; null for a CiliumClusterwideNetworkPolicy. */
  namespace: string | null;
}

function readSubject(rule: Record<string, unknown>, scope: RuleScope, context: ReaderContext, field: string): Subject | null {
  const split = splitSelector(rule.endpointSelector);
  if (!split.ok) {
    context.problem(`${field}.endpointSelector`, split.why);
    return { namespaces: scope.namespace === null ? { kind: "all" } : context.namespace(scope.namespace), pods: { kind: "malformed" } };
  }
  const { reserved } = split.split;
  if (reserved.length > 0) return { namespaces: ALL_NAMESPACES, pods: { kind: "selector", selector: SELECT_NONE, lookup: "cilium" } };
  const base: NamespaceMatcher = scope.namespace === null ? ALL_NAMESPACES : context.namespace(scope.namespace);
  // A namespaced policy always applies in its own namespace; Cilium drops a namespace key that says otherwise.
  const namespaceOnly = scope.namespace === null ? split.split.namespaces : split.split.namespaceLabels;
  return { namespaces: namespaceMatcherOf(namespaceOnly, base), pods: split.split.pods };
}

function readEndpointPeer(value: unknown, scope: RuleScope, context: ReaderContext, at: ElementAt, field: string, peerIndex: number): PeerMatcher {
  const split = splitSelector(value);
  if (!split.ok) {
    context.problem(`${fieldPath(at, field)}[${peerIndex}]`, split.why);
    return UNREADABLE_PEER;
  }
  const { reserved, namesNamespace, otherEntries } = split.split;
  if (reserved.length > 0) {
    if (reserved.length === 1 && otherEntries === 0 && CILIUM_ENTITIES.has(reserved[0] as string)) {
      return { kind: "entities", entities: new Set(reserved) };
    }
    return { kind: "entities", entities: new Set() };
  }
  // Without the namespace key a namespaced policy's selector stays in its namespace; a cluster-wide one spans all.
  const base: NamespaceMatcher = scope.namespace !== null && !namesNamespace ? context.namespace(scope.namespace) : ALL_NAMESPACES;
  return context.podsPeer(namespaceMatcherOf(split.split.namespaces, base), split.split.pods);
}

// Peers are shared between rules naming the same thing (they are never mutated): fewer objects for the
// garbage collector to copy.
const UNREADABLE_PEER: PeerMatcher = Object.freeze({ kind: "unreadable" });
const NO_STRANGER_PEER: PeerMatcher = Object.freeze({ kind: "entities", entities: new Set<string>() });
const EVERYTHING_PEER: PeerMatcher = Object.freeze({ kind: "everything" });
const NO_CIDRS: readonly Cidr[] = Object.freeze([]);
const CIDR_PEERS: CidrPeers = new Map();
const ENTITY_PEERS = new SelectorMemo<PeerMatcher>();

function readCidrList(value: unknown, context: ReaderContext, at: ElementAt, field: string, peers: PeerMatcher[]): void {
  const list = listItems(value);
  if (list === NOT_A_LIST) {
    context.problem(fieldPath(at, field), "is not a list of CIDRs");
    peers.push(UNREADABLE_PEER);
    return;
  }
  if (list === undefined) return;
  for (let index = 0; index < list.length; index += 1) {
    const item = list[index];
    const cidr = parseCidr(item, BARE_ADDRESS);
    if (!cidr) {
      context.problem(`${fieldPath(at, field)}[${index}]`, "is not a CIDR or an address");
      peers.push(UNREADABLE_PEER);
    } else {
      peers.push(sharedCidrPeer(CIDR_PEERS, cidr, NO_CIDRS, "cilium"));
    }
  }
}

const BARE_ADDRESS = Object.freeze({ bareAddress: true });

function readCidrSet(value: unknown, context: ReaderContext, at: ElementAt, field: string, peers: PeerMatcher[]): void {
  const list = listItems(value);
  if (list === NOT_A_LIST) {
    context.problem(fieldPath(at, field), "is not a list of CIDR rules");
    peers.push(UNREADABLE_PEER);
    return;
  }
  if (list === undefined) return;
  for (let index = 0; index < list.length; index += 1) peers.push(readCidrRule(list[index], context, at, field, index));
}

function readCidrRule(item: unknown, context: ReaderContext, at: ElementAt, field: string, index: number): PeerMatcher {
  const entry = asRecord(item);
  if (!entry) {
    context.problem(`${fieldPath(at, field)}[${index}]`, "is not a CIDR rule");
    return UNREADABLE_PEER;
  }
  if (entry.cidr === undefined && (entry.cidrGroupRef !== undefined || entry.cidrGroupSelector !== undefined)) {
    // A CiliumCIDRGroup names specific ranges, which Bulkhead does not read: none of the strangers.
    return NO_STRANGER_PEER;
  }
  const cidr = parseCidr(entry.cidr, BARE_ADDRESS);
  if (!cidr) {
    context.problem(`${fieldPath(at, field)}[${index}].cidr`, "is not a CIDR");
    return UNREADABLE_PEER;
  }
  const exceptList = listItems(entry.except);
  if (exceptList === NOT_A_LIST) {
    context.problem(`${fieldPath(at, field)}[${index}].except`, "is not a list of CIDRs");
    return UNREADABLE_PEER;
  }
  const except = new Array<Cidr>(exceptList?.length ?? 0);
  for (let exceptIndex = 0; exceptIndex < except.length; exceptIndex += 1) {
    const excluded = parseCidr((exceptList as unknown[])[exceptIndex], BARE_ADDRESS);
    if (!excluded) {
      context.problem(`${fieldPath(at, field)}[${index}].except[${exceptIndex}]`, "is not a CIDR");
      return UNREADABLE_PEER;
    }
    except[exceptIndex] = excluded;
  }
  return sharedCidrPeer(CIDR_PEERS, cidr, except, "cilium");
}

function readEntities(value: unknown, context: ReaderContext, at: ElementAt, field: string, peers: PeerMatcher[]): void {
  const list = listItems(value);
  if (list === undefined) return;
  if (list === NOT_A_LIST || list.some((item) => typeof item !== "string")) {
    context.problem(fieldPath(at, field), "is not a list of entity names");
    peers.push(UNREADABLE_PEER);
    return;
  }
  for (const item of list as string[]) {
    if (!CILIUM_ENTITIES.has(item.toLowerCase())) {
      context.problem(fieldPath(at, field), `${JSON.stringify(item)} is not a Cilium entity`);
      peers.push(UNREADABLE_PEER);
      return;
    }
  }
  peers.push(ENTITY_PEERS.get(list.length === 1 ? (list[0] as string) : (list as string[]).join(" "), () => ({ kind: "entities", entities: new Set((list as string[]).map((item) => item.toLowerCase())) })));
}

function readFqdns(value: unknown, context: ReaderContext, at: ElementAt, field: string, peers: PeerMatcher[]): void {
  const list = listItems(value);
  if (list === undefined) return;
  if (list === NOT_A_LIST) {
    context.problem(fieldPath(at, field), "is not a list of FQDN selectors");
    peers.push(UNREADABLE_PEER);
    return;
  }
  const matchesAll = list.some((item) => {
    const pattern = asRecord(item)?.matchPattern;
    return typeof pattern === "string" && pattern.trim() === "*";
  });
  peers.push(matchesAll ? FQDN_ALL : FQDN_NAMED);
}

const FQDN_ALL: PeerMatcher = Object.freeze({ kind: "fqdn", matchesAll: true });
const FQDN_NAMED: PeerMatcher = Object.freeze({ kind: "fqdn", matchesAll: false });

function readServices(value: unknown, scope: RuleScope, context: ReaderContext, at: ElementAt, field: string, peers: PeerMatcher[]): void {
  const list = listItems(value);
  if (list === undefined) return;
  if (list === NOT_A_LIST) {
    context.problem(fieldPath(at, field), "is not a list of services");
    peers.push(UNREADABLE_PEER);
    return;
  }
  for (const item of list) {
    const service = asRecord(asRecord(item)?.k8sService);
    const name = service?.serviceName;
    if (typeof name === "string") {
      const namespace = typeof service?.namespace === "string" ? service.namespace : (scope.namespace ?? "default");
      peers.push({ kind: "service", namespace, name });
    } else {
      // A service selector names specific services: none of the strangers.
      peers.push(NO_STRANGER_PEER);
    }
  }
}

/** Cilium ports are strings: a number, "0" (every port) or an IANA service name; ANY or no protocol is TCP, UDP and SCTP. */
function readCiliumPort(value: unknown, context: ReaderContext, at: ElementAt, index: number, portIndex: number): PortEntry {
  const entry = asRecord(value);
  if (!entry) {
    context.problem(portPath(at, index, portIndex), "is not a port entry");
    return { protocols: ALL_PROTOCOLS, kind: "malformed" };
  }
  let protocols: ReadonlySet<Protocol> = ALL_PROTOCOLS;
  const protocol = entry.protocol;
  if (protocol !== undefined && protocol !== null && protocol !== "" && protocol !== "ANY") {
    if (protocol !== "TCP" && protocol !== "UDP" && protocol !== "SCTP") {
      // ICMP, VRRP, GRE and the like carry no ports: none of the traffic Bulkhead asks about.
      if (typeof protocol === "string") return { protocols: new Set(), kind: "all" };
      context.problem(`${portPath(at, index, portIndex)}.protocol`, "is not a protocol name");
      return { protocols: ALL_PROTOCOLS, kind: "malformed" };
    }
    protocols = protocolSet(protocol);
  }
  const port = typeof entry.port === "number" ? String(entry.port) : entry.port;
  if (port === undefined || port === null || port === "") return allPortsEntry(protocols);
  if (typeof port !== "string") {
    context.problem(`${portPath(at, index, portIndex)}.port`, "is not a port");
    return { protocols, kind: "malformed" };
  }
  if (/[a-zA-Z]/.test(port)) return namedEntry(protocols, port.toLowerCase());
  const number = Number(port);
  if (!Number.isInteger(number) || number < 0 || number > 65535) {
    context.problem(`${portPath(at, index, portIndex)}.port`, `${JSON.stringify(port)} is not a port 0–65535 or a port name`);
    return { protocols, kind: "malformed" };
  }
  // Port 0 wildcards the port in Cilium's datapath: every port of the protocol.
  if (number === 0) return allPortsEntry(protocols);
  const endPort = entry.endPort;
  if (endPort === undefined || endPort === null || endPort === 0) return rangeEntry(protocols, number, number);
  if (typeof endPort !== "number" || !isValidPort(endPort) || endPort < number) {
    context.problem(`${portPath(at, index, portIndex)}.endPort`, "is not a port number at or above port");
    return { protocols, kind: "malformed" };
  }
  return rangeEntry(protocols, number, endPort);
}

function readToPorts(value: unknown, context: ReaderContext, at: ElementAt): PortSet | null {
  const list = listItems(value);
  if (list === undefined || (list !== NOT_A_LIST && list.length === 0)) return null;
  if (list === NOT_A_LIST) {
    context.problem(fieldPath(at, "toPorts"), "is not a list of port rules");
    return UNREADABLE_PORTS;
  }
  const include: PortEntry[] = [];
  for (let index = 0; index < list.length; index += 1) {
    const rule = asRecord(list[index]);
    if (!rule) {
      context.problem(`${fieldPath(at, "toPorts")}[${index}]`, "is not a port rule");
      include.push({ protocols: ALL_PROTOCOLS, kind: "malformed" });
      continue;
    }
    const ports = listItems(rule.ports);
    if (ports === NOT_A_LIST) {
      context.problem(`${fieldPath(at, "toPorts")}[${index}].ports`, "is not a list of ports");
      include.push({ protocols: ALL_PROTOCOLS, kind: "malformed" });
    } else if (ports === undefined || ports.length === 0) {
      include.push(allPortsEntry(ALL_PROTOCOLS));
    } else {
      // L7 rules (http, dns, kafka) still allow the L4 port; what the proxy then filters is finer than Bulkhead judges.
      for (let portIndex = 0; portIndex < ports.length; portIndex += 1) include.push(readCiliumPort(ports[portIndex], context, at, index, portIndex));
    }
  }
  return portSetOf(include);
}

const INGRESS_PEER_FIELDS = ["fromEndpoints", "fromCIDR", "fromCIDRSet", "fromEntities", "fromGroups", "fromNodes"] as const;
const EGRESS_PEER_FIELDS = ["toEndpoints", "toCIDR", "toCIDRSet", "toEntities", "toServices", "toFQDNs", "toGroups", "toNodes"] as const;
type PeerField = (typeof INGRESS_PEER_FIELDS)[number] | (typeof EGRESS_PEER_FIELDS)[number];

/** Where a rule element is: its list (`ingress`, `specs[1].egressDeny`) and index in it. */
interface ElementAt {
  list: string;
  index: number;
}

/** A field's path, spelled out only for a problem (building it for every rule costs more than reading the rule). */
function fieldPath(at: ElementAt, field: string): string {
  return `${at.list}[${at.index}].${field}`;
}

function portPath(at: ElementAt, index: number, portIndex: number): string {
  return `${fieldPath(at, "toPorts")}[${index}].ports[${portIndex}]`;
}

/** The bit of a peer field in its direction's list (its position there), 0 for any other key. */
function peerFieldBit(direction: Direction, key: string): number {
  const fields: readonly string[] = direction === "ingress" ? INGRESS_PEER_FIELDS : EGRESS_PEER_FIELDS;
  const position = fields.indexOf(key);
  return position < 0 ? 0 : 1 << position;
}

/** One peer field of a rule element, read into `peers`. */
function readPeerField(name: PeerField, value: unknown, scope: RuleScope, context: ReaderContext, at: ElementAt, peers: PeerMatcher[]): void {
  switch (name) {
    case "fromEndpoints":
    case "toEndpoints": {
      const list = listItems(value);
      if (!Array.isArray(list)) {
        context.problem(fieldPath(at, name), "is not a list of endpoint selectors");
        peers.push(UNREADABLE_PEER);
      } else {
        for (let peerIndex = 0; peerIndex < list.length; peerIndex += 1) peers.push(readEndpointPeer(list[peerIndex], scope, context, at, name, peerIndex));
      }
      return;
    }
    case "fromCIDR":
    case "toCIDR":
      return readCidrList(value, context, at, name, peers);
    case "fromCIDRSet":
    case "toCIDRSet":
      return readCidrSet(value, context, at, name, peers);
    case "fromEntities":
    case "toEntities":
      return readEntities(value, context, at, name, peers);
    case "toFQDNs":
      return readFqdns(value, context, at, name, peers);
    case "toServices":
      return readServices(value, scope, context, at, name, peers);
    default:
      // Cloud groups and node selectors name specific machines: none of the strangers.
      peers.push(NO_STRANGER_PEER);
  }
}

const NO_FIELDS: Record<string, unknown> = Object.freeze({});

function readElement(
  element: unknown,
  direction: Direction,
  action: "allow" | "deny",
  list: string,
  index: number,
  subject: Subject,
  scope: RuleScope,
  context: ReaderContext,
): Statement {
  const at: ElementAt = { list, index };
  const rule = asRecord(element);
  let certainty: Tri = YES;
  if (!rule) {
    context.problem(`${list}[${index}]`, "is not a rule object");
    certainty = MAYBE;
  }
  const fields = rule ?? NO_FIELDS;
  // The peer fields the element sets, found from its own keys (a rule names one or two of the eight)
  // and read in the order of the field list.
  let present = 0;
  for (const key in fields) {
    const bit = peerFieldBit(direction, key);
    if (bit !== 0 && hasEntries(fields[key])) present |= bit;
  }
  const peers: PeerMatcher[] = [];
  const peerFields = direction === "ingress" ? INGRESS_PEER_FIELDS : EGRESS_PEER_FIELDS;
  for (let fieldIndex = 0; present !== 0 && fieldIndex < peerFields.length; fieldIndex += 1) {
    if ((present & (1 << fieldIndex)) === 0) continue;
    const name = peerFields[fieldIndex] as PeerField;
    readPeerField(name, fields[name], scope, context, at, peers);
  }
  const namesPeer = present !== 0;
  if (hasEntries(fields.fromRequires) || hasEntries(fields.toRequires)) {
    // Deprecated requirements narrow a rule in ways that need every endpoint's labels: no credit for it.
    certainty = MAYBE;
  }
  const toPorts = readToPorts(fields.toPorts, context, at);
  const icmps = hasEntries(fields.icmps);
  const icmpOnly = !namesPeer && toPorts === null && icmps;
  let ports: PortSet = toPorts ?? ANY_PORT;
  if (icmps && toPorts === null) ports = { ...ANY_PORT, protocols: new Set() };
  let peerless = false;
  if (!namesPeer) {
    // No peer field: with toPorts, every peer on those ports; without, nothing (`ingress: [{}]`).
    if (toPorts !== null && !icmpOnly) {
      peers.push(EVERYTHING_PEER);
      peerless = true;
    }
  } else {
    for (let peerIndex = 0; peerIndex < peers.length && !peerless; peerIndex += 1) {
      const peer = peers[peerIndex] as PeerMatcher;
      if (peer.kind === "entities" && peer.entities.has("all")) peerless = true;
    }
  }
  return new PolicyStatement(
    context.id(),
    context.object,
    list,
    index,
    "cilium",
    direction,
    action,
    subject,
    peers.length === 1 ? context.peerList(peers[0] as PeerMatcher) : peers,
    ports,
    certainty,
    peerless,
    null,
    UNION_SLOT,
    hasEntries(fields.toFQDNs),
    element,
  );
}

function readRule(value: unknown, prefix: string, scope: RuleScope, context: ReaderContext, reading: PolicyReading): void {
  const rule = asRecord(value);
  const field = prefix;
  if (!rule) {
    context.problem(field, "is not a rule object");
    return;
  }
  if (rule.endpointSelector === undefined || rule.endpointSelector === null) {
    // Host policies (nodeSelector) select nodes, not pods.
    if (rule.nodeSelector !== undefined && rule.nodeSelector !== null) reading.hostOnly = true;
    else context.problem(`${field}.endpointSelector`, "is missing: the rule selects no endpoint");
    return;
  }
  const subject = readSubject(rule, scope, context, field);
  if (!subject) return;
  const defaultDeny = asRecord(rule.enableDefaultDeny);
  // The list names (`ingress`, `specs[1].egressDeny`) of the spec: only "spec" needs no prefix.
  const listPrefix = prefix === "spec" ? "" : `${prefix}.`;
  for (let directionIndex = 0; directionIndex < 2; directionIndex += 1) {
    const direction: Direction = directionIndex === 0 ? "ingress" : "egress";
    const denyName = direction === "ingress" ? "ingressDeny" : "egressDeny";
    // Named loads (not rule[direction]): a key that varies makes every such load a slow generic one.
    const allows = listItems(direction === "ingress" ? rule.ingress : rule.egress);
    const denies = listItems(direction === "ingress" ? rule.ingressDeny : rule.egressDeny);
    if (allows === NOT_A_LIST) context.problem(`${field}.${direction}`, "is not a list of rules");
    if (denies === NOT_A_LIST) context.problem(`${field}.${denyName}`, "is not a list of rules");
    const hasRules = (Array.isArray(allows) && allows.length > 0) || (Array.isArray(denies) && denies.length > 0);
    const unreadable = allows === NOT_A_LIST || denies === NOT_A_LIST;
    const explicit = defaultDeny === undefined ? undefined : direction === "ingress" ? defaultDeny.ingress : defaultDeny.egress;
    const isolates: Tri = explicit === false ? NO : explicit === true || hasRules ? YES : unreadable ? MAYBE : NO;
    if (isolates !== NO) {
      reading.statements.push(new PolicyStatement(context.id(), context.object, prefix, -1, "cilium", direction, "isolate", subject, NO_PEERS, ANY_PORT, isolates, true, null, UNION_SLOT, false, null));
    }
    if (Array.isArray(allows)) {
      const list = listPrefix === "" ? direction : `${listPrefix}${direction}`;
      for (let index = 0; index < allows.length; index += 1) reading.statements.push(readElement(allows[index], direction, "allow", list, index, subject, scope, context));
    }
    if (Array.isArray(denies)) {
      const list = listPrefix === "" ? denyName : `${listPrefix}${denyName}`;
      for (let index = 0; index < denies.length; index += 1) reading.statements.push(readElement(denies[index], direction, "deny", list, index, subject, scope, context));
    }
  }
}

export function readCiliumPolicy(object: unknown, clusterwide: boolean, ids: StatementIds): PolicyReading {
  const { namespace: declaredNamespace, name } = readObjectName(object);
  const namespace = clusterwide ? null : (declaredNamespace ?? "default");
  const ref = { kind: clusterwide ? ("CiliumClusterwideNetworkPolicy" as const) : ("CiliumNetworkPolicy" as const), namespace, name };
  const context = new ReaderContext(ref, ids);
  const reading: PolicyReading = { ref, family: "cilium", scope: clusterwide ? "cluster" : "namespace", statements: [], problems: context.problems, hostOnly: false, object: undefined };
  const record = asRecord(object) ?? {};
  const scope: RuleScope = { namespace };
  const hasSpec = record.spec !== undefined && record.spec !== null;
  const specs = readListField(record.specs);
  if (!hasSpec && specs.state !== "list") {
    context.problem("spec", "is missing: a Cilium policy needs spec or specs");
    return reading;
  }
  if (hasSpec) readRule(record.spec, "spec", scope, context, reading);
  if (specs.state === "malformed") context.problem("specs", "is not a list of rules");
  if (specs.state === "list") for (let index = 0; index < specs.items.length; index += 1) readRule(specs.items[index], `specs[${index}]`, scope, context, reading);
  // Host-only when every rule was a host rule.
  if (reading.statements.length > 0) reading.hostOnly = false;
  return reading;
}
