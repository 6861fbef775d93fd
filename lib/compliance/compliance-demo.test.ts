import Papa from "papaparse";
import { unzipSync } from "fflate";
import { createHash } from "node:crypto";
import { extractText, getDocumentProxy } from "unpdf";
import { beforeAll, describe, expect, test } from "vitest";
import { getServerPostureConfig } from "@/lib/data/posture-config";
import { fillDemoStore } from "@/lib/demo/fill-demo-store";
import { getEnv } from "@/lib/env";
import { getKpiTrend } from "@/lib/kpi/get-kpi-trend";
import { getKpis } from "@/lib/kpi/get-kpis";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { endOfUtcDay, getHistoryBounds, resolveAsOf } from "./as-of";
import { buildEvidencePack, openEvidencePack, type EvidencePackRequest } from "./evidence-pack/build-evidence-pack";
import { evidenceCsv } from "./evidence-pack/evidence-csv";
import { buildPackContent, packHeader } from "./evidence-pack/pack-content";
import { FRAMEWORKS, findFramework } from "./frameworks";
import { getComplianceView } from "./get-compliance-view";
import { getControlResults } from "./get-control-results";
import { outcomesOf } from "./compliance-report";
import { getRequirementTrend } from "./get-requirement-trend";

// A small demo history: the compliance figures for a past day must be the KPIs of that day.
const db = setupTestDatabase();
const END_AT = new Date("2026-05-31T06:00:00Z");
const DAYS = 45;
const PAST_DAY = "2026-05-10";

beforeAll(async () => {
  await fillDemoStore(db, { clusters: 40, days: DAYS, seed: 7, endAt: END_AT, config: getServerPostureConfig(), env: getEnv() });
}, 300_000);

describe("compliance figures for a past day (demo history)", () => {
  test("the control totals are the audit pass rate KPI at the end of that day, for every scope", async () => {
    const owners = (await db.prisma.cluster.findMany({ distinct: ["owner"], select: { owner: true }, orderBy: { owner: "asc" } })).map((row) => row.owner);
    const subscriptions = (await db.prisma.subscription.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((row) => row.id);
    const scopes = [{}, { owner: owners[0] }, { owner: owners[1] }, { subscriptionId: subscriptions[0] }];
    for (const scope of scopes) {
      const view = await getComplianceView(db, { framework: "pci-dss", day: PAST_DAY, scope });
      const kpis = (await getKpis(db, { asOf: endOfUtcDay(PAST_DAY), scope })).groups[0];
      expect(view.asOf).toBe(`${PAST_DAY}T23:59:59.999Z`);
      expect(view.totals, JSON.stringify(scope)).toMatchObject({ clusters: kpis.clusters, controlsPassed: kpis.controlsPassed, controlsFailed: kpis.controlsFailed, auditPassRate: kpis.auditPassRate });
    }
    // And the KPI trend's point for that day says the same.
    const trend = await getKpiTrend(db, { fromDay: new Date(`${PAST_DAY}T00:00:00Z`), toDay: new Date(`${PAST_DAY}T00:00:00Z`) });
    const view = await getComplianceView(db, { framework: "cis-aks", day: PAST_DAY, scope: {} });
    expect(trend.at(-1)).toMatchObject({ day: PAST_DAY, clusters: view.totals.clusters, controlsPassed: view.totals.controlsPassed, controlsFailed: view.totals.controlsFailed, auditPassRate: view.totals.auditPassRate });
  });

  test("the history has waivers, and a waived failure is shown with its reason and approver, out of the pass rate", async () => {
    const waiver = await db.prisma.waiver.findFirstOrThrow({ orderBy: { id: "asc" } });
    const day = waiver.createdAt.toISOString().slice(0, 10);
    const clusters = await getControlResults(db, { at: endOfUtcDay(day), scope: {} });
    const cluster = clusters.find((item) => item.clusterId === waiver.clusterId);
    const control = cluster?.controls.find((item) => item.id === waiver.controlId);
    expect(control).toMatchObject({ status: "fail", outcome: "waived", waiver: { id: waiver.id, reason: waiver.reason, approvedBy: waiver.createdBy, expiresAt: waiver.expiresAt.toISOString() } });
    expect(control?.finding?.id).toBe(waiver.findingId);
    const kpis = (await getKpis(db, { asOf: endOfUtcDay(day) })).groups[0];
    const failed = clusters.flatMap((item) => item.controls).filter((item) => item.outcome === "fail").length;
    expect(failed).toBe(kpis.controlsFailed);
  });

  test("the requirement trend's point for a day is that day's requirement summary, for every framework", async () => {
    for (const framework of FRAMEWORKS) {
      const view = await getComplianceView(db, { framework: framework.id, day: PAST_DAY, scope: { productionOnly: true } });
      const trend = await getRequirementTrend(db, { framework, fromDay: "2026-05-01", toDay: PAST_DAY, scope: { productionOnly: true } });
      expect(trend.series.map((series) => series.id)).toEqual(framework.requirements.map((requirement) => requirement.id));
      for (const requirement of view.requirements) {
        const point = trend.series.find((series) => series.id === requirement.id)?.points.at(-1);
        expect(point, `${framework.id} ${requirement.id}`).toEqual({ day: PAST_DAY, passing: requirement.passing, failing: requirement.failing, waived: requirement.waived, notApplicable: requirement.notApplicable, passRate: requirement.passRate });
      }
      expect(view.requirements.every((requirement) => requirement.passing + requirement.failing + requirement.waived + requirement.notApplicable === view.totals.clusters)).toBe(true);
    }
  });

  test("each requirement lists its clusters per outcome, production first, with every listed cluster's evidence", async () => {
    const at = endOfUtcDay(PAST_DAY);
    const clusters = await getControlResults(db, { at, scope: {} });
    for (const framework of FRAMEWORKS.slice(0, 3)) {
      const view = await getComplianceView(db, { framework: framework.id, day: PAST_DAY, scope: {} });
      const ordered = [...clusters].sort((a, b) => Number(b.production) - Number(a.production) || a.owner.localeCompare(b.owner) || a.name.localeCompare(b.name) || a.key.localeCompare(b.key));
      for (const requirement of view.requirements) {
        const lists = Object.fromEntries(
          (["fail", "waived", "pass", "na"] as const).map((list) => [
            list,
            ordered
              .filter((cluster) => outcomesOf(framework, cluster)[requirement.id] === (list === "na" ? "n/a" : list))
              .map((cluster) => ({
                clusterId: cluster.clusterId,
                controls: cluster.controls.filter((control) => requirement.controls.includes(control.id)).map(({ id, status, outcome, reason }) => ({ id, status, outcome, reason })),
              })),
          ]),
        );
        const shown = Object.fromEntries(
          Object.entries(requirement.clusters).map(([list, items]) => [list, items.map((item) => ({ clusterId: item.clusterId, controls: item.controls.map(({ id, status, outcome, reason }) => ({ id, status, outcome, reason })) }))]),
        );
        expect(shown, `${framework.id} ${requirement.id}`).toEqual(lists);
      }
      expect(view.requirements.some((requirement) => requirement.clusters.fail.length > 0)).toBe(true);
    }
  });

  test("every cluster in force has its snapshot's evidence and document hashes", async () => {
    const clusters = await getControlResults(db, { at: endOfUtcDay(PAST_DAY), scope: {} });
    expect(clusters.length).toBeGreaterThan(20);
    for (const cluster of clusters) {
      expect(new Date(cluster.snapshot.capturedAt).getTime()).toBeLessThanOrEqual(endOfUtcDay(PAST_DAY).getTime());
      expect(cluster.documents.clusterSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(cluster.controls.map((control) => control.id)).toEqual(["NP-01", "NP-02", "NP-03", "NP-04", "NP-05", "NP-06", "NP-07"]);
      expect(cluster.controls.every((control) => control.reason.length > 0)).toBe(true);
      const snapshot = await db.prisma.snapshot.findUniqueOrThrow({ where: { id: BigInt(cluster.snapshot.id) } });
      expect([snapshot.np01, snapshot.np02, snapshot.np03, snapshot.np04, snapshot.np05, snapshot.np06, snapshot.np07].map((s) => (s === "na" ? "n/a" : s))).toEqual(cluster.controls.map((control) => control.status));
    }
    expect([...clusters.map((cluster) => cluster.key)]).toEqual([...clusters.map((cluster) => cluster.key)].sort());
  });

  test("a day before the history names its first day; an unknown framework lists the known ones", async () => {
    await expect(getComplianceView(db, { framework: "pci-dss", day: "2025-01-01", scope: {} })).rejects.toThrow(/asOf: 2025-01-01 is before the history, which starts on 2026-04-1\d/);
    await expect(getComplianceView(db, { framework: "pci", day: PAST_DAY, scope: {} })).rejects.toThrow(/framework: unknown framework "pci"; known: cis-kubernetes, cis-aks, pci-dss, soc2, hipaa, nist-800-53, iso-27001/);
    expect(findFramework("pci-dss")?.version).toBe("v4.0.1");
  });
});

describe("the evidence pack", () => {
  const unpack = (zip: Uint8Array) => unzipSync(zip);
  const textOf = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

  test("holds the PDF, CSV, JSON, README and a manifest whose digests match, and its figures are the KPIs of that day", async () => {
    const pack = await buildEvidencePack(db, { framework: "pci-dss", day: PAST_DAY, scope: {} });
    expect(pack.fileName).toBe(`bulkhead-evidence-pci-dss-${PAST_DAY}.zip`);
    const entries = unpack(pack.zip);
    const folder = `bulkhead-evidence-pci-dss-${PAST_DAY}`;
    expect(Object.keys(entries)).toEqual(["README.txt", "summary.pdf", "clusters.csv", "controls.json", "manifest.json"].map((name) => `${folder}/${name}`));
    const manifest = JSON.parse(textOf(entries[`${folder}/manifest.json`]));
    expect(manifest).toMatchObject({ format: "bulkhead-evidence-pack/1", asOf: `${PAST_DAY}T23:59:59.999Z`, rulesVersion: 2, framework: { id: "pci-dss", version: "v4.0.1" } });
    expect(manifest.files.map((file: { name: string }) => file.name)).toEqual(["README.txt", "summary.pdf", "clusters.csv", "controls.json"]);
    for (const file of manifest.files as { name: string; sha256: string; bytes: number }[]) {
      const bytes = entries[`${folder}/${file.name}`];
      expect(createHash("sha256").update(bytes).digest("hex"), file.name).toBe(file.sha256);
      expect(bytes.byteLength).toBe(file.bytes);
    }

    const kpis = (await getKpis(db, { asOf: endOfUtcDay(PAST_DAY) })).groups[0];
    expect(manifest).toMatchObject({ clusters: kpis.clusters, auditPassRate: kpis.auditPassRate });
    const json = JSON.parse(textOf(entries[`${folder}/controls.json`]));
    expect(json.totals).toMatchObject({ clusters: kpis.clusters, controlsPassed: kpis.controlsPassed, controlsFailed: kpis.controlsFailed, auditPassRate: kpis.auditPassRate });
    expect(json.clusters).toHaveLength(kpis.clusters);
    const raw = await db.prisma.rawDocument.findUniqueOrThrow({ where: { hash: json.clusters[0].documents.clusterSha256 } });
    expect(raw.kind).toBe("cluster");
    expect(json.clusters[0].controls[0]).toMatchObject({ id: "NP-01", name: "policy-engine-enabled" });

    const csv = Papa.parse<Record<string, string>>(textOf(entries[`${folder}/clusters.csv`]), { header: true, skipEmptyLines: true });
    expect(csv.data).toHaveLength(kpis.clusters);
    expect(csv.meta.fields).toEqual(expect.arrayContaining(["cluster", "resource_id", "NP-01", "NP-07", "requirement 1.3.1", "requirement 1.4.2", "cluster_document_sha256"]));
    for (const requirement of json.requirements as { id: string; passing: number; failing: number }[]) {
      expect(csv.data.filter((row) => row[`requirement ${requirement.id}`] === "pass")).toHaveLength(requirement.passing);
      expect(csv.data.filter((row) => row[`requirement ${requirement.id}`] === "fail")).toHaveLength(requirement.failing);
    }
    const passedInCsv = csv.data.flatMap((row) => ["NP-01", "NP-02", "NP-03", "NP-04", "NP-05", "NP-06", "NP-07"].map((id) => row[id])).filter((value) => value === "pass").length;
    expect(passedInCsv).toBe(kpis.controlsPassed);

    const pdf = await extractText(await getDocumentProxy(new Uint8Array(entries[`${folder}/summary.pdf`])), { mergePages: true });
    expect(pdf.text).toContain("PCI DSS v4.0.1");
    expect(pdf.text).toContain(`${kpis.auditPassRate?.toFixed(1)}%`);
    expect(pdf.text).toMatch(/1\.3\.1 Inbound traffic to the CDE is restricted/);
    expect(pdf.text).toMatch(/page 1 of \d+/);
  });

  test("two builds of the same request give the same bytes, in any time zone; another scope gives another pack", async () => {
    const request = { framework: "soc2", day: PAST_DAY, scope: { productionOnly: true }, by: "owner" as const };
    const zone = process.env.TZ;
    try {
      process.env.TZ = "UTC";
      const first = await buildEvidencePack(db, request);
      process.env.TZ = "America/Los_Angeles";
      const second = await buildEvidencePack(db, request);
      expect(second.files).toEqual(first.files);
      expect(Buffer.from(second.zip).equals(Buffer.from(first.zip))).toBe(true);
      const other = await buildEvidencePack(db, { ...request, scope: {} });
      expect(other.files.find((file) => file.name === "controls.json")?.sha256).not.toBe(first.files.find((file) => file.name === "controls.json")?.sha256);
      expect(first.fileName).toBe(`bulkhead-evidence-soc2-${PAST_DAY}-production-by-owner.zip`);
      expect(first.content.groups.length).toBeGreaterThan(1);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  /**
   * controls.json as it was made before it streamed: every cluster's results with their evidence in
   * memory, then one JSON.stringify of the whole document.
   */
  async function wholeDocumentFiles(request: EvidencePackRequest) {
    const asOf = resolveAsOf({ day: request.day }, await getHistoryBounds(db), "asOf");
    const clusters = await getControlResults(db, { at: asOf.at, scope: request.scope });
    const content = buildPackContent({ framework: findFramework(request.framework)!, asOf, scope: request.scope, by: request.by ?? "all", clusters });
    const document = {
      format: "bulkhead-evidence/1",
      framework: content.framework,
      ...packHeader(content),
      totals: content.totals,
      requirements: content.requirements,
      groups: content.groups,
      clusters: content.clusters.map((cluster, index) => ({
        key: cluster.key,
        name: cluster.name,
        resourceGroup: cluster.resourceGroup,
        subscriptionId: cluster.subscriptionId,
        owner: cluster.owner,
        production: cluster.production,
        engine: cluster.engine,
        snapshot: cluster.snapshot,
        documents: cluster.documents,
        requirements: cluster.requirements,
        controls: clusters[index].controls,
      })),
    };
    return { json: `${JSON.stringify(document, null, 2)}\n`, csv: evidenceCsv(content), clusters: clusters.length };
  }

  test("controls.json streams page by page with the text of one JSON.stringify of the whole document; the bytes do not depend on the page size", async () => {
    const owner = (await db.prisma.cluster.findFirstOrThrow({ orderBy: { key: "asc" } })).owner;
    const requests: EvidencePackRequest[] = [
      { framework: "pci-dss", day: PAST_DAY, scope: {} },
      { framework: "soc2", day: PAST_DAY, scope: { productionOnly: true }, by: "owner" },
      { framework: "hipaa", day: PAST_DAY, scope: { owner } },
      // No cluster in scope: the document's empty array.
      { framework: "iso-27001", day: PAST_DAY, scope: { owner: "nobody-owns-this" } },
    ];
    for (const request of requests) {
      const expected = await wholeDocumentFiles(request);
      const label = JSON.stringify(request.scope);
      // Pages of 7 clusters: many pages, and a last one that is not full.
      const paged = await buildEvidencePack(db, request, { framework: "framework", asOf: "asOf", evidencePageSize: 7 });
      const folder = paged.fileName.replace(/\.zip$/, "");
      const entries = unpack(paged.zip);
      expect(textOf(entries[`${folder}/controls.json`]), label).toBe(expected.json);
      expect(textOf(entries[`${folder}/clusters.csv`]), label).toBe(expected.csv);
      expect(paged.content.totals.clusters).toBe(expected.clusters);
      const whole = await buildEvidencePack(db, request);
      expect(Buffer.from(whole.zip).equals(Buffer.from(paged.zip)), label).toBe(true);
      // A reader that takes its time gets the same bytes, to the central directory.
      const slow: Uint8Array[] = [];
      for await (const chunk of (await openEvidencePack(db, request)).chunks) {
        slow.push(chunk);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(Buffer.concat(slow).equals(Buffer.from(whole.zip)), label).toBe(true);
    }
    expect((await wholeDocumentFiles(requests[0])).clusters).toBeGreaterThan(14);
    expect((await wholeDocumentFiles(requests[3])).clusters).toBe(0);
  });

  test("a store failing while controls.json streams ends the stream with the error, and what was sent is not a ZIP", async () => {
    const pack = await openEvidencePack(db, { framework: "pci-dss", day: PAST_DAY, scope: {} }, { framework: "framework", asOf: "asOf", evidencePageSize: 5 });
    const query = db.pool.query.bind(db.pool);
    let evidenceReads = 0;
    const failing = ((...args: Parameters<typeof db.pool.query>) => {
      if (String(args[0]).includes("FROM evaluations") && ++evidenceReads === 3) return Promise.reject(new Error("connection lost"));
      return (query as (...rest: unknown[]) => unknown)(...args);
    }) as typeof db.pool.query;
    db.pool.query = failing;
    const sent: Uint8Array[] = [];
    try {
      await expect(
        (async () => {
          for await (const chunk of pack.chunks) sent.push(chunk);
        })(),
      ).rejects.toThrow("connection lost");
    } finally {
      db.pool.query = query;
    }
    expect(evidenceReads).toBe(3);
    // The PDF and CSV went out before the failure; without the central directory nothing unzips.
    expect(Buffer.concat(sent).byteLength).toBeGreaterThan(1_000);
    expect(() => unpack(new Uint8Array(Buffer.concat(sent)))).toThrow();
    expect(pack.files.map((file) => file.name)).toEqual(["README.txt", "summary.pdf", "clusters.csv"]);
  });

  test("what is refused is refused before the first byte", async () => {
    await expect(openEvidencePack(db, { framework: "pci", day: PAST_DAY, scope: {} })).rejects.toThrow(/framework: unknown framework "pci"/);
    await expect(openEvidencePack(db, { framework: "pci-dss", day: "2025-01-01", scope: {} }, { framework: "--framework", asOf: "--as-of" })).rejects.toThrow(/--as-of: 2025-01-01 is before the history/);
  });
});
