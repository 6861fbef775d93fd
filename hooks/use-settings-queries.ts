"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import type { Role } from "@/lib/auth/permissions";
import type { SlaSetting } from "@/lib/findings/finding-settings";

/** One account as GET /api/users lists it. */
export interface UserListItem {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  /** Sign-in methods: "credential" (password), "microsoft" (Entra ID). */
  signIn: string[];
}

export interface UpsertUserResult {
  id: string;
  email: string;
  role: Role;
  created: boolean;
  generatedPassword?: string;
}

const jsonInit = (method: "POST" | "PUT", body: unknown): RequestInit => ({ method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

export function useUsersQuery() {
  return useQuery({ queryKey: ["users"], queryFn: ({ signal }) => fetchJson<UserListItem[]>("/api/users", { signal }) });
}

export function useUpsertUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; role: Role; name?: string; password?: string }) => fetchJson<UpsertUserResult>("/api/users", jsonInit("POST", input)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["users"] }),
  });
}

export function useSlaSettingsQuery() {
  return useQuery({ queryKey: ["sla-settings"], queryFn: ({ signal }) => fetchJson<SlaSetting[]>("/api/settings/sla", { signal }) });
}

export function useUpdateSlaSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: { controlId: string; slaDays: number }[]) => fetchJson<SlaSetting[]>("/api/settings/sla", jsonInit("PUT", { changes })),
    onSuccess: async (settings) => {
      queryClient.setQueryData(["sla-settings"], settings);
      // Due dates and overdue counts follow the SLA.
      await Promise.all(["finding", "findings", "overdue-by-owner"].map((key) => queryClient.invalidateQueries({ queryKey: [key] })));
    },
  });
}
