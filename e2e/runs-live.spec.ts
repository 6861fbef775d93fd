import { spawn } from "node:child_process";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, expectAccessible, saveScreenshot, test } from "./fixtures";
import { e2eDatabaseUrl } from "./support/store";

// A run in progress on the Runs page: its progress without reloading, and an admin's cancel. The run
// is started the way a CLI would start it (another process), on the store's demo estate with slow
// API servers. Runs as the admin.

const table = (page: Page) => page.getByRole("region", { name: "Runs table" });

/**
 * Starts e2e/support/store-script.ts slow-run in its own process. Resolves once the process is
 * started, with `finished`: its JSON answer (wrapped, since an async function's returned promise
 * would otherwise be awaited, and with it the whole run).
 */
async function startSlowRun(latencyMs: number): Promise<{ finished: Promise<{ status: string; by?: string }> }> {
  const url = await e2eDatabaseUrl();
  const child = spawn(process.execPath, ["--import", path.resolve("bin/register.mjs"), path.resolve("e2e/support/store-script.ts"), "slow-run", "--latency", String(latencyMs)], {
    env: { ...process.env, DATABASE_URL: url, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const finished = new Promise<{ status: string; by?: string }>((resolve, reject) =>
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`slow-run exited ${code}: ${stderr}`)))),
  );
  return { finished };
}

test.describe("Runs, live", () => {
  test("a running collection shows its progress without reloading; an admin cancels it: it ends cancelled, writes nothing, and the next run can start", async ({ page }) => {
    await page.goto("/runs");
    await expect(table(page).locator("tbody tr").first()).toBeVisible();
    const { finished } = await startSlowRun(600);
    const live = page.getByRole("region", { name: /^Run \d+ in progress$/ });
    await expect(live).toBeVisible({ timeout: 20_000 });
    const runId = Number(((await live.getAttribute("aria-label")) ?? "").replace(/\D/g, ""));
    const read = live.getByTestId("clusters-read");
    await expect(read).toHaveText(/^\d+ of 60$/, { timeout: 20_000 });
    const first = Number((await read.innerText()).split(" ")[0]);
    // It moves while the page stays as it is.
    await expect.poll(async () => Number((await read.innerText()).split(" ")[0]), { timeout: 20_000 }).toBeGreaterThan(first);
    await expect(live).toContainText(/Elapsed\s*\d+:\d{2}/);
    await expect(live).toContainText(/Errors so far\s*\d+/);
    await expectAccessible(page);
    await saveScreenshot(page, "runs-live");

    await live.getByRole("button", { name: "Cancel run" }).click();
    await live.getByRole("button", { name: "Yes, cancel the run" }).click();
    expect(await finished).toEqual({ status: "cancelled", by: "admin@demo.bulkhead.local" });
    await expect(page.getByRole("region", { name: /^Run \d+ in progress$/ })).toHaveCount(0, { timeout: 10_000 });
    const row = table(page).locator("tbody > tr", { hasText: `run #${runId}` });
    await expect(row).toContainText("cancelled");
    await expect(table(page)).toContainText("Cancelled: Stopped by an admin before it wrote anything — nothing of it was kept; run it again when ready");
    // Nothing of it was written, and the run slot is free: a run starts at once and completes.
    const runs = (await (await page.request.get("/api/runs?status=cancelled")).json()) as { rows: { id: number; clustersSeen: number; cancelRequested: { by: string } }[] };
    expect(runs.rows.find((run) => run.id === runId)).toMatchObject({ clustersSeen: 0, cancelRequested: { by: "admin@demo.bulkhead.local" } });
    await page.getByRole("button", { name: "Run collection now" }).click();
    await expect(page.getByText(/^Started \(demo\)/)).toBeVisible();
    await expect(table(page).locator("tbody > tr").first()).toContainText("completed", { timeout: 30_000 });
  });

  test("'Run collection now' on the demo store, twice: both runs read the demo estate and complete", async ({ page }) => {
    await page.goto("/runs");
    for (let attempt = 0; attempt < 2; attempt++) {
      const before = (await (await page.request.get("/api/runs")).json()) as { total: number };
      await page.getByRole("button", { name: "Run collection now" }).click();
      await expect(page.getByText(/^Started \(demo\)/)).toBeVisible();
      await expect.poll(async () => ((await (await page.request.get("/api/runs")).json()) as { total: number; rows: { status: string }[] }).rows[0].status, { timeout: 30_000 }).toBe("completed");
      const after = (await (await page.request.get("/api/runs")).json()) as { total: number; rows: { source: string; status: string }[] };
      expect(after.total).toBe(before.total + 1);
      expect(after.rows[0]).toMatchObject({ source: "demo", status: "completed" });
      await page.reload();
    }
  });
});
