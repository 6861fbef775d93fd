import PDFDocument from "pdfkit";
import { formatDate, formatDateTime, formatPercent, formatThrough } from "@/lib/format";
import type { ControlId } from "@/lib/posture/control-catalogue";
import { getControl } from "@/lib/posture/control-catalogue";
import type { Judgements } from "../get-control-results";
import type { PackCluster, PackContent } from "./pack-content";
import { pdfText } from "./pdf-text";

/** Failing and waived clusters listed per requirement in the PDF; every one is in clusters.csv. */
export const PDF_LIST_LIMIT = 25;

const MARGIN = 50;
const GREY = "#475569";
const INK = "#0f172a";

/** The failing clusters each requirement lists (the first PDF_LIST_LIMIT). */
function listedFailing(content: PackContent, requirementId: string): PackCluster[] {
  return content.clusters.filter((cluster) => cluster.requirements[requirementId] === "fail");
}

/** The evaluations whose reasons the PDF quotes: those of the failing clusters it lists, a few hundred at most. */
export function pdfEvaluationHashes(content: PackContent): string[] {
  const hashes = new Set<string>();
  for (const requirement of content.requirements) {
    for (const cluster of listedFailing(content, requirement.id).slice(0, PDF_LIST_LIMIT)) hashes.add(cluster.documents.evaluationSha256);
  }
  return [...hashes];
}

/**
 * summary.pdf: the figures an auditor reads first, on A4. Its dates are the as-of time (not the
 * clock), so the same pack gives the same bytes. `judgements` holds at least pdfEvaluationHashes(content).
 */
export async function evidencePdf(content: PackContent, fileNames: { csv: string; json: string; manifest: string }, judgements: Judgements): Promise<Uint8Array> {
  const asOf = new Date(content.asOf);
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: pdfText(`Network segmentation evidence: ${content.framework.label}`),
      Author: "Bulkhead",
      Subject: pdfText(`As of ${content.asOf}; ${content.scope.text}`),
      Creator: "Bulkhead",
      Producer: "Bulkhead",
      CreationDate: asOf,
      ModDate: asOf,
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on("end", resolve);
    doc.on("error", reject);
  });
  const width = doc.page.width - MARGIN * 2;
  const text = (value: string, options: PDFKit.Mixins.TextOptions = {}) => doc.text(pdfText(value), { width, ...options });
  const heading = (value: string, size = 13) => {
    if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
    doc.moveDown(0.8).font("Helvetica-Bold").fontSize(size).fillColor(INK);
    text(value);
    doc.font("Helvetica").fontSize(9.5).fillColor(INK).moveDown(0.3);
  };
  const note = (value: string) => {
    doc.font("Helvetica").fontSize(9).fillColor(GREY);
    text(value);
    doc.fillColor(INK).fontSize(9.5);
  };

  doc.font("Helvetica-Bold").fontSize(18).fillColor(INK);
  text("Network segmentation evidence");
  doc.font("Helvetica").fontSize(12);
  text(content.framework.label);
  doc.moveDown(0.5).fontSize(9.5);
  const asOfText = content.partialDay ? `${formatDateTime(asOf)} (today so far: later runs today can change these figures)` : `${formatDateTime(asOf)} (the end of ${formatDate(asOf)})`;
  const lines: [string, string][] = [
    ["As of", asOfText],
    ["Scope", content.scope.text],
    ["Clusters", `${content.totals.clusters}`],
    ["Rules", `version ${content.rulesVersion}${content.evaluationRulesVersions.some((version) => version !== content.rulesVersion) ? ` (history judged with ${content.evaluationRulesVersions.join(", ")})` : ""}`],
    ["Framework", `${content.framework.name}, ${content.framework.version} (${content.framework.publisher})`],
  ];
  doc.table({
    columnStyles: [90, width - 90],
    defaultStyle: { border: 0, padding: [1, 4] },
    data: lines.map(([label, value]) => [{ text: pdfText(label), font: { src: "Helvetica-Bold" } }, pdfText(value)]),
  });

  heading("What this shows");
  text(
    "Bulkhead judges each AKS cluster against seven network controls (NP-01 to NP-07) from its recorded history. Each requirement below lists the controls that evidence it. " +
      "\"Fully\" means the controls passing meet the requirement for that cluster; \"partly\" means they evidence its network part only, and the rest needs other evidence. " +
      "A cluster's evidence for a requirement passes when every listed control passes (n/a aside), fails when one fails, and is waived when its only failures are under a waiver in force.",
  );
  doc.moveDown(0.3);
  note(`Limits: ${content.framework.limits}`);

  heading("Results");
  const totals = content.totals;
  text(
    `Audit pass rate over every control result: ${formatPercent(totals.auditPassRate)} (${totals.controlsPassed} passed, ${totals.controlsFailed} failed; ${totals.controlsWaived} waived and ${totals.controlsNotApplicable} n/a left out), the figure the audit pass rate KPI gives for this time and scope.`,
  );
  doc.moveDown(0.5);
  const header = ["Requirement", "Evidence", "Controls", "Pass", "Fail", "Waived", "n/a", "Pass rate"].map((label) => ({ text: label, font: { src: "Helvetica-Bold" }, backgroundColor: "#e2e8f0" }));
  doc.table({
    columnStyles: [width - 325, 50, 95, 30, 30, 40, 28, 52],
    defaultStyle: { padding: [2, 3], borderColor: "#cbd5e1", border: 0.5, textOptions: { lineGap: 0 } },
    data: [
      header,
      ...content.requirements.map((requirement) => [
        pdfText(`${requirement.id} ${requirement.title}`),
        requirement.evidence,
        requirement.controls.join(", "),
        String(requirement.passing),
        String(requirement.failing),
        String(requirement.waived),
        String(requirement.notApplicable),
        formatPercent(requirement.passRate),
      ]),
    ],
  });

  if (content.groups.length > 0) {
    heading(`By ${content.scope.by}`);
    const ids = content.requirements.map((requirement) => requirement.id);
    const groupColumn = Math.max(90, width - 60 - 60 - ids.length * 52);
    doc.table({
      columnStyles: [groupColumn, 60, 60, ...ids.map(() => Math.max(40, (width - groupColumn - 120) / Math.max(ids.length, 1)))],
      defaultStyle: { padding: [2, 3], borderColor: "#cbd5e1", border: 0.5 },
      data: [
        [content.scope.by === "owner" ? "Owner" : "Subscription", "Clusters", "Audit pass rate", ...ids].map((label) => ({ text: label, font: { src: "Helvetica-Bold" }, backgroundColor: "#e2e8f0" })),
        ...content.groups.map((group) => [
          pdfText(group.key),
          String(group.totals.clusters),
          formatPercent(group.totals.auditPassRate),
          ...group.requirements.map((requirement) => formatPercent(requirement.passRate)),
        ]),
      ],
    });
  }

  for (const requirement of content.requirements) {
    heading(`${requirement.id} ${requirement.title}`, 11);
    note(`Evidence: ${requirement.evidence}, by ${requirement.controls.map((id) => `${id} ${getControl(id as ControlId).title}`).join("; ")}. ${requirement.rationale}`);
    doc.moveDown(0.3);
    const failing = listedFailing(content, requirement.id);
    const waived = content.clusters.filter((cluster) => cluster.requirements[requirement.id] === "waived");
    text(`${requirement.passing} passing, ${requirement.failing} failing, ${requirement.waived} waived, ${requirement.notApplicable} without evidence (n/a): pass rate ${formatPercent(requirement.passRate)}.`);
    if (failing.length > 0) {
      doc.moveDown(0.3);
      doc.table({
        columnStyles: [width * 0.3, width * 0.2, width * 0.5],
        defaultStyle: { padding: [2, 3], borderColor: "#cbd5e1", border: 0.5, textOptions: { lineGap: 0 } },
        data: [
          ["Failing cluster", "Owner", "Failing controls"].map((label) => ({ text: label, font: { src: "Helvetica-Bold" }, backgroundColor: "#fee2e2" })),
          ...failing.slice(0, PDF_LIST_LIMIT).map((cluster) => [
            pdfText(`${cluster.name}${cluster.production ? " (production)" : ""}`),
            pdfText(cluster.owner),
            pdfText(
              cluster.controls
                .filter((control) => requirement.controls.includes(control.id) && control.outcome === "fail")
                .map((control) => `${control.id}: ${judgements.get(cluster.documents.evaluationSha256)?.get(control.id)?.reason ?? ""}`)
                .join(" "),
            ),
          ]),
        ],
      });
      if (failing.length > PDF_LIST_LIMIT) note(`…and ${failing.length - PDF_LIST_LIMIT} more failing clusters, every one in ${fileNames.csv}.`);
    }
    if (waived.length > 0) {
      doc.moveDown(0.3);
      doc.table({
        columnStyles: [width * 0.25, width * 0.08, width * 0.37, width * 0.3],
        defaultStyle: { padding: [2, 3], borderColor: "#cbd5e1", border: 0.5 },
        data: [
          ["Waived cluster", "Control", "Reason", "Approved by, until"].map((label) => ({ text: label, font: { src: "Helvetica-Bold" }, backgroundColor: "#fef3c7" })),
          ...waived.slice(0, PDF_LIST_LIMIT).flatMap((cluster) =>
            cluster.controls
              .filter((control) => requirement.controls.includes(control.id) && control.outcome === "waived" && control.waiver)
              .map((control) => [
                pdfText(cluster.name),
                control.id,
                pdfText(control.waiver?.reason ?? ""),
                pdfText(`${control.waiver?.approvedBy} on ${formatDate(control.waiver?.approvedAt ?? content.asOf)}, ${formatThrough(control.waiver?.expiresAt ?? content.asOf)}`),
              ]),
          ),
        ],
      });
      if (waived.length > PDF_LIST_LIMIT) note(`…and ${waived.length - PDF_LIST_LIMIT} more waived clusters, every one in ${fileNames.csv}.`);
    }
  }

  heading("Files of this pack");
  text(
    `${fileNames.csv}: one row per cluster, its control outcomes and its outcome per requirement. ${fileNames.json}: every control result with its evidence, the waiver and finding in force, and the SHA-256 of the stored source documents it was judged from. ` +
      `${fileNames.manifest}: the as-of time, the scope, the rules version and the SHA-256 of every other file. The same as-of time and scope give the same files, byte for byte.`,
  );

  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font("Helvetica").fontSize(8).fillColor(GREY);
    doc.text(pdfText(`${content.framework.label} · as of ${content.asOf} · page ${index + 1} of ${range.count}`), MARGIN, doc.page.height - 35, { width, align: "center", lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}
