// Calico NetworkPolicy and GlobalNetworkPolicy (projectcalico.org/v3, crd.projectcalico.org/v1) →
// statements (docs/design.md §4.3). Semantics follow projectcalico/api (policy_common.go,
// networkpolicy.go) and libcalico-go's rule conversion: a namespaced policy's rule selectors stay in
// its namespace unless the rule has a namespaceSelector; a global policy's span every namespace.

import { CalicoSelectorError, parseCalicoSelector, type ParsedCalicoSelector } from "./calico-selector";
import { parseCidr, type Cidr } from "./cidr";
import { and, not, SELECT_NONE, type CompiledSelector } from "./label-selectors";
import { ALL_PROTOCOLS, ANY_PORT, hasEntries, labelOf, NO_PROTOCOLS, protocolSet, readDeclaredTypes, isValidPort, rangeEntry, readObjectName, ReaderContext, UNREADABLE_PORTS, type StatementIds } from "./policy-reader-kit";
import {
  MAYBE,
  NO,
  YES,
  type NamespaceInfo,
  type NamespaceMatcher,
  type PeerMatcher,
  type PodMatcher,
  type PolicyReading,
  type PortEntry,
  type PortSet,
  type Protocol,
  type Statement,
  type StatementAction,
  NO_PEERS,
  PolicyStatement,
  type Subject,
  type Tri,
} from "./statements";
import type { Direction } from "./direction";
import { asRecord, listItems, NOT_A_LIST, readListField } from "./untrusted-json";

export const CALICO_NAMESPACE_NAME_LABEL = "projectcalico.org/name";
export const DEFAULT_TIER = "default";

/** Calico namespace selectors see the namespace's labels plus projectcalico.org/name. */
export function calicoNamespaceLookup(namespace: NamespaceInfo): (key: string) => string | undefined {
  return (key) => {
    if (key === CALICO_NAMESPACE_NAME_LABEL) return namespace.name;
    return labelOf(namespace.labels, key);
  };
}

/** Where a rule is: its direction and index. Null: the field is the policy's own (`spec.selector`). */
interface RuleAt {
  direction: Direction;
  index: number;
}

/** A field's path, spelled out only for a problem (building it for every rule costs more than reading the rule). */
function pathOf(at: RuleAt | null, field: string, subfield?: string): string {
  const path = at === null ? field : `spec.${at.direction}[${at.index}].${field}`;
  return subfield === undefined ? path : `${path}.${subfield}`;
}

/** Reads a selector field: undefined when absent or empty, "bad" when unreadable (reported with its position). */
function readSelectorField(value: unknown, context: ReaderContext, at: RuleAt | null, field: string, subfield?: string): ParsedCalicoSelector | undefined | "bad" {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") {
    context.problem(pathOf(at, field, subfield), "is not a selector string");
    return "bad";
  }
  try {
    return parseCalicoSelector(value);
  } catch (error) {
    if (!(error instanceof CalicoSelectorError)) throw error;
    context.problem(pathOf(at, field, subfield), `does not parse: ${error.message} in ${JSON.stringify(value)}`);
    return "bad";
  }
}

// Matchers are shared per parsed selector (parseCalicoSelector shares those per text) and never
// mutated: thousands of rules name a few selectors, and every object a reading keeps alive costs
// the garbage collector a copy.
const NO_NAMESPACE: NamespaceMatcher = Object.freeze({ kind: "test", test: () => NO });
const EVERY_NAMESPACE: NamespaceMatcher = Object.freeze({ kind: "all" });
const NAMESPACE_MATCHERS = new WeakMap<ParsedCalicoSelector, NamespaceMatcher>();
const POD_MATCHERS = new WeakMap<CompiledSelector, PodMatcher>();
const NO_NETS: readonly Cidr[] = Object.freeze([]);

function namespaceMatcherFor(selector: ParsedCalicoSelector): NamespaceMatcher {
  if (selector.global) return NO_NAMESPACE;
  if (selector.empty) return EVERY_NAMESPACE;
  let matcher = NAMESPACE_MATCHERS.get(selector);
  if (!matcher) {
    matcher = { kind: "test", test: (namespace) => (selector.test(calicoNamespaceLookup(namespace)) === true ? YES : NO) };
    NAMESPACE_MATCHERS.set(selector, matcher);
  }
  return matcher;
}

function podMatcherFor(selector: CompiledSelector | undefined): PodMatcher {
  const compiled = selector ?? parseCalicoSelector("");
  let matcher = POD_MATCHERS.get(compiled);
  if (!matcher) {
    matcher = { kind: "selector", selector: compiled, lookup: "calico" };
    POD_MATCHERS.set(compiled, matcher);
  }
  return matcher;
}

function combine(selectors: readonly CompiledSelector[]): CompiledSelector {
  const specific = selectors.filter((selector) => !selector.empty);
  if (specific.length === 0) return parseCalicoSelector("");
  if (specific.length === 1) return specific[0] as CompiledSelector;
  return { empty: false, canonical: specific.map((selector) => `(${selector.canonical})`).join(" && "), test: (lookup) => and(specific.map((selector) => selector.test(lookup))) };
}

function negate(selector: CompiledSelector): CompiledSelector {
  return { empty: false, canonical: `!(${selector.canonical})`, test: (lookup) => not(selector.test(lookup)) };
}

const NO_FIELDS: Record<string, unknown> = Object.freeze({});

const PROTOCOL_NUMBERS: Record<string, Protocol> = { "6": "TCP", "17": "UDP", "132": "SCTP" };

/** Calico protocols: names or numbers; ICMP and the rest carry no ports, so none of the queries. */
function readProtocol(value: unknown, context: ReaderContext, at: RuleAt, field: string): ReadonlySet<Protocol> | "bad" {
  if (typeof value === "number") return PROTOCOL_NUMBERS[String(value)] ? protocolSet(PROTOCOL_NUMBERS[String(value)] as Protocol) : NO_PROTOCOLS;
  if (typeof value !== "string") {
    context.problem(pathOf(at, field), "is not a protocol");
    return "bad";
  }
  const upper = value.toUpperCase();
  if (upper === "TCP" || upper === "UDP" || upper === "SCTP") return protocolSet(upper);
  if (PROTOCOL_NUMBERS[value]) return protocolSet(PROTOCOL_NUMBERS[value] as Protocol);
  return NO_PROTOCOLS;
}

/** Calico ports: numbers, "a:b" ranges and named ports. */
const NO_PORT_ENTRIES: PortEntry[] = [];

function readCalicoPorts(value: unknown, protocols: ReadonlySet<Protocol>, context: ReaderContext, at: RuleAt, field: string, subfield: string): PortEntry[] | "bad" {
  const list = listItems(value);
  if (list === undefined) return NO_PORT_ENTRIES;
  if (list === NOT_A_LIST) {
    context.problem(pathOf(at, field, subfield), "is not a list of ports");
    return "bad";
  }
  const entries = new Array<PortEntry>(list.length);
  for (let index = 0; index < list.length; index += 1) entries[index] = readCalicoPort(list[index], protocols, context, at, field, subfield, index);
  return entries;
}

function readCalicoPort(item: unknown, protocols: ReadonlySet<Protocol>, context: ReaderContext, at: RuleAt, field: string, subfield: string, index: number): PortEntry {
  if (typeof item === "number") {
    if (isValidPort(item)) return rangeEntry(protocols, item, item);
  } else if (typeof item === "string") {
    const range = /^(\d+):(\d+)$/.exec(item);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (isValidPort(from) && isValidPort(to) && from <= to) return rangeEntry(protocols, from, to);
    } else if (/^\d+$/.test(item)) {
      const port = Number(item);
      if (isValidPort(port)) return rangeEntry(protocols, port, port);
    } else if (item !== "") {
      return { protocols, kind: "named", name: item };
    }
  }
  context.problem(`${pathOf(at, field, subfield)}[${index}]`, `${JSON.stringify(item)} is not a port, a "first:last" range or a port name`);
  return { protocols, kind: "malformed" };
}

const BARE_ADDRESS = Object.freeze({ bareAddress: true });

function readNets(value: unknown, context: ReaderContext, at: RuleAt, field: string, subfield?: string): Cidr[] | null | "bad" {
  const list = listItems(value);
  if (list === undefined) return null;
  if (list === NOT_A_LIST) {
    context.problem(pathOf(at, field, subfield), "is not a list of CIDRs");
    return "bad";
  }
  const nets = new Array<Cidr>(list.length);
  for (let index = 0; index < list.length; index += 1) {
    const cidr = parseCidr(list[index], BARE_ADDRESS);
    if (!cidr) {
      context.problem(`${pathOf(at, field, subfield)}[${index}]`, "is not a CIDR or an address");
      return "bad";
    }
    nets[index] = cidr;
  }
  return nets;
}

interface PolicyScope {
  /** The policy's namespace; null for a GlobalNetworkPolicy. */
  namespace: string | null;
}

/** The peer side of a rule (source for ingress, destination for egress) as one matcher. */
function readPeerEntity(entity: Record<string, unknown>, scope: PolicyScope, ipVersion: 4 | 6 | null, context: ReaderContext, at: RuleAt, side: "source" | "destination"): { matcher: PeerMatcher; peerless: boolean } {
  const services = asRecord(entity.services);
  if (services && typeof services.name === "string") {
    const namespace = typeof services.namespace === "string" && services.namespace !== "" ? services.namespace : (scope.namespace ?? "default");
    return { matcher: { kind: "service", namespace, name: services.name }, peerless: false };
  }
  const nets = readNets(entity.nets, context, at, side, "nets");
  const notNets = readNets(entity.notNets, context, at, side, "notNets");
  const selector = readSelectorField(entity.selector, context, at, side, "selector");
  const notSelector = readSelectorField(entity.notSelector, context, at, side, "notSelector");
  const namespaceSelector = readSelectorField(entity.namespaceSelector, context, at, side, "namespaceSelector");
  if (nets === "bad" || notNets === "bad" || selector === "bad" || notSelector === "bad" || namespaceSelector === "bad") {
    return { matcher: { kind: "unreadable" }, peerless: selector === undefined && nets === null && namespaceSelector === undefined };
  }
  const accounts = asRecord(entity.serviceAccounts);
  const serviceAccounts = accounts !== undefined && ((Array.isArray(accounts.names) && accounts.names.length > 0) || (typeof accounts.selector === "string" && accounts.selector.trim() !== "" && accounts.selector.trim() !== "all()"));
  const nsScope: NamespaceMatcher | null = namespaceSelector ? namespaceMatcherFor(namespaceSelector) : scope.namespace !== null ? context.namespace(scope.namespace) : null;
  let endpoints: { namespaces: NamespaceMatcher; pods: PodMatcher } | null = null;
  if (selector || (nsScope !== null && (notSelector || namespaceSelector))) {
    const pods: PodMatcher = selector?.global ? { kind: "selector", selector: SELECT_NONE, lookup: "calico" } : podMatcherFor(selector);
    endpoints = { namespaces: nsScope ?? EVERY_NAMESPACE, pods };
  }
  const peerless = selector === undefined && nets === null && namespaceSelector === undefined && !serviceAccounts;
  return {
    matcher: {
      kind: "calico",
      nets,
      notNets: notNets ?? NO_NETS,
      endpoints,
      notSelector: notSelector ? podMatcherFor(notSelector) : null,
      serviceAccounts,
      ipVersion,
    },
    peerless,
  };
}

function readRule(
  value: unknown,
  index: number,
  direction: Direction,
  policySubject: Subject,
  scope: PolicyScope,
  order: Statement["order"],
  slot: string,
  context: ReaderContext,
): Statement {
  const at: RuleAt = { direction, index };
  const rule = asRecord(value);
  let certainty: Tri = YES;
  const id = context.id();
  if (!rule) {
    context.problem(`spec.${direction}[${index}]`, "is not a rule object");
    return calicoStatement(id, context, direction, index, direction, "unreadable", policySubject, [{ kind: "unreadable" }], UNREADABLE_PORTS, MAYBE, true, order, slot, value);
  }
  let action: StatementAction;
  switch (rule.action) {
    case "Allow":
      action = "allow";
      break;
    case "Deny":
      action = "deny";
      break;
    case "Pass":
      action = "pass";
      break;
    case "Log":
      action = "log";
      break;
    default:
      context.problem(pathOf(at, "action"), `${JSON.stringify(rule.action)} is not Allow, Deny, Pass or Log`);
      action = "unreadable";
  }
  let protocols: ReadonlySet<Protocol> = ALL_PROTOCOLS;
  if (rule.protocol !== undefined && rule.protocol !== null) {
    const read = readProtocol(rule.protocol, context, at, "protocol");
    if (read === "bad") certainty = MAYBE;
    else protocols = read;
  }
  if (rule.notProtocol !== undefined && rule.notProtocol !== null) {
    const read = readProtocol(rule.notProtocol, context, at, "notProtocol");
    if (read === "bad") certainty = MAYBE;
    else protocols = new Set([...protocols].filter((protocol) => !read.has(protocol)));
  }
  const ipVersion = rule.ipVersion === 4 || rule.ipVersion === 6 ? rule.ipVersion : null;
  const peerKey = direction === "ingress" ? "source" : "destination";
  const localKey = direction === "ingress" ? "destination" : "source";
  // Named loads (not rule[peerKey]): a key that varies makes every such load a slow generic one.
  const peerValue = direction === "ingress" ? rule.source : rule.destination;
  const localValue = direction === "ingress" ? rule.destination : rule.source;
  const peerEntity = asRecord(peerValue) ?? NO_FIELDS;
  const localEntity = asRecord(localValue) ?? NO_FIELDS;
  if (peerValue !== undefined && peerValue !== null && !asRecord(peerValue)) {
    context.problem(pathOf(at, peerKey), "is not an entity rule");
    certainty = MAYBE;
  }
  const { matcher, peerless } = readPeerEntity(peerEntity, scope, ipVersion, context, at, peerKey);

  // Ports: the destination's ports are the port queried; the source's are the client's, unknown in advance.
  const destination = direction === "ingress" ? localEntity : peerEntity;
  const source = direction === "ingress" ? peerEntity : localEntity;
  const include = readCalicoPorts(destination.ports, protocols, context, at, "destination", "ports");
  const exclude = readCalicoPorts(destination.notPorts, protocols, context, at, "destination", "notPorts");
  let ports: PortSet;
  if (include === "bad" || exclude === "bad") ports = UNREADABLE_PORTS;
  else ports = { include: include.length > 0 ? include : null, exclude, protocols, uncertain: false };
  if (hasEntries(source.ports) || hasEntries(source.notPorts)) ports = { ...ports, uncertain: true };

  // The local side narrows which of the policy's pods the rule is about.
  let subject = policySubject;
  const localSelector = readSelectorField(localEntity.selector, context, at, localKey, "selector");
  const localNotSelector = readSelectorField(localEntity.notSelector, context, at, localKey, "notSelector");
  if (localSelector === "bad" || localNotSelector === "bad") {
    subject = { ...policySubject, pods: { kind: "malformed" } };
  } else if ((localSelector || localNotSelector) && policySubject.pods.kind === "selector") {
    const parts = [policySubject.pods.selector];
    if (localSelector) parts.push(localSelector);
    if (localNotSelector) parts.push(negate(localNotSelector));
    subject = { ...policySubject, pods: { kind: "selector", selector: combine(parts), lookup: "calico" } };
  }
  const localNets = readNets(localEntity.nets, context, at, localKey, "nets");
  if (localNets === "bad" || (Array.isArray(localNets) && !localNets.some((net) => net.prefix === 0)) || hasEntries(localEntity.notNets)) {
    // Which pod addresses a local net holds is not known from policy objects alone.
    certainty = MAYBE;
  }
  return calicoStatement(id, context, direction, index, direction, action, subject, [matcher], ports, certainty, peerless, order, slot, value);
}

/** Every Calico statement, built in one place. */
function calicoStatement(
  id: number,
  context: ReaderContext,
  list: string,
  index: number,
  direction: Direction,
  action: StatementAction,
  subject: Subject,
  peers: readonly PeerMatcher[],
  ports: PortSet,
  certainty: Tri,
  peerless: boolean,
  order: Statement["order"],
  slot: string,
  rule: unknown,
): Statement {
  return new PolicyStatement(id, context.object, list, index, "calico", direction, action, subject, peers, ports, certainty, peerless, order, slot, false, rule);
}

/** Calico's defaulting of `types` (networkpolicy.go): Egress alone only when there are egress rules and no ingress rules. */
function readTypes(spec: Record<string, unknown>, context: ReaderContext): { ingress: Tri; egress: Tri } {
  const declared = readDeclaredTypes(spec.types, "spec.types", context);
  if (declared) return declared;
  const ingress = hasEntries(spec.ingress);
  const egress = hasEntries(spec.egress);
  if (egress && !ingress) return { ingress: NO, egress: YES };
  return { ingress: YES, egress: egress ? YES : NO };
}

export function readCalicoPolicy(object: unknown, global: boolean, ids: StatementIds): PolicyReading {
  const { namespace: declaredNamespace, name } = readObjectName(object);
  const namespace = global ? null : (declaredNamespace ?? "default");
  const ref = { kind: global ? ("CalicoGlobalNetworkPolicy" as const) : ("CalicoNetworkPolicy" as const), namespace, name };
  const context = new ReaderContext(ref, ids);
  const reading: PolicyReading = { ref, family: "calico", scope: global ? "cluster" : "namespace", statements: [], problems: context.problems, hostOnly: false, object: undefined };
  const spec = asRecord(asRecord(object)?.spec);
  if (!spec) {
    context.problem("spec", "is missing or not an object");
    return reading;
  }
  if (spec.doNotTrack === true || spec.preDNAT === true) {
    // doNotTrack and preDNAT policies apply to host endpoints only.
    reading.hostOnly = true;
    return reading;
  }
  const scope: PolicyScope = { namespace };
  let pods: PodMatcher;
  const selector = readSelectorField(spec.selector, context, null, "spec.selector");
  if (selector === "bad") pods = { kind: "malformed" };
  else if (selector?.global) pods = { kind: "selector", selector: SELECT_NONE, lookup: "calico" };
  else pods = podMatcherFor(selector);
  const accounts = readSelectorField(spec.serviceAccountSelector, context, null, "spec.serviceAccountSelector");
  if (accounts === "bad") pods = { kind: "malformed" };
  else if (accounts && !accounts.empty && pods.kind === "selector") {
    // Pods' service accounts are not known from their labels: no pod is known to match.
    pods = { kind: "selector", selector: combine([pods.selector, { empty: false, canonical: `sa(${accounts.canonical})`, test: () => null }]), lookup: "calico" };
  }
  let namespaces: NamespaceMatcher = namespace === null ? { kind: "all" } : context.namespace(namespace);
  if (global) {
    const namespaceSelector = readSelectorField(spec.namespaceSelector, context, null, "spec.namespaceSelector");
    if (namespaceSelector === "bad") pods = { kind: "malformed" };
    else if (namespaceSelector) namespaces = namespaceMatcherFor(namespaceSelector);
  }
  const subject: Subject = { namespaces, pods };
  const rawOrder = spec.order;
  let orderValue = Number.POSITIVE_INFINITY;
  if (typeof rawOrder === "number" && Number.isFinite(rawOrder)) orderValue = rawOrder;
  else if (rawOrder !== undefined && rawOrder !== null) context.problem("spec.order", "is not a number; the policy is ordered last");
  const tier = typeof spec.tier === "string" && spec.tier !== "" ? spec.tier : DEFAULT_TIER;
  const order = { tier, order: orderValue, name };
  const slot = `${ref.kind}/${namespace ?? ""}/${name}`;
  const types = readTypes(spec, context);
  for (const direction of ["ingress", "egress"] as const) {
    const declared = direction === "ingress" ? types.ingress : types.egress;
    if (declared === NO) continue;
    const list = readListField(direction === "ingress" ? spec.ingress : spec.egress);
    if (list.state === "malformed") context.problem(`spec.${direction}`, "is not a list of rules");
    reading.statements.push(calicoStatement(context.id(), context, "spec", -1, direction, "isolate", subject, NO_PEERS, ANY_PORT, list.state === "malformed" ? MAYBE : declared, true, order, slot, null));
    if (list.state === "list") for (let index = 0; index < list.items.length; index += 1) reading.statements.push(readRule(list.items[index], index, direction, subject, scope, order, slot, context));
  }
  return reading;
}
