import type { Page } from "@playwright/test";
import { expect, expectAccessible, saveScreenshot, storageStateFor, test } from "./fixtures";
import { seedEstate, type SeededEstate } from "./support/store";

// The webServer fills its store with the demo estate (one run a day for 200 days); this spec adds a
// run of its own, newest of all, whose API server answers garbage for one cluster, and counts from
// what the store holds after that.

const table = (page: Page) => page.getByRole("region", { name: "Runs table" });
/** Each row's capture time as its <time> element states it (ISO, so the strings sort in time order). */
const captureTimes = (page: Page) => table(page).locator("tbody > tr > td:nth-child(2) > time").evaluateAll((times) => times.map((time) => time.getAttribute("datetime") ?? ""));

async function openRuns(page: Page, search = "") {
  await page.goto(`/runs${search}`);
  await expect(table(page).locator("tbody tr").first()).toBeVisible();
}

let estate: SeededEstate;
let total: number;
test.beforeAll(async () => {
  estate = await seedEstate([[{ name: "e2e-runs-garbled", kube: "malformed" }, { name: "e2e-runs-clean", kube: "segmented" }]]);
  total = estate.runs.total;
});

test.describe("Runs page", () => {
  test("lists the collection history newest first, and passes an accessibility scan", async ({ page }) => {
    await openRuns(page);
    await expect(page.getByRole("heading", { level: 1, name: "Collection runs" })).toBeVisible();
    await expect(page.getByText(`1–25 of ${total} runs`, { exact: true })).toBeVisible();
    const times = await captureTimes(page);
    expect(times).toHaveLength(25);
    expect(times).toEqual([...times].sort().reverse());
    await expect(table(page).getByRole("columnheader", { name: "Errors by cause" })).toBeVisible();
    await expectAccessible(page);
    await saveScreenshot(page, "runs");
  });

  test("pages through the history, keeping the page in the URL", async ({ page }) => {
    await openRuns(page);
    const first = await captureTimes(page);
    await page.getByRole("button", { name: "Next page" }).click();
    await expect(page).toHaveURL(/[?&]page=2/);
    await expect(page.getByText(`26–50 of ${total} runs`, { exact: true })).toBeVisible();
    const second = await captureTimes(page);
    expect(second[0] < first[first.length - 1]).toBe(true);
    await page.getByRole("button", { name: "Previous page" }).click();
    await expect(page).not.toHaveURL(/[?&]page=/);
  });

  test("expands a run to its errors: scope, target, cause and message as text, the cluster linked", async ({ page }) => {
    const runId = estate.runs.newest.id;
    await openRuns(page);
    await table(page).getByRole("button", { name: `Show the errors of run ${runId}`, exact: true }).click();
    await expect(table(page).getByRole("button", { name: `Hide the errors of run ${runId}`, exact: true })).toHaveAttribute("aria-expanded", "true");
    const errors = table(page).getByRole("table", { name: `Errors of run ${runId}`, exact: true });
    await expect(errors).toBeVisible();
    await expect(errors.getByRole("columnheader")).toHaveText(["Scope", "Target", "Cause", "Message"]);
    // The one error of the run: the garbled objects of one cluster, named as such.
    await expect(errors.locator("tbody tr")).toHaveCount(1);
    const cells = errors.locator("tbody tr td");
    await expect(cells.nth(0)).toHaveText("in-cluster");
    await expect(cells.nth(2)).toHaveText("malformed");
    await expect(cells.nth(3)).toContainText("networkpolicies.json");
    await expectAccessible(page);
    await saveScreenshot(page, "runs-expanded");

    // The in-cluster error links to its cluster.
    const garbled = estate.clusters.find((cluster) => cluster.name === "e2e-runs-garbled")!;
    await errors.getByRole("link", { name: "e2e-runs-garbled" }).click();
    await expect(page).toHaveURL(new RegExp(`/clusters/${garbled.id}(\\?|$)`));
    await expect(page.getByRole("heading", { level: 1, name: "e2e-runs-garbled" })).toBeVisible();
  });

  test("the status filter is kept in the URL and says when nothing matches", async ({ page }) => {
    await openRuns(page);
    await page.getByLabel("Status").selectOption("failed");
    await expect(page).toHaveURL(/[?&]status=failed/);
    await expect(page.getByText("No failed runs")).toBeVisible();
    await page.getByRole("link", { name: "Show all runs" }).click();
    await expect(page.getByText(`1–25 of ${total} runs`, { exact: true })).toBeVisible();
  });

  test("subscription and owner filters in the URL do not break the page", async ({ page, request }) => {
    const filters = (await (await request.get("/api/filters")).json()) as { subscriptions: { id: string }[]; owners: { owner: string }[] };
    const search = `?subscription=${filters.subscriptions[0].id}&owner=${encodeURIComponent(filters.owners[0].owner)}`;
    await openRuns(page, search);
    await expect(page.getByText(/the filters above do not narrow this list/)).toBeVisible();
    await expect(page.getByText(`1–25 of ${total} runs`, { exact: true })).toBeVisible();
    // The main navigation carries the filters to the clusters page, which applies them.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Clusters" }).click();
    await expect(page).toHaveURL(new RegExp(`/clusters\\?subscription=${filters.subscriptions[0].id}`));
  });

  test("an unknown run's errors are 404, a bad page size 400", async ({ request }) => {
    expect((await request.get("/api/runs/99999999/errors")).status()).toBe(404);
    const bad = await request.get("/api/runs?pageSize=3");
    expect(bad.status()).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^pageSize: /);
  });

  test.describe("as a viewer", () => {
    test.use({ storageState: storageStateFor("viewer") });
    test("there is no run-now button, and the API refuses to start a run", async ({ page }) => {
      await openRuns(page);
      await expect(page.getByRole("button", { name: "Run collection now" })).toHaveCount(0);
      const refused = await page.request.post("/api/runs/collect", { data: {} });
      expect(refused.status()).toBe(403);
    });
  });

  // Last: it adds a run to the history the tests above count.
  test("an admin runs a collection now; it completes and tops the history", async ({ page }) => {
    await openRuns(page);
    await page.getByRole("button", { name: "Run collection now" }).click();
    await expect(page.getByText(/^Started \(demo\)/)).toBeVisible();
    await expect(page.getByText(`1–25 of ${total + 1} runs`, { exact: true })).toBeVisible({ timeout: 30_000 });
    const firstRow = table(page).locator("tbody > tr").first();
    await expect(firstRow).toContainText("completed");
    await expect(firstRow).toContainText(`run #${estate.runs.newest.id + 1}`);
  });
});

