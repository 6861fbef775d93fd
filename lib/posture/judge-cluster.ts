// One cluster's objects judged through the decision: per-namespace coverage (default deny, DNS, IMDS),
// allow-any rules, IMDS rules, and what each policy object contributes (docs/design.md §4.2–4.4).

import { IMDS_ADDRESS, parseCidr, type Cidr } from "./cidr";
import { enforcementOf, familyEnforced, KUBE_DNS_LABELS, LOCAL_DNS_ADDRESSES, namespaceTest, PolicyModel, type Enforcement, type Peer, type PodRef } from "./decision";
import type { PodObject, SortedObjects } from "./kube-objects";
import { readAdminPolicy } from "./read-admin-policy";
import { readCalicoPolicy } from "./read-calico-policy";
import { readCiliumPolicy } from "./read-cilium-policy";
import { readKubernetesNetworkPolicy } from "./read-kubernetes-policy";
import { portSetCovers, StatementIds, UNNAMED } from "./policy-reader-kit";
import { StatementIndex } from "./statement-index";
import { computeReachability, reachabilityClasses, type Reachability } from "./reachability";
import { NO, STRANGER_PORT, YES, type NamespaceInfo, type PolicyProblem, type PolicyReading, type Reading, type Statement, type Tri } from "./statements";
import type { AllowAnyClass, AllowAnyRule, Direction, ImdsRule, ManifestNamespaceResult, NamespaceCoverage, PolicyNamespaceContribution, PolicyObjectSummary, PostureConfig, RuleRef } from "./types";

/** The inside stranger of §4.2: a pod in its own namespace, evaluated on these labels as written. */
export const INSIDE_STRANGER_NAMESPACE = "bulkhead-stranger";
export const INSIDE_STRANGER: PodRef = { namespace: INSIDE_STRANGER_NAMESPACE, labels: {} };
export const KUBE_DNS_POD: PodRef = { namespace: "kube-system", labels: KUBE_DNS_LABELS };
const IMDS_PORT = 80;
const DNS_PORT = 53;

export interface JudgeOptions {
  config: PostureConfig;
  enforcement: Enforcement;
  podCidrs: readonly string[];
  /** LocalDNS on (true), off (false), or not known (analyze: either DNS path counts). */
  localDns: boolean | "unknown";
  /**
   * Whether pods were read (default: some Pod or workload was given; a missing pods list is an empty
   * one, as for every in-cluster list). Without, each namespace is its stranger pod with one pod (§4.5).
   */
  hasPodData?: boolean;
}

/** A distinct (namespace, labels) of running pods, with how many pods it holds (§4.5). */
export interface PodClass {
  namespace: string;
  labels: Readonly<Record<string, string>>;
  count: number;
}

export interface ClusterJudgement {
  model: PolicyModel;
  /** Every object read, after later objects replaced earlier ones of the same kind, namespace and name. */
  readings: PolicyReading[];
  /** Default deny both ways per workload namespace, sorted by name (what `analyze` reports). */
  defaultDeny: ManifestNamespaceResult[];
  /** Workload namespaces, sorted by name. */
  namespaces: NamespaceCoverage[];
  classes: PodClass[];
  allowAnyRules: AllowAnyRule[];
  imdsRules: ImdsRule[];
  policies: PolicyObjectSummary[];
  problems: PolicyProblem[];
  /** Enforced objects whose subject includes a workload namespace (NP-07). */
  workloadPolicies: { kind: PolicyReading["ref"]["kind"]; namespace: string | null; policy: string }[];
  /** Kubernetes NetworkPolicies in any namespace (the engine-none advisory). */
  objectCounts: { kubernetes: number; cilium: number; calico: number; admin: number };
  /** Enforced rules using toFQDNs. */
  fqdnRules: number;
  /** Whether pods were read: pod classes are then the running pods', and each stranger pod counts none. */
  hasPodData: boolean;
  /** Who reaches whom (§4.5), worked out when first asked for. */
  reachability: Reachability;
}

/** Plain code-unit order, so output does not depend on the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Namespace (cluster-scoped first), policy, direction (egress before ingress), index, then kind and list: the order of §6. */
export function compareRuleRefs(a: RuleRef, b: RuleRef): number {
  return (
    compareText(a.namespace ?? "", b.namespace ?? "") ||
    compareText(a.policy, b.policy) ||
    compareText(a.direction, b.direction) ||
    a.index - b.index ||
    compareText(a.kind, b.kind) ||
    compareText(a.list, b.list)
  );
}

/**
 * Sorts rule references in place into compareRuleRefs order. Namespace comes first in that order, so
 * the references are grouped by namespace and each (small) group is sorted apart: a large cluster's
 * allow-any rules sort in a fraction of the comparisons. Both sorts are stable, so ties keep the
 * order they came in, exactly as one sort of the whole list would leave them.
 */
export function sortRuleRefs<T extends RuleRef>(refs: T[]): T[] {
  if (refs.length < 64) return refs.sort(compareRuleRefs);
  const groups = new Map<string, T[]>();
  for (let index = 0; index < refs.length; index += 1) {
    const ref = refs[index] as T;
    const key = ref.namespace ?? "";
    const group = groups.get(key);
    if (group) group.push(ref);
    else groups.set(key, [ref]);
  }
  // The default sort orders strings by UTF-16 code units, as compareText does.
  const keys = [...groups.keys()].sort();
  let at = 0;
  for (let keyIndex = 0; keyIndex < keys.length; keyIndex += 1) {
    const group = groups.get(keys[keyIndex] as string) as T[];
    if (group.length > 1) group.sort(compareRuleRefs);
    for (let index = 0; index < group.length; index += 1) refs[at++] = group[index] as T;
  }
  return refs;
}

function readPolicy(kind: PolicyReading["ref"]["kind"], object: unknown, ids: StatementIds): PolicyReading {
  switch (kind) {
    case "NetworkPolicy":
      return readKubernetesNetworkPolicy(object, ids);
    case "CiliumNetworkPolicy":
      return readCiliumPolicy(object, false, ids);
    case "CiliumClusterwideNetworkPolicy":
      return readCiliumPolicy(object, true, ids);
    case "CalicoNetworkPolicy":
      return readCalicoPolicy(object, false, ids);
    case "CalicoGlobalNetworkPolicy":
      return readCalicoPolicy(object, true, ids);
    default:
      return readAdminPolicy(object, kind, ids);
  }
}

/**
 * Reads every policy object, one reading each; a later object with the same kind, namespace and name
 * replaces an earlier one, as `kubectl apply` would. `onRead` sees each reading as it is made — a
 * replaced one too: when fewer readings than objects come back, it saw readings that no longer count.
 */
export function readPolicies(policies: SortedObjects["policies"], onRead?: (reading: PolicyReading) => void): PolicyReading[] {
  const ids = new StatementIds();
  // Per namespace, the position of the readings of each name: one position, or several when objects
  // of different kinds share a name. A map by name from the first object on: scanning the earlier
  // objects of a namespace touches each of them, and on a large input those are far apart in memory.
  const byNamespace = new Map<string, Map<string, number | number[]>>();
  const readings: (PolicyReading | null)[] = [];
  let replaced = false;
  for (let index = 0; index < policies.length; index += 1) {
    const { kind, object } = policies[index] as SortedObjects["policies"][number];
    const reading = readPolicy(kind, object, ids);
    // Copied to its length: a list grown by pushing reserves room for 17 statements, most objects
    // have a handful, and every reading is kept for the cluster's judgement.
    if (reading.statements.length > 0) reading.statements = reading.statements.slice();
    reading.object = object;
    onRead?.(reading);
    const name = reading.ref.name;
    const position = readings.length;
    readings.push(reading);
    if (name === UNNAMED) continue;
    const namespaceKey = reading.ref.namespace ?? "";
    let byName = byNamespace.get(namespaceKey);
    if (!byName) {
      byName = new Map();
      byNamespace.set(namespaceKey, byName);
    }
    const known = byName.get(name);
    if (known === undefined) {
      byName.set(name, position);
      continue;
    }
    const positions = typeof known === "number" ? [known] : known;
    let kept = true;
    for (let at = 0; at < positions.length; at += 1) {
      const earlier = readings[positions[at] as number] as PolicyReading;
      if (earlier.ref.kind === kind) {
        // A later object with the same kind, namespace and name replaces the earlier one.
        readings[positions[at] as number] = null;
        positions[at] = position;
        replaced = true;
        kept = false;
        break;
      }
    }
    if (kept) positions.push(position);
    byName.set(name, positions.length === 1 ? (positions[0] as number) : positions);
  }
  return replaced ? readings.filter((reading): reading is PolicyReading => reading !== null) : (readings as PolicyReading[]);
}

function toPodClasses(pods: readonly PodObject[], workload: (namespace: string) => boolean): PodClass[] {
  const byKey = new Map<string, PodClass>();
  for (const pod of pods) {
    if (!workload(pod.namespace)) continue;
    const labels = Object.fromEntries(Object.entries(pod.labels).sort(([a], [b]) => compareText(a, b)));
    const key = `${pod.namespace}\u0000${JSON.stringify(labels)}`;
    const existing = byKey.get(key);
    if (existing) existing.count += pod.count;
    else byKey.set(key, { namespace: pod.namespace, labels, count: pod.count });
  }
  return [...byKey.values()].sort((a, b) => compareText(a.namespace, b.namespace) || compareText(JSON.stringify(a.labels), JSON.stringify(b.labels)));
}

/** What one policy object does in one namespace its subject reaches. */
function contributionTo(reading: PolicyReading, namespace: NamespaceInfo): PolicyNamespaceContribution {
  const contribution: PolicyNamespaceContribution = { namespace: namespace.name, isolatesIngress: false, isolatesEgress: false, allows: 0, denies: 0 };
  for (let index = 0; index < reading.statements.length; index += 1) {
    const statement = reading.statements[index] as Statement;
    if (namespaceTest(statement.subject.namespaces, namespace) === NO) continue;
    if (statement.action === "isolate" && statement.certainty === YES) {
      if (statement.direction === "ingress") contribution.isolatesIngress = true;
      else contribution.isolatesEgress = true;
    } else if (statement.action === "allow") {
      contribution.allows += 1;
    } else if (statement.action === "deny") {
      contribution.denies += 1;
    }
  }
  return contribution;
}

function allowAnyRule(statement: Statement, ruleClass: AllowAnyClass, scope: AllowAnyRule["scope"]): AllowAnyRule {
  const ref = statement.ref;
  return { kind: ref.kind, namespace: ref.namespace, policy: ref.name, list: ref.list, direction: statement.direction, index: ref.index, class: ruleClass, scope, rule: statement.rule };
}

function ruleRef(statement: Statement): RuleRef {
  return {
    kind: statement.ref.kind,
    namespace: statement.ref.namespace,
    policy: statement.ref.name,
    list: statement.ref.list,
    direction: statement.direction,
    index: statement.ref.index,
  };
}

const OUTSIDE_V4: Peer = { kind: "outside", family: 4 };
const IMDS_PEER: Peer = { kind: "address", address: IMDS_ADDRESS };
const OUTSIDE_V6: Peer = { kind: "outside", family: 6 };
const INSIDE: Peer = { kind: "pod", pod: INSIDE_STRANGER };
/** The strangers of §4.2, in the order a default deny is checked against them. */
const STRANGERS: readonly Peer[] = [OUTSIDE_V4, OUTSIDE_V6, INSIDE];

function resolveRisk(tri: Tri): boolean {
  return tri !== NO;
}

/** Class of an allow-any rule (§4.2), or null when the rule admits neither stranger on the stranger port. */
function classifyAllowAny(model: PolicyModel, statement: Statement): AllowAnyClass | null {
  if (statement.certainty === NO) return null;
  if (!resolveRisk(portSetCovers(statement.ports, "TCP", STRANGER_PORT))) return null;
  // A rule that admits the outside stranger is class A or B whatever it says of the inside one: that question is asked only when needed.
  if (resolveRisk(model.peersMatch(statement, OUTSIDE_V4)) || resolveRisk(model.peersMatch(statement, OUTSIDE_V6))) return statement.peerless ? "A" : "B";
  if (!resolveRisk(model.peersMatch(statement, INSIDE))) return null;
  return statement.peerless ? "A" : "C";
}

export function judgeCluster(objects: SortedObjects, options: JudgeOptions): ClusterJudgement {
  const system = new Set(options.config.systemNamespaces);
  const podCidrs = options.podCidrs.map((text) => parseCidr(text)).filter((cidr): cidr is Cidr => cidr !== null);
  const namespaceInfos = new Map<string, NamespaceInfo>();
  const workloadNames = new Set<string>();
  for (let index = 0; index < objects.namespaces.length; index += 1) {
    const namespace = objects.namespaces[index] as SortedObjects["namespaces"][number];
    namespaceInfos.set(namespace.name, { name: namespace.name, labels: { ...namespace.labels, "kubernetes.io/metadata.name": namespace.name } });
    if (!system.has(namespace.name)) workloadNames.add(namespace.name);
  }

  // Each object's statements are filed, and the allow-any rules of a namespaced object classified, as
  // it is read: while its statements are still in the processor's cache rather than in later passes
  // over a hundred thousand of them. Peers are judged by a model of the namespaces alone: whether a
  // rule admits a stranger does not depend on the other objects.
  const modelOptions = { enforcement: options.enforcement, podCidrs };
  const peers = new PolicyModel([], namespaceInfos.values(), modelOptions);
  const index = new StatementIndex(options.enforcement);
  const allowAny: { reading: PolicyReading; rule: AllowAnyRule }[] = [];
  const readings = readPolicies(objects.policies, (reading) => {
    index.add(reading);
    if (reading.scope !== "namespace" || !familyEnforced(options.enforcement, reading.family) || reading.ref.namespace === null || system.has(reading.ref.namespace)) return;
    for (let at = 0; at < reading.statements.length; at += 1) {
      const statement = reading.statements[at] as Statement;
      if (statement.action !== "allow" && statement.action !== "unreadable") continue;
      const ruleClass = classifyAllowAny(peers, statement);
      if (ruleClass) allowAny.push({ reading, rule: allowAnyRule(statement, ruleClass, reading.scope) });
    }
  });
  // An object that replaced another leaves behind what was filed and classified for the one it replaced.
  const replaced = readings.length !== objects.policies.length;
  const kept = replaced ? new Set(readings) : null;

  for (let index = 0; index < readings.length; index += 1) {
    const namespace = (readings[index] as PolicyReading).ref.namespace;
    if (namespace !== null && !system.has(namespace)) workloadNames.add(namespace);
  }
  for (const pod of objects.pods) if (!system.has(pod.namespace)) workloadNames.add(pod.namespace);
  // The default sort orders strings by UTF-16 code units, as compareText does, without calling back into JavaScript.
  const workload = [...workloadNames].sort();

  const model = new PolicyModel(readings, namespaceInfos.values(), modelOptions, replaced ? undefined : index);
  const classes = toPodClasses(objects.pods, (namespace) => workloadNames.has(namespace));
  const namespacedAllowAny: AllowAnyRule[] = [];
  for (const entry of allowAny) if (kept === null || kept.has(entry.reading)) namespacedAllowAny.push(entry.rule);
  return new Judgement(model, readings, classes, workload, workloadNames, options, options.hasPodData ?? objects.pods.length > 0, namespacedAllowAny);
}

/**
 * A cluster's judgement. Default deny per namespace and the allow-any rules (what `analyze` reports)
 * are worked out at once; DNS, IMDS, the policy summaries and the rest when first asked for, so a
 * caller that needs only the first pays only for them.
 */
class Judgement implements ClusterJudgement {
  readonly defaultDeny: ManifestNamespaceResult[] = [];
  readonly allowAnyRules: AllowAnyRule[];
  private readonly classesByNamespace = new Map<string, PodClass[]>();
  /** Workload namespaces a cluster-scoped object's subject reaches. */
  private readonly clusterScopeTouches = new Map<PolicyReading, string[]>();
  private details: Details | null = null;
  private reach: Reachability | null = null;

  constructor(
    readonly model: PolicyModel,
    readonly readings: PolicyReading[],
    readonly classes: PodClass[],
    private readonly workload: readonly string[],
    private readonly workloadNames: ReadonlySet<string>,
    private readonly options: JudgeOptions,
    readonly hasPodData: boolean,
    /** The allow-any rules of the namespaced objects, classified as they were read; the cluster-scoped ones are classified here. */
    namespacedAllowAny: AllowAnyRule[],
  ) {
    for (const podClass of classes) {
      const list = this.classesByNamespace.get(podClass.namespace);
      if (list) list.push(podClass);
      else this.classesByNamespace.set(podClass.namespace, [podClass]);
    }
    // Indexed loops in this one-shot constructor: iterators are objects until the optimiser steps in.
    for (let index = 0; index < workload.length; index += 1) {
      const namespace = workload[index] as string;
      const subjects = this.subjectsOf(namespace);
      this.defaultDeny.push({ name: namespace, defaultDenyIngress: this.deniesByDefault(subjects, "ingress"), defaultDenyEgress: this.deniesByDefault(subjects, "egress") });
    }
    this.allowAnyRules = namespacedAllowAny;
    for (let readingIndex = 0; readingIndex < readings.length; readingIndex += 1) {
      const reading = readings[readingIndex] as PolicyReading;
      if (reading.scope === "namespace" || !familyEnforced(options.enforcement, reading.family)) continue;
      if (this.touched(reading).length === 0) continue;
      for (let index = 0; index < reading.statements.length; index += 1) {
        const statement = reading.statements[index] as Statement;
        if (statement.action !== "allow" && statement.action !== "unreadable") continue;
        const ruleClass = classifyAllowAny(model, statement);
        if (ruleClass) this.allowAnyRules.push(allowAnyRule(statement, ruleClass, reading.scope));
      }
    }
    sortRuleRefs(this.allowAnyRules);
  }

  get namespaces(): NamespaceCoverage[] {
    return this.detailed().namespaces;
  }

  get imdsRules(): ImdsRule[] {
    return this.detailed().imdsRules;
  }

  get policies(): PolicyObjectSummary[] {
    return this.detailed().policies;
  }

  get workloadPolicies(): ClusterJudgement["workloadPolicies"] {
    return this.detailed().workloadPolicies;
  }

  get fqdnRules(): number {
    return this.detailed().fqdnRules;
  }

  get reachability(): Reachability {
    this.reach ??= computeReachability(this.model, reachabilityClasses(this.workload, this.classes, this.hasPodData));
    return this.reach;
  }

  get problems(): PolicyProblem[] {
    return this.readings.flatMap((reading) => reading.problems);
  }

  get objectCounts(): ClusterJudgement["objectCounts"] {
    const count = (family: PolicyReading["family"]): number => this.readings.filter((reading) => reading.family === family).length;
    return { kubernetes: count("kubernetes"), cilium: count("cilium"), calico: count("calico"), admin: count("admin") };
  }

  /** The namespace's stranger pod, then its known pod classes. */
  private subjectsOf(namespace: string): PodRef[] {
    return [{ namespace, labels: null }, ...(this.classesByNamespace.get(namespace) ?? []).map((podClass) => ({ namespace, labels: podClass.labels }))];
  }

  /** Every subject refuses both strangers on the stranger port (§4.2 "Default deny"). */
  private deniesByDefault(subjects: readonly PodRef[], direction: Direction): boolean {
    for (let index = 0; index < subjects.length; index += 1) {
      const pod = subjects[index] as PodRef;
      for (let peerIndex = 0; peerIndex < STRANGERS.length; peerIndex += 1) {
        if (this.model.decide(pod, direction, STRANGERS[peerIndex] as Peer, "TCP", STRANGER_PORT, "risk").admitted) return false;
      }
    }
    return true;
  }

  /** The workload namespaces an object's subject reaches. */
  private touched(reading: PolicyReading): readonly string[] {
    if (reading.scope === "namespace") return reading.ref.namespace !== null && this.workloadNames.has(reading.ref.namespace) ? [reading.ref.namespace] : [];
    let touched = this.clusterScopeTouches.get(reading);
    if (!touched) {
      touched = this.workload.filter((namespace) => reading.statements.some((statement) => namespaceTest(statement.subject.namespaces, this.model.namespaceInfo(namespace)) !== NO));
      this.clusterScopeTouches.set(reading, touched);
    }
    return touched;
  }

  private detailed(): Details {
    if (this.details) return this.details;
    const { model, options } = this;
    const imdsRules: ImdsRule[] = [];
    const coverage: NamespaceCoverage[] = [];
    const localDnsCounts = options.localDns !== false;
    for (const verdict of this.defaultDeny) {
      const namespace = verdict.name;
      const stranger: PodRef = { namespace, labels: null };
      const kubeDns =
        model.decide(stranger, "egress", { kind: "pod", pod: KUBE_DNS_POD }, "UDP", DNS_PORT, "credit").admitted &&
        model.decide(KUBE_DNS_POD, "ingress", { kind: "pod", pod: stranger }, "UDP", DNS_PORT, "credit").admitted;
      const localDns = localDnsCounts && LOCAL_DNS_ADDRESSES.slice(0, 1).some((address) => model.decide(stranger, "egress", { kind: "address", address }, "UDP", DNS_PORT, "credit").admitted);
      const imds = judgeImds(model, namespace, this.subjectsOf(namespace));
      imdsRules.push(...imds.rules);
      coverage.push({
        name: namespace,
        defaultDenyIngress: verdict.defaultDenyIngress,
        defaultDenyEgress: verdict.defaultDenyEgress,
        allowsDns: kubeDns || localDns,
        permitsImds: !imds.blocked,
        policyCount: 0,
      });
    }
    const policies: PolicyObjectSummary[] = [];
    const workloadPolicies: ClusterJudgement["workloadPolicies"] = [];
    const coverageByName = new Map(coverage.map((entry) => [entry.name, entry]));
    let fqdnRules = 0;
    for (const reading of this.readings) {
      const enforced = familyEnforced(options.enforcement, reading.family);
      const touched = this.touched(reading);
      const contributions = touched.map((namespace) => contributionTo(reading, model.namespaceInfo(namespace)));
      policies.push({ kind: reading.ref.kind, namespace: reading.ref.namespace, name: reading.ref.name, scope: reading.scope, enforced: enforced && reading.family !== "admin", hostOnly: reading.hostOnly, problems: reading.problems.length, namespaces: contributions });
      if (!enforced) continue;
      for (const namespace of touched) {
        const entry = coverageByName.get(namespace);
        if (entry) entry.policyCount += 1;
      }
      if (touched.length > 0) workloadPolicies.push({ kind: reading.ref.kind, namespace: reading.ref.namespace, policy: reading.ref.name });
      for (const statement of reading.statements) if (statement.fqdn) fqdnRules += 1;
    }
    this.details = {
      namespaces: coverage,
      imdsRules: sortRuleRefs(imdsRules),
      policies: policies.sort((a, b) => compareText(a.kind, b.kind) || compareText(a.namespace ?? "", b.namespace ?? "") || compareText(a.name, b.name)),
      workloadPolicies: workloadPolicies.sort((a, b) => compareText(a.namespace ?? "", b.namespace ?? "") || compareText(a.kind, b.kind) || compareText(a.policy, b.policy)),
      fqdnRules,
    };
    return this.details;
  }
}

interface Details {
  namespaces: NamespaceCoverage[];
  imdsRules: ImdsRule[];
  policies: PolicyObjectSummary[];
  workloadPolicies: ClusterJudgement["workloadPolicies"];
  fqdnRules: number;
}

/**
 * NP-05 for one namespace (§4.4): no pod reaches IMDS — neither the stranger pod nor a known class —
 * and no allow of any subject in the namespace admits IMDS unless a deny that covers all its pods refuses it.
 */
function judgeImds(model: PolicyModel, namespace: string, subjects: readonly PodRef[]): { blocked: boolean; rules: ImdsRule[] } {
  const reached = subjects.some((pod) => model.decide(pod, "egress", IMDS_PEER, "TCP", IMDS_PORT, "risk").admitted);
  const rules: ImdsRule[] = [];
  let denies: Statement[] | null = null;
  for (const statement of model.statementsFor(namespace, "egress")) {
    if (statement.action !== "allow" && statement.action !== "unreadable") continue;
    if (statement.certainty === NO || portSetCoversImds(statement) === NO || model.peersMatch(statement, IMDS_PEER) === NO) continue;
    denies ??= model.deniesFor(namespace, "egress");
    if (denies.some((deny) => denyCovers(model, deny, statement, namespace))) continue;
    // An allow for every pod is judged by the decision itself: something judged before it (an end of tier) may refuse IMDS.
    if (selectsEveryPod(statement) && !reached) continue;
    rules.push({ ...ruleRef(statement), direction: "egress", workloadNamespace: namespace, rule: statement.rule });
  }
  return { blocked: !reached && rules.length === 0, rules };
}

function portSetCoversImds(statement: Statement): Tri {
  return portSetCovers(statement.ports, "TCP", IMDS_PORT);
}

function selectsEveryPod(statement: Statement): boolean {
  return statement.subject.pods.kind === "selector" && statement.subject.pods.selector.empty;
}

/** A deny refuses IMDS for every pod the allow selects in the namespace, and is judged before it. */
function denyCovers(model: PolicyModel, deny: Statement, allow: Statement, namespace: string): boolean {
  if (deny.certainty !== YES) return false;
  if (namespaceTest(deny.subject.namespaces, model.namespaceInfo(namespace)) !== YES) return false;
  if (portSetCovers(deny.ports, "TCP", IMDS_PORT) !== YES || model.peersMatch(deny, { kind: "address", address: IMDS_ADDRESS }) !== YES) return false;
  const denyPods = deny.subject.pods;
  const allowPods = allow.subject.pods;
  const coversPods = denyPods.kind === "selector" && (denyPods.selector.empty || (allowPods.kind === "selector" && allowPods.selector.canonical === denyPods.selector.canonical));
  if (!coversPods) return false;
  if (deny.family === "cilium") return true;
  const denyAt = model.position(deny);
  const allowAt = model.position(allow) ?? model.unionPosition();
  if (!denyAt) return false;
  for (let index = 0; index < 3; index += 1) {
    if ((denyAt[index] as number) !== (allowAt[index] as number)) return (denyAt[index] as number) < (allowAt[index] as number);
  }
  return false;
}

export { enforcementOf };
export type { Reading };
