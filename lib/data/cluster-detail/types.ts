// What the cluster page shows: one answer, put together by lib/data/get-cluster-detail.ts.
import type { Advisory, AllowAnyClass, ControlId, ControlResult, NamespaceCoverage, PolicyKind, PolicyProblem, RemediationBundle, RemediationItem } from "@/lib/posture";
import type { InClusterState } from "../list-clusters";
import type { ReachabilityView } from "./reachability-view";

export interface SourceFaultSummary {
  cause: string;
  message: string;
}

export interface ClusterDetail {
  /** When this answer was put together (durations of open findings run to here). */
  asOf: string;
  cluster: {
    id: number;
    armId: string;
    name: string;
    resourceGroup: string;
    subscriptionId: string;
    subscriptionName: string | null;
    location: string | null;
    owner: string;
    production: boolean;
    firstSeenAt: string;
    lastSeenAt: string;
    deletedAt: string | null;
    engine: string;
    engineEnabled: boolean;
    rawNetworkPolicy: string | null;
    networkPlugin: string | null;
    networkPluginMode: string | null;
    networkDataplane: string | null;
    podLinkLocalAccess: string | null;
    nodeCount: number;
    kubernetesVersion: string | null;
    hasWindowsPool: boolean | null;
    /** Tags as the source sent them (user-supplied text). */
    tags: { key: string; value: string }[];
  };
  snapshot: {
    id: string;
    runId: number;
    capturedAt: string;
    controlsPassed: number;
    controlsFailed: number;
    controlsNa: number;
    allowAnyCount: number;
    /** The rules version its statuses and evidence were judged with; `current` is this version's. */
    rulesVersion: number;
    currentRulesVersion: number;
  };
  /** What the page knows and how old it is (docs/design.md §7: carried state is shown as such). */
  freshness: {
    latestRunAt: string | null;
    /** False when the latest completed run did not list the cluster (its snapshot is older). */
    seenInLatestRun: boolean;
    /** Why the latest run did not list it, when its subscription's listing failed. */
    listingFault: SourceFaultSummary | null;
    inCluster: {
      state: InClusterState;
      /** When the objects shown were read (the snapshot time when read in that run). */
      capturedAt: string | null;
      /** First run in the current stretch without a fresh read (carried or none). */
      failingSince: string | null;
      /** The in-cluster fault recorded by the snapshot's run, if any. */
      fault: SourceFaultSummary | null;
    };
  };
  controls: (ControlResult & { title: string; description: string })[];
  namespaces: NamespaceCoverage[];
  allowAnyRules: {
    namespace: string | null;
    policy: string;
    kind: PolicyKind;
    /** `cluster` for a rule of a cluster-scoped object (CiliumClusterwideNetworkPolicy, GlobalNetworkPolicy). */
    scope: "namespace" | "cluster";
    /** The rule list, such as `egress` or `specs[1].ingress`. */
    list: string;
    direction: "ingress" | "egress";
    index: number;
    class: AllowAnyClass;
    problem: string;
    fix: string;
    /** The offending rule as YAML text, under its direction. */
    yaml: string;
  }[];
  advisories: Advisory[];
  /** Every policy object of the snapshot's in-cluster data (docs/design.md §4.3). */
  policies: PolicyObjectView[];
  /** Fields of policy objects that could not be read: they earn no credit. */
  problems: PolicyProblem[];
  remediation: RemediationItem[];
  /** Every per-namespace NetworkPolicy fix in one ordered file ("apply all"); null when none applies. */
  bundle: RemediationBundle | null;
  /** True when today's rules judge the stored documents differently from the stored snapshot. */
  rulesChanged: boolean;
  /** Who reaches whom (docs/design.md §4.5); null without in-cluster data. */
  reachability: ReachabilityView | null;
  findings: {
    total: number;
    open: number;
    items: ClusterFinding[];
  };
}

/** What one policy object contributes in the workload namespaces its subject reaches, namespaces with the same contribution together. */
export interface PolicyContribution {
  namespaces: string[];
  isolatesIngress: boolean;
  isolatesEgress: boolean;
  allows: number;
  denies: number;
}

export interface PolicyObjectView {
  kind: PolicyKind;
  namespace: string | null;
  name: string;
  scope: "namespace" | "cluster";
  enforced: boolean;
  /** Why the cluster's engine does not enforce it, or what it is if not about pods; null when enforced. */
  notEnforcedBecause: string | null;
  problems: number;
  contributions: PolicyContribution[];
}

export interface ClusterFinding {
  id: number;
  controlId: ControlId;
  controlTitle: string;
  openedAt: string;
  resolvedAt: string | null;
  resolution: "passed" | "deleted" | null;
  assignee: string | null;
  /** The effective due date: the agreed one, else the SLA due date. */
  dueAt: string;
  /** The Findings page's status word. */
  status: "open" | "overdue" | "waived" | "resolved";
  slaBreached: boolean;
  waiver: { reason: string; expiresAt: string; createdBy: string } | null;
}
