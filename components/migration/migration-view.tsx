"use client";

import Link from "next/link";
import { FilterSelect } from "@/components/table/filter-bar";
import { UrlPagination } from "@/components/table/url-pagination";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/state-message";
import { useScopeParams } from "@/hooks/use-scope-params";
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from "@/lib/clusters/list-options";
import type { MigrationCluster } from "@/lib/data/get-migration-view";
import { ENGINE_GROUPS, ENGINE_LABELS } from "@/lib/migration/engine-groups";
import { formatDate, formatInteger } from "@/lib/format";
import type { MigrationPage } from "@/lib/data/migration-page";
import type { CheckStatus } from "@/lib/migration/readiness";
import { VERDICT_LABELS, VERDICTS, type Verdict } from "@/lib/migration/verdicts";
import { BurnDownChart } from "./burn-down-chart";

const VERDICT_TONES: Record<Verdict, BadgeTone> = { blocked: "bad", "needs-work": "warn", incomplete: "neutral", ready: "ok" };
const STATUS_LABELS: Record<CheckStatus, string> = { blocker: "Blocker", warning: "Change first", ok: "OK", unknown: "Not checked" };
const STATUS_TONES: Record<CheckStatus, BadgeTone> = { blocker: "bad", warning: "warn", ok: "ok", unknown: "neutral" };

const day = (text: string) => formatDate(`${text}T00:00:00Z`);

function daysText(daysLeft: number): string {
  if (daysLeft < 0) return `${formatInteger(-daysLeft)} days ago`;
  if (daysLeft === 0) return "today";
  return `in ${formatInteger(daysLeft)} days`;
}

/** "4 fewer than 180 days ago (11 then)": how a count moved over the burn-down's days. */
function changeText(then: number, now: number, days: number): string {
  const change = then === now ? "No change from" : then > now ? `${formatInteger(then - now)} fewer than` : `${formatInteger(now - then)} more than`;
  return `${change} ${formatInteger(days)} days ago (${formatInteger(then)} then)`;
}

/** The parameters the export shares with the page: the view's scope and days, and the readiness filter. */
const EXPORT_PARAMS = ["days", "subscription", "owner", "verdict"];

/** The Migration page (docs/migration.md): where the estate stands on the move from Azure NPM to Cilium, and what each cluster needs. */
export function MigrationView({ view }: { view: MigrationPage }) {
  const { searchParams, setParams } = useScopeParams();
  const exportSearch = new URLSearchParams([...searchParams].filter(([key]) => EXPORT_PARAMS.includes(key))).toString();
  const first = 0;
  const last = view.days.length - 1;
  const npmStart = view.burnDown.npm[first] ?? 0;
  const npmNow = view.burnDown.npm[last] ?? 0;
  const ciliumNow = view.burnDown.cilium[last] ?? 0;
  const verdicts = (verdict: Verdict) => view.verdicts[verdict];
  const windowsLeft = view.withWindowsPools;
  const npmInScope = VERDICTS.reduce((sum, verdict) => sum + view.verdicts[verdict], 0);
  const todayMs = Date.parse(`${view.today}T00:00:00Z`);
  const until = (deadline: string) => Math.round((Date.parse(`${deadline}T00:00:00Z`) - todayMs) / 86_400_000);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Migration: Azure NPM → Cilium</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          Azure Network Policy Manager support for Windows nodes ended on {day(view.deadlines.windows)}; for Linux it ends on {day(view.deadlines.linux)} ({daysText(until(view.deadlines.linux))}). Microsoft&apos;s path is{" "}
          <code className="rounded bg-slate-100 px-1">az aks update --network-dataplane cilium</code>, which re-images every node pool and enforces some policies differently: each cluster below says what to change first.
        </p>
      </div>

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4" data-testid="migration-summary">
        <Card>
          <p className="text-sm text-slate-600">Clusters on Azure NPM</p>
          <p className="mt-1 text-3xl font-semibold tabular-nums text-slate-900" data-testid="migration-npm-now">{formatInteger(npmNow)}</p>
          <p className="text-sm text-slate-700">{changeText(npmStart, npmNow, view.days.length)}</p>
        </Card>
        <Card>
          <p className="text-sm text-slate-600">Clusters on Cilium</p>
          <p className="mt-1 text-3xl font-semibold tabular-nums text-slate-900">{formatInteger(ciliumNow)}</p>
          <p className="text-sm text-slate-700">{changeText(view.burnDown.cilium[first] ?? 0, ciliumNow, view.days.length)}</p>
        </Card>
        <Card>
          <p className="text-sm text-slate-600">NPM clusters ready to move</p>
          <p className="mt-1 text-3xl font-semibold tabular-nums text-slate-900">{formatInteger(verdicts("ready"))}</p>
          <p className="text-sm text-slate-700">
            {formatInteger(verdicts("needs-work"))} need work first · {formatInteger(verdicts("blocked"))} blocked · {formatInteger(verdicts("incomplete"))} not fully checked
          </p>
        </Card>
        <Card>
          <p className="text-sm text-slate-600">With Windows node pools</p>
          <p className={`mt-1 text-3xl font-semibold tabular-nums ${windowsLeft > 0 ? "text-bad" : "text-slate-900"}`}>{formatInteger(windowsLeft)}</p>
          <p className="text-sm text-slate-700">NPM on Windows: support ended {day(view.deadlines.windows)}</p>
        </Card>
      </div>

      <Card aria-labelledby="burn-down-title">
        <CardHeader id="burn-down-title" title="Burn-down by engine" description={`Clusters per policy engine at the end of each UTC day, the last ${view.days.length} days (carried forward, deleted clusters left out).`} />
        <BurnDownChart days={view.days} series={view.burnDown} labels={ENGINE_LABELS} order={ENGINE_GROUPS} />
        <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700" aria-label="Engines now">
          {ENGINE_GROUPS.map((group) => (
            <li key={group}>
              {ENGINE_LABELS[group]}: <span className="font-semibold tabular-nums">{formatInteger(view.burnDown[group][last] ?? 0)}</span>
            </li>
          ))}
        </ul>
      </Card>

      <Card aria-labelledby="owners-title">
        <CardHeader id="owners-title" title="By owner" description="Each owner's clusters by engine today, and how ready its NPM clusters are." />
        {view.owners.length === 0 ? (
          <EmptyState title="No clusters in scope" />
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="migration-owners">
              <thead>
                <tr className="border-b border-slate-200 text-left text-xs text-slate-600">
                  <th scope="col" className="py-1.5 pr-3 font-medium">Owner</th>
                  {ENGINE_GROUPS.map((group) => (
                    <th key={group} scope="col" className="py-1.5 pr-3 text-right font-medium">{ENGINE_LABELS[group]}</th>
                  ))}
                  <th scope="col" className="py-1.5 pr-3 font-medium">NPM readiness</th>
                  <th scope="col" className="py-1.5 font-medium">Deadline</th>
                </tr>
              </thead>
              <tbody>
                {view.owners.map((owner) => (
                  <tr key={owner.owner} className="border-b border-slate-100 last:border-0">
                    <th scope="row" className="py-2 pr-3 text-left font-medium">{owner.owner}</th>
                    {ENGINE_GROUPS.map((group) => (
                      <td key={group} className={`py-2 pr-3 text-right tabular-nums ${group === "npm" && owner.engines.npm > 0 ? "font-semibold text-slate-900" : "text-slate-700"}`}>
                        {formatInteger(owner.engines[group])}
                      </td>
                    ))}
                    <td className="py-2 pr-3 text-slate-700">
                      {owner.engines.npm === 0
                        ? "Nothing left on NPM"
                        : (Object.keys(VERDICT_LABELS) as Verdict[])
                            .filter((verdict) => owner.verdicts[verdict] > 0)
                            .map((verdict) => `${owner.verdicts[verdict]} ${VERDICT_LABELS[verdict].toLowerCase()}`)
                            .join(" · ")}
                    </td>
                    <td className="py-2 text-slate-700">{owner.deadline ? day(owner.deadline) : "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <Card aria-labelledby="clusters-title">
        <CardHeader
          id="clusters-title"
          title="Clusters on Azure NPM"
          description="Earliest deadline first, then the most blocked. Open a cluster for the evidence, the commands to run and the caveats."
          action={
            npmInScope > 0 ? (
              <a
                href={`/api/migration/export${exportSearch ? `?${exportSearch}` : ""}`}
                download
                className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50"
              >
                Download CSV<span className="sr-only"> of {view.verdict ? `the ${VERDICT_LABELS[view.verdict].toLowerCase()} clusters` : "every cluster in the list"}</span>
              </a>
            ) : null
          }
        />
        {npmInScope === 0 ? (
          <EmptyState title="No cluster in scope runs Azure NPM">Nothing to migrate here.</EmptyState>
        ) : (
          <>
            <div className="mb-3 flex flex-wrap items-end gap-3">
              <FilterSelect id="filter-verdict" label="Readiness" value={view.verdict ?? ""} onChange={(value) => setParams({ verdict: value })}>
                <option value="">All ({formatInteger(npmInScope)})</option>
                {VERDICTS.map((verdict) => (
                  <option key={verdict} value={verdict}>
                    {VERDICT_LABELS[verdict]} ({formatInteger(view.verdicts[verdict])})
                  </option>
                ))}
              </FilterSelect>
            </div>
            {view.total === 0 ? (
              <EmptyState title={`No NPM cluster in scope is ${VERDICT_LABELS[view.verdict ?? "ready"].toLowerCase()}`}>Choose another readiness to see its clusters.</EmptyState>
            ) : (
              <>
                <ul className="flex flex-col divide-y divide-slate-100" data-testid="migration-clusters">
                  {view.clusters.map((cluster) => (
                    <ClusterItem key={cluster.id} cluster={cluster} />
                  ))}
                </ul>
                <UrlPagination
                  page={view.page}
                  pageCount={view.pageCount}
                  pageSize={view.pageSize}
                  total={view.total}
                  pageSizes={PAGE_SIZES}
                  defaultPageSize={DEFAULT_PAGE_SIZE}
                  noun="clusters"
                  setParams={setParams}
                />
              </>
            )}
          </>
        )}
      </Card>
    </div>
  );
}

function ClusterItem({ cluster }: { cluster: MigrationCluster }) {
  const findings = cluster.checks.filter((check) => check.status === "blocker" || check.status === "warning");
  const unknown = cluster.checks.filter((check) => check.status === "unknown");
  return (
    <li className="py-3" data-testid="migration-cluster">
      <details>
        <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1">
          <span className="font-medium text-slate-900">{cluster.name}</span>
          <Badge tone={VERDICT_TONES[cluster.verdict]}>{VERDICT_LABELS[cluster.verdict]}</Badge>
          <span className="text-sm text-slate-700">
            {cluster.owner} · {formatInteger(cluster.nodeCount)} nodes · deadline {day(cluster.deadline)} ({daysText(cluster.daysLeft)})
          </span>
          {findings.length > 0 ? <span className="text-sm text-slate-600">{findings.map((check) => check.title).join(", ")}</span> : null}
        </summary>
        <div className="mt-3 flex flex-col gap-4 pl-4">
          <p className="text-xs text-slate-600">
            <Link href={`/clusters/${cluster.id}`} className="font-medium text-brand-700 hover:underline">Cluster page</Link> · {cluster.subscriptionName ?? cluster.subscriptionId} · resource group {cluster.resourceGroup} · data from{" "}
            {formatDate(cluster.capturedAt)}
            {unknown.length > 0 ? ` · not checked: ${unknown.map((check) => check.title).join(", ")}` : ""}
          </p>
          <table className="w-full text-sm">
            <caption className="sr-only">Readiness checks of {cluster.name}</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs text-slate-600">
                <th scope="col" className="py-1 pr-3 font-medium">Check</th>
                <th scope="col" className="py-1 pr-3 font-medium">Result</th>
                <th scope="col" className="py-1 font-medium">Evidence and what to change first</th>
              </tr>
            </thead>
            <tbody>
              {cluster.checks.map((check) => (
                <tr key={check.id} className="border-b border-slate-100 align-top last:border-0">
                  <th scope="row" className="py-2 pr-3 text-left font-medium">{check.title}</th>
                  <td className="py-2 pr-3">
                    <Badge tone={STATUS_TONES[check.status]}>{STATUS_LABELS[check.status]}</Badge>
                  </td>
                  <td className="py-2 text-slate-700">
                    {check.evidence.length > 0 ? (
                      <ul className="mb-1 list-disc pl-4 font-mono text-xs text-slate-800">
                        {check.evidence.map((line) => (
                          <li key={line}>{line}</li>
                        ))}
                      </ul>
                    ) : null}
                    <p>{check.advice}</p>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div>
            <div className="mb-1 flex items-center justify-between gap-2">
              <h3 className="text-sm font-semibold text-slate-900">Commands</h3>
              <CopyButton text={cluster.commands.join("\n")} label="Copy the commands" />
            </div>
            <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{cluster.commands.join("\n")}</pre>
          </div>
          <div>
            <h3 className="mb-1 text-sm font-semibold text-slate-900">Caveats</h3>
            <ul className="list-disc pl-5 text-sm text-slate-700">
              {cluster.caveats.map((caveat) => (
                <li key={caveat}>{caveat}</li>
              ))}
            </ul>
          </div>
        </div>
      </details>
    </li>
  );
}
