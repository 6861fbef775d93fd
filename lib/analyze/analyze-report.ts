// What `bulkhead analyze` found, as checks: one per workload namespace and control (NP-02…NP-05),
// one per allow-any rule (NP-06), one per declared cluster and control (NP-01, NP-05 from
// infrastructure as code). Each has a status, a sentence, a place in the input, the exception that
// covers it, and whether it decides the exit status (--fail-on). Every output format reads this.

import { createHash } from "node:crypto";

import { applyExceptions, type ExceptionOutcome, type ExceptionTarget } from "../exceptions/match-exceptions";
import type { ExceptionEntry } from "../exceptions/exceptions-file";
import type { IacJudgement } from "../iac/judge-iac";
import { locateField, locateInSource, manifestSource, type IacDocument, type ManifestSource } from "../manifests/read-manifests";
import { ALLOW_ANY_CLASS_ADVICE, type AllowAnyRule, type ClusterJudgement, type ControlId, type PolicyReading } from "../posture";
import { classifyObject } from "../posture/kube-objects";
import { asRecord } from "../posture/untrusted-json";

export type CheckStatus = "pass" | "fail" | "n/a" | "unknown";

export interface CheckLocation {
  /** The input as given ("-" for standard input). */
  file: string;
  document: number | null;
  line: number | null;
  column: number | null;
  /** Helm's `# Source:` template of the document, when it names one. */
  template: string | null;
}

export interface Check {
  control: ControlId;
  target: ExceptionTarget;
  /** Whom it is about, for people: "namespace shop", "NetworkPolicy shop/open ingress[0]", "cluster azurerm_kubernetes_cluster.main". */
  subject: string;
  /** A JUnit suite / table group: "namespace shop", "cluster …", "(cluster-wide)". */
  group: string;
  status: CheckStatus;
  message: string;
  location: CheckLocation | null;
  /** The allow-any rule (NP-06). */
  rule: AllowAnyRule | null;
  exception: ExceptionEntry | null;
  /** Its control is one --fail-on names. */
  gating: boolean;
  /** Stable across runs and line moves: the control and whom it is about, hashed. */
  fingerprint: string;
}

export interface AdvisoryNote {
  id: string;
  severity: "warning" | "info";
  message: string;
  cluster: string;
  certain: boolean;
  location: CheckLocation | null;
}

export interface AnalyzeReport {
  checks: Check[];
  advisories: AdvisoryNote[];
  /** What became of each exception; null without --exceptions. */
  exceptions: ExceptionOutcome[] | null;
  exceptionsFile: string | null;
  failOn: ReadonlySet<ControlId>;
  /** A gating check fails (or cannot be judged) and no exception covers it. */
  fails: boolean;
}

export { ANALYZE_CONTROLS, DEFAULT_FAIL_ON } from "./analyze-controls";

function fingerprint(parts: readonly unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 32);
}

function locationOf(source: ManifestSource | undefined, at: { line: number; column: number } | null): CheckLocation | null {
  if (!source) return null;
  return { file: source.file, document: source.document, line: at?.line ?? source.line, column: at?.column ?? source.column, template: source.template };
}

/** The object that puts each namespace in the input: its Namespace object, else the first object in it. */
function namespaceLocations(objects: readonly unknown[]): Map<string, { object: unknown; field: string[] }> {
  const declared = new Map<string, { object: unknown; field: string[] }>();
  const mentioned = new Map<string, { object: unknown; field: string[] }>();
  for (const object of objects) {
    const kind = classifyObject(object);
    if (kind === null) continue;
    const metadata = asRecord(asRecord(object)?.metadata);
    if (kind === "Namespace") {
      if (typeof metadata?.name === "string" && !declared.has(metadata.name)) declared.set(metadata.name, { object, field: ["metadata", "name"] });
    } else {
      const namespace = typeof metadata?.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : "default";
      if (!mentioned.has(namespace)) mentioned.set(namespace, { object, field: typeof metadata?.namespace === "string" ? ["metadata", "namespace"] : ["metadata"] });
    }
  }
  for (const [name, place] of mentioned) if (!declared.has(name)) declared.set(name, place);
  return declared;
}

/** The path of `target` inside `root`, found by identity (readers keep the rule objects they read). */
function pathTo(root: unknown, target: unknown, depth = 0): (string | number)[] | null {
  if (root === target) return [];
  if (depth > 8 || typeof root !== "object" || root === null) return null;
  const entries: [string | number, unknown][] = Array.isArray(root) ? root.map((value, index) => [index, value]) : Object.entries(root);
  for (const [key, value] of entries) {
    const below = pathTo(value, target, depth + 1);
    if (below) return [key, ...below];
  }
  return null;
}

function readingKey(kind: string, namespace: string | null, name: string): string {
  return `${kind}\u0000${namespace ?? ""}\u0000${name}`;
}

export function formatRule(rule: Pick<AllowAnyRule, "kind" | "namespace" | "policy" | "list" | "index">): string {
  return `${rule.kind} ${rule.namespace === null ? rule.policy : `${rule.namespace}/${rule.policy}`} ${rule.list}[${rule.index}]`;
}

export interface BuildReportInput {
  judgement: ClusterJudgement;
  objects: readonly unknown[];
  iac: readonly { document: IacDocument; judgement: IacJudgement }[];
  failOn: ReadonlySet<ControlId>;
  exceptions: { file: string; entries: readonly ExceptionEntry[] } | null;
  now: Date;
}

function namespaceChecks(judgement: ClusterJudgement, objects: readonly unknown[]): Omit<Check, "exception" | "gating">[] {
  const places = namespaceLocations(objects);
  const imdsRules = new Map<string, string[]>();
  for (const rule of judgement.imdsRules) {
    const list = imdsRules.get(rule.workloadNamespace) ?? [];
    list.push(formatRule(rule));
    imdsRules.set(rule.workloadNamespace, list);
  }
  const checks: Omit<Check, "exception" | "gating">[] = [];
  for (const namespace of judgement.namespaces) {
    const name = namespace.name;
    const place = places.get(name);
    const location = place ? locationOf(manifestSource(place.object), locateField(place.object, place.field)) : null;
    const add = (control: ControlId, status: CheckStatus, message: string): void => {
      checks.push({ control, target: { kind: "namespace", control, namespace: name }, subject: `namespace ${name}`, group: `namespace ${name}`, status, message, location, rule: null, fingerprint: fingerprint([control, "namespace", name]) });
    };
    add(
      "NP-02",
      namespace.defaultDenyIngress ? "pass" : "fail",
      namespace.defaultDenyIngress
        ? `Namespace ${name} denies ingress by default.`
        : `Namespace ${name} has no default deny for ingress: a new pod there accepts connections from peers nobody planned for; apply a default-deny ingress policy.`,
    );
    add(
      "NP-03",
      namespace.defaultDenyEgress ? "pass" : "fail",
      namespace.defaultDenyEgress
        ? `Namespace ${name} denies egress by default.`
        : `Namespace ${name} has no default deny for egress: a new pod there can connect to peers nobody planned for; apply a default-deny egress policy (with DNS allowed).`,
    );
    add(
      "NP-04",
      !namespace.defaultDenyEgress ? "n/a" : namespace.allowsDns ? "pass" : "fail",
      !namespace.defaultDenyEgress
        ? `Namespace ${name} does not deny egress by default, so there is no DNS exception to check.`
        : namespace.allowsDns
          ? `Namespace ${name} denies egress by default and allows DNS.`
          : `Namespace ${name} denies egress by default without allowing DNS: its pods cannot resolve names; allow egress to kube-dns in kube-system on UDP and TCP 53.`,
    );
    const rules = imdsRules.get(name) ?? [];
    add(
      "NP-05",
      namespace.permitsImds ? "fail" : "pass",
      namespace.permitsImds
        ? `Pods of namespace ${name} can reach the instance metadata service (169.254.169.254, TCP 80)${rules.length > 0 ? `, through ${rules.join(", ")}` : ""}: deny egress to 169.254.169.254/32, or set the cluster's podLinkLocalAccess to None.`
        : `No pod of namespace ${name} can reach the instance metadata service.`,
    );
  }
  return checks;
}

function ruleChecks(judgement: ClusterJudgement): Omit<Check, "exception" | "gating">[] {
  const readings = new Map<string, PolicyReading>();
  for (const reading of judgement.readings) readings.set(readingKey(reading.ref.kind, reading.ref.namespace, reading.ref.name), reading);
  return judgement.allowAnyRules.map((rule) => {
    const reading = readings.get(readingKey(rule.kind, rule.namespace, rule.policy));
    const object = reading?.object;
    const path = object !== undefined ? pathTo(object, rule.rule) : null;
    const location = object !== undefined ? locationOf(manifestSource(object), locateField(object, path ?? ["spec"])) : null;
    const advice = ALLOW_ANY_CLASS_ADVICE[rule.class];
    const subject = formatRule(rule);
    return {
      control: "NP-06" as const,
      target: { kind: "rule", control: "NP-06", rule: { kind: rule.kind, namespace: rule.namespace, policy: rule.policy, direction: rule.direction, list: rule.list, index: rule.index } },
      subject,
      group: rule.namespace === null ? "(cluster-wide)" : `namespace ${rule.namespace}`,
      status: "fail" as const,
      message: `${subject} (class ${rule.class}) admits ${advice.problem}: ${advice.fix}.`,
      location,
      rule,
      fingerprint: fingerprint(["NP-06", rule.kind, rule.namespace, rule.policy, rule.list, rule.index]),
    };
  });
}

function iacChecks(entries: BuildReportInput["iac"]): { checks: Omit<Check, "exception" | "gating">[]; advisories: AdvisoryNote[] } {
  const checks: Omit<Check, "exception" | "gating">[] = [];
  const advisories: AdvisoryNote[] = [];
  for (const { document, judgement } of entries) {
    const cluster = judgement.cluster;
    const where = (field: keyof typeof cluster.fieldPaths): CheckLocation | null => {
      const path = cluster.fieldPaths[field] ?? cluster.path;
      return locationOf(document.source, locateInSource(document.source, [...document.source.path, ...path]));
    };
    const names = [cluster.name, ...(cluster.resourceName ? [cluster.resourceName] : [])];
    for (const check of judgement.checks) {
      checks.push({
        control: check.control,
        target: { kind: "cluster", control: check.control, names },
        subject: `cluster ${cluster.name}`,
        group: `cluster ${cluster.name}`,
        status: check.status,
        message: check.reason,
        location: where(check.field),
        rule: null,
        fingerprint: fingerprint([check.control, "cluster", cluster.format, cluster.name]),
      });
    }
    for (const advisory of judgement.advisories) {
      advisories.push({ id: advisory.id, severity: advisory.severity, message: advisory.message, cluster: cluster.name, certain: advisory.certain, location: where(advisory.field) });
    }
  }
  return { checks, advisories };
}

function isFailing(status: CheckStatus): boolean {
  return status === "fail" || status === "unknown";
}

/** All checks, exceptions applied, and the verdict under --fail-on. */
export function buildAnalyzeReport(input: BuildReportInput): AnalyzeReport {
  const iac = iacChecks(input.iac);
  const bare = [...iac.checks, ...namespaceChecks(input.judgement, input.objects), ...ruleChecks(input.judgement)];
  const failing = bare.filter((check) => isFailing(check.status));
  const applied = input.exceptions ? applyExceptions(input.exceptions.entries, failing.map((check) => check.target), input.now) : null;
  const covering = new Map<(typeof bare)[number], ExceptionEntry | null>();
  failing.forEach((check, index) => covering.set(check, applied?.covering[index] ?? null));
  const checks: Check[] = bare.map((check) => ({ ...check, exception: covering.get(check) ?? null, gating: input.failOn.has(check.control) }));
  return {
    checks,
    advisories: iac.advisories,
    exceptions: applied?.outcomes ?? null,
    exceptionsFile: input.exceptions?.file ?? null,
    failOn: input.failOn,
    fails: checks.some((check) => check.gating && isFailing(check.status) && check.exception === null),
  };
}

/** Failing checks no exception covers. */
export function openFailures(report: AnalyzeReport): Check[] {
  return report.checks.filter((check) => isFailing(check.status) && check.exception === null);
}

export { isFailing };
