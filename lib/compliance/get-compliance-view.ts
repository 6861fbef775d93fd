import "server-only";
import type { Database } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { RULES_VERSION } from "@/lib/posture/rules-version";
import { getHistoryBounds, resolveAsOf, type HistoryBounds } from "./as-of";
import { describeScope, type ComplianceScope } from "./compliance-scope";
import { controlTotals, outcomesOf, summarizeRequirements, type ControlTotals, type RequirementSummary } from "./compliance-report";
import { findFramework, FRAMEWORK_IDS, frameworkLabel, type Framework } from "./frameworks";
import { getControlOutcomes, readJudgements, withJudgements, type ClusterOutcomesAtTime, type ClusterResultsAtTime, type ControlResultAtTime } from "./get-control-results";
import type { RequirementOutcome } from "./requirement-outcome";
import { VIEW_CLUSTER_LIMIT, type EvidenceList } from "./view-limits";

export interface FrameworkInfo {
  id: string;
  name: string;
  version: string;
  label: string;
  publisher: string;
  limits: string;
}

export interface ClusterEvidenceView {
  clusterId: number;
  name: string;
  key: string;
  subscriptionId: string;
  owner: string;
  production: boolean;
  capturedAt: string;
  /** The requirement's controls only, in catalogue order. */
  controls: Pick<ControlResultAtTime, "id" | "name" | "status" | "outcome" | "reason" | "waiver" | "finding">[];
}

export interface RequirementView extends RequirementSummary {
  /** Per outcome: the first VIEW_CLUSTER_LIMIT clusters (failing production ones first). */
  clusters: Record<EvidenceList, ClusterEvidenceView[]>;
}

export interface ComplianceView {
  framework: FrameworkInfo;
  asOf: string;
  day: string;
  /** Today: the figures are those of now and change until the day ends. */
  partialDay: boolean;
  history: HistoryBounds;
  scope: { subscription: string | null; owner: string | null; productionOnly: boolean; text: string };
  rulesVersion: number;
  /** The rules versions of the snapshots read (one, unless history was not re-evaluated after an upgrade). */
  evaluationRulesVersions: number[];
  totals: ControlTotals;
  requirements: RequirementView[];
}

/**
 * What the Compliance page loads first (GET /api/compliance): the view without the clusters'
 * evidence, which the open requirement fetches one list at a time (issue 20: at 150 clusters the
 * evidence was ~730 KB of the page's ~860 KB).
 */
export interface ComplianceSummary extends Omit<ComplianceView, "requirements"> {
  requirements: RequirementSummary[];
}

export function summarizeView(view: ComplianceView): ComplianceSummary {
  return { ...view, requirements: view.requirements.map(({ clusters: _clusters, ...summary }) => summary) };
}

/** One requirement's clusters with one outcome, with their evidence (GET /api/compliance/evidence). */
export interface RequirementEvidence {
  requirement: string;
  list: EvidenceList;
  /** Clusters the page lists for this outcome (at most VIEW_CLUSTER_LIMIT); `clusters` holds the first `limit` of them. */
  listed: number;
  clusters: ClusterEvidenceView[];
}

/** The first `limit` clusters of a requirement's list, or a 400 naming the requirement and the framework's ones. */
export function requirementEvidence(view: ComplianceView, query: { requirement: string; list: EvidenceList; limit: number }, option = "requirement"): RequirementEvidence {
  const requirement = view.requirements.find((item) => item.id === query.requirement);
  if (!requirement) {
    throw new AppError("bad-request", `${option}: ${view.framework.id} has no requirement "${query.requirement}"; it has ${view.requirements.map((item) => item.id).join(", ")}`);
  }
  const listed = requirement.clusters[query.list];
  return { requirement: requirement.id, list: query.list, listed: listed.length, clusters: listed.slice(0, query.limit) };
}

export function frameworkInfo(framework: Framework): FrameworkInfo {
  return { id: framework.id, name: framework.name, version: framework.version, label: frameworkLabel(framework), publisher: framework.publisher, limits: framework.limits };
}

/** The framework an id names, or a 400 that lists the known ones. */
export function requireFramework(id: string, option: string): Framework {
  const framework = findFramework(id);
  if (!framework) throw new AppError("bad-request", `${option}: unknown framework "${id}"; known: ${FRAMEWORK_IDS.join(", ")}`);
  return framework;
}

export interface ComplianceQuery {
  framework: string;
  /** A UTC day (its end; today: now) or an instant. */
  day?: string;
  at?: Date;
  scope: ComplianceScope;
}

/** Everything the Compliance page shows for one framework, scope and day. */
export async function getComplianceView(db: Database, query: ComplianceQuery, option = { framework: "framework", asOf: "asOf" }): Promise<ComplianceView> {
  const framework = requireFramework(query.framework, option.framework);
  const history = await getHistoryBounds(db);
  // An empty store answers with an empty view (the page says how to fill it); a date asked for is checked.
  const empty = !history.firstDay && !query.day && !query.at;
  const asOf = empty ? { at: new Date(), day: new Date().toISOString().slice(0, 10), partialDay: true } : resolveAsOf({ day: query.day, at: query.at }, history, option.asOf);
  const clusters = empty ? [] : await getControlOutcomes(db, { at: asOf.at, scope: query.scope });
  const summaries = summarizeRequirements(framework, clusters);
  const outcomes = clusters.map((cluster) => outcomesOf(framework, cluster));
  const ordered = clusters.map((cluster, index) => ({ cluster, index })).sort((a, b) => compareForView(a.cluster, b.cluster));
  // Which clusters each requirement lists (at most VIEW_CLUSTER_LIMIT per outcome): only their
  // evaluations are read for the evidence, not every cluster's (10,000 at a large estate).
  const listed = summaries.map((summary) => {
    const lists: Record<EvidenceList, ClusterOutcomesAtTime[]> = { fail: [], waived: [], pass: [], na: [] };
    for (const { cluster, index } of ordered) {
      const list = lists[listOf(outcomes[index][summary.id])];
      if (list.length < VIEW_CLUSTER_LIMIT) list.push(cluster);
    }
    return lists;
  });
  // A cluster listed by several requirements is given its judgements once.
  const listedClusters = [...new Set(listed.flatMap((lists) => Object.values(lists).flat()))];
  const judgements = await readJudgements(db, listedClusters.map((cluster) => cluster.documents.evaluationSha256));
  const judged = new Map(listedClusters.map((cluster) => [cluster, withJudgements(cluster, judgements)]));
  const requirements = summaries.map((summary, index): RequirementView => {
    const controlIds = new Set(summary.controls);
    const lists = listed[index];
    const evidence = (list: EvidenceList) => lists[list].map((cluster) => clusterEvidence(judged.get(cluster)!, controlIds));
    return { ...summary, clusters: { fail: evidence("fail"), waived: evidence("waived"), pass: evidence("pass"), na: evidence("na") } };
  });
  return {
    framework: frameworkInfo(framework),
    asOf: asOf.at.toISOString(),
    day: asOf.day,
    partialDay: asOf.partialDay,
    history,
    scope: { subscription: query.scope.subscriptionId ?? null, owner: query.scope.owner ?? null, productionOnly: query.scope.productionOnly ?? false, text: describeScope(query.scope) },
    rulesVersion: RULES_VERSION,
    evaluationRulesVersions: [...new Set(clusters.map((cluster) => cluster.snapshot.rulesVersion))].sort((a, b) => a - b),
    totals: controlTotals(clusters),
    requirements,
  };
}

function listOf(outcome: RequirementOutcome): keyof RequirementView["clusters"] {
  return outcome === "n/a" ? "na" : outcome;
}

/** Production first, then owner and name: the failures that matter most lead. */
function compareForView(a: ClusterOutcomesAtTime, b: ClusterOutcomesAtTime): number {
  if (a.production !== b.production) return a.production ? -1 : 1;
  return a.owner.localeCompare(b.owner) || a.name.localeCompare(b.name) || a.key.localeCompare(b.key);
}

function clusterEvidence(cluster: ClusterResultsAtTime, controlIds: Set<string>): ClusterEvidenceView {
  return {
    clusterId: cluster.clusterId,
    name: cluster.name,
    key: cluster.key,
    subscriptionId: cluster.subscriptionId,
    owner: cluster.owner,
    production: cluster.production,
    capturedAt: cluster.snapshot.capturedAt,
    controls: cluster.controls
      .filter((control) => controlIds.has(control.id))
      .map(({ id, name, status, outcome, reason, waiver, finding }) => ({ id, name, status, outcome, reason, waiver, finding })),
  };
}
