// The compliance view of one framework at one time: every requirement with the clusters whose
// network evidence passes, fails, is waived or absent, built from the control results (pure, so the
// page, the evidence pack and the CLI show the same figures).
import type { ControlId } from "@/lib/posture/control-catalogue";
import { percent } from "@/lib/kpi/scope";
import type { Framework, FrameworkRequirement } from "./frameworks";
import type { ClusterOutcomesAtTime } from "./get-control-results";
import { addOutcome, NO_OUTCOMES, passRateOf, requirementOutcome, type OutcomeCounts, type RequirementOutcome } from "./requirement-outcome";

/** Every control result of the clusters in scope: the audit pass rate KPI's own counts (docs/design.md §5). */
export interface ControlTotals {
  clusters: number;
  controlsPassed: number;
  controlsFailed: number;
  controlsWaived: number;
  controlsNotApplicable: number;
  auditPassRate: number | null;
}

export interface RequirementSummary extends OutcomeCounts {
  id: string;
  title: string;
  evidence: FrameworkRequirement["evidence"];
  controls: ControlId[];
  rationale: string;
  passRate: number | null;
}

/** A cluster's outcome for every requirement of the framework, by requirement id. */
export type RequirementOutcomes = Record<string, RequirementOutcome>;

export function outcomesOf(framework: Framework, cluster: ClusterOutcomesAtTime): RequirementOutcomes {
  const byId = new Map(cluster.controls.map((control) => [control.id, control.outcome]));
  return Object.fromEntries(framework.requirements.map((requirement) => [requirement.id, requirementOutcome(requirement.controls, (id) => byId.get(id) ?? "n/a")]));
}

export function controlTotals(clusters: readonly ClusterOutcomesAtTime[]): ControlTotals {
  let passed = 0;
  let failed = 0;
  let waived = 0;
  let notApplicable = 0;
  for (const cluster of clusters) {
    for (const control of cluster.controls) {
      if (control.outcome === "pass") passed += 1;
      else if (control.outcome === "fail") failed += 1;
      else if (control.outcome === "waived") waived += 1;
      else notApplicable += 1;
    }
  }
  return { clusters: clusters.length, controlsPassed: passed, controlsFailed: failed, controlsWaived: waived, controlsNotApplicable: notApplicable, auditPassRate: percent(passed, passed + failed) };
}

export function summarizeRequirements(framework: Framework, clusters: readonly ClusterOutcomesAtTime[]): RequirementSummary[] {
  const outcomes = clusters.map((cluster) => outcomesOf(framework, cluster));
  return framework.requirements.map((requirement) => {
    const counts = outcomes.reduce<OutcomeCounts>((sum, byId) => addOutcome(sum, byId[requirement.id]), NO_OUTCOMES);
    return {
      id: requirement.id,
      title: requirement.title,
      evidence: requirement.evidence,
      controls: [...requirement.controls],
      rationale: requirement.rationale,
      ...counts,
      passRate: passRateOf(counts),
    };
  });
}

/** Clusters grouped by owner or subscription (the pack's `--by`), each with its own totals and requirement rates. */
export interface GroupSummary {
  key: string;
  totals: ControlTotals;
  requirements: { id: string; passing: number; failing: number; waived: number; notApplicable: number; passRate: number | null }[];
}

export type GroupBy = "all" | "owner" | "subscription";

export function summarizeGroups(framework: Framework, clusters: readonly ClusterOutcomesAtTime[], by: GroupBy): GroupSummary[] {
  if (by === "all") return [];
  const groups = new Map<string, ClusterOutcomesAtTime[]>();
  for (const cluster of clusters) {
    const key = by === "owner" ? cluster.owner : cluster.subscriptionId;
    const members = groups.get(key);
    if (members) members.push(cluster);
    else groups.set(key, [cluster]);
  }
  return [...groups.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => {
      const members = groups.get(key) ?? [];
      return {
        key,
        totals: controlTotals(members),
        requirements: summarizeRequirements(framework, members).map(({ id, passing, failing, waived, notApplicable, passRate }) => ({ id, passing, failing, waived, notApplicable, passRate })),
      };
    });
}
