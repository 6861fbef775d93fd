import cliProgress from "cli-progress";
import type { RunProgressEvent } from "@/lib/collector/progress";
import type { SubscriptionProgress } from "@/lib/sources/azure/azure-source";

export interface CollectProgress {
  onSubscriptions(progress: SubscriptionProgress): void;
  onRunEvent(event: RunProgressEvent): void;
  stop(): void;
}

/**
 * Progress of `bulkhead collect` on stderr: two bars on a terminal (subscriptions listed, clusters
 * read, errors so far), plain log lines otherwise (CI, cron, a pipe). Messages were sanitised by the
 * source; nothing here adds secrets.
 */
export function createCollectProgress(stream: NodeJS.WriteStream = process.stderr): CollectProgress {
  return stream.isTTY ? createBars(stream) : createLogLines(stream);
}

function createBars(stream: NodeJS.WriteStream): CollectProgress {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: "{label} [{bar}] {value}/{total} | errors: {errors} | {duration_formatted}",
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let subscriptions: cliProgress.SingleBar | undefined;
  let clusters: cliProgress.SingleBar | undefined;
  // The source counts listing errors while it lists; the run reports every fault (those included) after.
  let listingErrors = 0;
  let runFaults = 0;
  let stopped = false;
  const errors = () => Math.max(listingErrors, runFaults);
  const refresh = () => {
    subscriptions?.update({ errors: errors() });
    clusters?.update({ errors: errors() });
  };
  return {
    onSubscriptions(progress) {
      listingErrors = progress.errors;
      subscriptions ??= multi.create(progress.subscriptionsTotal, 0, { label: "subscriptions", errors: errors() });
      subscriptions.setTotal(progress.subscriptionsTotal);
      subscriptions.update(progress.subscriptionsDone, { label: `subscriptions (${progress.clustersFound} clusters)` });
      refresh();
    },
    onRunEvent(event) {
      if (event.type === "listed") {
        clusters ??= multi.create(event.clustersTotal, 0, { label: "clusters read", errors: errors() });
        clusters.setTotal(event.clustersTotal);
      } else if (event.type === "cluster") {
        runFaults = event.errors;
        clusters?.update(event.clustersDone);
      } else if (event.type === "fault") {
        runFaults += 1;
      } else if (event.type === "writing") {
        clusters?.update({ label: "clusters read, writing" });
      }
      refresh();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}

function createLogLines(stream: NodeJS.WriteStream): CollectProgress {
  const log = (line: string) => stream.write(`collect: ${line}\n`);
  let lastClustersLogged = 0;
  let announced = false;
  return {
    onSubscriptions(progress) {
      if (!announced) {
        announced = true;
        log(`listing AKS clusters in ${progress.subscriptionsTotal} subscription(s)`);
        return;
      }
      log(`subscriptions ${progress.subscriptionsDone}/${progress.subscriptionsTotal} listed, ${progress.clustersFound} clusters, errors: ${progress.errors}`);
    },
    onRunEvent(event) {
      if (event.type === "listed") {
        log(`${event.clustersTotal} clusters to read`);
      } else if (event.type === "cluster") {
        // About ten lines per run, whatever its size, plus the last one.
        const step = Math.max(1, Math.ceil(event.clustersTotal / 10));
        if (event.clustersDone === event.clustersTotal || event.clustersDone - lastClustersLogged >= step) {
          lastClustersLogged = event.clustersDone;
          log(`clusters ${event.clustersDone}/${event.clustersTotal} read, errors: ${event.errors}`);
        }
      } else if (event.type === "fault") {
        log(`error [${event.scope}] ${event.target}: ${event.cause}: ${event.message}`);
      } else if (event.type === "writing") {
        log(`writing ${event.clusters} snapshots`);
      }
    },
    stop() {},
  };
}
