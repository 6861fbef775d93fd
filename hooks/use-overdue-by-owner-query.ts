"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import { overdueByOwnerQueryKey, overdueByOwnerUrl, type OverdueByOwnerRequest } from "@/lib/api/findings-requests";
import type { OverdueByOwner } from "@/lib/findings/get-overdue-by-owner";

export function useOverdueByOwnerQuery(request: OverdueByOwnerRequest) {
  return useQuery({
    queryKey: overdueByOwnerQueryKey(request),
    queryFn: ({ signal }) => fetchJson<OverdueByOwner>(overdueByOwnerUrl(request), { signal }),
  });
}
