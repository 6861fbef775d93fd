// `bulkhead analyze` at work: reads the inputs, judges them and prints the report the options ask for
// (docs/design.md §6, docs/rules-v2.md). Loaded by the command's action (./analyze), not by its definition.

import { writeFile } from "node:fs/promises";

import Table from "cli-table3";
import { createColors } from "picocolors";

import { DEFAULT_FAIL_ON } from "../../lib/analyze/analyze-controls";
import { buildAnalyzeReport, formatRule, openFailures, type AnalyzeReport, type Check } from "../../lib/analyze/analyze-report";
import type { ExceptionsFile } from "../../lib/exceptions/exceptions-file";
import { describeEntry, ExceptionsFileError } from "../../lib/exceptions/exceptions-text";
import { judgeIacDocument } from "../../lib/iac/read-iac";
import { decodeInputText, TextDecodeError } from "../../lib/input/decode-text";
import { InputFileError, readInputFile } from "../../lib/input/read-input-file";
import { ManifestReadError, manifestSource, readManifestInputs, type ManifestInput, type SkippedFile } from "../../lib/manifests/read-manifests";
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
import { ANALYZE_FORMATS, parseFailOn, TOOL_VERSION, type AnalyzeFormat } from "./analyze-options";
import type { AnalyzeIo, AnalyzeOptions } from "./analyze";

export const ANALYZE_EXIT = { ok: 0, failing: 1, unreadable: 2 } as const;

/** Files a directory held that are not manifests: listed up to this many, then counted. */
const MAX_SKIPS_LISTED = 20;

const ENGINES: readonly AnalyzeEngine[] = ["cilium", "calico", "azure"];

type Colors = ReturnType<typeof createColors>;

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

/** The verdict under --fail-on and --exceptions; the plain one of formatVerdict when nothing is excepted or left out. */
export function formatReportVerdict(analysis: ManifestAnalysis, report: AnalyzeReport): string {
  const open = openFailures(report);
  const gating = open.filter((check) => check.gating);
  const excepted = report.checks.filter((check) => check.exception !== null).length;
  const exceptedNote = excepted > 0 ? ` (${plural(excepted, "finding")} excepted)` : "";
  if (!report.fails) {
    const left = open.filter((check) => !check.gating && (check.control === "NP-02" || check.control === "NP-03" || check.control === "NP-06" || check.control === "NP-01"));
    if (left.length === 0 && excepted === 0) {
      const plain = formatVerdict(analysis);
      const clusters = report.checks.filter((check) => check.target.kind === "cluster" && check.control === "NP-01");
      if (clusters.length === 0) return plain;
      const engines = `${clusters.length === 1 ? "the declared cluster enables" : `all ${clusters.length} declared clusters enable`} a network policy engine`;
      return analysis.namespaces.length === 0 && analysis.allowAnyRules.length === 0 ? `PASS: ${engines}.` : `${plain.slice(0, -1)}; ${engines}.`;
    }
    const outside = [...new Set(open.filter((check) => !check.gating).map((check) => check.control))];
    return `PASS: nothing that --fail-on names fails${exceptedNote}${outside.length > 0 ? `; failing but not gating: ${outside.join(", ")}` : ""}.`;
  }
  const problems: string[] = [];
  const total = analysis.namespaces.length;
  const lacking = [...new Set(gating.filter((check) => check.control === "NP-02" || check.control === "NP-03").map((check) => (check.target.kind === "namespace" ? check.target.namespace : "")))];
  if (lacking.length > 0) problems.push(`${lacking.length} of ${plural(total, "namespace")} ${verb(lacking.length, "lacks", "lack")} a default deny (${lacking.join(", ")})`);
  const namesOf = (control: string): string[] => gating.filter((check) => check.control === control && check.target.kind === "namespace").map((check) => (check.target.kind === "namespace" ? check.target.namespace : ""));
  const dns = namesOf("NP-04");
  if (dns.length > 0) problems.push(`${plural(dns.length, "namespace")} ${verb(dns.length, "denies", "deny")} egress without allowing DNS (${dns.join(", ")})`);
  const imds = namesOf("NP-05");
  if (imds.length > 0) problems.push(`pods of ${plural(imds.length, "namespace")} can reach IMDS (${imds.join(", ")})`);
  const rules = gating.filter((check) => check.control === "NP-06").length;
  if (rules > 0) problems.push(plural(rules, "allow-any rule"));
  const clusterChecks = gating.filter((check) => check.target.kind === "cluster");
  for (const control of ["NP-01", "NP-05"] as const) {
    const failing = clusterChecks.filter((check) => check.control === control && check.status === "fail");
    const unknown = clusterChecks.filter((check) => check.control === control && check.status === "unknown");
    const what = control === "NP-01" ? "without a network policy engine" : "whose pods can reach IMDS";
    if (failing.length > 0) problems.push(`${plural(failing.length, "declared cluster")} ${what} (${failing.map((check) => check.subject.slice("cluster ".length)).join(", ")})`);
    if (unknown.length > 0) problems.push(`${plural(unknown.length, "declared cluster")} whose ${control} the code does not settle (${unknown.map((check) => check.subject.slice("cluster ".length)).join(", ")})`);
  }
  return `FAIL: ${problems.join("; ")}${exceptedNote}.`;
}

function exceptedMark(checks: readonly Check[], colors: Colors): string {
  return checks.some((check) => check.exception !== null) ? colors.yellow(" (excepted)") : "";
}

function statusCell(status: string, colors: Colors): string {
  return status === "pass" ? colors.green(status) : status === "fail" ? colors.red(status) : status === "unknown" ? colors.yellow(status) : status;
}

export function formatAnalysisReport(analysis: ManifestAnalysis, colors: Colors, report?: AnalyzeReport): string {
  const lines: string[] = [];
  const byTarget = new Map<string, Check[]>();
  for (const check of report?.checks ?? []) {
    const key = check.target.kind === "namespace" ? `${check.control}\u0000${check.target.namespace}` : check.target.kind === "rule" ? `rule\u0000${check.subject}` : "";
    if (key !== "") byTarget.set(key, [...(byTarget.get(key) ?? []), check]);
  }
  const checksOf = (control: string, namespace: string): Check[] => byTarget.get(`${control}\u0000${namespace}`) ?? [];
  const extra = (["NP-04", "NP-05"] as const).filter((control) => report?.failOn.has(control));
  // Terraform plans or ARM templates alone: the manifest sections would only say "none".
  const iacOnly = analysis.namespaces.length === 0 && analysis.allowAnyRules.length === 0 && (report?.checks.some((check) => check.target.kind === "cluster") ?? false);
  if (!iacOnly) lines.push(...formatManifestSections(analysis, colors, extra, checksOf, byTarget));
  if (report) lines.push(...formatClusters(report, colors, iacOnly), ...formatExceptions(report, colors));
  const verdict = report ? formatReportVerdict(analysis, report) : formatVerdict(analysis);
  const fails = report ? report.fails : manifestAnalysisFails(analysis);
  lines.push("", fails ? colors.red(colors.bold(verdict)) : colors.green(colors.bold(verdict)));
  return `${lines.join("\n")}\n`;
}

function formatManifestSections(
  analysis: ManifestAnalysis,
  colors: Colors,
  extra: readonly ("NP-04" | "NP-05")[],
  checksOf: (control: string, namespace: string) => Check[],
  byTarget: ReadonlyMap<string, Check[]>,
): string[] {
  const lines: string[] = [];
  lines.push(colors.bold(`Namespaces (${analysis.namespaces.length})`));
  if (analysis.namespaces.length === 0) {
    lines.push("none");
  } else {
    const head = ["Namespace", "Default deny ingress", "Default deny egress", ...extra.map((control) => (control === "NP-04" ? "DNS allowed" : "IMDS blocked"))];
    const table = newTable(head, colors);
    for (const namespace of analysis.namespaces) {
      const cells = [
        namespace.name,
        yesNo(namespace.defaultDenyIngress, colors) + exceptedMark(checksOf("NP-02", namespace.name), colors),
        yesNo(namespace.defaultDenyEgress, colors) + exceptedMark(checksOf("NP-03", namespace.name), colors),
      ];
      for (const control of extra) {
        const check = checksOf(control, namespace.name)[0];
        cells.push(check?.status === "n/a" ? "n/a" : yesNo(check?.status === "pass", colors) + exceptedMark(checksOf(control, namespace.name), colors));
      }
      table.push(cells);
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
      const mark = exceptedMark(byTarget.get(`rule\u0000${formatRule(rule)}`) ?? [], colors);
      table.push([rule.namespace ?? "(cluster-wide)", policy, rule.direction, index, rule.class, ALLOW_ANY_CLASS_ADVICE[rule.class].problem + mark]);
    }
    lines.push(table.toString());
  }
  return lines;
}

function where(location: Check["location"]): string {
  if (!location) return "";
  return `${location.file}${location.line !== null ? `:${location.line}` : ""}`;
}

/** Clusters declared in Terraform plans and ARM templates, when the input holds any. */
function formatClusters(report: AnalyzeReport, colors: Colors, first: boolean): string[] {
  const clusters = [...new Set(report.checks.filter((check) => check.target.kind === "cluster").map((check) => check.subject))];
  if (clusters.length === 0) return [];
  const lines = [...(first ? [] : [""]), colors.bold(`Clusters declared in infrastructure as code (${clusters.length})`)];
  const table = newTable(["Cluster", "Where", "NP-01 engine", "NP-05 IMDS"], colors);
  const notes: string[] = [];
  for (const subject of clusters) {
    const checks = report.checks.filter((check) => check.subject === subject);
    const cell = (control: string): string => {
      const check = checks.find((entry) => entry.control === control);
      if (!check) return "";
      if (check.status !== "pass") notes.push(`  ${subject.slice("cluster ".length)} ${control}: ${check.message}`);
      return statusCell(check.status, colors) + (check.exception ? colors.yellow(" (excepted)") : "");
    };
    table.push([subject.slice("cluster ".length), where(checks[0]?.location ?? null), cell("NP-01"), cell("NP-05")]);
  }
  lines.push(table.toString());
  if (notes.length > 0) lines.push(...notes);
  for (const advisory of report.advisories) lines.push(`  ${advisory.cluster} advisory ${advisory.id}${advisory.certain ? "" : " (possible)"}: ${advisory.message}`);
  return lines;
}

function formatExceptions(report: AnalyzeReport, colors: Colors): string[] {
  if (!report.exceptions) return [];
  const lines = ["", colors.bold(`Exceptions (${report.exceptions.length}) from ${report.exceptionsFile}`)];
  if (report.exceptions.length === 0) return [...lines, "none"];
  const table = newTable(["Exception", "Covers", "Owner", "Expires", "Status"], colors);
  for (const outcome of report.exceptions) {
    const status = outcome.status === "applied" ? colors.green("applied") : outcome.status === "expired" ? colors.red("expired") : colors.yellow("matches nothing");
    table.push([describeEntry(outcome.entry), String(outcome.matches), outcome.entry.owner, outcome.entry.expires, status]);
  }
  lines.push(table.toString());
  return lines;
}

/**
 * The `analyze --json` shape of docs/design.md §6; toManifestAnalysis already builds exactly these
 * fields. With --exceptions, excepted namespaces and rules say so and `exceptions` lists the outcome
 * of each; with infrastructure as code, `clusters` lists each declared cluster's checks.
 */
export function toAnalysisJson(analysis: ManifestAnalysis): string {
  return JSON.stringify({ namespaces: analysis.namespaces, allowAnyRules: analysis.allowAnyRules });
}

function toReportJson(analysis: ManifestAnalysis, report: AnalyzeReport): string {
  const withExceptions = report.exceptions !== null;
  const clusters = [...new Set(report.checks.filter((check) => check.target.kind === "cluster").map((check) => check.subject))];
  if (!withExceptions && clusters.length === 0) return toAnalysisJson(analysis);
  const exceptionOf = (check: Check | undefined) => (check?.exception ? { index: check.exception.index, reason: check.exception.reason, owner: check.exception.owner, expires: check.exception.expires } : undefined);
  const namespaces = analysis.namespaces.map((namespace) => {
    if (!withExceptions) return namespace;
    const excepted = Object.fromEntries(
      report.checks
        .filter((check) => check.target.kind === "namespace" && check.target.namespace === namespace.name && check.exception !== null)
        .map((check) => [check.control, exceptionOf(check)]),
    );
    return Object.keys(excepted).length > 0 ? { ...namespace, exceptions: excepted } : namespace;
  });
  const allowAnyRules = analysis.allowAnyRules.map((rule) => {
    if (!withExceptions) return rule;
    const check = report.checks.find((entry) => entry.rule !== null && entry.subject === formatRule(rule));
    return check?.exception ? { ...rule, exception: exceptionOf(check) } : rule;
  });
  return JSON.stringify({
    namespaces,
    allowAnyRules,
    ...(clusters.length > 0
      ? {
          clusters: clusters.map((subject) => {
            const checks = report.checks.filter((check) => check.subject === subject);
            return {
              name: subject.slice("cluster ".length),
              file: checks[0]?.location?.file ?? null,
              line: checks[0]?.location?.line ?? null,
              checks: checks.map((check) => ({ control: check.control, status: check.status, reason: check.message, ...(check.exception ? { exception: exceptionOf(check) } : {}) })),
              advisories: report.advisories.filter((advisory) => `cluster ${advisory.cluster}` === subject).map(({ id, severity, message, certain }) => ({ id, severity, message, certain })),
            };
          }),
        }
      : {}),
    ...(withExceptions
      ? { exceptions: (report.exceptions ?? []).map((outcome) => ({ index: outcome.entry.index, line: outcome.entry.line, control: outcome.entry.control, status: outcome.status, matches: outcome.matches, owner: outcome.entry.owner, expires: outcome.entry.expires })) }
      : {}),
    failed: report.fails,
  });
}

interface Settings {
  format: AnalyzeFormat;
  engine: AnalyzeEngine;
  failOn: ReturnType<typeof parseFailOn> & { ok: true };
}

/** Checks the options against each other; a message for the first that does not fit. */
function settle(files: readonly string[], options: AnalyzeOptions): Settings | string {
  if (files.length === 0) return "give at least one FILE or DIR (YAML or JSON manifests, a Terraform plan, an ARM template), or - for standard input";
  const format = options.format ?? (options.json ? "json" : "table");
  if (!(ANALYZE_FORMATS as readonly string[]).includes(format)) return `--format ${JSON.stringify(format)} is not one of ${ANALYZE_FORMATS.join(", ")}`;
  if (options.json && format !== "json") return `--json and --format ${format} cannot be used together (--json is --format json)`;
  if (format === "json" && options.fix) return "--json and --fix cannot be used together";
  if (options.fix && format !== "table") return `--fix and --format ${format} cannot be used together`;
  if (options.fix && (options.connectivity || options.against)) return `--fix cannot be used with ${options.connectivity ? "--connectivity" : "--against"}`;
  if (options.connectivity && options.against) return "--connectivity and --against cannot be used together (--against prints the connections a change adds and removes)";
  if (options.against && options.against.length === 0) return "--against needs at least one BASE file";
  if ((options.connectivity || options.against) && (format === "sarif" || format === "junit")) {
    return `--format ${format} reports the checks; ${options.connectivity ? "--connectivity" : "--against"} prints connections (as a table or JSON): run them as two commands`;
  }
  if (options.output && (options.fix || options.connectivity || options.against)) return "--output writes the checks report; it cannot be used with --fix, --connectivity or --against";
  const engine = options.engine ?? "all";
  if (engine !== "all" && !(ENGINES as readonly string[]).includes(engine)) return `--engine ${JSON.stringify(engine)} is not one of ${ENGINES.join(", ")}`;
  const failOn = parseFailOn(options.failOn ?? DEFAULT_FAIL_ON.join(","));
  if (!failOn.ok) return failOn.message;
  return { format: format as AnalyzeFormat, engine: engine as AnalyzeEngine, failOn };
}

async function readExceptions(file: string): Promise<ExceptionsFile> {
  let text: string;
  try {
    text = decodeInputText(await readInputFile(file, 1024 * 1024));
  } catch (cause) {
    if (cause instanceof InputFileError) throw new ExceptionsFileError(file, [cause.problem === "missing" ? "no such file" : cause.reason]);
    if (cause instanceof TextDecodeError) throw new ExceptionsFileError(file, [cause.reason]);
    throw cause;
  }
  // The parser (and its schema library) loads only for --exceptions.
  const { parseExceptionsFile } = await import("../../lib/exceptions/exceptions-file");
  return parseExceptionsFile(text, file);
}

/** Runs the command and returns its exit code. */
export async function runAnalyze(files: readonly string[], options: AnalyzeOptions, io: AnalyzeIo): Promise<number> {
  const settings = settle(files, options);
  if (typeof settings === "string") {
    io.stderr(`bulkhead analyze: ${settings}\n`);
    return ANALYZE_EXIT.unreadable;
  }
  const { format, engine } = settings;
  let exceptions: ExceptionsFile | null = null;
  let input: ManifestInput;
  const skipped: SkippedFile[] = [];
  let baseObjects: unknown[] | null = null;
  const stdin = io.stdin ? { ...io.stdin, name: options.stdinName ?? "-" } : undefined;
  try {
    if (options.exceptions) exceptions = await readExceptions(options.exceptions);
    input = await readManifestInputs(files, { skipped, ...(stdin ? { stdin } : {}) });
    if (options.against) baseObjects = (await readManifestInputs(options.against, { skipped, ...(stdin ? { stdin } : {}) })).objects;
  } catch (error) {
    if (!(error instanceof ManifestReadError) && !(error instanceof ExceptionsFileError)) throw error;
    for (const line of error.message.split("\n")) io.stderr(`bulkhead analyze: ${line}\n`);
    return ANALYZE_EXIT.unreadable;
  }
  for (const skip of skipped.slice(0, MAX_SKIPS_LISTED)) io.stderr(`bulkhead analyze: skipped ${skip.file}: ${skip.reason}\n`);
  if (skipped.length > MAX_SKIPS_LISTED) io.stderr(`bulkhead analyze: … and ${skipped.length - MAX_SKIPS_LISTED} more files skipped\n`);

  const objects = input.objects;
  const judgement = judgeManifests(objects, { engine });
  const analysis = toManifestAnalysis(judgement);
  const notes = inputNotes(judgement, engine);
  for (const note of notes) io.stderr(`bulkhead analyze: ${note}\n`);
  if (analysis.namespaces.length === 0 && analysis.allowAnyRules.length === 0 && input.iac.length === 0) {
    io.stderr("bulkhead analyze: warning: the input holds no Namespace, workload or policy object in a workload namespace\n");
  }

  if (baseObjects !== null) {
    // A pull request's gate: exit 1 only when the change adds reachability from outside, to IMDS or across namespaces.
    const base = judgeManifests(baseObjects, { engine });
    const changes = compareReachability({ model: base.model, reachability: base.reachability }, { model: judgement.model, reachability: judgement.reachability });
    io.stdout(format === "json" ? `${JSON.stringify(toChangesJson(changes))}\n` : formatChangesReport(changes, createColors(io.color)));
    return changes.addsRisk ? ANALYZE_EXIT.failing : ANALYZE_EXIT.ok;
  }
  if (options.connectivity) {
    io.stdout(format === "json" ? `${JSON.stringify(toConnectivityJson(judgement.reachability))}\n` : formatConnectivityReport(judgement, createColors(io.color)));
    return manifestAnalysisFails(analysis) ? ANALYZE_EXIT.failing : ANALYZE_EXIT.ok;
  }
  if (options.fix) {
    printFix(judgement, analysis, io);
    return manifestAnalysisFails(analysis) ? ANALYZE_EXIT.failing : ANALYZE_EXIT.ok;
  }

  const iac = input.iac.flatMap((document) => judgeIacDocument(document.format, document.value).map((iacJudgement) => ({ document, judgement: iacJudgement })));
  const report = buildAnalyzeReport({
    judgement,
    objects,
    iac,
    failOn: settings.failOn.controls,
    exceptions: exceptions ? { file: exceptions.file, entries: exceptions.entries } : null,
    now: io.now?.() ?? new Date(),
  });
  for (const outcome of report.exceptions ?? []) {
    if (outcome.status === "applied") continue;
    const what = `${report.exceptionsFile}: ${describeEntry(outcome.entry)}`;
    io.stderr(`bulkhead analyze: ${options.strictExceptions ? "error" : "warning"}: ${what} ${outcome.status === "expired" ? `expired on ${outcome.entry.expires} and no longer applies` : "matches nothing that fails; remove it"}\n`);
  }
  const strictFails = options.strictExceptions === true && (report.exceptions ?? []).some((outcome) => outcome.status !== "applied");
  const colors = createColors(io.color);
  const rendered = await (async () => {
    switch (format) {
      case "json":
        return `${toReportJson(analysis, report)}\n`;
      case "sarif": {
        // Each format's writer loads only when asked for (the JUnit one brings an XML builder).
        const { formatSarif } = await import("../../lib/analyze/format-sarif");
        return formatSarif(report, {
          toolVersion: TOOL_VERSION,
          cwd: io.cwd ?? process.cwd(),
          stdinName: options.stdinName ?? "-",
          helmChart: options.helmChart ?? null,
          notes,
          strictExceptions: options.strictExceptions === true,
        });
      }
      case "junit": {
        const { formatJunit } = await import("../../lib/analyze/format-junit");
        return formatJunit(report, { strictExceptions: options.strictExceptions === true, cwd: io.cwd ?? process.cwd() });
      }
      default:
        return formatAnalysisReport(analysis, colors, report);
    }
  })();
  if (options.output) {
    try {
      await writeFile(options.output, rendered);
    } catch (error) {
      io.stderr(`bulkhead analyze: ${options.output}: cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})\n`);
      return ANALYZE_EXIT.unreadable;
    }
    io.stdout(format === "table" ? `bulkhead analyze: the report is in ${options.output}\n` : formatAnalysisReport(analysis, colors, report));
  } else {
    io.stdout(rendered);
  }
  if (strictFails) io.stderr("bulkhead analyze: --strict-exceptions: an exception is expired or matches nothing\n");
  return report.fails || strictFails ? ANALYZE_EXIT.failing : ANALYZE_EXIT.ok;
}

function printFix(judgement: ClusterJudgement, analysis: ManifestAnalysis, io: AnalyzeIo): void {
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
}

function describeObject(object: { kind: string; namespace: string | null; name: string }): string {
  return `${object.kind} ${object.namespace === null ? object.name : `${object.namespace}/${object.name}`}`;
}

/** Problems (file, document, object, field, why), objects nothing enforces, and admin policies: printed on stderr. */
function inputNotes(judgement: ClusterJudgement, engine: AnalyzeEngine): string[] {
  const notes: string[] = [];
  for (const reading of judgement.readings) {
    const source = manifestSource(reading.object);
    const where = source ? `${source.file}: document ${source.document}: ` : "";
    for (const problem of reading.problems) notes.push(`${where}${describeObject(problem.object)}: ${problem.field} ${problem.why}; it earns no credit`);
  }
  const ignored = judgement.policies.filter((policy) => !policy.enforced);
  const admin = ignored.filter((policy) => policy.kind === "AdminNetworkPolicy" || policy.kind === "BaselineAdminNetworkPolicy" || policy.kind === "ClusterNetworkPolicy");
  const notEnforced = ignored.filter((policy) => !admin.includes(policy));
  if (notEnforced.length > 0) {
    notes.push(`note: --engine ${engine} does not enforce ${plural(notEnforced.length, "object")}, judged as absent: ${notEnforced.map(describeObject).join(", ")}`);
  }
  if (admin.length > 0) {
    notes.push(`note: ${plural(admin.length, "admin network policy", "admin network policies")} read and not judged (no AKS engine enforces them): ${admin.map(describeObject).join(", ")}`);
  }
  return notes;
}
