import "server-only";
import { spawn } from "node:child_process";
import path from "node:path";
import type { Database } from "@/lib/db/client";
import { findProjectRoot } from "@/lib/db/project-root";
import { readRulesStatus } from "@/lib/data/rules-status";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { acquireRunSlot, failRunsWithoutLockHolder, findRunningRun, releaseRunSlot, RUN_LOCK_KEY } from "../run-record";

/**
 * "Re-evaluate history" (admins, docs/reevaluate.md): starts `bulkhead reevaluate` in a process of
 * its own — judging a year of history is minutes of CPU the web server's requests must not wait
 * behind — and answers at once; the banner follows its progress in the reevaluations row. Refused
 * (409) when there is nothing to re-evaluate or the run slot is taken, so a double click starts one.
 */
export async function startReevaluation(db: Database, actor: string): Promise<{ status: "started" }> {
  const status = await readRulesStatus(db.pool, RUN_LOCK_KEY);
  if (status.latest?.status === "running" && !status.latest.interrupted) {
    throw new AppError("busy", `Re-evaluation #${status.latest.id} is in progress (started by ${status.latest.startedBy}).`);
  }
  if (!status.needsReevaluation && !status.latest?.interrupted && status.latest?.status !== "failed") {
    throw new AppError("conflict", `The store is judged with rules version ${status.currentVersion} already; there is nothing to re-evaluate.`);
  }
  await assertRunSlotFree(db);
  const child = spawn(process.execPath, [path.join(findProjectRoot(), "bin", "bulkhead.mjs"), "reevaluate", "--wait", "--if-needed", "--actor", actor], {
    env: process.env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let errors = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    errors = (errors + chunk).slice(-4_000);
  });
  child.once("exit", (code) => {
    if (code === 0) logger.info({ requestedBy: actor }, "re-evaluation finished");
    else logger.warn({ requestedBy: actor, code, stderr: errors.slice(-1_000) }, "re-evaluation ended with an error");
  });
  child.once("error", (error) => logger.warn({ err: error, requestedBy: actor }, "re-evaluation could not be started"));
  return { status: "started" };
}

/** A clear 409 now rather than a process that waits: the slot is free at this moment (the child takes it with --wait). */
async function assertRunSlotFree(db: Database): Promise<void> {
  await failRunsWithoutLockHolder(db.pool);
  const client = await db.pool.connect();
  try {
    await acquireRunSlot(client, { wait: false });
    await releaseRunSlot(client);
  } catch (error) {
    if (isAppError(error) && error.code === "busy") {
      const running = await findRunningRun(db);
      throw new AppError(
        "busy",
        running
          ? `Collection run #${running.id} (${running.source}) is in progress; start the re-evaluation when it has finished.`
          : "A collection run or a re-evaluation is writing; try again in a moment.",
      );
    }
    throw error;
  } finally {
    client.release();
  }
}
