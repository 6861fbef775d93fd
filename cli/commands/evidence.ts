// `bulkhead evidence`: the definition (flags, their checks, help); the pack's builder loads when it
// runs (./evidence-run).
import { Command, InvalidArgumentError, Option } from "commander";
import { isValid } from "date-fns/isValid";
import { parseISO } from "date-fns/parseISO";
import { readOwnerFilter, readSubscriptionFilter } from "@/lib/api/scope-values";
import { FRAMEWORK_IDS, isFrameworkId } from "@/lib/compliance/framework-ids";
import { parseIsoTime } from "../option-parsers";

export interface EvidenceOptions {
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
  if (!isFrameworkId(value)) throw new InvalidArgumentError(`unknown framework "${value}"; known: ${FRAMEWORK_IDS.join(", ")}`);
  return value;
}

function parseSubscription(value: string): string {
  const subscription = readSubscriptionFilter(value);
  if (subscription === null) throw new InvalidArgumentError(`"${value}" is not a subscription id`);
  return subscription;
}

function parseOwner(value: string): string {
  const owner = readOwnerFilter(value);
  if (owner === null) throw new InvalidArgumentError("an owner is 1 to 256 characters");
  return owner;
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
      const { runEvidence } = await import("./evidence-run");
      await runEvidence(options);
    });
}
