"use client";

import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/state-message";
import { useReachabilityExplanationQuery } from "@/hooks/use-reachability-explanation-query";
import type { AdmissionView, ClassRefView, ClosingChangeView, ReachabilityExplanation } from "@/lib/data/get-reachability-explanation";
import { formatInteger } from "@/lib/format";
import { CodeBlock } from "./code-block";
import type { CellFigure, MatrixCell } from "./reachability-matrix-model";

/** Labels shown before "+N more": a class is usually told apart by its first few. */
const LABELS_SHOWN = 3;

/** A pod class as a person reads it: its labels (the first few, all on hover), or "new pods" for the namespace's stranger pod. */
export function ClassLabels({ labels }: { labels: Record<string, string> | null }) {
  if (labels === null) return <span className="italic text-slate-600">new pods (labels no selector names)</span>;
  const entries = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
  if (entries.length === 0) return <span className="italic text-slate-600">pods without labels</span>;
  const hidden = entries.length - LABELS_SHOWN;
  return (
    <span className="inline-flex flex-wrap gap-1">
      {entries.slice(0, LABELS_SHOWN).map((entry) => (
        <code key={entry} className="break-all rounded bg-slate-100 px-1 py-px font-mono text-[11px] text-slate-800">
          {entry}
        </code>
      ))}
      {hidden > 0 ? (
        <span className="text-[11px] text-slate-600" title={entries.join(", ")}>
          +{hidden} more<span className="sr-only">: {entries.slice(LABELS_SHOWN).join(", ")}</span>
        </span>
      ) : null}
    </span>
  );
}

/** Ports as chips that flow with the sentence around them. */
function Ports({ ports }: { ports: string[] }) {
  return (
    <>
      {ports.map((port, index) => (
        <span key={port}>
          <code className="whitespace-nowrap rounded bg-slate-100 px-1 py-px font-mono text-[11px] text-slate-800" title={port === "TCP/*" ? "TCP on a port no rule names" : undefined}>
            {port === "TCP/*" ? "TCP/any other" : port}
          </code>
          {index < ports.length - 1 ? " " : null}
        </span>
      ))}
    </>
  );
}

function AdmissionList({ admissions, direction, namespace }: { admissions: AdmissionView[]; direction: "egress" | "ingress"; namespace: string }) {
  return (
    <ul className="space-y-2">
      {admissions.map((admission) => (
        <li key={`${admission.rule ?? "none"}:${admission.namespace}`} className="text-sm">
          {admission.rule === null ? (
            <p className="text-slate-800">
              <span className="font-medium">Nothing isolates {direction}</span> of {admission.namespace === namespace ? "these" : admission.namespace} pods: every{" "}
              {direction === "egress" ? "destination" : "source"} is admitted.
            </p>
          ) : (
            <p>
              <code className="break-all font-mono text-[12px] text-slate-900">{admission.rule}</code>
            </p>
          )}
          <p className="mt-0.5 text-xs text-slate-600">
            on <Ports ports={admission.ports} /> · {formatInteger(admission.pairs)} class {admission.pairs === 1 ? "pair" : "pairs"}
          </p>
        </li>
      ))}
    </ul>
  );
}

function ChangeItem({ change }: { change: ClosingChangeView }) {
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-900">
        <Badge tone={change.closes ? "ok" : "warn"} className="mr-2">
          {change.closes ? "Closes it" : "Not enough alone"}
        </Badge>
        {change.text.charAt(0).toUpperCase() + change.text.slice(1)}.
      </p>
      {change.manifest ? <CodeBlock code={change.manifest} language="yaml" copyLabel={`Copy the default-deny ${change.direction} policy for ${change.namespace}`} /> : null}
    </div>
  );
}

function ClassRef({ cls }: { cls: ClassRefView }) {
  return (
    <span>
      <span className="font-mono text-[12px] text-slate-900">{cls.namespace}</span> <ClassLabels labels={cls.labels} />{" "}
      <span className="text-xs text-slate-600">({formatInteger(cls.pods)} {cls.pods === 1 ? "pod" : "pods"})</span>
    </span>
  );
}

function Explained({ explanation, figure }: { explanation: ReachabilityExplanation; figure: CellFigure }) {
  const { from, to } = explanation;
  if (!explanation.connected) {
    return (
      <p className="text-sm text-slate-800">
        No pod of <span className="font-mono">{from}</span> can open a connection to a pod of <span className="font-mono">{to}</span>: on every port examined, the egress
        of one or the ingress of the other refuses it. Nothing to close.
      </p>
    );
  }
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-800">
        {figure.total === 0 ? (
          <>
            <span className="font-mono">{to}</span> has no running pods; a new one would be reachable
          </>
        ) : (
          <>
            <strong className="font-semibold">
              {formatInteger(figure.pods ?? 0)} of {formatInteger(figure.total)}
            </strong>{" "}
            pods of <span className="font-mono">{to}</span> reachable
          </>
        )}{" "}
        from <span className="font-mono">{from}</span>, on <Ports ports={explanation.ports} />.
      </p>
      <div className="grid gap-4 md:grid-cols-2">
        <section aria-label="Egress side">
          <h4 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-600">Leaving {from} (egress)</h4>
          <AdmissionList admissions={explanation.egress} direction="egress" namespace={from} />
        </section>
        <section aria-label="Ingress side">
          <h4 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-600">Entering {to} (ingress)</h4>
          <AdmissionList admissions={explanation.ingress} direction="ingress" namespace={to} />
        </section>
      </div>
      <section aria-label="Smallest change that closes it" className="rounded-lg border border-slate-200 bg-slate-50 p-3">
        <h4 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-600">Smallest change that closes it</h4>
        {explanation.smallestChange ? (
          <ChangeItem change={explanation.smallestChange} />
        ) : (
          <p className="text-sm text-slate-800">No single change closes it: several rules admit it. Apply the changes below together.</p>
        )}
      </section>
      {explanation.otherChanges.length > 0 ? (
        <details className="text-sm">
          <summary className="cursor-pointer font-medium text-brand-700">Other changes ({explanation.otherChanges.length})</summary>
          <ul className="mt-2 space-y-3">
            {explanation.otherChanges.map((change, index) => (
              <li key={`${change.kind}:${change.rule ?? change.namespace}:${change.direction}:${index}`}>
                <ChangeItem change={change} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <details className="text-sm">
        <summary className="cursor-pointer font-medium text-brand-700">Pod classes that connect ({formatInteger(explanation.pathCount)})</summary>
        <ul className="mt-2 space-y-1.5">
          {explanation.paths.map((path, index) => (
            <li key={index} className="text-xs text-slate-700">
              <ClassRef cls={path.from} /> → <ClassRef cls={path.to} /> on <Ports ports={path.ports} />
            </li>
          ))}
        </ul>
        {explanation.pathCount > explanation.paths.length ? (
          <p className="mt-1 text-xs text-slate-600">and {formatInteger(explanation.pathCount - explanation.paths.length)} more</p>
        ) : null}
      </details>
    </div>
  );
}

/** The chosen cell, explained on demand: who admits it on each side and the smallest change that closes it. */
export function ReachabilityCellExplanation({ clusterId, cell, figure }: { clusterId: number; cell: MatrixCell; figure: CellFigure }) {
  const query = useReachabilityExplanationQuery(clusterId, cell);
  return (
    <div aria-live="polite" className="rounded-lg border border-slate-300 p-4" data-testid="reachability-explanation">
      <h3 className="mb-3 text-sm font-semibold text-slate-900">
        <span className="font-mono">{cell.from}</span> → <span className="font-mono">{cell.to}</span>
      </h3>
      {query.isPending ? (
        <div className="space-y-2">
          <Skeleton className="h-5 w-2/3" label="Explaining the connection" />
          <Skeleton className="h-24 w-full" />
        </div>
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Explained explanation={query.data} figure={figure} />
      )}
    </div>
  );
}
