import type { Metadata } from "next";
import { Suspense } from "react";
import { RunsView, RunsViewSkeleton } from "@/components/runs/runs-view";
import { firstValue, type PageSearchParams } from "@/lib/api/page-search";
import { readListRequest, RUNS_PARAMS } from "@/lib/api/query-keys";
import { requireUser } from "@/lib/auth/current-user";
import { Prefetch } from "../_loaders/prefetch";
import { runsQuery } from "../_loaders/server-queries";

export const metadata: Metadata = { title: "Runs" };

export default async function RunsPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  // The layout checks too, but a client-side navigation renders only this segment.
  await requireUser("posture:read", "/runs");
  const search = await searchParams;
  return (
    <Suspense fallback={<RunsViewSkeleton />}>
      <Prefetch queries={[runsQuery(readListRequest(RUNS_PARAMS, (name) => firstValue(search, name)))]}>
        <RunsView />
      </Prefetch>
    </Suspense>
  );
}
