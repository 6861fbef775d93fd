import type { Metadata } from "next";
import { Suspense } from "react";
import { MigrationView } from "@/components/migration/migration-view";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/ui/state-message";
import { firstValue, type PageSearchParams } from "@/lib/api/page-search";
import { requireUser } from "@/lib/auth/current-user";
import { loadMigrationPage } from "../_loaders/migration";

export const metadata: Metadata = { title: "Migration" };

const PARAMS = ["days", "subscription", "owner", "verdict", "page", "pageSize"] as const;

/** The NPM → Cilium migration (docs/migration.md): burn-down, owners, and every NPM cluster's readiness, a page at a time. */
export default async function MigrationPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  await requireUser("posture:read", "/migration");
  const search = await searchParams;
  const request = Object.fromEntries(PARAMS.map((key) => [key, firstValue(search, key) || undefined]));
  return (
    <Suspense fallback={<Skeleton className="h-96 w-full" label="Loading the migration" />}>
      <MigrationBody request={request} />
    </Suspense>
  );
}

async function MigrationBody({ request }: { request: Record<string, string | undefined> }) {
  const view = await loadMigrationPage(request);
  if (!view) {
    return (
      <EmptyState title="This address asks for something the page cannot show">
        Use days=90, 180 or 365, a subscription id or an owner as filters, a readiness (blocked, needs-work, incomplete or ready), and a page number.
      </EmptyState>
    );
  }
  return <MigrationView view={view} />;
}
