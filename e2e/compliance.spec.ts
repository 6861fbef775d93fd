import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import Papa from "papaparse";
import { extractText, getDocumentProxy } from "unpdf";
import type { APIRequestContext } from "@playwright/test";
import type { ComplianceSummary } from "../lib/compliance/get-compliance-view";
import { expect, expectAccessible, runBulkhead, saveScreenshot, storageStateFor, test } from "./fixtures";

// The Compliance page and its evidence pack on the demo estate (60 clusters, 200 days of history).

const DAY_MS = 86_400_000;
const dayBefore = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);

async function view(request: APIRequestContext, query: string): Promise<ComplianceSummary> {
  const response = await request.get(`/api/compliance?${query}`);
  expect(response.status(), query).toBe(200);
  return (await response.json()) as ComplianceSummary;
}

/** A past day on which some failure of the framework's requirements was under a waiver (the demo waives a few). */
async function dayWithWaiver(request: APIRequestContext, framework: string): Promise<{ day: string; requirement: string }> {
  for (let days = 1; days < 200; days += 6) {
    const answer = await view(request, `framework=${framework}&asOf=${dayBefore(days)}`);
    const requirement = answer.requirements.find((item) => item.waived > 0);
    if (requirement) return { day: answer.day, requirement: requirement.id };
  }
  throw new Error("the demo history has no waiver in force on any day sampled");
}

test.describe("Compliance", () => {
  test("a past day: the figures are that day's KPIs, the requirements list their clusters with evidence; keyboard only", async ({ page }) => {
    const day = dayBefore(30);
    await page.goto("/compliance");
    await expect(page.getByRole("heading", { level: 1, name: "Compliance" })).toBeVisible();
    await expect(page.getByRole("combobox", { name: "Framework" })).toHaveValue("pci-dss");
    // Pick the day in the date field from the keyboard.
    const date = page.getByLabel("As of the end of");
    await date.focus();
    await date.fill(day);
    await expect(page).toHaveURL(new RegExp(`asOf=${day}`));
    await expect(page.getByText(/PCI DSS v4\.0\.1 as of the end of/)).toBeVisible();

    const kpis = await runBulkhead(["kpis", "--as-of", `${day}T23:59:59.999Z`, "--json"]);
    expect(kpis.code, kpis.stderr).toBe(0);
    const all = JSON.parse(kpis.stdout).groups[0] as { clusters: number; auditPassRate: number | null };
    const figures = page.locator("p", { hasText: /^Audit pass rate$/ }).locator("..");
    await expect(figures).toContainText(`${all.auditPassRate?.toFixed(1)}%`);
    await expect(page.locator("p", { hasText: /^Clusters in scope$/ }).locator("..")).toContainText(String(all.clusters));

    const requirements = page.getByRole("list", { name: "Requirements" }).getByRole("button");
    await expect(requirements).toHaveCount(5);
    await expect(requirements.nth(1)).toContainText("1.3.1");
    await expect(requirements.nth(1)).toContainText("Partly evidenced");
    // Open 1.3.2 with the keyboard: focus its row, Enter.
    await requirements.nth(2).focus();
    await page.keyboard.press("Enter");
    await expect(requirements.nth(2)).toHaveAttribute("aria-pressed", "true");
    await expect(page).toHaveURL(/requirement=1\.3\.2/);
    const detail = page.locator("#requirement-detail");
    await expect(detail.getByRole("heading", { name: "Requirement 1.3.2" })).toBeVisible();
    await expect(detail).toContainText("Evidenced by NP-01, NP-03, NP-05, NP-06.");
    const failing = detail.getByRole("list", { name: "Failing clusters for 1.3.2" });
    await expect(failing.locator(":scope > li").first()).toBeVisible();
    await expect(failing.locator(":scope > li").first()).toContainText(/NP-0[1356]/);
    // The outcome lists are radio buttons: arrow keys move between them.
    await detail.getByRole("radio", { name: /^Failing/ }).focus();
    await page.keyboard.press("ArrowRight");
    await expect(detail.getByRole("radio", { name: /^Waived/ })).toBeChecked();
    await page.keyboard.press("ArrowRight");
    await expect(detail.getByRole("radio", { name: /^Passing/ })).toBeChecked();

    // The trend chart has axes with units and one line per requirement.
    const chart = page.getByRole("img", { name: /^Pass rate per requirement of pci-dss, daily from/ });
    await expect(chart).toBeVisible();
    // First drawn without the chart library; pointed at, drawn by it (for the tooltip): the same axes either way.
    for (const drawn of ["static", "recharts"] as const) {
      if (drawn === "recharts") await chart.hover();
      await expect(drawn === "static" ? chart.locator("[data-static-line]") : chart.locator(".recharts-line")).toHaveCount(5);
      await expect(chart.getByText("Pass rate (%)", { exact: true })).toBeVisible();
      for (const tick of ["0%", "25%", "50%", "75%", "100%"]) await expect(chart.getByText(tick, { exact: true })).toBeVisible();
      await expect(chart.getByText(/^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)$/).filter({ visible: true }).first()).toBeVisible();
    }
    await expect(chart.locator(".recharts-label", { hasText: "Pass rate (%)" })).toBeVisible();
    await expectAccessible(page);
    await saveScreenshot(page, "compliance");
  });

  test("another framework, production only: the CIS AKS items, and a waived failure shows its reason and approver", async ({ page, request }) => {
    const { day, requirement } = await dayWithWaiver(request, "cis-aks");
    await page.goto(`/compliance?framework=cis-aks&asOf=${day}`);
    const requirements = page.getByRole("list", { name: "Requirements" }).getByRole("button");
    await expect(requirements).toHaveCount(3);
    await expect(requirements.nth(2)).toContainText("5.4.4");
    await expect(requirements.nth(2)).toContainText("Fully evidenced");
    await requirements.filter({ hasText: requirement }).first().click();
    const detail = page.locator("#requirement-detail");
    await detail.getByRole("radio", { name: /^Waived/ }).check();
    const waived = detail.getByRole("list", { name: `Waived clusters for ${requirement}` }).locator(":scope > li").first();
    await expect(waived).toContainText(/Waived by \S+@\S+ on \d{1,2} \w{3} \d{4}, through \d{1,2} \w{3} \d{4}: ./);
    await expect(waived.getByRole("link", { name: /^Finding #\d+$/ })).toBeVisible();

    const before = await view(request, `framework=cis-aks&asOf=${day}`);
    await page.getByRole("checkbox", { name: "Production only" }).check();
    await expect(page).toHaveURL(/production=true/);
    const production = await view(request, `framework=cis-aks&asOf=${day}&production=true`);
    expect(production.totals.clusters).toBeLessThan(before.totals.clusters);
    await expect(page.locator("p", { hasText: /^Clusters in scope$/ }).locator("..")).toContainText(`${production.totals.clusters}`);
    await expect(page.locator("p", { hasText: /^Clusters in scope$/ }).locator("..")).toContainText("production clusters only");
  });

  test("the evidence pack downloads as one ZIP whose files match its manifest and the page, byte for byte what the CLI writes", async ({ page }) => {
    const day = dayBefore(45);
    await page.goto(`/compliance?framework=soc2&asOf=${day}&by=owner`);
    await expect(page.locator("p").filter({ hasText: /^SOC 2 Trust Services Criteria 2017 .* as of the end of/ })).toBeVisible();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /^Download ZIP/ }).click()]);
    expect(download.suggestedFilename()).toBe(`bulkhead-evidence-soc2-${day}-by-owner.zip`);
    const zip = new Uint8Array(await readFile((await download.path())!));
    const folder = `bulkhead-evidence-soc2-${day}-by-owner`;
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(["README.txt", "clusters.csv", "controls.json", "manifest.json", "summary.pdf"].map((name) => `${folder}/${name}`));
    const manifest = JSON.parse(new TextDecoder().decode(files[`${folder}/manifest.json`]));
    expect(manifest).toMatchObject({ asOf: `${day}T23:59:59.999Z`, rulesVersion: 2, scope: { by: "owner", productionOnly: false } });
    for (const file of manifest.files as { name: string; sha256: string }[]) {
      expect(createHash("sha256").update(files[`${folder}/${file.name}`]).digest("hex"), file.name).toBe(file.sha256);
    }
    const figure = page.locator("p", { hasText: /^Audit pass rate$/ }).locator("..");
    await expect(figure).toContainText(`${manifest.auditPassRate.toFixed(1)}%`);
    const csv = Papa.parse<Record<string, string>>(new TextDecoder().decode(files[`${folder}/clusters.csv`]), { header: true, skipEmptyLines: true });
    expect(csv.data).toHaveLength(manifest.clusters);
    expect(csv.meta.fields).toEqual(expect.arrayContaining(["requirement CC6.1", "requirement CC6.6", "requirement CC6.7"]));
    const pdf = await extractText(await getDocumentProxy(new Uint8Array(files[`${folder}/summary.pdf`])), { mergePages: true });
    expect(pdf.text).toContain("CC6.6");
    expect(pdf.text).toContain("By owner");

    // The same request from the CLI writes the same bytes.
    const work = await mkdtemp(path.join(tmpdir(), "bulkhead-e2e-evidence-"));
    try {
      const out = path.join(work, "pack.zip");
      const cli = await runBulkhead(["evidence", "--framework", "soc2", "--as-of", day, "--by", "owner", "--out", out]);
      expect(cli.code, cli.stderr).toBe(0);
      expect(Buffer.from(await readFile(out)).equals(Buffer.from(zip))).toBe(true);
      const again = await runBulkhead(["evidence", "--framework", "soc2", "--as-of", day, "--by", "owner", "--out", out]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain(`--out: ${out} exists; pass --force to overwrite it`);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  test("the page carries the requirements and one page of the open requirement's evidence; the rest comes when opened (issue 20)", async ({ page, request }) => {
    const response = await page.request.get("/compliance?framework=pci-dss");
    expect(response.status()).toBe(200);
    const html = await response.text();
    // Each cluster's evidence names its snapshot's time once: at most the first page of one list is embedded.
    const embedded = html.split('capturedAt\\":').length - 1;
    expect(embedded).toBeGreaterThan(0);
    expect(embedded).toBeLessThanOrEqual(20);
    expect(Buffer.byteLength(html)).toBeLessThan(300_000);

    // A list longer than a page: its first page comes when it is opened, the next with "Show more".
    const summary = await view(request, "framework=pci-dss");
    const long = summary.requirements.flatMap((item) => [
      { id: item.id, list: "fail", label: "Failing", count: item.failing },
      { id: item.id, list: "pass", label: "Passing", count: item.passing },
    ]).find((item) => item.count > 20);
    expect(long, "a requirement with more than 20 clusters in a list").toBeDefined();
    await page.goto(`/compliance?framework=pci-dss&requirement=${long!.id}`);
    const detail = page.locator("#requirement-detail");
    await expect(detail.getByRole("heading", { name: `Requirement ${long!.id}` })).toBeVisible();
    const radio = detail.getByRole("radio", { name: new RegExp(`^${long!.label}`) });
    if (!(await radio.isChecked())) {
      const opened = page.waitForResponse((answer) => answer.url().includes("/api/compliance/evidence?") && answer.url().includes(`list=${long!.list}`));
      await radio.check();
      expect((await opened).status()).toBe(200);
    }
    const clusters = detail.getByRole("list", { name: `${long!.label} clusters for ${long!.id}` }).locator(":scope > li");
    await expect(clusters.first()).toContainText(/NP-\d\d/);
    await expect(clusters).toHaveCount(20);
    await detail.getByRole("button", { name: `Show ${Math.min(20, long!.count - 20)} more` }).click();
    await expect(clusters).toHaveCount(Math.min(long!.count, 40));
    await expect(detail).toContainText(`${Math.min(long!.count, 40)} of ${long!.count} shown`);
  });

  test("bad addresses say what is wrong: a day before the history names its first day, an unknown framework lists the known ones", async ({ page }) => {
    await page.goto("/compliance?asOf=2001-01-01");
    await expect(page.getByRole("alert").first()).toContainText(/asOf: 2001-01-01 is before the history, which starts on \d{4}-\d{2}-\d{2}/);
    await page.goto("/compliance?framework=pci");
    await expect(page.getByRole("alert").first()).toContainText('unknown framework "pci"; known: cis-kubernetes, cis-aks, pci-dss, soc2, hipaa, nist-800-53, iso-27001');
  });

  test.describe("as a viewer", () => {
    test.use({ storageState: storageStateFor("viewer") });

    test("reads the page without the download, and the pack's API refuses the role; on a phone nothing overflows", async ({ page, request }) => {
      await page.goto("/compliance");
      await expect(page.getByRole("list", { name: "Requirements" })).toBeVisible();
      await expect(page.getByRole("link", { name: /^Download ZIP/ })).toHaveCount(0);
      await expect(page.getByText("Your role (viewer) cannot export; finops, security and admin accounts can.")).toBeVisible();
      const refused = await request.get("/api/compliance/evidence-pack?framework=pci-dss");
      expect(refused.status()).toBe(403);

      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto("/compliance?framework=hipaa");
      await expect(page.getByRole("list", { name: "Requirements" }).getByRole("button")).toHaveCount(2);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await saveScreenshot(page, "compliance-phone");
    });
  });
});
