"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useCurrentUser } from "@/components/providers/current-user-provider";
import { isAwaitingStart, useRulesStatusQuery } from "@/hooks/use-rules-status-query";
import { ApiError, fetchJson } from "@/lib/api/fetch-json";
import { REEVALUATION_VIEWS } from "@/lib/api/query-keys";
import type { RulesStatus } from "@/lib/data/rules-status";
import { formatInteger } from "@/lib/format";

function progressText(latest: NonNullable<RulesStatus["latest"]>): string {
  if (latest.phase === "writing") return "writing the new judgement (one transaction)";
  const share = latest.documentsTotal === 0 ? 0 : Math.floor((latest.documentsDone / latest.documentsTotal) * 100);
  return `judging ${formatInteger(latest.documentsDone)} of ${formatInteger(latest.documentsTotal)} source documents (${share} %)`;
}

/**
 * After an upgrade to new rules (docs/reevaluate.md): says that stored history was judged with
 * older rules, offers admins "Re-evaluate history" (a background `bulkhead reevaluate`), follows its
 * progress, and refreshes every judged view when it commits. Pages show the earlier judgement until then.
 */
export function RulesBanner() {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  // From "started" until its process has taken the run slot and said so (or finished), keep asking.
  const [startedAfter, setStartedAfter] = useState<number | null>(null);
  const query = useRulesStatusQuery({ startedAfter });
  const status = query.data;
  const start = useMutation({
    mutationFn: () => fetchJson<{ status: string }>("/api/reevaluation", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }),
    onSuccess: () => setStartedAfter(status?.latest?.id ?? 0),
  });
  const seen = useRef<{ running: boolean; id: number | null }>({ running: false, id: null });
  const running = status?.latest?.status === "running" && !status.latest.interrupted;
  const awaitingStart = isAwaitingStart(status, startedAfter);
  useEffect(() => {
    const latestId = status?.latest?.id ?? null;
    // A re-evaluation that committed (watched here, or started and finished between two polls) changes every judged view.
    const finishedNow = status?.latest?.status === "completed" && (seen.current.running || (seen.current.id !== null && latestId !== seen.current.id));
    if (finishedNow) for (const key of REEVALUATION_VIEWS) void queryClient.invalidateQueries({ queryKey: key });
    seen.current = { running, id: latestId };
  }, [running, status, queryClient]);

  if (!status) return null;
  const latest = status.latest;
  const admin = user.can("history:reevaluate");
  const interrupted = latest?.status === "running" && latest.interrupted;
  const failed = latest?.status === "failed";
  if (!running && !status.needsReevaluation && !interrupted && !failed) return null;

  const action = interrupted ? "Resume re-evaluation" : failed ? "Try again" : "Re-evaluate history";
  return (
    <section aria-label="Rules version" data-testid="rules-banner" className="mb-5 rounded-xl border border-amber-300 bg-amber-50 px-5 py-3 text-sm text-amber-950 print:hidden">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1">
          {running && latest ? (
            <p aria-live="polite">
              <span className="font-semibold">Re-evaluating history under rules version {latest.rulesVersion}:</span> {progressText(latest)}. Pages show the earlier
              judgement until it finishes; collection runs wait for it.
            </p>
          ) : interrupted && latest ? (
            <p>
              <span className="font-semibold">A re-evaluation under rules version {latest.rulesVersion} stopped before it finished</span> ({formatInteger(latest.documentsDone)} of{" "}
              {formatInteger(latest.documentsTotal)} source documents judged). What it judged is kept; resuming goes on from there.
            </p>
          ) : failed && latest ? (
            <p>
              <span className="font-semibold">The re-evaluation under rules version {latest.rulesVersion} failed:</span> {latest.failureMessage ?? "no reason was recorded"}.
            </p>
          ) : status.storedVersion !== null && status.storedVersion < status.currentVersion ? (
            <p>
              <span className="font-semibold">
                Stored history was judged with rules version {status.storedVersion}; this version judges with rules version {status.currentVersion}.
              </span>{" "}
              Until it is re-evaluated, trends may step on the day of the upgrade, and older snapshots lack what the new rules record (policy objects of every kind, who
              reaches whom).
              {admin ? " Re-evaluating takes a few minutes on a large store; pages keep working meanwhile." : " An admin can re-evaluate it."}
            </p>
          ) : (
            <p>
              <span className="font-semibold">Stored history was recorded before reachability was stored.</span> Until it is re-evaluated, lateral exposure starts on the day
              of the upgrade and older snapshots have no reachability matrix.
              {admin ? " Re-evaluating takes a few minutes on a large store; pages keep working meanwhile." : " An admin can re-evaluate it."}
            </p>
          )}
          {admin && !running ? (
            <p className="mt-1 text-xs text-amber-900">
              Or from a terminal: <code className="rounded bg-amber-100 px-1 font-mono">bulkhead reevaluate</code>
            </p>
          ) : null}
        </div>
        {admin && !running ? (
          <button
            type="button"
            onClick={() => start.mutate()}
            disabled={start.isPending}
            className="rounded-md bg-slate-900 px-3 py-2 text-sm font-medium text-white hover:bg-slate-800 disabled:opacity-60"
          >
            {start.isPending ? "Starting…" : action}
          </button>
        ) : null}
      </div>
      {awaitingStart && !running ? (
        <p aria-live="polite" className="mt-2">
          Started; its progress shows here in a moment.
        </p>
      ) : null}
      {start.isError ? (
        <p role="alert" className="mt-2 text-red-800">
          {start.error instanceof ApiError ? start.error.message : "The re-evaluation could not be started."}
        </p>
      ) : null}
    </section>
  );
}
