"use client";

import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import { FINDING_VIEWS } from "@/lib/api/query-keys";

/** Everything a change to findings can move: lists, the detail, the widgets and the KPIs (waivers). */
export async function invalidateFindingViews(queryClient: QueryClient): Promise<void> {
  await Promise.all(FINDING_VIEWS.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

function sendJson<T>(url: string, method: "POST" | "DELETE", body?: unknown): Promise<T> {
  return fetchJson<T>(url, {
    method,
    headers: body === undefined ? undefined : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export interface AssignInput {
  assignee: string | null;
  /** YYYY-MM-DD; null clears it (back to the SLA); undefined leaves it as it is. */
  dueAt?: string | null;
}

export function useAssignFinding(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AssignInput) => sendJson<{ updated: number }>(`/api/findings/${id}/assign`, "POST", input),
    onSuccess: () => invalidateFindingViews(queryClient),
  });
}

export function useBulkAssignFindings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AssignInput & { ids: number[] }) => sendJson<{ updated: number }>("/api/findings/assign", "POST", input),
    onSuccess: () => invalidateFindingViews(queryClient),
  });
}

export function useCommentOnFinding(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => sendJson<{ ok: true }>(`/api/findings/${id}/comments`, "POST", { text }),
    onSuccess: () => invalidateFindingViews(queryClient),
  });
}

export function useWaiveFinding(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { reason: string; expiresAt: string }) => sendJson<{ id: number }>(`/api/findings/${id}/waiver`, "POST", input),
    onSuccess: () => invalidateFindingViews(queryClient),
  });
}

export function useRevokeWaiver(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => sendJson<{ ok: true }>(`/api/findings/${id}/waiver`, "DELETE"),
    onSuccess: () => invalidateFindingViews(queryClient),
  });
}
