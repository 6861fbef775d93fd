// `bulkhead analyze --format junit`: JUnit XML, as every CI test tab reads it. One test suite per
// namespace (and per declared cluster), one test case per namespace and control; allow-any rules are
// the NP-06 case of their namespace. Excepted and n/a checks are skipped, with why.

import path from "node:path";

import { create } from "xmlbuilder2";

import { getControl, type ControlId } from "../posture";
import { isFailing, type AnalyzeReport, type Check, type CheckLocation } from "./analyze-report";

interface Case {
  name: string;
  classname: string;
  location: CheckLocation | null;
  outcome: { kind: "pass" } | { kind: "skipped"; message: string } | { kind: "failure"; type: string; message: string; body: string };
}

/** Helm output on standard input is named by its `# Source:` template; a file by its own path and line. */
function fileOf(location: CheckLocation): string | undefined {
  if (location.file === "-") return location.template ?? undefined;
  return location.file;
}

function where(location: CheckLocation | null): string {
  if (!location) return "";
  if (location.file === "-") return `${location.template ?? "standard input"} (rendered at -, document ${location.document}, line ${location.line})`;
  return `${location.file}${location.line !== null ? `:${location.line}` : ""}${location.template ? ` (from ${location.template})` : ""}`;
}

function excepted(check: Check): string {
  const entry = check.exception;
  return entry ? `excepted until ${entry.expires} (owner ${entry.owner}): ${entry.reason}` : "";
}

function caseOf(control: ControlId, group: string, checks: readonly Check[]): Case {
  const classname = `bulkhead.${group.replace(/\s+/g, ".")}`;
  const name = `${control} ${getControl(control).name}`;
  const location = checks[0]?.location ?? null;
  const open = checks.filter((check) => isFailing(check.status) && check.exception === null);
  if (open.length > 0) {
    const body = open.map((check) => `${check.message}${check.location ? `\n  at ${where(check.location)}` : ""}${check.gating ? "" : "\n  (not gating: --fail-on leaves it out)"}`).join("\n");
    const type = open.some((check) => check.status === "unknown") && open.every((check) => check.status === "unknown") ? "unknown" : control;
    return { name, classname, location: open[0]?.location ?? location, outcome: { kind: "failure", type, message: open[0]?.message ?? "", body } };
  }
  const exceptedChecks = checks.filter((check) => check.exception !== null);
  if (exceptedChecks.length > 0) return { name, classname, location, outcome: { kind: "skipped", message: exceptedChecks.map(excepted).join("; ") } };
  if (checks.length > 0 && checks.every((check) => check.status === "n/a")) return { name, classname, location, outcome: { kind: "skipped", message: `n/a: ${checks[0]?.message}` } };
  return { name, classname, location, outcome: { kind: "pass" } };
}

/** A path relative to the working directory (the repository root in CI), as test tabs link it. */
function relativeTo(cwd: string, file: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative.split(path.sep).join("/");
}

export function formatJunit(report: AnalyzeReport, options: { strictExceptions: boolean; cwd: string }): string {
  const suites = new Map<string, Case[]>();
  const groups = new Map<string, Map<ControlId, Check[]>>();
  for (const check of report.checks) {
    const group = groups.get(check.group) ?? new Map<ControlId, Check[]>();
    groups.set(check.group, group);
    const list = group.get(check.control) ?? [];
    list.push(check);
    group.set(check.control, list);
  }
  for (const [group, byControl] of groups) {
    const cases: Case[] = [];
    const controls: ControlId[] = group.startsWith("namespace ") ? ["NP-02", "NP-03", "NP-04", "NP-05", "NP-06"] : [...byControl.keys()];
    for (const control of controls) cases.push(caseOf(control, group, byControl.get(control) ?? []));
    suites.set(group, cases);
  }
  if (report.exceptions) {
    suites.set(
      "exceptions",
      report.exceptions.map((outcome): Case => {
        const name = `exceptions[${outcome.entry.index}] ${outcome.entry.rule ? `rule ${outcome.entry.rule.policy}` : outcome.entry.control}${outcome.entry.namespace ? ` in ${outcome.entry.namespace}` : ""}`;
        const location: CheckLocation | null = report.exceptionsFile ? { file: report.exceptionsFile, document: null, line: outcome.entry.line, column: null, template: null } : null;
        if (outcome.status === "applied") return { name, classname: "bulkhead.exceptions", location, outcome: { kind: "pass" } };
        const message = outcome.status === "expired" ? `expired on ${outcome.entry.expires}; it no longer applies` : "matches nothing that fails; remove it";
        return {
          name,
          classname: "bulkhead.exceptions",
          location,
          outcome: options.strictExceptions ? { kind: "failure", type: `exception-${outcome.status}`, message, body: message } : { kind: "skipped", message },
        };
      }),
    );
  }

  const count = (cases: readonly Case[], kind: Case["outcome"]["kind"]): number => cases.filter((entry) => entry.outcome.kind === kind).length;
  const all = [...suites.values()].flat();
  const root = create({ version: "1.0", encoding: "UTF-8", invalidCharReplacement: "\uFFFD" }).ele("testsuites", {
    name: "bulkhead analyze",
    tests: String(all.length),
    failures: String(count(all, "failure")),
    errors: "0",
    skipped: String(count(all, "skipped")),
    time: "0",
  });
  for (const [name, cases] of suites) {
    const suite = root.ele("testsuite", { name, tests: String(cases.length), failures: String(count(cases, "failure")), errors: "0", skipped: String(count(cases, "skipped")), time: "0" });
    for (const entry of cases) {
      const located = entry.location ? fileOf(entry.location) : undefined;
      const file = located && entry.location?.file !== "-" ? relativeTo(options.cwd, located) : located;
      const attributes: Record<string, string> = { name: entry.name, classname: entry.classname, time: "0" };
      if (file) attributes.file = file;
      if (file && entry.location && entry.location.file !== "-" && entry.location.line !== null) attributes.line = String(entry.location.line);
      const testcase = suite.ele("testcase", attributes);
      if (entry.outcome.kind === "failure") testcase.ele("failure", { message: entry.outcome.message, type: entry.outcome.type }).txt(entry.outcome.body);
      else if (entry.outcome.kind === "skipped") testcase.ele("skipped", { message: entry.outcome.message });
    }
    const advisories = report.advisories.filter((advisory) => `cluster ${advisory.cluster}` === name);
    if (advisories.length > 0) suite.ele("system-out").txt(advisories.map((advisory) => `advisory ${advisory.id}: ${advisory.message}`).join("\n"));
  }
  return `${root.end({ prettyPrint: true })}\n`;
}
