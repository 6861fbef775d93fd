import { expect, test } from "vitest";
import { AppError } from "@/lib/errors";
import type { RunCollectionResult } from "./run-collection";
import { startCollectionSchedule } from "./schedule";

const result = (runId: number): RunCollectionResult => ({
  runId,
  status: "completed",
  capturedAt: new Date(),
  subscriptionsListed: 1,
  subscriptionsFailed: 0,
  faults: [{ scope: "in-cluster", target: "c1", cause: "timeout", message: "no answer" }],
  durationMs: 1200,
  clustersSeen: 3,
  clustersWithInCluster: 2,
  clustersDeleted: 0,
  findingsOpened: 0,
  findingsResolved: 0,
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test("a tick that comes while the previous run is still going is skipped, and each outcome is one log line", async () => {
  const lines: string[] = [];
  let calls = 0;
  let release: () => void = () => {};
  const schedule = startCollectionSchedule({
    cron: "* * * * * *", // every second
    log: (line) => lines.push(line),
    collect: async () => {
      calls += 1;
      if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
      return result(calls);
    },
  });
  try {
    await until(() => lines.some((line) => line.includes("skipped: the previous scheduled run is still in progress")));
    expect(calls).toBe(1);
    release();
    await until(() => lines.some((line) => line.startsWith("scheduled collection: run #1 completed")));
    expect(lines.find((line) => line.startsWith("scheduled collection: run #1"))).toBe(
      "scheduled collection: run #1 completed in 1.2 s, 3 clusters, in-cluster 2/3, errors: timeout 1",
    );
  } finally {
    schedule.stop();
  }
});

test("a run held by another process is logged as skipped; a failure as failed", async () => {
  const lines: string[] = [];
  let calls = 0;
  const schedule = startCollectionSchedule({
    cron: "* * * * * *",
    log: (line) => lines.push(line),
    collect: async () => {
      calls += 1;
      if (calls === 1) throw new AppError("busy", "Another collection run is in progress");
      throw new Error("database unreachable");
    },
  });
  try {
    await until(() => calls >= 2 && lines.length >= 2);
    expect(lines[0]).toBe("scheduled collection skipped: another collection run is in progress");
    expect(lines[1]).toMatch(/^scheduled collection failed after \d+\.\d s: database unreachable$/);
  } finally {
    schedule.stop();
  }
});
