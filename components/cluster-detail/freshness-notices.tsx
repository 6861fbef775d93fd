import { RelativeTime } from "@/components/ui/relative-time";
import { formatDateTime } from "@/lib/format";
import type { ClusterDetail, SourceFaultSummary } from "@/lib/data/get-cluster-detail";
import { cn } from "@/lib/class-names";

const CAUSE_PHRASE: Record<string, string> = {
  unreachable: "the API server has been unreachable",
  timeout: "reads have timed out",
  forbidden: "access has been refused",
  unauthenticated: "sign-in has failed",
  "not-found": "the cluster was not found",
  throttled: "requests have been throttled",
  "server-error": "the server has answered with errors",
  malformed: "the answers could not be read",
};

function Notice({ tone, title, children }: { tone: "warn" | "info" | "neutral"; title: React.ReactNode; children: React.ReactNode }) {
  return (
    <div
      role="note"
      className={cn(
        "rounded-lg border px-4 py-3 text-sm",
        tone === "warn" && "border-amber-300 bg-amber-50 text-amber-950",
        tone === "info" && "border-sky-200 bg-sky-50 text-sky-950",
        tone === "neutral" && "border-slate-300 bg-slate-100 text-slate-900",
      )}
    >
      <p className="font-semibold">{title}</p>
      <div className="mt-0.5">{children}</div>
    </div>
  );
}

function FaultText({ fault }: { fault: SourceFaultSummary }) {
  return (
    <span className="mt-1 block break-words font-mono text-xs opacity-90">
      {fault.cause}: {fault.message}
    </span>
  );
}

/** What this page knows and how old it is: deleted, not listed lately, in-cluster data carried or missing. */
export function FreshnessNotices({ detail }: { detail: ClusterDetail }) {
  const { cluster, snapshot, freshness } = detail;
  const { inCluster } = freshness;
  const naControls = detail.controls.filter((control) => control.status === "n/a").map((control) => control.id);
  const notices: React.ReactNode[] = [];

  if (cluster.deletedAt) {
    notices.push(
      <Notice key="deleted" tone="neutral" title={`Deleted ${formatDateTime(cluster.deletedAt)}`}>
        A complete listing of its subscription no longer included it. This is its last known state, from the snapshot of {formatDateTime(snapshot.capturedAt)}.
      </Notice>,
    );
  } else if (!freshness.seenInLatestRun && freshness.latestRunAt) {
    notices.push(
      <Notice key="stale" tone="warn" title={`Not seen in the latest run (${formatDateTime(freshness.latestRunAt)})`}>
        {freshness.listingFault ? "Listing its subscription failed, so " : "Its subscription was not listed, so "}
        the snapshot of {formatDateTime(snapshot.capturedAt)} (<RelativeTime value={snapshot.capturedAt} />) is carried forward.
        {freshness.listingFault ? <FaultText fault={freshness.listingFault} /> : null}
      </Notice>,
    );
  }

  if (inCluster.state === "carried" && inCluster.capturedAt) {
    const phrase = inCluster.fault ? (CAUSE_PHRASE[inCluster.fault.cause] ?? "reads have failed") : "reads have failed";
    notices.push(
      <Notice key="carried" tone="warn" title={
          <>
            In-cluster data from <RelativeTime value={inCluster.capturedAt} /> ({formatDateTime(inCluster.capturedAt)})
          </>
        }>
        {phrase.charAt(0).toUpperCase() + phrase.slice(1)}
        {inCluster.failingSince ? ` since ${formatDateTime(inCluster.failingSince)}` : ""}, so the namespace controls are judged on the last objects that were read, not counted as fixed.
        {inCluster.fault ? <FaultText fault={inCluster.fault} /> : null}
      </Notice>,
    );
  } else if (inCluster.state === "none") {
    notices.push(
      <Notice key="none" tone="info" title="n/a: no in-cluster data">
        {inCluster.fault
          ? `Namespaces and NetworkPolicies could not be read${inCluster.failingSince ? ` since ${formatDateTime(inCluster.failingSince)}` : ""}, and no earlier read exists.`
          : "The source did not read this cluster's namespaces and NetworkPolicies (no kube files, or no access)."}{" "}
        {naControls.length > 0 ? `${naControls.join(", ")} ${naControls.length === 1 ? "is" : "are"} n/a until they are read.` : ""}
        {inCluster.fault ? <FaultText fault={inCluster.fault} /> : null}
      </Notice>,
    );
  }

  if (detail.rulesChanged) {
    notices.push(
      <Notice key="rules" tone="info" title="The rules changed since this snapshot">
        Judged again today, some controls of this snapshot would come out differently. Statuses are shown as recorded; the remediation follows today&apos;s rules.
      </Notice>,
    );
  }

  return notices.length > 0 ? <div className="space-y-2">{notices}</div> : null;
}
