import { Suspense } from "react";
import { AppShell } from "@/components/layout/app-shell";
import { ScopeFilter, ScopeFilterSkeleton } from "@/components/layout/scope-filter";
import { requireUser } from "@/lib/auth/current-user";
import { permissionsOf } from "@/lib/auth/permissions";
import { Prefetch } from "./_loaders/prefetch";
import { filterOptionsQuery } from "./_loaders/server-queries";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  // Every page needs a signed-in user; the proxy's cookie check is only the optimistic first step.
  const user = await requireUser();
  return (
    <AppShell
      user={{ name: user.name, email: user.email, role: user.role, permissions: [...permissionsOf(user.role)] }}
      scopeFilter={
        <Suspense fallback={<ScopeFilterSkeleton />}>
          <Prefetch queries={[filterOptionsQuery()]}>
            <ScopeFilter />
          </Prefetch>
        </Suspense>
      }
    >
      {children}
    </AppShell>
  );
}
