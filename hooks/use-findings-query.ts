"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson, toSearch } from "@/lib/api/fetch-json";
import type { FindingPage } from "@/lib/findings/list-findings";

/** The Findings page's URL parameters, as text: the server validates them. */
export interface FindingsQueryParams {
  status?: string;
  control?: string;
  severity?: string;
  assignee?: string;
  production?: string;
  q?: string;
  sort?: string;
  dir?: string;
  page?: string;
  pageSize?: string;
  subscription?: string;
  owner?: string;
  clusterId?: string;
}

export function useFindingsQuery(params: FindingsQueryParams) {
  return useQuery({
    queryKey: ["findings", params],
    queryFn: ({ signal }) => fetchJson<FindingPage>(`/api/findings${toSearch({ ...params })}`, { signal }),
    // Paging, sorting and filtering keep the old rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}
