// `bulkhead waivers import` at work; loaded by the command's action (./waivers), not by its definition.
import { Prisma } from "@prisma/client";

import type { Database } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { importExceptionsAsWaivers, type ImportResult } from "@/lib/findings/import-exceptions";
import { decodeInputText, TextDecodeError } from "@/lib/input/decode-text";
import { InputFileError, readInputFile } from "@/lib/input/read-input-file";
import { cliActor } from "../cli-actor";
import { withStore } from "../store";

export async function runWaiversImport(file: string, options: { cluster: string; yes?: boolean }): Promise<void> {
  let content: string;
  try {
    content = decodeInputText(await readInputFile(file, 1024 * 1024));
  } catch (error) {
    if (error instanceof InputFileError) throw new AppError("bad-input-file", error.problem === "missing" ? `${file}: no such file` : error.message);
    if (error instanceof TextDecodeError) throw new AppError("bad-input-file", `${file}: ${error.reason}`);
    throw error;
  }
  await withStore(async (db) => {
    const clusterId = await findCluster(db, options.cluster);
    const result = await importExceptionsAsWaivers(db, { clusterId, file, content, actor: cliActor(), apply: options.yes === true });
    process.stdout.write(formatImport(result));
  });
}

/** A cluster by id, ARM resource id or name; a name shared by several clusters must be said by id. */
async function findCluster(db: Database, wanted: string): Promise<number> {
  if (/^[0-9]{1,10}$/.test(wanted)) {
    const byId = await db.prisma.cluster.findUnique({ where: { id: Number(wanted) }, select: { id: true } });
    if (byId) return byId.id;
  }
  const rows = await db.prisma.$queryRaw<{ id: number; key: string }[]>(
    Prisma.sql`SELECT id, key FROM clusters WHERE key = ${wanted.toLowerCase()} OR name = ${wanted} ORDER BY deleted_at NULLS FIRST, id`,
  );
  if (rows.length === 0) throw new AppError("bad-request", `--cluster: no cluster is called ${JSON.stringify(wanted)} (give its name, its ARM resource id or its number)`);
  if (rows.length > 1) throw new AppError("bad-request", `--cluster: ${rows.length} clusters are called ${JSON.stringify(wanted)}; give one of their ARM resource ids: ${rows.map((row) => row.key).join(", ")}`);
  return (rows[0] as { id: number }).id;
}

export function formatImport(result: ImportResult): string {
  const lines = [`${result.applied ? "Imported" : "Would import"} ${result.file} for cluster ${result.cluster.name} (#${result.cluster.id}):`];
  if (result.findings.length === 0) lines.push("  the cluster has no open findings");
  for (const finding of result.findings) {
    const covered = finding.exceptions.length > 0 ? ` by ${finding.exceptions.map((index) => `exceptions[${index}]`).join(", ")}` : "";
    if (finding.action === "waive") lines.push(`  ${finding.controlId} finding #${finding.findingId}: ${result.applied ? "waived" : "to be waived"} through ${finding.until}${covered}${finding.capped ? " (the dashboard's limit; the file says later)" : ""}`);
    else if (finding.action === "already-waived") lines.push(`  ${finding.controlId} finding #${finding.findingId}: already waived through ${finding.until}`);
    else lines.push(`  ${finding.controlId} finding #${finding.findingId}: not waived, no exception covers ${finding.uncovered.join(", ")}`);
  }
  for (const exception of result.exceptions) {
    if (exception.status === "expired") lines.push(`  exceptions[${exception.index}]${exception.line ? ` (line ${exception.line})` : ""} has expired and is not applied`);
    if (exception.status === "unmatched") lines.push(`  exceptions[${exception.index}]${exception.line ? ` (line ${exception.line})` : ""} matches no open finding of this cluster`);
  }
  if (!result.applied && result.findings.some((finding) => finding.action === "waive")) lines.push("Pass --yes to record these waivers.");
  return `${lines.join("\n")}\n`;
}
