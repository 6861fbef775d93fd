import { AppShell } from "@/components/layout/app-shell";
import { ScopeFilter } from "@/components/layout/scope-filter";
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
      // The filter options are read by the header and by pages (Overview, Trends, Findings): handed to
      // the query cache above both, before either renders. Handed over lower down (around the header
      // alone), they reached the cache after a page's own useQuery had created the entry on the
      // server, which then defers them to an effect: the server rendered the filters empty, the
      // browser with their options, and React threw away the page's HTML (hydration error #418).
      shared={(content) => <Prefetch queries={[filterOptionsQuery()]}>{content}</Prefetch>}
      scopeFilter={<ScopeFilter />}
    >
      {children}
    </AppShell>
  );
}
