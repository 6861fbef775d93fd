// `bulkhead analyze FILE... [--json] [--fix] [--engine E]`: default-deny coverage and allow-any rules of
// manifests of every policy kind (docs/design.md §6, docs/rules-v2.md).

import Table from "cli-table3";
import { Command } from "commander";
import { createColors } from "picocolors";

import { ManifestReadError, manifestSource, readManifestFiles, type SkippedFile } from "../../lib/manifests/read-manifests";
import {
  ALLOW_ANY_CLASS_ADVICE,
  buildBaselineManifests,
  compareReachability,
  judgeManifests,
  manifestAnalysisFails,
  renderYamlDocuments,
  toManifestAnalysis,
  type AnalyzeEngine,
  type ClusterJudgement,
  type ManifestAnalysis,
} from "../../lib/posture";
import { plural, verb } from "../../lib/posture/wording";
import { formatChangesReport, formatConnectivityReport, toChangesJson, toConnectivityJson } from "./analyze-connectivity";

export const ANALYZE_EXIT = { ok: 0, failing: 1, unreadable: 2 } as const;

/** Files a directory held that are not manifests: listed up to this many, then counted. */
const MAX_SKIPS_LISTED = 20;

export interface AnalyzeIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  color: boolean;
  setExitCode: (code: number) => void;
}

export interface AnalyzeOptions {
  json?: boolean;
  fix?: boolean;
  engine?: string;
  connectivity?: boolean;
  /** Base manifests: print the connections the FILEs add and remove (docs/reachability.md). */
  against?: string[];
}

const ENGINES: readonly AnalyzeEngine[] = ["cilium", "calico", "azure"];

type Colors = ReturnType<typeof createColors>;

/** NO_COLOR wins, FORCE_COLOR forces, otherwise colour only on a terminal. */
export function shouldUseColor(env: Readonly<Record<string, string | undefined>>, isTTY: boolean | undefined): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false") return true;
  return isTTY === true;
}

function defaultIo(): AnalyzeIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    color: shouldUseColor(process.env, process.stdout.isTTY),
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

/** Borders and headers uncoloured by cli-table3 itself, so colour follows our one switch. */
function newTable(head: string[], colors: Colors): Table.Table {
  return new Table({ head: head.map((title) => colors.bold(title)), style: { head: [], border: [], compact: true } });
}

function yesNo(value: boolean, colors: Colors): string {
  return value ? colors.green("yes") : colors.red("no");
}

function failingNamespaces(analysis: ManifestAnalysis): ManifestAnalysis["namespaces"] {
  return analysis.namespaces.filter((namespace) => !namespace.defaultDenyIngress || !namespace.defaultDenyEgress);
}

export function formatVerdict(analysis: ManifestAnalysis): string {
  const failing = failingNamespaces(analysis);
  const total = analysis.namespaces.length;
  const rules = analysis.allowAnyRules.length;
  if (failing.length === 0 && rules === 0) {
    return total === 0
      ? "PASS: no namespaces, workloads or policies to check and no allow-any rules."
      : `PASS: ${total === 1 ? "the namespace denies" : `all ${total} namespaces deny`} ingress and egress by default; no allow-any rules.`;
  }
  const problems: string[] = [];
  if (failing.length > 0) {
    problems.push(
      `${failing.length} of ${plural(total, "namespace")} ${verb(failing.length, "lacks", "lack")} a default deny (${failing.map((namespace) => namespace.name).join(", ")})`,
    );
  }
  if (rules > 0) problems.push(plural(rules, "allow-any rule"));
  return `FAIL: ${problems.join("; ")}.`;
}

export function formatAnalysisReport(analysis: ManifestAnalysis, colors: Colors): string {
  const lines: string[] = [];
  lines.push(colors.bold(`Namespaces (${analysis.namespaces.length})`));
  if (analysis.namespaces.length === 0) {
    lines.push("none");
  } else {
    const table = newTable(["Namespace", "Default deny ingress", "Default deny egress"], colors);
    for (const namespace of analysis.namespaces) {
      table.push([namespace.name, yesNo(namespace.defaultDenyIngress, colors), yesNo(namespace.defaultDenyEgress, colors)]);
    }
    lines.push(table.toString());
  }
  lines.push("", colors.bold(`Allow-any rules (${analysis.allowAnyRules.length})`));
  if (analysis.allowAnyRules.length === 0) {
    lines.push("none");
  } else {
    const table = newTable(["Namespace", "Policy", "Direction", "Index", "Class", "Admits"], colors);
    for (const rule of analysis.allowAnyRules) {
      // Kubernetes NetworkPolicies keep their plain name; other kinds say what they are.
      const policy = rule.kind === "NetworkPolicy" ? rule.policy : `${rule.kind}/${rule.policy}`;
      const index = rule.list === rule.direction ? String(rule.index) : `${rule.list}[${rule.index}]`;
      table.push([rule.namespace ?? "(cluster-wide)", policy, rule.direction, index, rule.class, ALLOW_ANY_CLASS_ADVICE[rule.class].problem]);
    }
    lines.push(table.toString());
  }
  const verdict = formatVerdict(analysis);
  lines.push("", manifestAnalysisFails(analysis) ? colors.red(colors.bold(verdict)) : colors.green(colors.bold(verdict)));
  return `${lines.join("\n")}\n`;
}

/** The `analyze --json` shape of docs/design.md §6; toManifestAnalysis already builds exactly these fields. */
export function toAnalysisJson(analysis: ManifestAnalysis): string {
  return JSON.stringify({ namespaces: analysis.namespaces, allowAnyRules: analysis.allowAnyRules });
}

/** Runs the command and returns its exit code. */
export async function runAnalyze(files: readonly string[], options: AnalyzeOptions, io: AnalyzeIo): Promise<number> {
  if (files.length === 0) {
    io.stderr("bulkhead analyze: give at least one FILE or DIR (YAML or JSON manifests)\n");
    return ANALYZE_EXIT.unreadable;
  }
  if (options.json && options.fix) {
    io.stderr("bulkhead analyze: --json and --fix cannot be used together\n");
    return ANALYZE_EXIT.unreadable;
  }
  if (options.fix && (options.connectivity || options.against)) {
    io.stderr(`bulkhead analyze: --fix cannot be used with ${options.connectivity ? "--connectivity" : "--against"}\n`);
    return ANALYZE_EXIT.unreadable;
  }
  if (options.connectivity && options.against) {
    io.stderr("bulkhead analyze: --connectivity and --against cannot be used together (--against prints the connections a change adds and removes)\n");
    return ANALYZE_EXIT.unreadable;
  }
  if (options.against && options.against.length === 0) {
    io.stderr("bulkhead analyze: --against needs at least one BASE file\n");
    return ANALYZE_EXIT.unreadable;
  }
  const engine = options.engine ?? "all";
  if (engine !== "all" && !(ENGINES as readonly string[]).includes(engine)) {
    io.stderr(`bulkhead analyze: --engine ${JSON.stringify(engine)} is not one of ${ENGINES.join(", ")}\n`);
    return ANALYZE_EXIT.unreadable;
  }
  let objects: unknown[];
  const skipped: SkippedFile[] = [];
  let baseObjects: unknown[] | null = null;
  try {
    objects = await readManifestFiles(files, skipped);
    if (options.against) baseObjects = await readManifestFiles(options.against, skipped);
  } catch (error) {
    if (!(error instanceof ManifestReadError)) throw error;
    for (const line of error.message.split("\n")) io.stderr(`bulkhead analyze: ${line}\n`);
    return ANALYZE_EXIT.unreadable;
  }
  for (const skip of skipped.slice(0, MAX_SKIPS_LISTED)) io.stderr(`bulkhead analyze: skipped ${skip.file}: ${skip.reason}\n`);
  if (skipped.length > MAX_SKIPS_LISTED) io.stderr(`bulkhead analyze: … and ${skipped.length - MAX_SKIPS_LISTED} more files skipped\n`);

  const judgement = judgeManifests(objects, { engine: engine as AnalyzeEngine });
  const analysis = toManifestAnalysis(judgement);
  const exitCode = manifestAnalysisFails(analysis) ? ANALYZE_EXIT.failing : ANALYZE_EXIT.ok;
  reportInputNotes(judgement, engine as AnalyzeEngine, io);
  if (analysis.namespaces.length === 0 && analysis.allowAnyRules.length === 0) {
    io.stderr("bulkhead analyze: warning: the input holds no Namespace, workload or policy object in a workload namespace\n");
  }

  if (baseObjects !== null) {
    // A pull request's gate: exit 1 only when the change adds reachability from outside, to IMDS or across namespaces.
    const base = judgeManifests(baseObjects, { engine: engine as AnalyzeEngine });
    const changes = compareReachability({ model: base.model, reachability: base.reachability }, { model: judgement.model, reachability: judgement.reachability });
    io.stdout(options.json ? `${JSON.stringify(toChangesJson(changes))}\n` : formatChangesReport(changes, createColors(io.color)));
    return changes.addsRisk ? ANALYZE_EXIT.failing : ANALYZE_EXIT.ok;
  }
  if (options.connectivity) {
    io.stdout(options.json ? `${JSON.stringify(toConnectivityJson(judgement.reachability))}\n` : formatConnectivityReport(judgement, createColors(io.color)));
  } else if (options.json) {
    io.stdout(`${toAnalysisJson(analysis)}\n`);
  } else if (options.fix) {
    // A namespace some policy already isolates needs no new default deny (its allow-any rules need a
    // manual fix); one that denies egress but blocks DNS gets the DNS allow it lacks.
    const isolated = (name: string, direction: "ingress" | "egress"): boolean => judgement.model.isolates({ namespace: name, labels: null }, direction, "risk") !== null;
    const fixable = judgement.namespaces.map((namespace) => ({
      name: namespace.name,
      defaultDenyIngress: namespace.defaultDenyIngress || isolated(namespace.name, "ingress"),
      defaultDenyEgress: namespace.defaultDenyEgress || isolated(namespace.name, "egress"),
      allowsDns: namespace.allowsDns,
    }));
    const failing = fixable.filter((namespace) => !namespace.defaultDenyIngress || !namespace.defaultDenyEgress || !namespace.allowsDns);
    const manifests = buildBaselineManifests(failing);
    if (manifests.length > 0) io.stdout(renderYamlDocuments(manifests));
    io.stderr(
      failing.length > 0
        ? `bulkhead analyze: ${plural(manifests.length, "manifest")} for ${failing.map((namespace) => namespace.name).join(", ")}\n`
        : "bulkhead analyze: every namespace already denies ingress and egress by default and allows DNS\n",
    );
    if (analysis.allowAnyRules.length > 0) {
      io.stderr(
        `bulkhead analyze: ${plural(analysis.allowAnyRules.length, "allow-any rule")} ${verb(analysis.allowAnyRules.length, "needs", "need")} a manual fix; run without --fix to list them\n`,
      );
    }
  } else {
    io.stdout(formatAnalysisReport(analysis, createColors(io.color)));
  }
  return exitCode;
}

function describeObject(object: { kind: string; namespace: string | null; name: string }): string {
  return `${object.kind} ${object.namespace === null ? object.name : `${object.namespace}/${object.name}`}`;
}

/** Problems (file, document, object, field, why), objects nothing enforces, and admin policies, on stderr. */
function reportInputNotes(judgement: ClusterJudgement, engine: AnalyzeEngine, io: AnalyzeIo): void {
  for (const reading of judgement.readings) {
    const source = manifestSource(reading.object);
    const where = source ? `${source.file}: document ${source.document}: ` : "";
    for (const problem of reading.problems) {
      io.stderr(`bulkhead analyze: ${where}${describeObject(problem.object)}: ${problem.field} ${problem.why}; it earns no credit\n`);
    }
  }
  const ignored = judgement.policies.filter((policy) => !policy.enforced);
  const admin = ignored.filter((policy) => policy.kind === "AdminNetworkPolicy" || policy.kind === "BaselineAdminNetworkPolicy" || policy.kind === "ClusterNetworkPolicy");
  const notEnforced = ignored.filter((policy) => !admin.includes(policy));
  if (notEnforced.length > 0) {
    io.stderr(`bulkhead analyze: note: --engine ${engine} does not enforce ${plural(notEnforced.length, "object")}, judged as absent: ${notEnforced.map(describeObject).join(", ")}\n`);
  }
  if (admin.length > 0) {
    io.stderr(`bulkhead analyze: note: ${plural(admin.length, "admin network policy", "admin network policies")} read and not judged (no AKS engine enforces them): ${admin.map(describeObject).join(", ")}\n`);
  }
}

export function analyzeCommand(io: Partial<AnalyzeIo> = {}): Command {
  const streams: AnalyzeIo = { ...defaultIo(), ...io };
  return new Command("analyze")
    .description(
      "Check manifests (YAML or JSON, multi-document, lists) of Namespaces, workloads and policy objects (Kubernetes, Cilium, Calico) for default deny and allow-any rules. Exit 1 when a namespace lacks a default deny or an allow-any rule exists, 2 on unreadable input.",
    )
    .argument("[files...]", "manifest files, or directories (read recursively; files are taken by their content, binaries and other text are skipped and listed)")
    .option("--json", 'print {"namespaces":[...],"allowAnyRules":[...]}')
    .option("--fix", "print NetworkPolicy manifests that give the failing namespaces a default deny both ways, with DNS allowed")
    .option("--engine <engine>", "the engine that enforces the objects: cilium, calico or azure (default: every kind judged as if enforced)")
    .option("--connectivity", "print who reaches whom: lateral exposure, namespace pairs, classes reachable from outside and reaching IMDS (with --json: as JSON)")
    .option("--against <base...>", "compare with BASE manifests: print the connections the FILEs add and remove; exit 1 when they add reachability from outside, to IMDS or across namespaces")
    .action(async (files: string[], options: AnalyzeOptions) => {
      streams.setExitCode(await runAnalyze(files, options, streams));
    });
}
