import type { Metadata } from "next";
import { Suspense } from "react";
import { MigrationView } from "@/components/migration/migration-view";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/ui/state-message";
import { firstValue, type PageSearchParams } from "@/lib/api/page-search";
import { requireUser } from "@/lib/auth/current-user";
import { loadMigrationView } from "../_loaders/migration";

export const metadata: Metadata = { title: "Migration" };

/** The NPM → Cilium migration (docs/migration.md): burn-down, owners, and every NPM cluster's readiness. */
export default async function MigrationPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  await requireUser("posture:read", "/migration");
  const search = await searchParams;
  const request = { days: firstValue(search, "days") || undefined, subscription: firstValue(search, "subscription") || undefined, owner: firstValue(search, "owner") || undefined };
  return (
    <Suspense fallback={<Skeleton className="h-96 w-full" label="Loading the migration" />}>
      <MigrationBody request={request} />
    </Suspense>
  );
}

async function MigrationBody({ request }: { request: Parameters<typeof loadMigrationView>[0] }) {
  const view = await loadMigrationView(request);
  if (!view) {
    return <EmptyState title="This address asks for something the page cannot show">Use days=90, 180 or 365, and a subscription id or an owner as filters.</EmptyState>;
  }
  return <MigrationView view={view} />;
}
