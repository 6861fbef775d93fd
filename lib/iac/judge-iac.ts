// The cluster setting of infrastructure as code judged with the evaluator's own rules (docs/design.md
// §4.1, NP-01 and the podLinkLocalAccess half of NP-05 in §4.4, the advisories): the declared values
// are written into cluster JSON as `az aks list` prints it and handed to evaluateCluster. A value the
// code does not fix is tried with every value that matters; a control whose answer then depends on
// it is "unknown", never "pass".

import { evaluateCluster, type Advisory, type AdvisoryId, type ControlStatus } from "../posture";
import { describeValue, FIELD_DOMAINS, IAC_FIELDS, type IacCluster, type IacField, type IacValue } from "./iac-cluster";

export type IacControlId = "NP-01" | "NP-05";
export type IacStatus = ControlStatus | "unknown";

export interface IacCheck {
  control: IacControlId;
  status: IacStatus;
  reason: string;
  /** The field a report points at. */
  field: IacField;
}

export interface IacAdvisory extends Advisory {
  /** False when it holds for some of the values an unknown field may take. */
  certain: boolean;
  field: IacField;
}

export interface IacJudgement {
  cluster: IacCluster;
  /** The engine (§4.1) when the code fixes it, else "unknown". */
  engine: string;
  checks: IacCheck[];
  advisories: IacAdvisory[];
}

/** The fields each answer reads (§4.1, §4.4 and the advisories): an unknown one among them makes the answer depend on it. */
const READS: Readonly<Record<IacControlId | AdvisoryId, readonly IacField[]>> = {
  "NP-01": ["networkPolicy", "networkDataplane"],
  "NP-05": ["podLinkLocalAccess", "networkPolicy", "networkDataplane"],
  "npm-windows": ["networkPolicy", "networkDataplane", "hasWindowsPool"],
  "npm-retirement": ["networkPolicy", "networkDataplane"],
  "npm-large-cluster": ["networkPolicy", "networkDataplane", "nodeCount"],
  "policies-not-enforced": [],
  "cilium-policies-not-enforced": [],
  "calico-policies-not-enforced": [],
  "admin-policies-not-enforced": [],
  "fqdn-without-acns": [],
  "kubenet-retirement": ["networkPlugin"],
};

/** Where each answer points in the code. */
const POINTS_AT: Readonly<Record<IacControlId | AdvisoryId, IacField>> = {
  "NP-01": "networkPolicy",
  "NP-05": "podLinkLocalAccess",
  "npm-windows": "hasWindowsPool",
  "npm-retirement": "networkPolicy",
  "npm-large-cluster": "nodeCount",
  "policies-not-enforced": "networkPolicy",
  "cilium-policies-not-enforced": "networkPolicy",
  "calico-policies-not-enforced": "networkPolicy",
  "admin-policies-not-enforced": "networkPolicy",
  "fqdn-without-acns": "networkPolicy",
  "kubenet-retirement": "networkPlugin",
};

const CONTROLS: readonly IacControlId[] = ["NP-01", "NP-05"];

function candidates(value: IacValue, field: IacField): readonly unknown[] {
  if (value.known) return [value.value];
  return value.candidates ?? FIELD_DOMAINS[field];
}

/** A resource id readClusterFacts accepts; IaC has no subscription yet. */
function syntheticId(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]+/g, "-").slice(0, 63) || "cluster";
  return `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/infrastructure-as-code/providers/Microsoft.ContainerService/managedClusters/${safe}`;
}

function clusterJson(cluster: IacCluster, values: Readonly<Record<IacField, unknown>>): unknown {
  const networkProfile: Record<string, unknown> = {};
  for (const field of ["networkPolicy", "networkDataplane", "networkPlugin", "networkPluginMode", "podLinkLocalAccess"] as const) {
    if (values[field] !== null && values[field] !== undefined) networkProfile[field] = values[field];
  }
  const nodeCount = typeof values.nodeCount === "number" ? values.nodeCount : 0;
  const agentPoolProfiles = [{ name: "pool", count: nodeCount, osType: "Linux" }];
  if (values.hasWindowsPool === true) agentPoolProfiles.push({ name: "win", count: 1, osType: "Windows" });
  return { id: syntheticId(cluster.name), name: cluster.name, tags: cluster.tags, networkProfile, agentPoolProfiles };
}

function combinations(cluster: IacCluster): Record<IacField, unknown>[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const field of IAC_FIELDS) {
    const values = candidates(cluster.fields[field], field);
    const next: Record<string, unknown>[] = [];
    for (const combo of combos) for (const value of values) next.push({ ...combo, [field]: value });
    combos = next;
  }
  return combos as Record<IacField, unknown>[];
}

function unknownFieldsAmong(cluster: IacCluster, fields: readonly IacField[]): IacField[] {
  return fields.filter((field) => !cluster.fields[field].known);
}

function describeUnknown(cluster: IacCluster, fields: readonly IacField[]): string {
  return fields
    .map((field) => {
      const value = cluster.fields[field];
      return `${cluster.fieldNames[field]} ${value.known ? "" : value.candidates ? `can be ${value.candidates.map(describeValue).join(" or ")}` : `is not known (${value.why})`}`;
    })
    .join("; ");
}

/** Judges one declared cluster: NP-01, NP-05 (podLinkLocalAccess and the engine) and the advisories. */
export function judgeIacCluster(cluster: IacCluster): IacJudgement {
  const evaluations = combinations(cluster).map((values) => evaluateCluster(clusterJson(cluster, values), null));
  const first = evaluations[0] as ReturnType<typeof evaluateCluster>;
  const checks: IacCheck[] = CONTROLS.map((control) => {
    const results = evaluations.map((evaluation) => evaluation.controls.find((result) => result.id === control) as (typeof evaluation.controls)[number]);
    const statuses = new Set(results.map((result) => result.status));
    const firstResult = results[0] as (typeof results)[number];
    const depends = unknownFieldsAmong(cluster, READS[control]);
    if (statuses.size === 1) {
      const reasons = new Set(results.map((result) => result.reason));
      const reason = reasons.size === 1 ? firstResult.reason : `${firstResult.reason} The same holds whatever value ${describeUnknown(cluster, depends)}.`;
      return { control, status: firstResult.status, reason, field: POINTS_AT[control] };
    }
    return {
      control,
      status: "unknown",
      reason: `Cannot be judged from the code: ${describeUnknown(cluster, depends)}, and the answer depends on it (${[...statuses].join(" or ")}). Set a literal value, or judge the plan once it is known; until then the check does not pass.`,
      field: depends[0] ?? POINTS_AT[control],
    };
  });
  const advisoryIds = new Set(evaluations.flatMap((evaluation) => evaluation.advisories.map((advisory) => advisory.id)));
  const advisories: IacAdvisory[] = [];
  for (const id of advisoryIds) {
    const holding = evaluations.filter((evaluation) => evaluation.advisories.some((advisory) => advisory.id === id));
    const advisory = holding[0]?.advisories.find((entry) => entry.id === id) as Advisory;
    const certain = holding.length === evaluations.length;
    const depends = unknownFieldsAmong(cluster, READS[id]);
    advisories.push({
      ...advisory,
      message: certain ? advisory.message : `${advisory.message} (This applies for some of the values it may take: ${describeUnknown(cluster, depends)}.)`,
      certain,
      field: POINTS_AT[id],
    });
  }
  const engines = new Set(evaluations.map((evaluation) => evaluation.facts.engine));
  return { cluster, engine: engines.size === 1 ? first.facts.engine : "unknown", checks, advisories };
}
