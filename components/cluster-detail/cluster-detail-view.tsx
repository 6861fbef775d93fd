"use client";

import { useSearchParams } from "next/navigation";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/state-message";
import { useClusterDetailQuery } from "@/hooks/use-cluster-detail-query";
import { toSearch } from "@/lib/api/fetch-json";
import { cn } from "@/lib/class-names";
import { formatPercent } from "@/lib/format";
import { CONTROLS } from "@/lib/posture/control-catalogue";
import { AdvisoriesList } from "./advisories-list";
import { AllowAnyRules } from "./allow-any-rules";
import { ClusterHeader } from "./cluster-header";
import { ControlsList } from "./controls-list";
import { FindingsTable } from "./findings-table";
import { FreshnessNotices } from "./freshness-notices";
import { NamespacesTable } from "./namespaces-table";
import { PolicyObjects, PolicyProblems } from "./policy-objects";
import { ReachabilitySection } from "./reachability-section";
import { RemediationList } from "./remediation-list";
import { RemediationBundleCard } from "./remediation-bundle";

function Tile({ label, value, tone, href }: { label: string; value: string; tone?: "bad" | "ok" | "muted"; href?: string }) {
  const body = (
    <>
      <span className="block text-xs font-medium text-slate-600">{label}</span>
      <span
        className={cn(
          "mt-1 block text-2xl font-semibold tabular-nums",
          tone === "bad" ? "text-red-700" : tone === "ok" ? "text-emerald-700" : tone === "muted" ? "text-slate-600" : "text-slate-900",
        )}
      >
        {value}
      </span>
    </>
  );
  const className = "block rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm";
  return href ? (
    <a href={href} className={cn(className, "hover:border-slate-300 hover:bg-slate-50")}>
      {body}
    </a>
  ) : (
    <div className={className}>{body}</div>
  );
}

const SECTIONS = [
  ["controls", "Controls"],
  ["remediation", "Remediation"],
  ["allow-any", "Allow-any rules"],
  ["reachability", "Reachability"],
  ["namespaces", "Namespaces"],
  ["policy-objects", "Policy objects"],
  ["advisories", "Advisories"],
  ["findings", "Findings"],
] as const;

/**
 * The cluster page: what fails, why, and the exact fix; the page's loader hands over the first
 * answer. `timeline` is the posture timeline, streamed on its own (it has its own query).
 */
export function ClusterDetailView({ id, timeline }: { id: number; timeline: React.ReactNode }) {
  const searchParams = useSearchParams();
  const query = useClusterDetailQuery(id);
  const detail = query.data;
  const backSearch = toSearch({ subscription: searchParams.get("subscription"), owner: searchParams.get("owner") });

  if (!detail) {
    return query.isError ? <ErrorState error={query.error} onRetry={() => query.refetch()} /> : <Skeleton className="h-96 w-full" label="Loading the cluster" />;
  }
  const { snapshot } = detail;
  const noInCluster = detail.freshness.inCluster.state === "none";
  return (
    <div className="space-y-5">
      <ClusterHeader detail={detail} backSearch={backSearch} />
      <FreshnessNotices detail={detail} />

      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <Tile label="Failing controls" value={`${snapshot.controlsFailed} of ${CONTROLS.length}`} tone={snapshot.controlsFailed > 0 ? "bad" : "ok"} href="#controls" />
        <Tile label="Passing controls" value={String(snapshot.controlsPassed)} tone={snapshot.controlsPassed === CONTROLS.length ? "ok" : undefined} href="#controls" />
        <Tile label="n/a" value={String(snapshot.controlsNa)} tone="muted" href="#controls" />
        <Tile
          label="Allow-any rules"
          value={noInCluster ? "n/a" : String(snapshot.allowAnyCount)}
          tone={noInCluster ? "muted" : snapshot.allowAnyCount > 0 ? "bad" : "ok"}
          href="#allow-any"
        />
        <Tile
          label="Lateral exposure"
          value={detail.reachability ? formatPercent(detail.reachability.exposure) : "n/a"}
          tone={!detail.reachability || detail.reachability.exposure === null ? "muted" : detail.reachability.exposure >= 50 ? "bad" : detail.reachability.exposure === 0 ? "ok" : undefined}
          href="#reachability"
        />
        <Tile label="Open findings" value={String(detail.findings.open)} tone={detail.findings.open > 0 ? "bad" : "ok"} href="#findings" />
      </div>

      <nav aria-label="On this page" className="flex flex-wrap gap-x-4 gap-y-1 border-b border-slate-200 pb-2 text-sm">
        {SECTIONS.map(([anchor, label]) => (
          <a key={anchor} href={`#${anchor}`} className="font-medium text-slate-700 hover:text-brand-700 hover:underline">
            {label}
          </a>
        ))}
      </nav>

      {timeline}
      <ControlsList detail={detail} findingSearch={backSearch} />
      <RemediationBundleCard detail={detail} />
      <RemediationList detail={detail} />
      <div className="grid items-start gap-5 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <AllowAnyRules detail={detail} />
        </div>
        <AdvisoriesList detail={detail} />
      </div>
      <ReachabilitySection detail={detail} />
      <NamespacesTable detail={detail} />
      <PolicyObjects detail={detail} />
      <PolicyProblems detail={detail} />
      <FindingsTable detail={detail} now={new Date(detail.asOf).getTime()} findingSearch={backSearch} />
    </div>
  );
}
