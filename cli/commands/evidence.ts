import { Command, InvalidArgumentError, Option } from "commander";
import { constants } from "node:fs";
import { access, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { isValid, parseISO } from "date-fns";
import { scopeParams } from "@/lib/api/params";
import { buildEvidencePack } from "@/lib/compliance/evidence-pack/build-evidence-pack";
import { findFramework, FRAMEWORK_IDS } from "@/lib/compliance/frameworks";
import { AppError } from "@/lib/errors";
import { formatPercent } from "@/lib/format";
import { parseIsoTime } from "../option-parsers";
import { withStore } from "../store";

interface EvidenceOptions {
  framework: string;
  asOf: { day?: string; at?: Date };
  by?: "owner" | "subscription";
  subscription?: string;
  owner?: string;
  production?: boolean;
  out: string;
  force?: boolean;
}

/** A UTC day (the state at its end; today: now) or an ISO 8601 time (that instant). */
export function parseAsOf(value: string): { day?: string; at?: Date } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = parseISO(`${value}T00:00:00Z`);
    if (!isValid(date) || date.toISOString().slice(0, 10) !== value) throw new InvalidArgumentError(`"${value}" is not a calendar day`);
    return { day: value };
  }
  return { at: parseIsoTime(value) };
}

function parseFramework(value: string): string {
  if (!findFramework(value)) throw new InvalidArgumentError(`unknown framework "${value}"; known: ${FRAMEWORK_IDS.join(", ")}`);
  return value;
}

function parseSubscription(value: string): string {
  const parsed = scopeParams.shape.subscription.safeParse(value);
  if (!parsed.success || !parsed.data) throw new InvalidArgumentError(`"${value}" is not a subscription id`);
  return parsed.data;
}

function parseOwner(value: string): string {
  const parsed = scopeParams.shape.owner.safeParse(value);
  if (!parsed.success || !parsed.data) throw new InvalidArgumentError("an owner is 1 to 256 characters");
  return parsed.data;
}

export function evidenceCommand(): Command {
  return new Command("evidence")
    .description("write the audit evidence pack (ZIP: PDF summary, per-cluster CSV, JSON of every control result, SHA-256 manifest) for a framework as of a past day")
    .requiredOption("--framework <id>", `the framework: ${FRAMEWORK_IDS.join(", ")}`, parseFramework)
    .requiredOption("--as-of <date>", "a UTC day, YYYY-MM-DD (the state at its end; today: now), or an ISO 8601 time", parseAsOf)
    .requiredOption("--out <file>", "the ZIP to write (- for standard output)")
    .option("--subscription <id>", "only the clusters of this subscription", parseSubscription)
    .option("--owner <name>", "only the clusters of this owner tag", parseOwner)
    .option("--production", "only production clusters")
    .addOption(new Option("--by <group>", "also break the figures down per owner tag or subscription").choices(["owner", "subscription"]))
    .option("--force", "overwrite --out when it exists")
    .addHelpText(
      "after",
      "\nThe same --as-of and scope give the same bytes: the pack holds no clock time and no user.\n\nExamples:\n  $ bulkhead evidence --framework pci-dss --as-of 2026-03-31 --out pci-2026-03-31.zip\n  $ bulkhead evidence --framework soc2 --as-of 2026-03-31 --by owner --production --out soc2.zip",
    )
    .action(async (options: EvidenceOptions) => {
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
    });
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
