// networking.k8s.io/v1 NetworkPolicy → statements (docs/design.md §4.3, first bullet).

import { parseCidr, type Cidr } from "./cidr";
import { compileLabelSelector, lookupIn } from "./label-selectors";
import {
  ALL_PROTOCOLS,
  ANY_PORT,
  isValidPort,
  protocolSet,
  rangeEntry,
  readObjectName,
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
  type Statement,
  type Subject,
  type Tri,
} from "./statements";
import type { Direction } from "./types";
import { asRecord, readListField } from "./untrusted-json";

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

function podMatcher(value: unknown, context: ReaderContext, field: string): PodMatcher {
  const compiled = compileLabelSelector(value);
  if (compiled.ok) {
    let matcher = POD_MATCHERS.get(compiled.selector);
    if (!matcher) {
      matcher = { kind: "selector", selector: compiled.selector, lookup: "kubernetes" };
      POD_MATCHERS.set(compiled.selector, matcher);
    }
    return matcher;
  }
  context.problem(field, compiled.why);
  return { kind: "malformed" };
}

function readIpBlock(value: unknown, context: ReaderContext, field: string): PeerMatcher {
  const block = asRecord(value);
  const cidr = parseCidr(block?.cidr);
  if (!block || !cidr) {
    context.problem(`${field}.cidr`, "is not a CIDR such as 10.0.0.0/8 or fd00::/8");
    return { kind: "unreadable" };
  }
  const except: Cidr[] = [];
  const list = readListField(block.except);
  if (list.state === "malformed") {
    context.problem(`${field}.except`, "is not a list of CIDRs");
    return { kind: "unreadable" };
  }
  if (list.state === "list") {
    for (let index = 0; index < list.items.length; index += 1) {
      const excluded = parseCidr(list.items[index]);
      if (!excluded) {
        context.problem(`${field}.except[${index}]`, "is not a CIDR");
        return { kind: "unreadable" };
      }
      except.push(excluded);
    }
  }
  return { kind: "cidr", cidr, except, engine: "kubernetes" };
}

function readPeer(value: unknown, ownNamespace: string, context: ReaderContext, field: string): PeerMatcher {
  const peer = asRecord(value);
  if (!peer) {
    context.problem(field, "is not a peer object");
    return { kind: "unreadable" };
  }
  const hasSelectors = peer.namespaceSelector !== undefined || peer.podSelector !== undefined;
  if (peer.ipBlock !== undefined && peer.ipBlock !== null) {
    if (hasSelectors) {
      context.problem(field, "has ipBlock together with a selector; Kubernetes allows only one of them");
      return { kind: "unreadable" };
    }
    return readIpBlock(peer.ipBlock, context, `${field}.ipBlock`);
  }
  if (!hasSelectors) {
    context.problem(field, "names no podSelector, namespaceSelector or ipBlock");
    return { kind: "unreadable" };
  }
  let namespaces: NamespaceMatcher = context.namespace(ownNamespace);
  if (peer.namespaceSelector !== undefined && peer.namespaceSelector !== null) {
    const matcher = namespaceSelectorMatcher(peer.namespaceSelector);
    if (!matcher) {
      context.problem(`${field}.namespaceSelector`, "is not a label selector");
      return { kind: "unreadable" };
    }
    namespaces = matcher;
  }
  const pods = podMatcher(peer.podSelector, context, `${field}.podSelector`);
  if (pods.kind === "malformed") return { kind: "unreadable" };
  return { kind: "pods", namespaces, pods };
}

function readPortEntry(value: unknown, context: ReaderContext, field: string): PortEntry {
  const entry = asRecord(value);
  if (!entry) {
    context.problem(field, "is not a port entry");
    return { protocols: ALL_PROTOCOLS, kind: "malformed" };
  }
  let protocols = protocolSet("TCP");
  if (entry.protocol !== undefined && entry.protocol !== null) {
    const protocol = readProtocolName(entry.protocol);
    if (!protocol) {
      context.problem(`${field}.protocol`, `${JSON.stringify(entry.protocol)} is not TCP, UDP or SCTP`);
      return { protocols: ALL_PROTOCOLS, kind: "malformed" };
    }
    protocols = protocolSet(protocol);
  }
  const port = entry.port;
  const endPort = entry.endPort;
  if (port === undefined || port === null) {
    if (endPort !== undefined && endPort !== null) {
      context.problem(`${field}.endPort`, "is set without a port");
      return { protocols, kind: "malformed" };
    }
    return { protocols, kind: "all" };
  }
  if (typeof port === "string") {
    if (endPort !== undefined && endPort !== null) {
      context.problem(`${field}.endPort`, "cannot go with a named port");
      return { protocols, kind: "malformed" };
    }
    return { protocols, kind: "named", name: port };
  }
  if (typeof port !== "number" || !isValidPort(port)) {
    context.problem(`${field}.port`, "is not a port number 1–65535 or a port name");
    return { protocols, kind: "malformed" };
  }
  if (endPort === undefined || endPort === null) return rangeEntry(protocols, port, port);
  if (typeof endPort !== "number" || !isValidPort(endPort) || endPort < port) {
    context.problem(`${field}.endPort`, "is not a port number at or above port");
    return { protocols, kind: "malformed" };
  }
  return rangeEntry(protocols, port, endPort);
}

function readPorts(value: unknown, context: ReaderContext, field: string): PortSet {
  const list = readListField(value);
  if (list.state === "absent" || (list.state === "list" && list.items.length === 0)) return ANY_PORT;
  if (list.state === "malformed") {
    context.problem(field, "is not a list of ports");
    return UNREADABLE_PORTS;
  }
  return {
    include: list.items.map((item, index) => readPortEntry(item, context, `${field}[${index}]`)),
    exclude: [],
    protocols: ALL_PROTOCOLS,
    uncertain: false,
  };
}

interface EffectiveTypes {
  ingress: Tri;
  egress: Tri;
}

/** `spec.policyTypes` when it has entries, else Ingress plus Egress when `spec.egress` has a rule (Kubernetes' defaulting). */
function readEffectiveTypes(spec: Record<string, unknown>, context: ReaderContext): EffectiveTypes {
  const declared = readDeclaredTypes(spec.policyTypes, "spec.policyTypes", context);
  if (declared) return declared;
  const egress = readListField(spec.egress);
  return { ingress: YES, egress: egress.state === "list" && egress.items.length > 0 ? YES : NO };
}

export function readKubernetesNetworkPolicy(object: unknown, ids: StatementIds): PolicyReading {
  const { namespace: declaredNamespace, name } = readObjectName(object);
  // kubectl puts a policy without a namespace in `default`.
  const namespace = declaredNamespace ?? "default";
  const ref = { kind: "NetworkPolicy" as const, namespace, name };
  const context = new ReaderContext(ref, ids);
  const reading: PolicyReading = { ref, family: "kubernetes", scope: "namespace", statements: [], problems: context.problems, hostOnly: false };
  const spec = asRecord(asRecord(object)?.spec);
  if (!spec) {
    context.problem("spec", "is missing or not an object");
    return reading;
  }
  const subject: Subject = { namespaces: context.namespace(namespace), pods: podMatcher(spec.podSelector, context, "spec.podSelector") };
  const types = readEffectiveTypes(spec, context);
  for (const direction of ["ingress", "egress"] as const satisfies readonly Direction[]) {
    const effective = types[direction];
    if (effective === NO) continue;
    const list = readListField(spec[direction]);
    // A rule list that cannot be read isolates only "maybe": no default-deny credit, no allow either.
    const certainty: Tri = list.state === "malformed" ? MAYBE : effective;
    if (list.state === "malformed") context.problem(`spec.${direction}`, "is not a list of rules");
    reading.statements.push(isolation(context, subject, direction, certainty));
    if (list.state !== "list") continue;
    list.items.forEach((rule, index) => {
      reading.statements.push(readRule(rule, index, direction, namespace, subject, effective, context));
    });
  }
  return reading;
}

function isolation(context: ReaderContext, subject: Subject, direction: Direction, certainty: Tri): Statement {
  return {
    id: context.id(),
    ref: { ...context.object, list: "spec", index: -1 },
    family: "kubernetes",
    direction,
    action: "isolate",
    subject,
    peers: [],
    ports: ANY_PORT,
    certainty,
    peerless: true,
    order: null,
    slot: UNION_SLOT,
    fqdn: false,
    rule: null,
  };
}

function readRule(rule: unknown, index: number, direction: Direction, namespace: string, subject: Subject, typeCertainty: Tri, context: ReaderContext): Statement {
  const field = `spec.${direction}[${index}]`;
  const fields = asRecord(rule);
  const peersKey = direction === "ingress" ? "from" : "to";
  let certainty: Tri = typeCertainty;
  if (!fields) {
    context.problem(field, "is not a rule object");
    certainty = MAYBE;
  }
  const peersField = readListField(fields?.[peersKey]);
  let peers: PeerMatcher[];
  let peerless = false;
  if (peersField.state === "malformed") {
    context.problem(`${field}.${peersKey}`, "is not a list of peers");
    peers = [{ kind: "unreadable" }];
    peerless = true;
  } else if (peersField.state === "absent" || peersField.items.length === 0) {
    peers = [{ kind: "everything" }];
    peerless = true;
  } else {
    peers = peersField.items.map((item, peerIndex) => readPeer(item, namespace, context, `${field}.${peersKey}[${peerIndex}]`));
  }
  return {
    id: context.id(),
    ref: { ...context.object, list: direction, index },
    family: "kubernetes",
    direction,
    action: "allow",
    subject,
    peers,
    ports: readPorts(fields?.ports, context, `${field}.ports`),
    certainty,
    peerless,
    order: null,
    slot: UNION_SLOT,
    fqdn: false,
    rule,
  };
}
