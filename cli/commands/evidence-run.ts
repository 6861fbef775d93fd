// `bulkhead evidence` at work; loaded by the command's action (./evidence), not by its definition.
import { constants } from "node:fs";
import { access, open, rename, rm, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { openEvidencePack } from "@/lib/compliance/evidence-pack/build-evidence-pack";
import { AppError } from "@/lib/errors";
import { formatPercent } from "@/lib/format";
import { withStore } from "../store";
import type { EvidenceOptions } from "./evidence";

export async function runEvidence(options: EvidenceOptions): Promise<void> {
  const out = options.out === "-" ? null : path.resolve(options.out);
  if (out && !options.force && (await exists(out))) throw new AppError("bad-request", `--out: ${out} exists; pass --force to overwrite it`);
  const started = performance.now();
  // The pack streams from the store to the file: the store stays open until the last byte is written.
  const { pack, bytes } = await withStore(async (db) => {
    const pack = await openEvidencePack(
      db,
      {
        framework: options.framework,
        ...options.asOf,
        scope: { subscriptionId: options.subscription, owner: options.owner, productionOnly: options.production ?? false },
        by: options.by ?? "all",
      },
      { framework: "--framework", asOf: "--as-of" },
    );
    const bytes = out ? await writePackFile(pack.chunks, out) : await writeStdout(pack.chunks);
    return { pack, bytes };
  });
  const { content } = pack;
  const lines = [
    `${out ? `Wrote ${out}` : "Wrote the pack to standard output"} (${bytes.toLocaleString("en-US")} bytes, ${((performance.now() - started) / 1000).toFixed(1)} s): ${pack.fileName}`,
    `  ${content.framework.label} as of ${content.asOf}${content.partialDay ? " (today so far)" : ""}; ${content.scope.text}`,
    `  ${content.totals.clusters} clusters; audit pass rate ${formatPercent(content.totals.auditPassRate)} (${content.totals.controlsPassed} passed, ${content.totals.controlsFailed} failed, ${content.totals.controlsWaived} waived)`,
    ...content.requirements.map(
      (requirement) => `  ${requirement.id.padEnd(14)} ${requirement.evidence.padEnd(6)} ${formatPercent(requirement.passRate).padStart(6)}  (${requirement.passing} pass, ${requirement.failing} fail, ${requirement.waived} waived, ${requirement.notApplicable} n/a)`,
    ),
    "",
  ];
  process.stderr.write(lines.join("\n"));
}

/**
 * Written beside the target and renamed: a reader never sees half a pack, and a failure (of the
 * store while the pack streams, or of the disk) leaves no file. Returns the bytes written.
 */
async function writePackFile(chunks: AsyncIterable<Uint8Array>, out: string): Promise<number> {
  const partial = `${out}.${process.pid}.partial`;
  const cannotWrite = (error: unknown) => new AppError("bad-request", `--out: cannot write ${out}: ${error instanceof Error ? error.message : String(error)}`);
  let file: FileHandle;
  try {
    file = await open(partial, "wx");
  } catch (error) {
    throw cannotWrite(error);
  }
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      // appendFile on a handle writes the whole chunk at the handle's position.
      await file.appendFile(chunk).catch((error: unknown) => Promise.reject(cannotWrite(error)));
      bytes += chunk.byteLength;
    }
    await file.close().catch((error: unknown) => Promise.reject(cannotWrite(error)));
    await rename(partial, out).catch((error: unknown) => Promise.reject(cannotWrite(error)));
    return bytes;
  } catch (error) {
    await file.close().catch(() => {});
    await rm(partial, { force: true });
    throw error;
  }
}

/** `--out -`: a failure while streaming leaves a ZIP without its central directory (no unzip takes it) and exits non-zero. */
async function writeStdout(chunks: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of chunks) {
    await new Promise<void>((resolve, reject) => process.stdout.write(chunk, (error) => (error ? reject(error) : resolve())));
    bytes += chunk.byteLength;
  }
  return bytes;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
