"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import { queryKeys, type OverdueByOwnerRequest } from "@/lib/api/query-keys";
import type { OverdueByOwner } from "@/lib/findings/get-overdue-by-owner";

/** `GET /api/findings/overdue-by-owner`: overdue findings per owner, most first. */
export function useOverdueByOwnerQuery(request: OverdueByOwnerRequest) {
  return useQuery({
    queryKey: queryKeys.overdueByOwner.of(request),
    queryFn: ({ signal }) => fetchJson<OverdueByOwner>(`/api/findings/overdue-by-owner${toSearch({ ...request })}`, { signal }),
  });
}
