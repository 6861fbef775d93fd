import "server-only";
import type { Database } from "@/lib/db/client";
import { endOfUtcDay, getHistoryBounds, resolveAsOf } from "../as-of";
import type { ComplianceScope } from "../compliance-scope";
import type { GroupBy } from "../compliance-report";
import { requireFramework } from "../get-compliance-view";
import { getControlOutcomes, readJudgements } from "../get-control-results";
import { DeterministicZip, type ZipLevel } from "./deterministic-zip";
import { evidenceCsv } from "./evidence-csv";
import { evidenceJsonCluster, evidenceJsonEnd, evidenceJsonStart } from "./evidence-json";
import { evidencePdf, pdfEvaluationHashes } from "./evidence-pdf";
import { buildPackContent, packHeader, type PackContent } from "./pack-content";

export const PACK_FILES = { readme: "README.txt", pdf: "summary.pdf", csv: "clusters.csv", json: "controls.json", manifest: "manifest.json" } as const;

/** Clusters whose evidence is read and written at once: a few MB of JSON, whatever the estate's size. */
export const EVIDENCE_PAGE_SIZE = 500;
/** Part of the pack's bytes: a change gives other bytes for the same request (docs/compliance.md). */
const ZIP_LEVEL: ZipLevel = 6;

export interface PackFile {
  name: string;
  bytes: number;
  sha256: string;
}

/** The pack as it is written: everything but controls.json's evidence is known before the first byte. */
export interface EvidencePackStream {
  /** The download's file name, e.g. bulkhead-evidence-pci-dss-2026-03-31.zip. */
  fileName: string;
  /** The ZIP, piece by piece; read once. A failure on the way ends it with the error (see openEvidencePack). */
  chunks: AsyncGenerator<Uint8Array, void, undefined>;
  /** The files inside with their digests (manifest.json last); complete when `chunks` is. */
  files: PackFile[];
  content: PackContent;
}

export interface EvidencePack {
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
  /** Clusters per read of evidence; EVIDENCE_PAGE_SIZE unless a test wants many pages. The bytes do not depend on it. */
  evidencePageSize?: number;
}

const utf8 = (text: string) => Buffer.from(text, "utf8");

/**
 * The evidence pack for one framework, scope and as-of time: a ZIP of a PDF summary, the per-cluster
 * CSV, the JSON of every control result with its evidence, a README and a manifest with the SHA-256 of
 * each file. Nothing in it depends on the clock or the caller: the same request over the same
 * history gives the same bytes (docs/compliance.md).
 *
 * What can be refused (an unknown framework, a day outside the history) is refused here, before the
 * first byte: the outcomes of every cluster, the PDF and the CSV are made first. The evidence is
 * then read EVIDENCE_PAGE_SIZE clusters at a time while controls.json streams. An error after that
 * ends `chunks` with the error, before the ZIP's central directory: what was sent is never a whole ZIP.
 */
export async function openEvidencePack(db: Database, request: EvidencePackRequest, options: OptionNames = { framework: "framework", asOf: "asOf" }): Promise<EvidencePackStream> {
  const framework = requireFramework(request.framework, options.framework);
  const asOf = resolveAsOf({ day: request.day, at: request.at }, await getHistoryBounds(db), options.asOf);
  const clusters = await getControlOutcomes(db, { at: asOf.at, scope: request.scope });
  const content = buildPackContent({ framework, asOf, scope: request.scope, by: request.by ?? "all", clusters });
  const folder = packName(content);
  const before = [
    { name: PACK_FILES.readme, bytes: utf8(readme(content)) },
    { name: PACK_FILES.pdf, bytes: await evidencePdf(content, PACK_FILES, await readJudgements(db, pdfEvaluationHashes(content))) },
    { name: PACK_FILES.csv, bytes: utf8(evidenceCsv(content)) },
  ];
  const files: PackFile[] = [];
  return { fileName: `${folder}.zip`, chunks: writePack(db, content, folder, before, files, options.evidencePageSize ?? EVIDENCE_PAGE_SIZE), files, content };
}

async function* writePack(db: Database, content: PackContent, folder: string, before: { name: string; bytes: Uint8Array }[], files: PackFile[], pageSize: number): AsyncGenerator<Uint8Array, void, undefined> {
  const zip = new DeterministicZip(new Date(content.asOf), ZIP_LEVEL);
  for (const file of before) {
    files.push({ name: file.name, ...zip.add(`${folder}/${file.name}`, file.bytes) });
    yield* zip.take();
  }
  // The JSON's evidence is read, stringified, encoded and deflated a page at a time, each page's
  // output sent before the next is read: a slow download slows the reading.
  const json = zip.entry(`${folder}/${PACK_FILES.json}`);
  json.write(utf8(evidenceJsonStart(content)));
  for (let start = 0; start < content.clusters.length; start += pageSize) {
    const page = content.clusters.slice(start, start + pageSize);
    // Evaluations are content-addressed and never change: reading them later cannot disagree with the outcomes.
    const judgements = await readJudgements(db, page.map((cluster) => cluster.documents.evaluationSha256));
    // Cluster by cluster: a few KB each, which the young generation collects at once. A page's text
    // joined (MBs) went to V8's large-object space, freed only by a full collection.
    page.forEach((cluster, index) => json.write(utf8(evidenceJsonCluster(cluster, judgements, start + index === 0))));
    yield* zip.take();
  }
  json.write(utf8(evidenceJsonEnd(content)));
  files.push({ name: PACK_FILES.json, ...json.close() });
  const manifest = zip.entry(`${folder}/${PACK_FILES.manifest}`);
  manifest.write(utf8(`${JSON.stringify(manifestOf(content, [...files]), null, 2)}\n`));
  files.push({ name: PACK_FILES.manifest, ...manifest.close() });
  zip.end();
  yield* zip.take();
}

/** The whole pack in memory (tests, the bench): openEvidencePack read to the end. */
export async function buildEvidencePack(db: Database, request: EvidencePackRequest, options?: OptionNames): Promise<EvidencePack> {
  const pack = await openEvidencePack(db, request, options);
  const chunks: Uint8Array[] = [];
  for await (const chunk of pack.chunks) chunks.push(chunk);
  return { fileName: pack.fileName, zip: new Uint8Array(Buffer.concat(chunks)), files: pack.files, content: pack.content };
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
