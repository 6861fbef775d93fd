// `bulkhead analyze FILE... [--json] [--fix] [--engine E]`: default-deny coverage and allow-any rules of
// manifests of every policy kind (docs/design.md §6, docs/rules-v2.md). This module is the command's
// definition only: `bulkhead analyze --help` and every other command load it, so the evaluator, the
// readers and the report formats (./analyze-run) load when analyze runs.

import { isatty } from "node:tty";

import { Command } from "commander";

import { DEFAULT_FAIL_ON } from "../../lib/analyze/analyze-controls";
import type { StandardInput } from "../../lib/manifests/read-manifests";

export interface AnalyzeIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  color: boolean;
  setExitCode: (code: number) => void;
  /** What `-` reads. */
  stdin?: Omit<StandardInput, "name">;
  /** Where relative paths in SARIF start (the repository root in CI). */
  cwd?: string;
  now?: () => Date;
}

export interface AnalyzeOptions {
  json?: boolean;
  fix?: boolean;
  engine?: string;
  connectivity?: boolean;
  /** Base manifests: print the connections the FILEs add and remove (docs/reachability.md). */
  against?: string[];
  format?: string;
  /** Comma-separated controls whose failures fail the run (`NP-02,NP-03,allow-any`, `none`). */
  failOn?: string;
  exceptions?: string;
  strictExceptions?: boolean;
  /** Write the --format report here; the table goes to stdout. */
  output?: string;
  stdinName?: string;
  helmChart?: string;
}

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
    // process.stdin is opened only when `-` is read: every other command builds this one too.
    stdin: { isTTY: isatty(0), stream: { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() } },
    cwd: process.cwd(),
  };
}

export function analyzeCommand(io: Partial<AnalyzeIo> = {}): Command {
  const streams: AnalyzeIo = { ...defaultIo(), ...io };
  return new Command("analyze")
    .description(
      "Check manifests (YAML or JSON, multi-document, lists, Helm output) of Namespaces, workloads and policy objects (Kubernetes, Cilium, Calico) for default deny and allow-any rules, and Terraform plans and ARM templates for the AKS network policy setting. Exit 1 when a check that --fail-on names fails, 2 on unreadable input.",
    )
    .argument("[files...]", "manifest files, Terraform plan JSON, ARM templates, or directories (read recursively; files are taken by their content, binaries and other text are skipped and listed); - reads standard input")
    .option("--format <format>", "table, json, sarif (SARIF 2.1.0) or junit (JUnit XML)")
    .option("--json", 'print {"namespaces":[...],"allowAnyRules":[...]} (the same as --format json)')
    .option("--output <file>", "write the --format report to FILE and print the table on stdout")
    .option("--fail-on <controls>", `controls whose failures fail the run: NP-01…NP-06, allow-any (NP-06), or none (default ${DEFAULT_FAIL_ON.join(",")})`)
    .option("--exceptions <file>", "exceptions as code: a YAML file of accepted findings with reason, owner and expiry (docs/ci.md)")
    .option("--strict-exceptions", "fail (exit 1) when an exception has expired or matches nothing")
    .option("--fix", "print NetworkPolicy manifests that give the failing namespaces a default deny both ways, with DNS allowed")
    .option("--engine <engine>", "the engine that enforces the objects: cilium, calico or azure (default: every kind judged as if enforced)")
    .option("--connectivity", "print who reaches whom: lateral exposure, namespace pairs, classes reachable from outside and reaching IMDS (with --json: as JSON)")
    .option("--against <base...>", "compare with BASE manifests: print the connections the FILEs add and remove; exit 1 when they add reachability from outside, to IMDS or across namespaces")
    .option("--stdin-name <path>", "the repository path standard input stands for in reports (kustomize build overlays/prod | bulkhead analyze - --stdin-name overlays/prod)")
    .option("--helm-chart <dir>", "the chart directory of Helm output on standard input, so # Source: templates become repository paths in SARIF")
    .action(async (files: string[], options: AnalyzeOptions) => {
      const { runAnalyze } = await import("./analyze-run");
      streams.setExitCode(await runAnalyze(files, options, streams));
    });
}
