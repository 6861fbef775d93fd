import Link from "next/link";
import { Suspense } from "react";
import { CurrentUserProvider, type SessionUser } from "@/components/providers/current-user-provider";
import { QueryProvider } from "@/components/providers/query-provider";
import { HeaderMenu } from "./header-menu";
import { MainNav, MainNavFallback } from "./main-nav";
import { RulesBanner } from "./rules-banner";
import { UserMenu } from "./user-menu";

/** Header with the product, the main navigation and the filters (`scopeFilter`, whose options the layout hands over through `shared`); the page below. */
export function AppShell({
  user,
  scopeFilter,
  shared = (content) => content,
  children,
}: {
  user: SessionUser;
  scopeFilter: React.ReactNode;
  /** Wraps header and page inside the query provider: queries both read, handed over once above them. */
  shared?: (content: React.ReactNode) => React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <CurrentUserProvider user={user}>
    <QueryProvider>
      {shared(
      <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white print:hidden">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-3 px-4 py-3 md:px-6">
          <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight text-slate-900">
            <span aria-hidden className="grid h-7 w-7 place-items-center rounded-md bg-slate-900 text-xs font-bold text-white">BH</span>
            Bulkhead
          </Link>
          <HeaderMenu>
            <Suspense fallback={<MainNavFallback />}>
              <MainNav />
            </Suspense>
            <div className="flex flex-col gap-4 md:ml-auto md:flex-row md:flex-wrap md:items-center md:gap-x-6 md:gap-y-3">
              {scopeFilter}
              <UserMenu />
            </div>
          </HeaderMenu>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6 md:px-6">
        <RulesBanner />
        {children}
      </main>
      </>,
      )}
    </QueryProvider>
    </CurrentUserProvider>
  );
}
