// Why one namespace (or class) reaches another, and the smallest change that would stop it: the cell
// of the cluster-detail matrix explains itself (issue 13). Pure: the what-ifs are decision models built
// again with a statement removed or a default deny added, and judged by the same decide().

import { formatRuleRef } from "./controls";
import { PolicyModel, type Peer } from "./decision";
import { StatementIds } from "./policy-reader-kit";
import { candidatePorts, type CandidatePort, type ReachClass } from "./reachability";
import { readKubernetesNetworkPolicy } from "./read-kubernetes-policy";
import { buildDefaultDenyPolicy } from "./remediation";
import { NO, type PolicyReading, type Statement } from "./statements";
import type { Direction, RuleRef } from "./types";

/** A namespace (every class of it), or one class: `labels` null is the namespace's stranger pod. */
export interface ConnectionEndpoint {
  namespace: string;
  labels?: Readonly<Record<string, string>> | null;
}

/** What lets the traffic through on one side. */
export interface Admission {
  /** The allow that admits it; null where nothing isolates the pods in that direction. */
  rule: RuleRef | null;
  reason: "allow" | "not-isolated";
  /** The namespace whose pods this side is about. */
  namespace: string;
  /** Candidate port labels on which it admits. */
  ports: string[];
  /** Class pairs it admits. */
  pairs: number;
}

export interface ClosingChange {
  kind: "narrow-peers" | "remove-rule" | "default-deny";
  direction: Direction;
  /** The namespace the change is made in. */
  namespace: string;
  rule: RuleRef | null;
  /** One sentence a platform engineer can act on. */
  text: string;
  /** Whether this change alone stops every connection between the two ends (judged, not guessed). */
  closes: boolean;
  /** For a default deny: the NetworkPolicy to apply. */
  manifest?: unknown;
}

export interface ConnectionPath {
  from: ReachClass;
  to: ReachClass;
  ports: string[];
}

export interface ConnectionExplanation {
  from: ConnectionEndpoint;
  to: ConnectionEndpoint;
  connected: boolean;
  /** Every connecting class pair with its ports, in class order. */
  paths: ConnectionPath[];
  /** What admits the traffic at the sources (egress) and at the targets (ingress). */
  egress: Admission[];
  ingress: Admission[];
  /** Changes that would stop it, those that do first, the smallest kind first. */
  changes: ClosingChange[];
  smallestChange: ClosingChange | null;
}

const KIND_RANK: Record<ClosingChange["kind"], number> = { "narrow-peers": 0, "remove-rule": 1, "default-deny": 2 };
const OUTSIDE_V4: Peer = { kind: "outside", family: 4 };
const OUTSIDE_V6: Peer = { kind: "outside", family: 6 };
const INSIDE_STRANGER: Peer = { kind: "pod", pod: { namespace: "bulkhead-stranger", labels: {} } };

function sameLabels(a: Readonly<Record<string, string>> | null, b: Readonly<Record<string, string>> | null): boolean {
  if (a === null || b === null) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && a[key] === b[key]);
}

function classesOf(classes: readonly ReachClass[], end: ConnectionEndpoint): ReachClass[] {
  return classes.filter((cls) => cls.namespace === end.namespace && (end.labels === undefined || sameLabels(cls.labels, end.labels)));
}

function toRuleRef(statement: Statement): RuleRef {
  const ref = statement.ref;
  return { kind: ref.kind, namespace: ref.namespace, policy: ref.name, list: ref.list, direction: statement.direction, index: ref.index };
}

function describeEnd(end: ConnectionEndpoint): string {
  if (end.labels === undefined) return `namespace ${end.namespace}`;
  if (end.labels === null) return `new pods of ${end.namespace}`;
  return `${end.namespace} pods labelled ${Object.entries(end.labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(", ")}`;
}

interface Hit {
  from: ReachClass;
  to: ReachClass;
  port: CandidatePort;
  egress: Statement | null;
  ingress: Statement | null;
}

/** Every (class pair, port) that connects, with the statements that admit it on each side. */
function connections(model: PolicyModel, sources: readonly ReachClass[], targets: readonly ReachClass[], ports: readonly CandidatePort[]): Hit[] {
  const hits: Hit[] = [];
  for (const from of sources) {
    for (const to of targets) {
      for (const port of ports) {
        const egress = model.decide(from, "egress", { kind: "pod", pod: to }, port.protocol, port.port, "risk");
        if (!egress.admitted) continue;
        const ingress = model.decide(to, "ingress", { kind: "pod", pod: from }, port.protocol, port.port, "risk");
        if (!ingress.admitted) continue;
        hits.push({ from, to, port, egress: egress.statement, ingress: ingress.statement });
      }
    }
  }
  return hits;
}

/** The candidate ports on which `from` reaches `to` (from null: the outside stranger, on `to`'s ingress alone). */
export function portsBetween(model: PolicyModel, ports: readonly CandidatePort[], from: ReachClass | null, to: ReachClass): string[] {
  if (from === null) return ports.filter((port) => [OUTSIDE_V4, OUTSIDE_V6].some((peer) => model.decide(to, "ingress", peer, port.protocol, port.port, "risk").admitted)).map((port) => port.label);
  return connections(model, [from], [to], ports).map((hit) => hit.port.label);
}

function admissions(hits: readonly Hit[], side: "egress" | "ingress"): Admission[] {
  const byKey = new Map<string, { admission: Admission; ports: Set<string>; pairs: Set<string> }>();
  for (const hit of hits) {
    const statement = hit[side];
    const namespace = side === "egress" ? hit.from.namespace : hit.to.namespace;
    const key = statement === null ? `-${namespace}` : `${statement.id}`;
    let entry = byKey.get(key);
    if (!entry) {
      entry = { admission: { rule: statement && toRuleRef(statement), reason: statement === null ? "not-isolated" : "allow", namespace, ports: [], pairs: 0 }, ports: new Set(), pairs: new Set() };
      byKey.set(key, entry);
    }
    entry.ports.add(hit.port.label);
    entry.pairs.add(`${hit.from.namespace}\u0000${JSON.stringify(hit.from.labels)}\u0000${hit.to.namespace}\u0000${JSON.stringify(hit.to.labels)}`);
  }
  return [...byKey.values()].map(({ admission, ports, pairs }) => ({ ...admission, ports: [...ports], pairs: pairs.size }));
}

/** The model with `readings` instead of its own, same namespaces, engine and pod CIDRs. */
function modelWith(model: PolicyModel, readings: readonly PolicyReading[]): PolicyModel {
  return new PolicyModel(readings, model.knownNamespaces(), { enforcement: model.enforcement, podCidrs: model.podCidrs });
}

function withoutStatement(model: PolicyModel, statement: Statement): PolicyModel {
  return modelWith(
    model,
    model.readings.map((reading) => (reading.statements.includes(statement) ? { ...reading, statements: reading.statements.filter((candidate) => candidate !== statement) } : reading)),
  );
}

function withDefaultDeny(model: PolicyModel, namespace: string, direction: Direction): { model: PolicyModel; manifest: unknown } {
  const manifest = buildDefaultDenyPolicy(namespace, direction);
  const after = model.statements.reduce((highest, statement) => Math.max(highest, statement.id), 0);
  const reading = readKubernetesNetworkPolicy(manifest, new StatementIds(after));
  return { model: modelWith(model, [...model.readings, reading]), manifest };
}

/** Whether a rule admits more than these peers: no peer named, or a stranger of the cluster or the internet. */
function admitsBroadly(model: PolicyModel, statement: Statement): boolean {
  if (statement.peerless) return true;
  return [OUTSIDE_V4, OUTSIDE_V6, INSIDE_STRANGER].some((peer) => model.peersMatch(statement, peer) !== NO);
}

/**
 * Why `from` reaches `to` (namespaces or classes of `classes`), on which ports, which statements admit
 * it on the egress and on the ingress side, and the changes that would stop it, each judged by
 * building the model again with the change.
 */
export function explainConnection(model: PolicyModel, classes: readonly ReachClass[], from: ConnectionEndpoint, to: ConnectionEndpoint): ConnectionExplanation {
  const sources = classesOf(classes, from);
  const targets = classesOf(classes, to);
  const ports = candidatePorts(model);
  const hits = connections(model, sources, targets, ports);
  const paths: ConnectionPath[] = [];
  for (const hit of hits) {
    const last = paths[paths.length - 1];
    if (last && last.from === hit.from && last.to === hit.to) last.ports.push(hit.port.label);
    else paths.push({ from: hit.from, to: hit.to, ports: [hit.port.label] });
  }
  const egress = admissions(hits, "egress");
  const ingress = admissions(hits, "ingress");
  const closes = (changed: PolicyModel): boolean => connections(changed, sources, targets, ports).length === 0;

  const changes: ClosingChange[] = [];
  const seenStatements = new Set<Statement>();
  for (const [direction, side] of [
    ["ingress", ingress],
    ["egress", egress],
  ] as const) {
    const end = direction === "ingress" ? to : from;
    const other = direction === "ingress" ? from : to;
    for (const namespace of [...new Set(side.filter((admission) => admission.reason === "not-isolated").map((admission) => admission.namespace))]) {
      const what = withDefaultDeny(model, namespace, direction);
      changes.push({
        kind: "default-deny",
        direction,
        namespace,
        rule: null,
        text: `add a default-deny ${direction} policy in ${namespace}: nothing isolates its pods for ${direction} now`,
        closes: closes(what.model),
        manifest: what.manifest,
      });
    }
    for (const hit of hits) {
      const statement = hit[direction];
      if (statement === null || seenStatements.has(statement)) continue;
      seenStatements.add(statement);
      const rule = toRuleRef(statement);
      const closesIt = closes(withoutStatement(model, statement));
      const namespace = direction === "ingress" ? hit.to.namespace : hit.from.namespace;
      if (admitsBroadly(model, statement)) {
        changes.push({
          kind: "narrow-peers",
          direction,
          namespace,
          rule,
          text: `narrow the peers of ${formatRuleRef(rule)}: it admits ${statement.peerless ? "every peer" : "pods or addresses nobody planned for"}, ${describeEnd(other)} among them`,
          closes: closesIt,
        });
      }
      changes.push({
        kind: "remove-rule",
        direction,
        namespace,
        rule,
        text: `remove ${formatRuleRef(rule)}, or narrow its peers so they leave out ${describeEnd(other)} (it lets ${describeEnd(other)} ${direction === "ingress" ? "into" : "out to"} ${describeEnd(end)})`,
        closes: closesIt,
      });
    }
  }
  changes.sort((a, b) => Number(b.closes) - Number(a.closes) || KIND_RANK[a.kind] - KIND_RANK[b.kind]);
  return {
    from,
    to,
    connected: hits.length > 0,
    paths,
    egress,
    ingress,
    changes,
    smallestChange: changes.find((change) => change.closes) ?? null,
  };
}
