// What an evidence pack holds, gathered once (docs/compliance.md "The evidence pack"): the results of
// every cluster in scope at the as-of time, judged against one framework. Every file of the pack is
// written from this, so the CSV, the JSON and the PDF cannot disagree.
import { createHash } from "node:crypto";
import { RULES_VERSION } from "@/lib/posture/rules-version";
import type { ResolvedAsOf } from "../as-of";
import { describeScope, type ComplianceScope } from "../compliance-scope";
import { controlTotals, outcomesOf, summarizeGroups, summarizeRequirements, type ControlTotals, type GroupBy, type GroupSummary, type RequirementOutcomes, type RequirementSummary } from "../compliance-report";
import type { Framework } from "../frameworks";
import { frameworkInfo, type FrameworkInfo } from "../get-compliance-view";
import type { ClusterOutcomesAtTime } from "../get-control-results";

export interface PackScope {
  subscription: string | null;
  owner: string | null;
  productionOnly: boolean;
  by: GroupBy;
  text: string;
}

export type PackCluster = ClusterOutcomesAtTime & { requirements: RequirementOutcomes };

export interface PackContent {
  framework: FrameworkInfo & { requirements: Framework["requirements"]; mappingSha256: string };
  asOf: string;
  day: string;
  partialDay: boolean;
  scope: PackScope;
  rulesVersion: number;
  evaluationRulesVersions: number[];
  totals: ControlTotals;
  requirements: RequirementSummary[];
  groups: GroupSummary[];
  /** Outcomes only: the evidence is read page by page when controls.json is written. */
  clusters: PackCluster[];
}

/** SHA-256 of the framework's mapping as data: a changed mapping gives another pack, visibly. */
export function mappingSha256(framework: Framework): string {
  return createHash("sha256").update(JSON.stringify(framework)).digest("hex");
}

export function buildPackContent(input: { framework: Framework; asOf: ResolvedAsOf; scope: ComplianceScope; by: GroupBy; clusters: ClusterOutcomesAtTime[] }): PackContent {
  const { framework, clusters } = input;
  return {
    framework: { ...frameworkInfo(framework), requirements: framework.requirements, mappingSha256: mappingSha256(framework) },
    asOf: input.asOf.at.toISOString(),
    day: input.asOf.day,
    partialDay: input.asOf.partialDay,
    scope: {
      subscription: input.scope.subscriptionId ?? null,
      owner: input.scope.owner ?? null,
      productionOnly: input.scope.productionOnly ?? false,
      by: input.by,
      text: describeScope(input.scope),
    },
    rulesVersion: RULES_VERSION,
    evaluationRulesVersions: [...new Set(clusters.map((cluster) => cluster.snapshot.rulesVersion))].sort((a, b) => a - b),
    totals: controlTotals(clusters),
    requirements: summarizeRequirements(framework, clusters),
    groups: summarizeGroups(framework, clusters, input.by),
    clusters: clusters.map((cluster) => ({ ...cluster, requirements: outcomesOf(framework, cluster) })),
  };
}

/** What every file of the pack states first: the time, the scope and the rules the results come from. */
export function packHeader(content: PackContent) {
  return {
    asOf: content.asOf,
    day: content.day,
    partialDay: content.partialDay,
    scope: content.scope,
    rulesVersion: content.rulesVersion,
    evaluationRulesVersions: content.evaluationRulesVersions,
  };
}
