"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import { queryKeys } from "@/lib/api/query-keys";
import type { AssigneeOption } from "@/lib/findings/list-assignees";

/** People and teams findings are assigned to: the assignee filter and the suggestions of assign forms. */
export function useFindingAssigneesQuery() {
  return useQuery({ queryKey: queryKeys.findingAssignees.all, queryFn: ({ signal }) => fetchJson<AssigneeOption[]>("/api/findings/assignees", { signal }) });
}
