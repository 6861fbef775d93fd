"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useRef } from "react";

/** The subscription and owner filters, kept in the URL so a link shows the same view. */
export function useScopeParams() {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const subscription = searchParams.get("subscription") ?? undefined;
  const owner = searchParams.get("owner") ?? undefined;

  // router.replace shows the new URL only once the server has answered for it. A change made before
  // then (a filter picked while a typed search is on its way) builds on the one in flight, not on
  // the URL it has not replaced yet, so neither is lost.
  const inFlight = useRef<{ from: string; query: string } | null>(null);

  /** Sets or clears URL parameters, keeping the others; page resets to 1 when a filter changes. */
  const setParams = useCallback(
    (changes: Record<string, string | undefined>) => {
      const current = searchParams.toString();
      const base = inFlight.current?.from === current ? inFlight.current.query : current;
      const next = new URLSearchParams(base);
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined || value === "") next.delete(key);
        else next.set(key, value);
      }
      if (!("page" in changes)) next.delete("page");
      const query = next.toString();
      inFlight.current = { from: current, query };
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [pathname, router, searchParams],
  );

  return { subscription, owner, scope: { subscription, owner }, searchParams, setParams };
}
