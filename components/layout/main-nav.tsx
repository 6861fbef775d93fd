"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useCurrentUser } from "@/components/providers/current-user-provider";
import { cn } from "@/lib/class-names";

const LINKS = [
  { href: "/", label: "Overview" },
  { href: "/trends", label: "Trends" },
  { href: "/clusters", label: "Clusters" },
  { href: "/findings", label: "Findings" },
  { href: "/runs", label: "Runs" },
  { href: "/report", label: "Report" },
  { href: "/compliance", label: "Compliance" },
  { href: "/migration", label: "Migration" },
] as const;

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

/** Main navigation; links carry the subscription and owner filters along. */
export function MainNav() {
  const searchParams = useSearchParams();
  const carried = new URLSearchParams();
  for (const key of ["subscription", "owner"]) {
    const value = searchParams.get(key);
    if (value) carried.set(key, value);
  }
  return <NavLinks suffix={carried.toString() ? `?${carried.toString()}` : ""} />;
}

/**
 * The navigation while MainNav waits for the URL's query (useSearchParams suspends in the streamed
 * render): the same links without the filters, so the header has its final width and row count at
 * first paint instead of growing a row when the links arrive (a layout shift of the whole page).
 */
export function MainNavFallback() {
  return <NavLinks suffix="" />;
}

function NavLinks({ suffix }: { suffix: string }) {
  const pathname = usePathname();
  const user = useCurrentUser();
  const links = user.can("user:manage") || user.can("settings:manage") ? [...LINKS, { href: "/settings", label: "Settings" }] : LINKS;
  return (
    <nav aria-label="Main" className="flex flex-col gap-1 md:flex-row">
      {links.map((link) => {
        const active = isActive(pathname, link.href);
        return (
          <Link
            key={link.href}
            href={`${link.href}${suffix}`}
            aria-current={active ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-1.5 text-sm font-medium",
              active ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
            )}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
