"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";

/** The subscription and owner filters, kept in the URL so a link shows the same view. */
export function useScopeParams() {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const subscription = searchParams.get("subscription") ?? undefined;
  const owner = searchParams.get("owner") ?? undefined;

  /** Sets or clears URL parameters, keeping the others; page resets to 1 when a filter changes. */
  const setParams = useCallback(
    (changes: Record<string, string | undefined>) => {
      const next = new URLSearchParams(searchParams.toString());
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined || value === "") next.delete(key);
        else next.set(key, value);
      }
      if (!("page" in changes)) next.delete("page");
      const query = next.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [pathname, router, searchParams],
  );

  return { subscription, owner, scope: { subscription, owner }, searchParams, setParams };
}
