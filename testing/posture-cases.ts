// Test support for the rules-v2 tables: judge YAML the way a user writes it and read back what a
// row checks (docs/design.md §4.2, CONVENTIONS §9).

import { judgeManifests, type AnalyzeEngine } from "../lib/posture/analyze-manifests";
import { formatRuleRef } from "../lib/posture/controls";
import { DEFAULT_POSTURE_CONFIG } from "../lib/posture/config";
import { enforcementOf } from "../lib/posture/decision";
import { judgeCluster, type ClusterJudgement } from "../lib/posture/judge-cluster";
import { sortKubeObjects } from "../lib/posture/kube-objects";
import { readYamlCase } from "./yaml-cases";

export type CaseEngine = AnalyzeEngine | "none";

export interface JudgeYamlOptions {
  engine?: CaseEngine;
  podCidrs?: string[];
  localDns?: boolean | "unknown";
}

/** Judges multi-document YAML as a cluster whose engine is `engine` (default: every kind enforced). */
export function judgeYaml(yaml: string, options: JudgeYamlOptions = {}): ClusterJudgement {
  const objects = readYamlCase(yaml);
  const engine = options.engine ?? "all";
  if (engine === "all" && options.podCidrs === undefined && options.localDns === undefined) return judgeManifests(objects);
  return judgeCluster(sortKubeObjects(objects), {
    config: DEFAULT_POSTURE_CONFIG,
    enforcement: engine === "all" ? { kubernetes: true, cilium: true, calico: true } : enforcementOf(engine),
    podCidrs: options.podCidrs ?? [],
    localDns: options.localDns ?? "unknown",
  });
}

/** What a namespace ends up with: default deny per direction, kube-dns (or LocalDNS) reachable, IMDS reachable. */
export interface Coverage {
  ingress: boolean;
  egress: boolean;
  dns: boolean;
  imds: boolean;
}

export function coverageOf(judgement: ClusterJudgement, namespace = "app"): Coverage | undefined {
  const entry = judgement.namespaces.find((candidate) => candidate.name === namespace);
  return entry && { ingress: entry.defaultDenyIngress, egress: entry.defaultDenyEgress, dns: entry.allowsDns, imds: entry.permitsImds };
}

/** "[Kind ]namespace/policy list[index] class" of every allow-any rule, in the evaluator's order. */
export function allowAnyOf(judgement: ClusterJudgement): string[] {
  return judgement.allowAnyRules.map((rule) => `${formatRuleRef(rule)} ${rule.class}`);
}

/** "Kind namespace/name field" of every problem. */
export function problemsOf(judgement: ClusterJudgement): string[] {
  return judgement.problems.map((problem) => `${problem.object.kind} ${problem.object.namespace ?? "-"}/${problem.object.name} ${problem.field}`);
}

/** Nothing isolates: every stranger is admitted, DNS and IMDS reachable. */
export const OPEN: Coverage = Object.freeze({ ingress: false, egress: false, dns: true, imds: true });
/** Default deny both ways and nothing allowed. */
export const SEALED: Coverage = Object.freeze({ ingress: true, egress: true, dns: false, imds: false });
/** Default deny both ways with DNS allowed. */
export const SEGMENTED: Coverage = Object.freeze({ ingress: true, egress: true, dns: true, imds: false });

export const NAMESPACE_APP = `
apiVersion: v1
kind: Namespace
metadata: { name: app }
`;

/** Joins YAML documents with `---`, each dedented on its own. */
export function docs(...parts: string[]): string {
  return parts.map((part) => dedentBlock(part)).join("---\n");
}

function dedentBlock(text: string): string {
  const lines = text.replace(/^\n/, "").split("\n");
  const indents = lines.filter((line) => line.trim() !== "").map((line) => line.length - line.trimStart().length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return `${lines.map((line) => line.slice(common)).join("\n").trimEnd()}\n`;
}

/** Indents a YAML block by `by` spaces after removing its common indentation, to nest it in a template. */
export function indent(text: string, by: number): string {
  const lines = text.replace(/^\n/, "").split("\n");
  const common = Math.min(...lines.filter((line) => line.trim() !== "").map((line) => line.length - line.trimStart().length));
  return lines.map((line) => (line.trim() === "" ? "" : `${" ".repeat(by)}${line.slice(common)}`)).join("\n");
}
