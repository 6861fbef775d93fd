import { performance } from "node:perf_hooks";
import { Zip, ZipDeflate } from "fflate";
import { openDatabase } from "@/lib/db/client";
import { getHistoryBounds, resolveAsOf } from "@/lib/compliance/as-of";
import { getControlOutcomes, readJudgements, getControlResults } from "@/lib/compliance/get-control-results";
import { buildPackContent } from "@/lib/compliance/evidence-pack/pack-content";
import { evidenceJsonCluster, evidenceJsonStart } from "@/lib/compliance/evidence-pack/evidence-json";
import { evidencePdf, pdfEvaluationHashes } from "@/lib/compliance/evidence-pack/evidence-pdf";
import { evidenceCsv } from "@/lib/compliance/evidence-pack/evidence-csv";
import { findFramework } from "@/lib/compliance/frameworks";
import { openEvidencePack } from "@/lib/compliance/evidence-pack/build-evidence-pack";

const db = await openDatabase();
const t = () => performance.now();
const log = (what: string, ms: number, extra = "") => console.log(`${what.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms ${extra}`);
try {
  for (let round = 0; round < 2; round++) {
    console.log(`-- round ${round}`);
    const asOf = resolveAsOf({ day: "2026-12-06" }, await getHistoryBounds(db), "asOf");
    let s = t();
    const clusters = await getControlOutcomes(db, { at: asOf.at, scope: {} });
    log("getControlOutcomes", t() - s, `${clusters.length}`);
    s = t();
    const content = buildPackContent({ framework: findFramework("pci-dss")!, asOf, scope: {}, by: "all", clusters });
    log("content", t() - s);
    s = t();
    const pj = await readJudgements(db, pdfEvaluationHashes(content));
    log("pdf judgements", t() - s, `${pj.size}`);
    s = t();
    await evidencePdf(content, { csv: "c", json: "j", manifest: "m" }, pj);
    log("pdf", t() - s);
    s = t();
    evidenceCsv(content);
    log("csv", t() - s);
    let read = 0, prisma = 0, text = 0, encode = 0;
    const pieces: Buffer[] = [];
    let hashes = 0;
    for (let start = 0; start < content.clusters.length; start += 500) {
      const page = content.clusters.slice(start, start + 500);
      s = t();
      const j = await readJudgements(db, page.map((c) => c.documents.evaluationSha256));
      read += t() - s; hashes += j.size;
      s = t();
      await db.prisma.$queryRaw`SELECT hash, controls FROM evaluations WHERE hash = ANY(${[...new Set(page.map((c) => c.documents.evaluationSha256))]})`;
      prisma += t() - s;
      s = t();
      const str = page.map((c, i) => evidenceJsonCluster(c, j, start + i === 0)).join("");
      text += t() - s;
      s = t();
      pieces.push(Buffer.from(str));
      encode += t() - s;
    }
    log("evidence read (pool, text+parse)", read, `${hashes} evaluations`);
    log("evidence read (prisma, same)", prisma);
    log("json text", text);
    log("utf8", encode);
    const json = Buffer.concat([Buffer.from(evidenceJsonStart(content)), ...pieces]);
    for (const level of [1, 3, 6] as const) {
      s = t();
      let size = 0;
      const zip = new Zip((_e, c) => { size += c.length; });
      const f = new ZipDeflate("x", { level });
      zip.add(f);
      for (let o = 0; o < json.length; o += 65536) f.push(json.subarray(o, o + 65536), o + 65536 >= json.length);
      zip.end();
      log(`deflate level ${level}`, t() - s, `${size} bytes of ${json.length}`);
    }
    s = t();
    const pack = await openEvidencePack(db, { framework: "pci-dss", day: "2026-12-06", scope: {} });
    const first = t() - s;
    let bytes = 0;
    for await (const c of pack.chunks) bytes += c.length;
    log("openEvidencePack (first byte)", first);
    log("whole pack streamed", t() - s, `${bytes} bytes`);
    s = t();
    await getControlResults(db, { at: asOf.at, scope: {} });
    log("old getControlResults (all evidence)", t() - s);
  }
} finally {
  await db.close();
}
