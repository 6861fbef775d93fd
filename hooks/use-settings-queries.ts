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

const jsonInit = (method: "POST" | "PUT" | "PATCH" | "DELETE", body: unknown): RequestInit => ({ method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

export interface AdminEventView {
  id: string;
  at: string;
  actor: string;
  type: string;
  subject: string;
  data: Record<string, unknown>;
}

export function useAdminEventsQuery() {
  return useQuery({ queryKey: [...queryKeys.users.all, "events"], queryFn: ({ signal }) => fetchJson<AdminEventView[]>("/api/users/events", { signal }) });
}

/** Role, disable/enable, remove and password reset of one account; the list and the trail refresh. */
export function useAccountAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: { id: string } & ({ kind: "role"; role: Role } | { kind: "disable"; disabled: boolean } | { kind: "remove" } | { kind: "reset-password" })) => {
      if (action.kind === "role") return fetchJson<Record<string, unknown>>(`/api/users/${encodeURIComponent(action.id)}`, jsonInit("PATCH", { role: action.role }));
      if (action.kind === "disable") return fetchJson<Record<string, unknown>>(`/api/users/${encodeURIComponent(action.id)}`, jsonInit("PATCH", { disabled: action.disabled }));
      if (action.kind === "remove") return fetchJson<Record<string, unknown>>(`/api/users/${encodeURIComponent(action.id)}`, jsonInit("DELETE", {}));
      return fetchJson<{ email: string; generatedPassword: string }>(`/api/users/${encodeURIComponent(action.id)}/password`, jsonInit("POST", {}));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.users.all }),
  });
}

export function useUsersQuery() {
  return useQuery({ queryKey: queryKeys.users.all, queryFn: ({ signal }) => fetchJson<UserListItem[]>("/api/users", { signal }) });
}

export function useUpsertUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; role: Role; name?: string; password?: string }) => fetchJson<UpsertUserResult>("/api/users", jsonInit("POST", input)),
    // The account trail too: it shares the key prefix.
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
