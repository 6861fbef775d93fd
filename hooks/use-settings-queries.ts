"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import { queryKeys, SLA_VIEWS } from "@/lib/api/query-keys";
import type { Role } from "@/lib/auth/permissions";
import type { UserListItem } from "@/lib/data/list-users";
import type { SlaSetting } from "@/lib/findings/finding-settings";

export type { UserListItem } from "@/lib/data/list-users";

export interface UpsertUserResult {
  id: string;
  email: string;
  role: Role;
  created: boolean;
  generatedPassword?: string;
}

const jsonInit = (method: "POST" | "PUT", body: unknown): RequestInit => ({ method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

export function useUsersQuery() {
  return useQuery({ queryKey: queryKeys.users.all, queryFn: ({ signal }) => fetchJson<UserListItem[]>("/api/users", { signal }) });
}

export function useUpsertUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; role: Role; name?: string; password?: string }) => fetchJson<UpsertUserResult>("/api/users", jsonInit("POST", input)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.users.all }),
  });
}

export function useSlaSettingsQuery() {
  return useQuery({ queryKey: queryKeys.slaSettings.all, queryFn: ({ signal }) => fetchJson<SlaSetting[]>("/api/settings/sla", { signal }) });
}

export function useUpdateSlaSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: { controlId: string; slaDays: number }[]) => fetchJson<SlaSetting[]>("/api/settings/sla", jsonInit("PUT", { changes })),
    onSuccess: async (settings) => {
      queryClient.setQueryData(queryKeys.slaSettings.all, settings);
      // Due dates and overdue counts follow the SLA.
      await Promise.all(SLA_VIEWS.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
  });
}
