// `bulkhead evidence` at work; loaded by the command's action (./evidence), not by its definition.
import { constants } from "node:fs";
import { access, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildEvidencePack } from "@/lib/compliance/evidence-pack/build-evidence-pack";
import { AppError } from "@/lib/errors";
import { formatPercent } from "@/lib/format";
import { withStore } from "../store";
import type { EvidenceOptions } from "./evidence";

export async function runEvidence(options: EvidenceOptions): Promise<void> {
  const out = options.out === "-" ? null : path.resolve(options.out);
  if (out && !options.force && (await exists(out))) throw new AppError("bad-request", `--out: ${out} exists; pass --force to overwrite it`);
  const started = performance.now();
  const pack = await withStore((db) =>
    buildEvidencePack(
      db,
      {
        framework: options.framework,
        ...options.asOf,
        scope: { subscriptionId: options.subscription, owner: options.owner, productionOnly: options.production ?? false },
        by: options.by ?? "all",
      },
      { framework: "--framework", asOf: "--as-of" },
    ),
  );
  if (out) {
    // Written beside the target and renamed: a reader never sees half a pack, a failure leaves no file.
    const partial = `${out}.${process.pid}.partial`;
    try {
      await writeFile(partial, pack.zip, { flag: "wx" });
      await rename(partial, out);
    } catch (error) {
      await rm(partial, { force: true });
      throw new AppError("bad-request", `--out: cannot write ${out}: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    await new Promise<void>((resolve, reject) => process.stdout.write(pack.zip, (error) => (error ? reject(error) : resolve())));
  }
  const { content } = pack;
  const lines = [
    `${out ? `Wrote ${out}` : "Wrote the pack to standard output"} (${pack.zip.byteLength.toLocaleString("en-US")} bytes, ${((performance.now() - started) / 1000).toFixed(1)} s): ${pack.fileName}`,
    `  ${content.framework.label} as of ${content.asOf}${content.partialDay ? " (today so far)" : ""}; ${content.scope.text}`,
    `  ${content.totals.clusters} clusters; audit pass rate ${formatPercent(content.totals.auditPassRate)} (${content.totals.controlsPassed} passed, ${content.totals.controlsFailed} failed, ${content.totals.controlsWaived} waived)`,
    ...content.requirements.map(
      (requirement) => `  ${requirement.id.padEnd(14)} ${requirement.evidence.padEnd(6)} ${formatPercent(requirement.passRate).padStart(6)}  (${requirement.passing} pass, ${requirement.failing} fail, ${requirement.waived} waived, ${requirement.notApplicable} n/a)`,
    ),
    "",
  ];
  process.stderr.write(lines.join("\n"));
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
