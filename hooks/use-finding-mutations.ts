"use client";

import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import { FINDING_VIEWS } from "@/lib/api/query-keys";
import type { FindingRow } from "@/lib/findings/list-findings";

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
  /** null unassigns; undefined leaves the assignee as it is. */
  assignee?: string | null;
  /** YYYY-MM-DD; null clears it (back to the SLA due date); undefined leaves it as it is. */
  dueAt?: string | null;
  /** Required when the due date moves later. */
  dueReason?: string;
}

export interface AssignResult {
  updated: number;
  batch: string;
  extended: number;
  rows: FindingRow[];
}

/** What a bulk action applies to: the findings ticked, or every finding the list's filters match. */
export type BulkTarget = { ids: number[] } | { match: Record<string, string | string[] | number | undefined> & { expected: number } };

export function useAssignFinding(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AssignInput) => sendJson<AssignResult>(`/api/findings/${id}/assign`, "POST", input),
    onSuccess: () => invalidateFindingViews(queryClient),
  });
}

/**
 * Bulk assign. The list is not refetched here: the page keeps the rows it showed (with their new
 * values) until the person moves on, so nothing they acted on vanishes under them.
 */
export function useBulkAssignFindings() {
  return useMutation({
    mutationFn: (input: AssignInput & BulkTarget) => sendJson<AssignResult>("/api/findings/assign", "POST", input),
  });
}

export function useUndoAssignment() {
  return useMutation({
    mutationFn: (batch: string) => sendJson<{ restored: number; skipped: number; rows: FindingRow[] }>("/api/findings/assign/undo", "POST", { batch }),
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
