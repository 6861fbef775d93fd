// `bulkhead reevaluate` at work; loaded by the command's action (./reevaluate), not by its definition.
import cliProgress from "cli-progress";
import { reevaluateStore, type ReevaluateProgress, type ReevaluateResult } from "@/lib/collector/reevaluate/reevaluate";
import { formatInteger } from "@/lib/format";
import { cliActor } from "../cli-actor";
import { getPostureConfig, withStore } from "../store";
import type { ReevaluateOptions } from "./reevaluate";

const WRITING_STEPS: Record<Extract<ReevaluateProgress, { type: "writing" }>["step"], string> = {
  snapshots: "writing: snapshots' statuses and counts",
  intervals: "writing: posture intervals",
  findings: "writing: findings (their assignees, comments, waivers and trail kept)",
  cleanup: "writing: clusters, and the evidence no snapshot uses any more",
};

export async function runReevaluate(options: ReevaluateOptions): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort(new Error("stopped by a signal"));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const progress = createProgress();
  try {
    await withStore(
      async (db) => {
        const result = await reevaluateStore(db, {
          config: getPostureConfig(),
          actor: options.actor ?? cliActor(),
          ifNeeded: options.ifNeeded,
          wait: options.wait,
          batchSize: options.batch,
          signal: controller.signal,
          onProgress: progress.update,
        });
        progress.stop();
        process.stdout.write(formatResult(result));
      },
      { rulesNotice: false },
    );
  } catch (error) {
    progress.stop();
    if (controller.signal.aborted) {
      throw new Error("Stopped. What was judged is kept: run `bulkhead reevaluate` again to go on from there; until then pages show the earlier judgement.");
    }
    throw error;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

/** A progress bar on a terminal, a line every tenth otherwise; both on stderr. */
function createProgress() {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({ format: "judging [{bar}] {value}/{total} source documents | {percentage}% | ETA {eta_formatted}", stream: process.stderr, etaBuffer: 50 }, cliProgress.Presets.shades_classic)
    : null;
  let barStarted = false;
  let lastTenth = -1;
  const stopBar = () => {
    if (bar && barStarted) {
      bar.stop();
      barStarted = false;
    }
  };
  return {
    update(event: ReevaluateProgress) {
      if (event.type === "started") {
        const from = event.fromRulesVersion === null ? "" : ` (stored: rules version ${event.fromRulesVersion})`;
        const resumed = event.resumedFrom ? `, going on after ${formatInteger(event.resumedFrom)} source documents judged before` : "";
        process.stderr.write(`Re-evaluation #${event.reevaluationId} under rules version ${event.rulesVersion}${from}${resumed}\n`);
      } else if (event.type === "judging") {
        if (bar) {
          if (!barStarted) {
            bar.start(event.total, event.done);
            barStarted = true;
          } else bar.update(event.done);
        } else {
          const tenth = event.total === 0 ? 10 : Math.floor((event.done / event.total) * 10);
          if (tenth !== lastTenth) {
            lastTenth = tenth;
            process.stderr.write(`judging: ${formatInteger(event.done)}/${formatInteger(event.total)} source documents\n`);
          }
        }
      } else {
        stopBar();
        if (event.step !== "findings" || event.done === 0) process.stderr.write(`${WRITING_STEPS[event.step]}\n`);
      }
    },
    stop: stopBar,
  };
}

function formatResult(result: ReevaluateResult): string {
  if (result.status === "not-needed") return `The store is judged with rules version ${result.rulesVersion} already; nothing to do.\n`;
  const seconds = (result.durationMs / 1000).toFixed(1);
  const was = result.fromRulesVersion !== null && result.fromRulesVersion !== result.rulesVersion ? ` (was ${result.fromRulesVersion})` : "";
  const lines = [
    `Re-evaluated the store under rules version ${result.rulesVersion}${was} in ${seconds} s.`,
    `  source documents judged: ${formatInteger(result.documents)}${result.resumedFrom ? ` (${formatInteger(result.resumedFrom)} of them before an interruption)` : ""}${result.documentsFailed ? `; ${formatInteger(result.documentsFailed)} no longer parse and keep their earlier judgement` : ""}`,
    `  snapshots whose judgement changed: ${formatInteger(result.snapshotsChanged)}, in ${formatInteger(result.clustersChanged)} clusters; their posture intervals rebuilt: ${formatInteger(result.intervals)}`,
    `  findings kept: ${formatInteger(result.findings.kept)}, moved: ${formatInteger(result.findings.moved)}, opened: ${formatInteger(result.findings.opened)}, closed as superseded: ${formatInteger(result.findings.closed)}`,
  ];
  return `${lines.join("\n")}\n`;
}
