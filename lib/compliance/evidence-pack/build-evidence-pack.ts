import "server-only";
import { createHash } from "node:crypto";
import type { Database } from "@/lib/db/client";
import { endOfUtcDay, getHistoryBounds, resolveAsOf } from "../as-of";
import type { ComplianceScope } from "../compliance-scope";
import type { GroupBy } from "../compliance-report";
import { requireFramework } from "../get-compliance-view";
import { getControlResults } from "../get-control-results";
import { deterministicZip } from "./deterministic-zip";
import { evidenceCsv } from "./evidence-csv";
import { evidenceJson } from "./evidence-json";
import { evidencePdf } from "./evidence-pdf";
import { buildPackContent, packHeader, type PackContent } from "./pack-content";

export const PACK_FILES = { readme: "README.txt", pdf: "summary.pdf", csv: "clusters.csv", json: "controls.json", manifest: "manifest.json" } as const;

export interface PackFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface EvidencePack {
  /** The download's file name, e.g. bulkhead-evidence-pci-dss-2026-03-31.zip. */
  fileName: string;
  zip: Uint8Array;
  /** The files inside, with their digests (manifest.json last, not listed in itself). */
  files: PackFile[];
  content: PackContent;
}

export interface EvidencePackRequest {
  framework: string;
  day?: string;
  at?: Date;
  scope: ComplianceScope;
  by?: GroupBy;
}

/** Parameter names for messages: the API's (`asOf`) or the CLI's (`--as-of`). */
export interface OptionNames {
  framework: string;
  asOf: string;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const utf8 = (text: string) => new TextEncoder().encode(text);

/**
 * The evidence pack for one framework, scope and as-of time: a ZIP of a PDF summary, the per-cluster
 * CSV, the JSON of every control result with its evidence, a README and a manifest with the SHA-256 of
 * each file. Nothing in it depends on the clock or the caller: the same request over the same
 * history gives the same bytes (docs/compliance.md).
 */
export async function buildEvidencePack(db: Database, request: EvidencePackRequest, options: OptionNames = { framework: "framework", asOf: "asOf" }): Promise<EvidencePack> {
  const framework = requireFramework(request.framework, options.framework);
  const asOf = resolveAsOf({ day: request.day, at: request.at }, await getHistoryBounds(db), options.asOf);
  const clusters = await getControlResults(db, { at: asOf.at, scope: request.scope });
  const content = buildPackContent({ framework, asOf, scope: request.scope, by: request.by ?? "all", clusters });
  const folder = packName(content);
  const files = [
    { name: PACK_FILES.readme, bytes: utf8(readme(content)) },
    { name: PACK_FILES.pdf, bytes: await evidencePdf(content, PACK_FILES) },
    { name: PACK_FILES.csv, bytes: utf8(evidenceCsv(content)) },
    { name: PACK_FILES.json, bytes: utf8(evidenceJson(content)) },
  ];
  const listed: PackFile[] = files.map((file) => ({ name: file.name, bytes: file.bytes.byteLength, sha256: sha256(file.bytes) }));
  const manifest = utf8(`${JSON.stringify(manifestOf(content, listed), null, 2)}\n`);
  const all = [...files, { name: PACK_FILES.manifest, bytes: manifest }];
  const zip = deterministicZip(
    all.map((file) => ({ name: `${folder}/${file.name}`, bytes: file.bytes })),
    new Date(content.asOf),
  );
  return { fileName: `${folder}.zip`, zip, files: [...listed, { name: PACK_FILES.manifest, bytes: manifest.byteLength, sha256: sha256(manifest) }], content };
}

function manifestOf(content: PackContent, files: PackFile[]) {
  return {
    format: "bulkhead-evidence-pack/1",
    framework: { id: content.framework.id, name: content.framework.name, version: content.framework.version, publisher: content.framework.publisher, mappingSha256: content.framework.mappingSha256 },
    ...packHeader(content),
    clusters: content.totals.clusters,
    auditPassRate: content.totals.auditPassRate,
    files,
  };
}

/** bulkhead-evidence-<framework>-<day>[-owner-…][-sub-…][-production][-by-owner]. */
export function packName(content: PackContent): string {
  const slug = (value: string) =>
    value
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "x";
  const parts = ["bulkhead-evidence", content.framework.id, content.day];
  if (content.scope.subscription) parts.push(`sub-${content.scope.subscription.slice(0, 8)}`);
  if (content.scope.owner) parts.push(`owner-${slug(content.scope.owner)}`);
  if (content.scope.productionOnly) parts.push("production");
  if (content.scope.by !== "all") parts.push(`by-${content.scope.by}`);
  return parts.join("-");
}

function readme(content: PackContent): string {
  return [
    `Bulkhead evidence pack: ${content.framework.label}`,
    "",
    `As of:  ${content.asOf}${content.partialDay ? " (today so far: later runs today can change it)" : " (the end of that UTC day)"}`,
    `Scope:  ${content.scope.text}`,
    `Rules:  version ${content.rulesVersion}`,
    "",
    `${PACK_FILES.pdf}     the summary: each requirement, the controls that evidence it (fully or partly) and why,`,
    "                clusters passing and failing, waivers with reason and approver.",
    `${PACK_FILES.csv}    one row per cluster: control outcomes, outcome per requirement, document hashes.`,
    `${PACK_FILES.json}   every control result with its evidence, the waiver and finding in force, and the`,
    "                SHA-256 of the stored source documents (raw_documents) and evaluation it came from.",
    `${PACK_FILES.manifest}   the as-of time, scope, rules version and the SHA-256 of every other file.`,
    "",
    "Check the files against the manifest:  sha256sum summary.pdf clusters.csv controls.json README.txt",
    "Recreate the pack (same bytes):        bulkhead evidence " +
      [
        `--framework ${content.framework.id}`,
        `--as-of ${content.asOf === endOfUtcDay(content.day).toISOString() ? content.day : content.asOf}`,
        content.scope.subscription ? `--subscription ${content.scope.subscription}` : null,
        content.scope.owner ? `--owner '${content.scope.owner.replace(/'/g, "'\\''")}'` : null,
        content.scope.productionOnly ? "--production" : null,
        content.scope.by !== "all" ? `--by ${content.scope.by}` : null,
        "--out pack.zip",
      ]
        .filter(Boolean)
        .join(" "),
    "",
    "A network control evidences a requirement fully only where the mapping says so; \"partly\" means",
    "the requirement needs other evidence as well. See docs/compliance.md.",
    "",
  ].join("\n");
}
