import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import Papa from "papaparse";
import { makeInCluster } from "../testing/estate-builders";
import { expect, expectAccessible, runBulkhead, saveScreenshot, storageStateFor, test } from "./fixtures";
import { seedEstate } from "./support/store";

// The security manager's workflow on the demo estate (60 clusters, 200 days: findings months past
// their SLA): extensions that keep the breach on record, several values per filter, select all
// matching with an undo, exports of exactly the list, links between findings and clusters.
test.use({ storageState: storageStateFor("security") });

const DAY_MS = 86_400_000;
const utcDay = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
const dayText = (iso: string) => {
  const date = new Date(iso);
  return `${date.getUTCDate()} ${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][date.getUTCMonth()]} ${date.getUTCFullYear()}`;
};

const table = (page: Page) => page.getByRole("region", { name: "Findings table" });
const bodyRows = (page: Page) => table(page).locator("tbody tr");
const statusTabs = (page: Page) => page.getByRole("navigation", { name: "Finding status" });
const trailEvents = (page: Page) => page.getByRole("list", { name: "Audit trail, oldest first" }).locator(":scope > li");

interface ApiRow {
  id: number;
  controlId: string;
  severity: string;
  owner: string;
  status: string;
  slaDueAt: string;
  slaBreached: boolean;
  clusterId: number;
}
interface ApiPage {
  rows: ApiRow[];
  total: number;
  counts: { open: number; overdue: number; waived: number; resolved: number };
}

async function api(page: Page, search: string): Promise<ApiPage> {
  const response = await page.request.get(`/api/findings${search}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as ApiPage;
}

async function tabCount(page: Page, label: string): Promise<number> {
  const text = await statusTabs(page).getByRole("link", { name: new RegExp(`^${label}`) }).innerText();
  return Number(text.replace(/[^0-9]/g, ""));
}

test.describe("SLA breaches stay on record", () => {
  test("a later due date needs a reason; the finding is Open again but its SLA breach stays, on the finding, in the trail and on the Overview", async ({ page }) => {
    const overdue = await api(page, "?status=overdue&assignee=(unassigned)&control=NP-05&sort=due&pageSize=5");
    const target = overdue.rows[0];
    expect(target.slaBreached).toBe(true);
    await page.goto(`/findings/${target.id}`);
    await expect(page.getByTestId("sla-story")).toContainText(`Breached its SLA on ${dayText(new Date(new Date(target.slaDueAt).getTime() - 1).toISOString())}`);
    const eventsBefore = await trailEvents(page).count();

    const assign = page.getByRole("form", { name: "Assign" });
    await assign.getByLabel("Assignee").fill("team-e2e-extension");
    await assign.getByLabel(/^Due date/).fill(utcDay(20));
    // No reason: refused with the field's label, nothing changes.
    await assign.getByRole("button", { name: "Save assignment" }).click();
    await expect(assign.getByRole("alert")).toHaveText(/^Reason for a later due date: say why the due date moves later/);
    await expect(trailEvents(page)).toHaveCount(eventsBefore);

    await assign.getByLabel(/^Reason for a later due date/).fill("Vendor patch for the IMDS proxy ships in three weeks");
    await assign.getByRole("button", { name: "Save assignment" }).click();
    await expect(assign.getByRole("status")).toHaveText(`Assigned to team-e2e-extension, due through ${dayText(`${utcDay(20)}T00:00:00Z`)}.`);
    await expect(page.getByText("Open", { exact: true }).first()).toBeVisible();
    await expect(page.getByTestId("sla-story")).toHaveText(
      `✗ Breached its SLA on ${dayText(new Date(new Date(target.slaDueAt).getTime() - 1).toISOString())}, extended to ${dayText(`${utcDay(20)}T00:00:00Z`)} by security@demo.bulkhead.local (Vendor patch for the IMDS proxy ships in three weeks).`,
    );
    await expect(trailEvents(page).last()).toContainText(/Due date moved later: through .* → through .* \(past the SLA due date/);
    await expect(trailEvents(page).last()).toContainText("Vendor patch for the IMDS proxy ships in three weeks");
    await expectAccessible(page);
    await saveScreenshot(page, "finding-extended");

    // The Findings page no longer lists it as overdue, but the SLA-breached filter does.
    const after = await api(page, `?status=active&sla=breached&owner=${encodeURIComponent(target.owner)}&pageSize=200`);
    expect(after.rows.find((row) => row.id === target.id)).toMatchObject({ status: "open", slaBreached: true });
    // The Overview still counts it against its owner, as extended.
    const breaches = (await (await page.request.get(`/api/findings/overdue-by-owner?owner=${encodeURIComponent(target.owner)}`)).json()) as { owners: { owner: string; extended: number }[] };
    expect(breaches.owners[0]).toMatchObject({ owner: target.owner, extended: expect.any(Number) });
    expect(breaches.owners[0].extended).toBeGreaterThanOrEqual(1);
    await page.goto(`/?owner=${encodeURIComponent(target.owner)}`);
    await expect(page.getByRole("region", { name: "SLA breaches by owner" })).toContainText(/\d+ extended/);
  });
});

test.describe("Findings list filters and bulk actions", () => {
  test("Critical + High in one click; several controls; the tab counts follow every filter", async ({ page }) => {
    await page.goto("/findings");
    await expect(bodyRows(page).first()).toBeVisible();
    const activeAll = await tabCount(page, "Active");
    // The filter (its label, then what is chosen), not the Severity column's sort button.
    await page.getByRole("button", { name: "Severity Any severity", exact: true }).click();
    await page.getByRole("button", { name: "Critical + High" }).click();
    await expect(page).toHaveURL(/[?&]severity=critical%2Chigh/);
    await expect.poll(async () => (await bodyRows(page).locator("td:nth-child(4)").allInnerTexts()).every((text) => /^(critical|high)$/i.test(text.trim()))).toBe(true);
    const filtered = await api(page, "?severity=critical,high");
    await expect.poll(() => tabCount(page, "Active")).toBe(filtered.counts.open + filtered.counts.overdue + filtered.counts.waived);
    expect(await tabCount(page, "Overdue")).toBe(filtered.counts.overdue);
    expect(await tabCount(page, "Active")).toBeLessThan(activeAll);

    await page.getByRole("button", { name: /^Control/ }).click();
    await page.getByRole("checkbox", { name: /^NP-01:/ }).check();
    await page.getByRole("checkbox", { name: /^NP-05:/ }).check();
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(/[?&]control=NP-01%2CNP-05/);
    await expect.poll(async () => (await bodyRows(page).locator("td:nth-child(2) a").allInnerTexts()).every((text) => /^NP-0[15] /.test(text))).toBe(true);
    const both = await api(page, "?severity=critical,high&control=NP-01,NP-05");
    await expect.poll(() => tabCount(page, "Active")).toBe(both.counts.open + both.counts.overdue + both.counts.waived);
    await expect(page.getByRole("button", { name: /^Control/ })).toContainText("NP-01: Network policy engine enabled + NP-05");
    await expectAccessible(page);
    await saveScreenshot(page, "findings-multi-filter");
    // A value the API does not know is a 400 naming the parameter.
    const bad = await page.request.get("/api/findings?severity=critical,urgent");
    expect(bad.status()).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^severity: unknown severity "urgent"/);
  });

  test("select all N matching beyond the page, assign them, keep the rows in view with the result, and undo", async ({ page }) => {
    const search = "?severity=medium&pageSize=25";
    const matching = await api(page, `${search}&status=active`);
    expect(matching.total).toBeGreaterThan(25);
    expect(matching.total).toBeLessThanOrEqual(500);
    await page.goto(`/findings${search}`);
    await expect(bodyRows(page)).toHaveCount(25);
    const idsShown = await bodyRows(page).locator("td:nth-child(2) a").evaluateAll((links) => links.map((link) => link.getAttribute("href")));
    await page.getByRole("checkbox", { name: "Select every finding on this page" }).check();
    await page.getByRole("button", { name: `Select all ${matching.total} matching findings` }).click();
    await expect(page.getByText(`All ${matching.total} findings that match are selected, on every page.`)).toBeVisible();
    const bar = page.getByRole("form", { name: "Assign selected findings" });
    await expect(bar).toContainText(`${matching.total} findings selected`);
    await bar.getByLabel(/^Assign to/).fill("team-e2e-all");
    await bar.getByRole("button", { name: `Assign ${matching.total} findings` }).click();
    const outcome = page.getByRole("status").filter({ hasText: `Assigned ${matching.total} findings to team-e2e-all.` });
    await expect(outcome).toBeVisible();
    // The rows stay where they were, with their new assignee.
    await expect(bodyRows(page)).toHaveCount(25);
    expect(await bodyRows(page).locator("td:nth-child(2) a").evaluateAll((links) => links.map((link) => link.getAttribute("href")))).toEqual(idsShown);
    await expect.poll(async () => (await bodyRows(page).locator("td:last-child").allInnerTexts()).every((text) => text.trim() === "team-e2e-all")).toBe(true);
    expect((await api(page, "?assignee=team-e2e-all")).total).toBe(matching.total);
    await saveScreenshot(page, "findings-bulk-result");

    await outcome.getByRole("button", { name: "Undo" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Undone: ${matching.total} findings back as they were.` })).toBeVisible();
    expect((await api(page, "?assignee=team-e2e-all")).total).toBe(0);
  });

  test("CSV and JSON export hold exactly the filtered list, every page of it", async ({ page }) => {
    const search = "?severity=high&control=NP-05&status=overdue";
    const expected = await api(page, `${search}&pageSize=200`);
    expect(expected.total).toBeGreaterThan(0);
    await page.goto(`/findings${search}`);
    await expect(bodyRows(page).first()).toBeVisible();
    const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CSV", exact: true }).click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/^bulkhead-findings_\d{4}-\d{2}-\d{2}-\d{2}-\d{2}\.csv$/);
    const csv = Papa.parse<Record<string, string>>(await readFile((await csvDownload.path())!, "utf8"), { header: true, skipEmptyLines: true }).data;
    expect(csv.map((row) => Number(row.Finding)).sort((a, b) => a - b)).toEqual(expected.rows.map((row) => row.id).sort((a, b) => a - b));
    expect(new Set(csv.map((row) => `${row.Severity} ${row.Control} ${row.Status}`))).toEqual(new Set(["high NP-05 overdue"]));
    expect(csv.every((row) => row["SLA breached"] === "yes" && /^\d{4}-\d{2}-\d{2}T/.test(row["SLA due (UTC)"]))).toBe(true);

    const [jsonDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "JSON", exact: true }).click()]);
    const json = JSON.parse(await readFile((await jsonDownload.path())!, "utf8")) as { count: number; generatedBy: string; filters: Record<string, string>; findings: { id: number }[] };
    expect(json).toMatchObject({ count: expected.total, generatedBy: "security@demo.bulkhead.local", filters: { severity: "high", control: "NP-05", status: "overdue" } });
    expect(json.findings.map((row) => row.id).sort((a, b) => a - b)).toEqual(expected.rows.map((row) => row.id).sort((a, b) => a - b));
  });

  test("the cluster cell links to the cluster; the cluster's findings link back, in the same status words", async ({ page }) => {
    await page.goto("/findings?status=overdue");
    const first = bodyRows(page).first();
    const findingHref = (await first.locator("td:nth-child(2) a").getAttribute("href"))!;
    await first.locator("td:nth-child(3) a").click();
    await expect(page).toHaveURL(/\/clusters\/\d+/);
    const findings = page.getByRole("region", { name: "Findings table" });
    // This finding's link (not one of a finding whose number starts with the same digits), with or without the scope.
    const findingPath = findingHref.split("?")[0];
    const linkSelector = `a[href="${findingPath}"], a[href^="${findingPath}?"]`;
    const link = findings.locator(linkSelector);
    await expect(link).toBeVisible();
    // `has` looks inside each row: the link's own selector, not a locator that starts at the region.
    const row = findings.locator("tbody tr").filter({ has: page.locator(linkSelector) });
    await expect(row.locator("td:nth-child(2)")).toContainText("Overdue");
    for (const word of await findings.locator("tbody td:nth-child(2) span span:first-child").allInnerTexts()) expect(["Open", "Overdue", "Waived", "Resolved"]).toContain(word.trim());
    await link.click();
    await expect(page).toHaveURL(/\/findings\/\d+/);
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: storageStateFor("viewer") });
  test("the severity and SLA explainer is there, read-only, loaded when opened; no export or bulk assign", async ({ page }) => {
    // Its content comes when it is first opened; a chunk that does not arrive says so and tries again.
    let block = true;
    let asked = 0;
    await page.route(/\/_next\/static\/chunks\/.+\.js$/, async (route) => {
      const response = await route.fetch();
      const explainer = (await response.text()).includes("Severity and SLA of each control");
      if (explainer) asked += 1;
      if (block && explainer) await route.abort("connectionreset");
      else await route.fulfill({ response });
    });
    await page.goto("/findings");
    await expect(page.getByRole("table", { name: /^Findings/ })).toBeVisible();
    expect(asked).toBe(0);
    await page.getByText("How severity, SLAs and due dates work").click();
    const failed = page.getByRole("alert").filter({ hasText: "The explanation could not be loaded" });
    await expect(failed).toBeVisible();
    block = false;
    await failed.getByRole("button", { name: "Try again" }).click();
    const explainer = page.getByRole("table", { name: "Severity and SLA of each control" });
    await expect(explainer.getByRole("row", { name: /NP-01/ })).toContainText(/critical/i);
    await expect(explainer.getByRole("row", { name: /NP-01/ })).toContainText(/\d+ days/);
    await expect(page.getByRole("link", { name: "CSV", exact: true })).toHaveCount(0);
    await expect(page.getByRole("checkbox", { name: "Select every finding on this page" })).toHaveCount(0);
    expect((await page.request.get("/api/findings/export?format=csv")).status()).toBe(403);
  });
});

test.describe("Safe fixes", () => {
  test("the cluster's apply-all file, downloaded from its page, passes `bulkhead analyze` over the cluster's namespaces", async ({ page }) => {
    const estate = await seedEstate([[{ name: "e2e-bundle-open", kube: "open" }]]);
    const cluster = estate.clusters.find((item) => item.name === "e2e-bundle-open")!;
    await page.goto(`/clusters/${cluster.id}`);
    const card = page.getByRole("region", { name: "Apply all: one file for this cluster" });
    await expect(card.getByTestId("bundle-command")).toHaveText("kubectl apply -f bulkhead-fix-e2e-bundle-open.yaml");
    // Each failing control links to its fix and to the file.
    await expect(page.getByRole("link", { name: "In the apply-all file (NP-02) ↓" })).toHaveAttribute("href", "#fix-bundle");
    await expect(page.getByRole("link", { name: "How to fix NP-03 ↓" })).toHaveAttribute("href", "#fix-NP-03");
    await card.getByText("default", { exact: true }).click();
    await expect(card.locator("pre").first()).toContainText("bulkhead-default-deny-ingress");
    const [download] = await Promise.all([page.waitForEvent("download"), card.getByRole("button", { name: "Download bulkhead-fix-e2e-bundle-open.yaml" }).click()]);
    const work = await mkdtemp(path.join(tmpdir(), "bulkhead-e2e-bundle-"));
    const bundle = path.join(work, download.suggestedFilename());
    await download.saveAs(bundle);
    const namespaces = path.join(work, "namespaces.json");
    await writeFile(namespaces, JSON.stringify({ apiVersion: "v1", kind: "List", items: makeInCluster({ defaultDeny: false }).namespaces }));
    // The namespaces alone fail; with the file they pass.
    expect((await runBulkhead(["analyze", namespaces])).code).toBe(1);
    const result = await runBulkhead(["analyze", namespaces, bundle, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ namespaces: [{ name: "default", defaultDenyIngress: true, defaultDenyEgress: true }], allowAnyRules: [] });
    await expectAccessible(page);
    await saveScreenshot(page, "cluster-apply-all");
  });
});
