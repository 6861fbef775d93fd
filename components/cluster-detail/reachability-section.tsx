"use client";

import { useMemo, useState } from "react";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/state-message";
import type { ReachabilityClassView, ReachabilityView } from "@/lib/data/cluster-detail/reachability-view";
import type { ClusterDetail } from "@/lib/data/get-cluster-detail";
import { formatInteger, formatPercent } from "@/lib/format";
import { ClassLabels, ReachabilityCellExplanation } from "./reachability-explanation";
import { ReachabilityMatrix } from "./reachability-matrix";
import { cellFigures, type MatrixCell } from "./reachability-matrix-model";

function RiskyClasses({ title, description, none, group, testId }: { title: string; description: string; none: string; group: ReachabilityView["internetExposed"]; testId: string }) {
  return (
    <section aria-label={title} className="min-w-0 rounded-lg border border-slate-200 p-3" data-testid={testId}>
      <h3 className="text-sm font-semibold text-slate-900">
        {title}{" "}
        <span className={group.total > 0 ? "text-bad" : "text-ok"}>
          {formatInteger(group.total)} {group.total === 1 ? "class" : "classes"}, {formatInteger(group.pods)} {group.pods === 1 ? "pod" : "pods"}
        </span>
      </h3>
      <p className="mt-0.5 text-xs text-slate-600">{description}</p>
      {group.total === 0 ? (
        <p className="mt-2 text-sm text-slate-700">{none}</p>
      ) : (
        // A long list scrolls in its own focusable region, so keyboard users can scroll it too.
        <div role="region" aria-label={`${title}: the list`} tabIndex={0} className="mt-2 max-h-64 overflow-auto pr-1">
          <ul className="space-y-1.5">
            {group.classes.map((cls: ReachabilityClassView, index) => (
              <li key={`${cls.namespace}:${index}`} className="text-sm">
                <span className="font-mono text-[12px] text-slate-900">{cls.namespace}</span> <ClassLabels labels={cls.labels} />
                <span className="block text-xs text-slate-600">
                  {formatInteger(cls.pods)} {cls.pods === 1 ? "pod" : "pods"} · reaches {formatInteger(cls.reachablePods)} pods in {formatInteger(cls.namespacesReached)}{" "}
                  {cls.namespacesReached === 1 ? "namespace" : "namespaces"}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {group.total > group.classes.length ? <p className="mt-1 text-xs text-slate-600">and {formatInteger(group.total - group.classes.length)} more</p> : null}
    </section>
  );
}

/**
 * Who can reach whom in the cluster (docs/design.md §4.5): its lateral exposure, the pod classes
 * reachable from outside and those reaching IMDS first, then the namespace matrix whose cells explain
 * themselves on demand.
 */
export function ReachabilitySection({ detail }: { detail: ClusterDetail }) {
  const view = detail.reachability;
  const [selected, setSelected] = useState<MatrixCell | null>(null);
  const figureOf = useMemo(() => (view ? cellFigures(view) : null), [view]);
  const positions = useMemo(() => new Map(view?.namespaces.map((namespace, index) => [namespace.name, index]) ?? []), [view]);

  return (
    <Card id="reachability" aria-labelledby="reachability-title">
      <CardHeader
        id="reachability-title"
        title="Who can reach whom"
        description="If one pod were compromised, which others could it open a connection to? Both its egress and the target's ingress must admit the traffic on some port."
      />
      {view === null ? (
        <EmptyState title="No in-cluster data">
          Reachability needs the namespaces, policy objects and pods read from inside the cluster; they were not read for this snapshot.
        </EmptyState>
      ) : view.namespaces.length === 0 ? (
        <EmptyState title="No workload namespaces">The cluster has only system namespaces: there is nothing to reach.</EmptyState>
      ) : (
        <div className="space-y-5">
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
            <div>
              <dt className="text-xs text-slate-600">Lateral exposure</dt>
              <dd className="text-2xl font-semibold tabular-nums text-slate-900" data-testid="cluster-lateral-exposure">
                {formatPercent(view.exposure)}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-600">Workload pods</dt>
              <dd className="text-2xl font-semibold tabular-nums text-slate-900">{formatInteger(view.pods)}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-600">Namespaces</dt>
              <dd className="text-2xl font-semibold tabular-nums text-slate-900">{formatInteger(view.namespaces.length)}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-600">Pod classes</dt>
              <dd className="text-2xl font-semibold tabular-nums text-slate-900">{formatInteger(view.classCount - view.namespaces.length)}</dd>
            </div>
          </dl>
          <p className="text-sm text-slate-700">
            {view.exposure === null
              ? "Lateral exposure needs two pods or more."
              : `A compromised pod here can open a connection to ${formatPercent(view.exposure)} of the other pods, on average over its pods.`}{" "}
            Ports examined: {view.ports.map((port) => (port === "TCP/*" ? "any other TCP port" : port)).join(", ")}.
          </p>
          {!view.hasPodData ? (
            <p role="note" className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-950">
              Pods were not read for this cluster, so each namespace counts as one pod (a new deployment in it). Collect with pod read access for the figures of the
              running pods.
            </p>
          ) : null}
          {view.source === "judged" ? (
            <p role="note" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
              This snapshot was recorded before reachability was stored: what is shown is worked out now from its stored objects, and its lateral exposure is not in the
              trends until history is re-evaluated.
            </p>
          ) : null}

          <div className="grid gap-3 lg:grid-cols-2">
            <RiskyClasses
              title="Reachable from outside the cluster"
              description="Pod classes whose ingress admits an address outside the cluster (the internet, if a load balancer or public IP leads there)."
              none="No pod class admits traffic from outside the cluster."
              group={view.internetExposed}
              testId="reachability-internet-exposed"
            />
            <RiskyClasses
              title="Reach IMDS"
              description="Pod classes whose egress reaches the instance metadata service (169.254.169.254, TCP 80), where node credentials can be asked for."
              none="No pod class can reach IMDS."
              group={view.reachesImds}
              testId="reachability-imds"
            />
          </div>

          <div className="space-y-2">
            <h3 className="text-sm font-semibold text-slate-900">Between namespaces</h3>
            <p className="text-xs text-slate-600">
              Rows: the namespace of the compromised pod. Columns: the namespace it reaches. Each cell: the percentage of the column&apos;s pods some other pod of the
              row&apos;s reaches (a new deployment included). Choose a cell to see which policies admit it and the smallest change that would close it.
            </p>
            <ReachabilityMatrix view={view} selected={selected} onSelect={setSelected} />
          </div>
          {selected && figureOf ? (
            <ReachabilityCellExplanation
              clusterId={detail.cluster.id}
              cell={selected}
              figure={figureOf(positions.get(selected.from) ?? 0, positions.get(selected.to) ?? 0)}
            />
          ) : (
            <p className="text-sm text-slate-600">Choose a cell of the matrix to explain it.</p>
          )}
        </div>
      )}
    </Card>
  );
}
