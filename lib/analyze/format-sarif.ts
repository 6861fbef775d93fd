// `bulkhead analyze --format sarif`: SARIF 2.1.0, as GitHub code scanning and Azure DevOps' SARIF
// viewer read it. One rule per control (with its help and remediation) and per advisory raised; one
// result per failing namespace control, allow-any rule and declared cluster control; excepted ones
// carry an accepted suppression; stable partialFingerprints; locations relative to the working
// directory (the repository root in CI).

import path from "node:path";
import { pathToFileURL } from "node:url";

import { getControl, type ControlId, type ControlSeverity } from "../posture";
import { ADVISORY_TEXT } from "../posture/advisory-text";
import type { AdvisoryId } from "../posture/types";
import { isFailing, type AnalyzeReport, type Check, type CheckLocation } from "./analyze-report";
import { controlHelp } from "./control-help";

export const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
export const FINGERPRINT_KEY = "bulkheadCheck/v1";

export interface SarifOptions {
  toolVersion: string;
  /** Paths are written relative to this directory (the repository root). */
  cwd: string;
  /** What standard input is called in locations (`--stdin-name`); "-" when not given. */
  stdinName: string;
  /** Maps Helm's `# Source: <chart>/…` to a repository path (`--helm-chart DIR`): the chart's directory. */
  helmChart: string | null;
  /** Lines printed on stderr about the input (fields that could not be read, objects not enforced). */
  notes: readonly string[];
  strictExceptions: boolean;
}

type Level = "error" | "warning" | "note";

const LEVEL: Record<ControlSeverity, Level> = { critical: "error", high: "error", medium: "warning", low: "note" };
/** GitHub's security-severity scale: critical 9.0+, high 7.0–8.9, medium 4.0–6.9, low below. */
const SECURITY_SEVERITY: Record<ControlSeverity, string> = { critical: "9.0", high: "7.5", medium: "5.0", low: "2.0" };

function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}

/** A path as a URI reference relative to the working directory, or a file: URI outside it. */
function artifactLocation(file: string, options: SarifOptions): { uri: string; uriBaseId?: string } {
  const absolute = path.resolve(options.cwd, file);
  const relative = path.relative(options.cwd, absolute);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return { uri: pathToFileURL(absolute).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
}

/** The chart template a rendered document came from, as a repository path when --helm-chart says where the chart is. */
function templatePath(template: string, options: SarifOptions): string {
  if (!options.helmChart) return template;
  const rest = template.split("/").slice(1).join("/");
  return path.join(options.helmChart, rest);
}

/**
 * Helm output on standard input has no file in the repository: its `# Source:` template stands in.
 * A rendered file that is in the repository is itself the place (its template is said beside it).
 */
function viaTemplate(location: CheckLocation): location is CheckLocation & { template: string } {
  return location.template !== null && location.file === "-";
}

function physicalLocation(location: CheckLocation, options: SarifOptions): Record<string, unknown> {
  if (viaTemplate(location)) {
    // The template's own lines are not known (Helm rendered it): the whole file is named, the rendered place is said in the message.
    return { artifactLocation: artifactLocation(templatePath(location.template, options), options) };
  }
  const file = location.file === "-" ? options.stdinName : location.file;
  const region: Record<string, number> = {};
  if (location.line !== null) region.startLine = location.line;
  if (location.column !== null && location.line !== null) region.startColumn = location.column;
  return { artifactLocation: artifactLocation(file, options), ...(location.line !== null ? { region } : {}) };
}

function renderedAt(location: CheckLocation, options: SarifOptions): string {
  const file = location.file === "-" ? options.stdinName : location.file;
  return `${file}${location.document !== null ? `, document ${location.document}` : ""}${location.line !== null ? `, line ${location.line}` : ""}`;
}

function controlRule(control: ControlId): Record<string, unknown> {
  const definition = getControl(control);
  const help = controlHelp(control);
  return {
    id: control,
    name: pascalCase(definition.name),
    shortDescription: { text: definition.title },
    fullDescription: { text: definition.description },
    help: { text: help.text, markdown: help.markdown },
    defaultConfiguration: { level: LEVEL[definition.severity] },
    properties: { tags: ["security", "kubernetes", "network-policy", "aks"], precision: "very-high", "security-severity": SECURITY_SEVERITY[definition.severity], "problem.severity": LEVEL[definition.severity] },
  };
}

function advisoryRule(id: string, severity: "warning" | "info"): Record<string, unknown> {
  const text = ADVISORY_TEXT[id as AdvisoryId];
  return {
    id,
    name: pascalCase(id),
    shortDescription: { text: text?.title ?? id },
    fullDescription: { text: text?.advice ?? id },
    help: { text: text?.advice ?? id },
    defaultConfiguration: { level: severity === "warning" ? "warning" : "note" },
    properties: { tags: ["aks", "advisory"], precision: "high" },
  };
}

function suppression(check: Check): Record<string, unknown>[] | undefined {
  const entry = check.exception;
  if (!entry) return undefined;
  return [{ kind: "external", status: "accepted", justification: `${entry.reason} (owner ${entry.owner}; until ${entry.expires}; exceptions[${entry.index}])` }];
}

function logicalLocation(check: Check): Record<string, unknown> {
  if (check.rule) return { fullyQualifiedName: check.subject, kind: "object" };
  return { fullyQualifiedName: check.subject, kind: check.target.kind === "cluster" ? "resource" : "namespace" };
}

export function formatSarif(report: AnalyzeReport, options: SarifOptions): string {
  const ruleIds: string[] = [];
  const rules: Record<string, unknown>[] = [];
  const ruleIndex = (id: string, make: () => Record<string, unknown>): number => {
    let index = ruleIds.indexOf(id);
    if (index < 0) {
      index = ruleIds.length;
      ruleIds.push(id);
      rules.push(make());
    }
    return index;
  };
  // Every control analyze judges is listed, so a consumer sees what was checked even when all pass.
  for (const control of ["NP-01", "NP-02", "NP-03", "NP-04", "NP-05", "NP-06"] as const) ruleIndex(control, () => controlRule(control));

  const results: Record<string, unknown>[] = [];
  for (const check of report.checks) {
    if (!isFailing(check.status)) continue;
    const severity = getControl(check.control).severity;
    const location = check.location;
    const message =
      check.status === "unknown"
        ? check.message
        : `${check.message}${location && viaTemplate(location) ? ` (rendered at ${renderedAt(location, options)})` : ""}${check.gating ? "" : " [not gating: --fail-on leaves it out]"}`;
    results.push({
      ruleId: check.control,
      ruleIndex: ruleIndex(check.control, () => controlRule(check.control)),
      kind: "fail",
      level: check.status === "unknown" ? "warning" : LEVEL[severity],
      message: { text: message },
      locations: [{ ...(location ? { physicalLocation: physicalLocation(location, options) } : {}), logicalLocations: [logicalLocation(check)] }],
      partialFingerprints: { [FINGERPRINT_KEY]: check.fingerprint },
      ...(suppression(check) ? { suppressions: suppression(check) } : {}),
      properties: { status: check.status, gating: check.gating, subject: check.subject, ...(location?.template ? { template: location.template } : {}), ...(location && viaTemplate(location) ? { renderedAt: renderedAt(location, options) } : {}) },
    });
  }
  for (const advisory of report.advisories) {
    results.push({
      ruleId: advisory.id,
      ruleIndex: ruleIndex(advisory.id, () => advisoryRule(advisory.id, advisory.severity)),
      kind: "fail",
      level: advisory.severity === "warning" && advisory.certain ? "warning" : "note",
      message: { text: `${advisory.cluster}: ${advisory.message}` },
      locations: [{ ...(advisory.location ? { physicalLocation: physicalLocation(advisory.location, options) } : {}), logicalLocations: [{ fullyQualifiedName: `cluster ${advisory.cluster}`, kind: "resource" }] }],
      partialFingerprints: { [FINGERPRINT_KEY]: `${advisory.id}:${advisory.cluster}` },
    });
  }

  const configurationNotes = (report.exceptions ?? [])
    .filter((outcome) => outcome.status !== "applied")
    .map((outcome) => ({
      level: options.strictExceptions ? "error" : "warning",
      message: {
        text: `${report.exceptionsFile}: exceptions[${outcome.entry.index}]${outcome.entry.line ? ` (line ${outcome.entry.line})` : ""} ${outcome.status === "expired" ? `expired on ${outcome.entry.expires} and no longer applies` : "matches nothing that fails: remove it"}`,
      },
      ...(report.exceptionsFile ? { locations: [{ physicalLocation: { artifactLocation: artifactLocation(report.exceptionsFile, options), ...(outcome.entry.line ? { region: { startLine: outcome.entry.line } } : {}) } }] } : {}),
    }));
  const run = {
    tool: {
      driver: {
        name: "Bulkhead",
        fullName: "Bulkhead network segmentation analysis",
        version: options.toolVersion,
        semanticVersion: options.toolVersion,
        rules,
      },
    },
    invocations: [
      {
        executionSuccessful: true,
        ...(configurationNotes.length > 0 ? { toolConfigurationNotifications: configurationNotes } : {}),
        ...(options.notes.length > 0 ? { toolExecutionNotifications: options.notes.map((note) => ({ level: "warning", message: { text: note } })) } : {}),
      },
    ],
    originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(options.cwd.endsWith(path.sep) ? options.cwd : `${options.cwd}${path.sep}`).href } },
    columnKind: "utf16CodeUnits",
    results,
  };
  return `${JSON.stringify({ $schema: SARIF_SCHEMA, version: "2.1.0", runs: [run] }, null, 2)}\n`;
}
