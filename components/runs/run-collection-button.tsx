"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCurrentUser } from "@/components/providers/current-user-provider";
import { ApiError, fetchJson } from "@/lib/api/fetch-json";
import { queryKeys } from "@/lib/api/query-keys";

/** "Run collection now", for admins: starts a run in the background; the history refreshes. */
export function RunCollectionButton() {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => fetchJson<{ status: string; source: string }>("/api/runs/collect", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }),
    // The history polls itself while a run is running (use-runs-query.ts).
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.runs.all }),
  });
  if (!user.can("collection:run")) return null;
  return (
    <div className="flex flex-col items-end gap-1">
      <button
        type="button"
        onClick={() => mutation.mutate()}
        disabled={mutation.isPending}
        className="rounded-md bg-slate-900 px-3 py-2 text-sm font-medium text-white hover:bg-slate-800 disabled:opacity-60"
      >
        {mutation.isPending ? "Starting…" : "Run collection now"}
      </button>
      <p aria-live="polite" className="text-xs text-slate-600">
        {mutation.isSuccess ? `Started (${mutation.data.source}): its progress shows below.` : null}
        {mutation.isError ? <span className="text-red-700">{mutation.error instanceof ApiError ? mutation.error.message : "Could not start the run."}</span> : null}
      </p>
    </div>
  );
}
