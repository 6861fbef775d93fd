import type { Metadata } from "next";
import { Suspense } from "react";
import { ComplianceTrendCard, ComplianceTrendSkeleton } from "@/components/compliance/compliance-trend-card";
import { readComplianceState } from "@/components/compliance/compliance-state";
import { ComplianceBodySkeleton, ComplianceView } from "@/components/compliance/compliance-view";
import { firstValue, readPageScope, type PageSearchParams } from "@/lib/api/page-search";
import { requireUser } from "@/lib/auth/current-user";
import { frameworkChoices } from "@/lib/compliance/frameworks";
import { complianceQuery, complianceTrendQuery, firstEvidenceQuery } from "../_loaders/compliance";
import { Prefetch, startNow, type ServerQuery } from "../_loaders/prefetch";

export const metadata: Metadata = { title: "Compliance" };

/** The Compliance page with the framework, day and scope the address asks for already loaded. */
export default async function CompliancePage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  await requireUser("posture:read", "/compliance");
  const search = await searchParams;
  const today = new Date().toISOString().slice(0, 10);
  const state = readComplianceState((name) => firstValue(search, name));
  const { scope } = readPageScope(search);
  const request = { framework: state.framework, asOf: state.asOf, production: state.production ? "true" : undefined, subscription: scope.subscription, owner: scope.owner };
  // The trend card sits inside the requirements' view, which renders once their data is in: its
  // query starts now so that both are read side by side (each over a second uncached at 10,000 clusters).
  const trendQuery = startNow(complianceTrendQuery({ ...request, days: state.days }));
  const trend = (
    <Suspense fallback={<ComplianceTrendSkeleton />}>
      <Prefetch queries={[trendQuery]}>
        <ComplianceTrendCard />
      </Prefetch>
    </Suspense>
  );
  // The requirements first; then the open requirement's first clusters (the rest of the evidence
  // is fetched when the user opens it, issue 20).
  const summary = startNow(complianceQuery(request));
  return (
    <Suspense fallback={<ComplianceBodySkeleton />}>
      <PrefetchAfter queries={[summary]} last={firstEvidenceQuery(request, summary, state.requirement)}>
        <ComplianceView today={today} frameworks={frameworkChoices()} trend={trend} />
      </PrefetchAfter>
    </Suspense>
  );
}

/** A Prefetch whose last query is known only once another query has answered. */
async function PrefetchAfter({ queries, last, children }: { queries: (ServerQuery | null)[]; last: Promise<ServerQuery | null>; children: React.ReactNode }) {
  return <Prefetch queries={[...queries, await last]}>{children}</Prefetch>;
}
