"use client";

import { useMemo, useState } from "react";
import { FilterSelect } from "@/components/table/filter-bar";
import { TableScrollRegion } from "@/components/table/table-scroll-region";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { EmptyState } from "@/components/ui/state-message";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow, TableRowHeader } from "@/components/ui/table";
import { POLICY_KIND_LABELS } from "@/lib/clusters/list-options";
import type { ClusterDetail } from "@/lib/data/get-cluster-detail";
import type { PolicyContribution, PolicyObjectView } from "@/lib/data/cluster-detail/types";
import { formatInteger } from "@/lib/format";

const PAGE_SIZES = [25, 50, 100] as const;
/** Namespaces named in a line before the rest is folded away. */
const NAMESPACES_SHOWN = 6;

const plural = (count: number, word: string) => `${formatInteger(count)} ${word}${count === 1 ? "" : "s"}`;

/** "isolates ingress and egress · 1 allow · 1 deny", or "nothing" for an object that selects pods but has no rule. */
function describeContribution(contribution: PolicyContribution): string {
  const isolates = [contribution.isolatesIngress ? "ingress" : null, contribution.isolatesEgress ? "egress" : null].filter(Boolean);
  const parts = [
    isolates.length > 0 ? `isolates ${isolates.join(" and ")}` : null,
    contribution.allows > 0 ? plural(contribution.allows, "allow") : null,
    contribution.denies > 0 ? plural(contribution.denies, "deny") : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(" · ") : "selects pods, no rule";
}

function NamespaceList({ namespaces }: { namespaces: string[] }) {
  const shown = namespaces.slice(0, NAMESPACES_SHOWN);
  const rest = namespaces.slice(NAMESPACES_SHOWN);
  return (
    <span className="text-slate-600">
      in <span className="font-mono text-xs text-slate-800">{shown.join(", ")}</span>
      {rest.length > 0 ? (
        <details className="inline">
          <summary className="ml-1 inline cursor-pointer text-brand-700 hover:underline">and {plural(rest.length, "more namespace")}</summary>
          <span className="font-mono text-xs text-slate-800">{rest.join(", ")}</span>
        </details>
      ) : null}
    </span>
  );
}

function Contributions({ object }: { object: PolicyObjectView }) {
  if (object.contributions.length === 0) {
    return <span className="text-xs text-slate-600">{object.scope === "cluster" ? "Its subject holds no workload namespace." : "Not in a workload namespace."}</span>;
  }
  return (
    <ul className="space-y-1">
      {object.contributions.map((contribution) => (
        <li key={contribution.namespaces[0]} className="text-xs">
          <span className="font-medium text-slate-900">{describeContribution(contribution)}</span> <NamespaceList namespaces={contribution.namespaces} />
        </li>
      ))}
    </ul>
  );
}

/**
 * Every policy object the snapshot read (docs/design.md §4.3): its kind and scope, whether the
 * cluster's engine enforces it, and what it contributes in each workload namespace its subject
 * reaches — isolation per direction, allows and denies.
 */
export function PolicyObjects({ detail }: { detail: ClusterDetail }) {
  const { policies } = detail;
  const state = detail.freshness.inCluster.state;
  const kinds = useMemo(() => [...new Set(policies.map((policy) => policy.kind))], [policies]);
  const [kind, setKind] = useState<string | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState<number>(PAGE_SIZES[0]);
  const shown = kind ? policies.filter((policy) => policy.kind === kind) : policies;
  const pageCount = Math.max(1, Math.ceil(shown.length / pageSize));
  const current = Math.min(page, pageCount);
  const rows = shown.slice((current - 1) * pageSize, current * pageSize);
  const enforced = policies.filter((policy) => policy.enforced).length;
  const olderRules = detail.snapshot.rulesVersion < detail.snapshot.currentRulesVersion;

  return (
    <Card id="policy-objects" aria-labelledby="policy-objects-title">
      <CardHeader
        id="policy-objects-title"
        title={`Policy objects${state === "none" ? "" : ` (${formatInteger(policies.length)})`}`}
        description={
          state === "none"
            ? "n/a: no in-cluster data, so the cluster's policy objects are not known."
            : `${formatInteger(enforced)} of ${formatInteger(policies.length)} enforced by this cluster's engine. Kubernetes, Cilium, Calico and admin network policies alike; what each does per workload namespace.`
        }
      />
      {state === "none" ? (
        <EmptyState title="No in-cluster data">The cluster&apos;s policy objects were not read.</EmptyState>
      ) : olderRules && policies.length === 0 ? (
        <EmptyState title={`Judged with rules version ${detail.snapshot.rulesVersion}`}>
          This snapshot was judged before policy objects were recorded. Re-evaluating history (<code className="font-mono">bulkhead reevaluate</code>) lists them.
        </EmptyState>
      ) : policies.length === 0 ? (
        <EmptyState title="No policy objects">The cluster holds no NetworkPolicy, Cilium, Calico or admin network policy.</EmptyState>
      ) : (
        <>
          {kinds.length > 1 ? (
            <div className="mb-3">
              <FilterSelect
                id="policy-objects-kind"
                label="Kind"
                value={kind ?? ""}
                onChange={(value) => {
                  setKind(value);
                  setPage(1);
                }}
              >
                <option value="">All kinds</option>
                {kinds.map((value) => (
                  <option key={value} value={value}>
                    {POLICY_KIND_LABELS[value]} ({formatInteger(policies.filter((policy) => policy.kind === value).length)})
                  </option>
                ))}
              </FilterSelect>
            </div>
          ) : null}
          <TableScrollRegion label="Policy objects table" placement={pageCount > 1 ? "inset" : "card-bottom"}>
            <Table caption="Policy objects: kind, scope, whether the engine enforces them, and what they contribute per workload namespace" className="min-w-[56rem]">
              <TableHeader>
                <tr>
                  <TableHead>Object</TableHead>
                  <TableHead>Kind</TableHead>
                  <TableHead>Scope</TableHead>
                  <TableHead>Enforced</TableHead>
                  <TableHead>Contributes</TableHead>
                  <TableHead align="right">Problems</TableHead>
                </tr>
              </TableHeader>
              <TableBody>
                {rows.map((object) => (
                  <TableRow key={`${object.kind}/${object.namespace ?? ""}/${object.name}`}>
                    <TableRowHeader className="font-mono text-xs">
                      {object.namespace ? `${object.namespace}/` : ""}
                      {object.name}
                    </TableRowHeader>
                    <TableCell className="whitespace-nowrap text-xs text-slate-800">{POLICY_KIND_LABELS[object.kind]}</TableCell>
                    <TableCell>
                      <Badge tone={object.scope === "cluster" ? "strong" : "neutral"}>{object.scope === "cluster" ? "Cluster-wide" : "Namespace"}</Badge>
                    </TableCell>
                    <TableCell>
                      {object.enforced ? (
                        <Badge tone="ok">Enforced</Badge>
                      ) : (
                        <span className="flex flex-col gap-0.5">
                          <Badge tone="warn" className="self-start">
                            Not enforced
                          </Badge>
                          <span className="max-w-[16rem] text-xs text-slate-600">{object.notEnforcedBecause}</span>
                        </span>
                      )}
                    </TableCell>
                    <TableCell>
                      <Contributions object={object} />
                    </TableCell>
                    <TableCell align="right">
                      {object.problems > 0 ? (
                        <a href="#policy-problems" className="font-medium text-red-700 hover:underline">
                          {formatInteger(object.problems)}
                        </a>
                      ) : (
                        <span className="text-slate-600">0</span>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableScrollRegion>
          {pageCount > 1 ? (
            <Pagination
              className="mt-3"
              page={current}
              pageCount={pageCount}
              pageSize={pageSize}
              total={shown.length}
              pageSizes={PAGE_SIZES}
              noun="objects"
              onPageChange={setPage}
              onPageSizeChange={(size) => {
                setPageSize(size);
                setPage(1);
              }}
            />
          ) : null}
        </>
      )}
    </Card>
  );
}

/** Fields of policy objects that could not be read (malformed CIDRs, selectors, ports): they earn no credit. */
export function PolicyProblems({ detail }: { detail: ClusterDetail }) {
  const { problems } = detail;
  if (problems.length === 0) return null;
  return (
    <Card id="policy-problems" aria-labelledby="policy-problems-title">
      <CardHeader
        id="policy-problems-title"
        title={`Problems in policy objects (${formatInteger(problems.length)})`}
        description="Fields Bulkhead could not read. A rule with an unreadable field counts as admitting everything for the risk checks and never earns default-deny credit; fix the field so the engine and Bulkhead read what you meant."
      />
      <TableScrollRegion label="Policy problems table" placement="card-bottom">
        <Table caption="Unreadable fields of policy objects: the object, the field and why" className="min-w-[48rem]">
          <TableHeader>
            <tr>
              <TableHead>Object</TableHead>
              <TableHead>Field</TableHead>
              <TableHead>Why</TableHead>
            </tr>
          </TableHeader>
          <TableBody>
            {problems.map((problem, index) => (
              <TableRow key={`${problem.object.kind}/${problem.object.namespace ?? ""}/${problem.object.name}/${problem.field}/${index}`}>
                <TableRowHeader className="text-xs">
                  <span className="block text-slate-600">{POLICY_KIND_LABELS[problem.object.kind]}</span>
                  <span className="font-mono">
                    {problem.object.namespace ? `${problem.object.namespace}/` : ""}
                    {problem.object.name}
                  </span>
                </TableRowHeader>
                <TableCell className="font-mono text-xs text-slate-900">{problem.field}</TableCell>
                <TableCell className="text-sm text-slate-700">{problem.why}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableScrollRegion>
    </Card>
  );
}
