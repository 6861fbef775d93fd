// NetworkPolicy semantics of docs/design.md §4.2, one policy at a time.
//
// Malformed fields never throw. Checks that flag risk (allow-any, IMDS) read a malformed field
// permissively, as if it were absent; checks that give credit (default deny, DNS) give none for it.

import { IMDS_ADDRESS, ipv4CidrContains, isWorldCidr, parseCidr } from "./cidr";
import type { AllowAnyClass, Direction } from "./types";
import { asRecord, hasOwnKeys, isAbsentOrEmpty, readListField, type JsonRecord } from "./untrusted-json";

export type SelectorShape = "absent" | "empty" | "specific" | "malformed";

export interface EffectivePolicyTypes {
  ingress: boolean;
  egress: boolean;
  /** `policyTypes` is present but not a list: no credit, and rules of both directions are scanned. */
  malformed: boolean;
}

export interface PolicyRuleFinding {
  direction: Direction;
  index: number;
  rule: unknown;
}

export interface AllowAnyFinding extends PolicyRuleFinding {
  class: AllowAnyClass;
}

export interface PolicySpecAnalysis {
  selectsAllPods: boolean;
  types: EffectivePolicyTypes;
  defaultDenyIngress: boolean;
  defaultDenyEgress: boolean;
  allowsDns: boolean;
  allowAnyRules: AllowAnyFinding[];
  imdsRules: PolicyRuleFinding[];
}

const KUBE_SYSTEM_LABEL = "kubernetes.io/metadata.name";
const IMDS_PORT = 80;
const DNS_PORT = 53;

/** A label selector is empty when neither matchLabels nor matchExpressions has entries. */
export function readSelectorShape(value: unknown): SelectorShape {
  if (value === undefined || value === null) return "absent";
  const selector = asRecord(value);
  if (!selector) return "malformed";
  let hasEntries = false;
  const labels = selector.matchLabels;
  if (labels !== undefined && labels !== null) {
    const record = asRecord(labels);
    if (!record) return "malformed";
    if (hasOwnKeys(record)) hasEntries = true;
  }
  const expressions = selector.matchExpressions;
  if (expressions !== undefined && expressions !== null) {
    if (!Array.isArray(expressions)) return "malformed";
    if (expressions.length > 0) hasEntries = true;
  }
  return hasEntries ? "specific" : "empty";
}

/** `spec.policyTypes` when it has entries, else Ingress plus Egress when `spec.egress` has a rule (Kubernetes' defaulting). */
export function readEffectivePolicyTypes(spec: JsonRecord): EffectivePolicyTypes {
  const declared = spec.policyTypes;
  if (Array.isArray(declared) && declared.length > 0) {
    return { ingress: declared.includes("Ingress"), egress: declared.includes("Egress"), malformed: false };
  }
  if (declared !== undefined && declared !== null && !Array.isArray(declared)) {
    return { ingress: false, egress: false, malformed: true };
  }
  const egress = readListField(spec.egress);
  return { ingress: true, egress: egress.state === "list" && egress.items.length > 0, malformed: false };
}

export function selectsAllPods(spec: JsonRecord): boolean {
  const shape = readSelectorShape(spec.podSelector);
  return shape === "absent" || shape === "empty";
}

function peersKey(direction: Direction): "from" | "to" {
  return direction === "ingress" ? "from" : "to";
}

/** Risk reading: a selector we cannot read may select everything. */
function selectsEverything(shape: SelectorShape): boolean {
  return shape !== "specific";
}

/** Class of an allow-any rule (any peer and any port), or null when the rule is narrower. */
export function classifyAllowAnyRule(rule: unknown, direction: Direction): AllowAnyClass | null {
  const fields = asRecord(rule) ?? {};
  const ports = readListField(fields.ports);
  if (ports.state === "list" && ports.items.length > 0) return null;
  const peers = readListField(fields[peersKey(direction)]);
  if (peers.state !== "list" || peers.items.length === 0) return "A";
  let allNamespaces = false;
  for (const item of peers.items) {
    const peer = asRecord(item);
    if (!peer) continue;
    const block = asRecord(peer.ipBlock);
    if (block) {
      const cidr = parseCidr(block.cidr);
      if (cidr && isWorldCidr(cidr)) return "B";
    }
    const namespaceShape = readSelectorShape(peer.namespaceSelector);
    if (namespaceShape !== "absent" && selectsEverything(namespaceShape) && selectsEverything(readSelectorShape(peer.podSelector))) {
      allNamespaces = true;
    }
  }
  return allNamespaces ? "C" : null;
}

/** Whether a port entry covers `port` for one of `protocols`; `lenient` reads malformed fields as absent. */
function portEntryCovers(item: unknown, protocols: readonly string[], port: number, lenient: boolean): boolean {
  const entry = asRecord(item);
  if (!entry) return lenient;
  const protocol = entry.protocol;
  if (protocol !== undefined && protocol !== null) {
    if (typeof protocol !== "string") {
      if (!lenient) return false;
    } else if (!protocols.includes(lenient ? protocol.toUpperCase() : protocol)) {
      return false;
    }
  }
  const start = entry.port;
  if (start === undefined || start === null) return true;
  // Named ports never match: the number behind a name is only known per pod.
  if (typeof start === "string") return false;
  if (typeof start !== "number") return lenient;
  if (start === port) return true;
  const end = entry.endPort;
  return start <= port && typeof end === "number" && end >= port;
}

/** The block contains 169.254.169.254 and no `except` entry takes it out again. */
export function ipBlockAdmitsImds(value: unknown): boolean {
  const block = asRecord(value);
  if (!block) return false;
  const cidr = parseCidr(block.cidr);
  if (!cidr || cidr.family !== 4 || !ipv4CidrContains(cidr, IMDS_ADDRESS)) return false;
  const except = readListField(block.except);
  if (except.state !== "list") return true;
  for (const entry of except.items) {
    const excluded = parseCidr(entry);
    if (excluded && excluded.family === 4 && ipv4CidrContains(excluded, IMDS_ADDRESS)) return false;
  }
  return true;
}

/** An egress rule permits 169.254.169.254 on TCP 80 (docs/design.md §4.2, "IMDS"). */
export function rulePermitsImds(rule: unknown): boolean {
  const fields = asRecord(rule) ?? {};
  const ports = readListField(fields.ports);
  if (ports.state === "list" && ports.items.length > 0) {
    if (!ports.items.some((item) => portEntryCovers(item, ["TCP"], IMDS_PORT, true))) return false;
  }
  const peers = readListField(fields.to);
  if (peers.state !== "list" || peers.items.length === 0) return true;
  return peers.items.some((item) => ipBlockAdmitsImds(asRecord(item)?.ipBlock));
}

function peerReachesDns(item: unknown): boolean {
  const peer = asRecord(item);
  if (!peer) return false;
  const namespaceShape = readSelectorShape(peer.namespaceSelector);
  if (namespaceShape === "empty") return true;
  if (namespaceShape === "specific") {
    const labels = asRecord(asRecord(peer.namespaceSelector)?.matchLabels);
    if (labels?.[KUBE_SYSTEM_LABEL] === "kube-system") return true;
  }
  const block = asRecord(peer.ipBlock);
  if (!block) return false;
  const cidr = parseCidr(block.cidr);
  return cidr !== null && cidr.family === 4 && isWorldCidr(cidr);
}

/** An egress rule's peers and ports admit DNS (docs/design.md §4.2, "kube-dns"); the policy must also select all pods. */
export function ruleAllowsDns(rule: unknown): boolean {
  const fields = asRecord(rule);
  if (!fields) return false;
  const ports = readListField(fields.ports);
  if (ports.state === "malformed") return false;
  if (ports.state === "list" && ports.items.length > 0) {
    if (!ports.items.some((item) => portEntryCovers(item, ["UDP", "TCP"], DNS_PORT, false))) return false;
  }
  const peers = readListField(fields.to);
  if (peers.state === "malformed") return false;
  if (isAbsentOrEmpty(peers)) return true;
  return peers.state === "list" && peers.items.some(peerReachesDns);
}

const NO_TYPES: EffectivePolicyTypes = Object.freeze({ ingress: false, egress: false, malformed: true });

/** Everything the evaluator needs from one policy, read in a single pass over its rules. */
export function analyzeNetworkPolicySpec(specValue: unknown): PolicySpecAnalysis {
  const spec = asRecord(specValue);
  const result: PolicySpecAnalysis = {
    selectsAllPods: false,
    types: NO_TYPES,
    defaultDenyIngress: false,
    defaultDenyEgress: false,
    allowsDns: false,
    allowAnyRules: [],
    imdsRules: [],
  };
  if (!spec) return result;
  const types = readEffectivePolicyTypes(spec);
  const allPods = selectsAllPods(spec);
  result.selectsAllPods = allPods;
  result.types = types;

  const ingress = readListField(spec.ingress);
  if (types.ingress || types.malformed) {
    if (ingress.state === "list") scanRules(ingress.items, "ingress", result);
  }
  const egress = readListField(spec.egress);
  if (types.egress || types.malformed) {
    if (egress.state === "list") {
      scanRules(egress.items, "egress", result);
      if (allPods && types.egress) result.allowsDns = egress.items.some(ruleAllowsDns);
    }
  }
  result.defaultDenyIngress = allPods && types.ingress && isAbsentOrEmpty(ingress);
  result.defaultDenyEgress = allPods && types.egress && isAbsentOrEmpty(egress);
  return result;
}

function scanRules(rules: unknown[], direction: Direction, into: PolicySpecAnalysis): void {
  for (let index = 0; index < rules.length; index += 1) {
    const rule = rules[index];
    const allowAnyClass = classifyAllowAnyRule(rule, direction);
    if (allowAnyClass) into.allowAnyRules.push({ direction, index, class: allowAnyClass, rule });
    if (direction === "egress" && rulePermitsImds(rule)) into.imdsRules.push({ direction, index, rule });
  }
}
